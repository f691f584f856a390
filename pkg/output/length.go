package output

import "strings"

// charsPerToken is the conservative characters-per-token ratio of the
// estimate: Qwen's tokenizer gives about 4 on English prose and nearer 3 on
// identifiers and JSON, so the estimate errs on the long side.
const charsPerToken = 3

// EstimateTokens estimates the tokens of s for a Qwen-style BPE tokenizer.
func EstimateTokens(s string) int { return (len(s) + charsPerToken - 1) / charsPerToken }

// exampleTokens estimates the tokens of an example: its contents and the
// chat template's few tokens per message.
func exampleTokens(ex Example) int {
	n := 2
	for _, m := range ex.Messages {
		n += EstimateTokens(m.Content) + 4
	}
	return n
}

// splitText cuts text into parts of at most budget bytes at line ends (at
// spaces inside a longer line). A part that starts inside a markdown table
// repeats the table's header row and separator, so every part reads on its
// own.
func splitText(text string, budget int) []string {
	lines := strings.Split(text, "\n")
	var parts []string
	var cur strings.Builder
	var header []string // header lines of the table the cursor is in
	var inTable bool
	flush := func() {
		if strings.TrimSpace(cur.String()) != "" {
			parts = append(parts, strings.TrimRight(cur.String(), "\n"))
		}
		cur.Reset()
	}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		isRow := strings.HasPrefix(strings.TrimSpace(line), "|")
		if isRow && !inTable {
			header = []string{line}
			if i+1 < len(lines) && isSeparator(lines[i+1]) {
				header = append(header, lines[i+1])
			}
		}
		inTable = isRow
		if !isRow {
			header = nil
		}
		for _, piece := range cutLine(line, budget/2) {
			if cur.Len() > 0 && cur.Len()+len(piece)+1 > budget {
				flush()
				if inTable && !slices_contains(header, piece) {
					for _, h := range header {
						cur.WriteString(h)
						cur.WriteByte('\n')
					}
				}
			}
			cur.WriteString(piece)
			cur.WriteByte('\n')
		}
	}
	flush()
	return parts
}

func slices_contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// isSeparator reports a markdown table separator row (|---|:--|).
func isSeparator(line string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(t, "|") && strings.Trim(t, "|-: ") == ""
}

// cutLine cuts a line longer than n bytes at spaces (or anywhere, for a
// line without them).
func cutLine(line string, n int) []string {
	if n < 1 || len(line) <= n {
		return []string{line}
	}
	var out []string
	for len(line) > n {
		cut := strings.LastIndexByte(line[:n], ' ')
		if cut <= 0 {
			cut = n
		}
		out = append(out, line[:cut])
		line = strings.TrimLeft(line[cut:], " ")
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}
