package chunk

import (
	"strings"
	"unicode/utf8"
)

// kind is what a block is, which decides how it may be cut.
type kind uint8

const (
	kindParagraph kind = iota
	kindHeading
	kindList
	kindTable
	kindFence
)

// block is the unit the chunker packs: a heading line, a paragraph, one list item,
// a whole table (consecutive pipe or grid lines) or a whole code fence.
type block struct {
	kind  kind
	text  string   // normalized text: trailing blanks of lines trimmed, except inside fences
	n     int      // runes in text
	lines []string // the lines of text, for tables and fences only
	level int      // heading level, 1..6
	title string   // heading text without the '#' marks
	// tight is set on a list item that directly followed another one (no blank line
	// between them in the input), so the list stays tight in the chunk.
	tight bool
}

// scanner walks the lines of a text without copying it.
type scanner struct {
	text string
	pos  int // start of the next line
}

// peek returns the next line, without its "\n", and the position after it.
func (s *scanner) peek() (string, int) {
	rest := s.text[s.pos:]
	if e := strings.IndexByte(rest, '\n'); e >= 0 {
		return rest[:e], s.pos + e + 1
	}
	return rest, len(s.text)
}

func (s *scanner) done() bool { return s.pos >= len(s.text) }

// parse cuts text into blocks and hands them to emit one by one, in order; the block
// is reused after emit returns. Blank lines separate blocks and are dropped; the
// packer puts back one blank line between blocks. maxRunes is Config.Max: a
// "heading" longer than that is treated as a paragraph so that it can be cut.
func parse(text string, maxRunes int, emit func(*block)) {
	sc := scanner{text: text}
	var b block
	var prev kind
	var joined []string // scratch for paragraph lines that needed trimming
	blank := true       // a blank line (or the start) precedes the current line
	send := func() {
		if b.lines != nil {
			b.text = strings.Join(b.lines, "\n")
		}
		b.n = utf8.RuneCountInString(b.text)
		b.tight = b.kind == kindList && prev == kindList && !blank
		emit(&b)
		prev, blank = b.kind, false
		b = block{}
	}
	for !sc.done() {
		raw, next := sc.peek()
		if isBlank(raw) {
			blank = true
			sc.pos = next
			continue
		}
		line := trimRight(raw)

		if marker, ok := fenceOpen(line); ok {
			b.kind, b.lines = kindFence, []string{line}
			sc.pos = next
			closed := false
			for !sc.done() {
				l, next := sc.peek()
				sc.pos = next
				l = strings.TrimRight(l, "\r")
				if fenceClose(l, marker) {
					b.lines = append(b.lines, trimRight(l))
					closed = true
					break
				}
				b.lines = append(b.lines, l)
			}
			if !closed {
				// An unclosed fence runs to the end of the text; close it so that
				// the chunk stays valid markdown.
				for len(b.lines) > 1 && isBlank(b.lines[len(b.lines)-1]) {
					b.lines = b.lines[:len(b.lines)-1]
				}
				b.lines = append(b.lines, marker)
			}
			send()
			continue
		}

		if level, title, ok := heading(line); ok && utf8.RuneCountInString(line) <= maxRunes {
			b.kind, b.text, b.level, b.title = kindHeading, line, level, title
			sc.pos = next
			send()
			continue
		}

		if isTableLine(line) {
			b.kind, b.lines = kindTable, []string{line}
			sc.pos = next
			for !sc.done() {
				l, next := sc.peek()
				if l = trimRight(l); !isTableLine(l) {
					break
				}
				b.lines = append(b.lines, l)
				sc.pos = next
			}
			if !gridBorder(strings.TrimLeft(b.lines[0], " \t")) {
				compactPipeTable(b.lines)
			}
			send()
			continue
		}

		// A paragraph or list item: its text is a slice of the input unless some
		// line had trailing blanks to trim.
		b.kind = kindParagraph
		if _, ok := listItem(line); ok {
			b.kind = kindList
		}
		start, end, clean := sc.pos, sc.pos+len(line), len(line) == len(raw)
		joined = append(joined[:0], line)
		sc.pos = next
		for !sc.done() {
			l, next := sc.peek()
			if isBlank(l) {
				break
			}
			t := trimRight(l)
			if interrupts(t, b.kind == kindList) {
				break
			}
			joined = append(joined, t)
			clean = clean && len(t) == len(l)
			end = sc.pos + len(t)
			sc.pos = next
		}
		if clean {
			b.text = text[start:end]
		} else {
			b.text = strings.Join(joined, "\n")
		}
		send()
	}
}

// interrupts reports whether line starts a new block instead of continuing the
// paragraph or list item above it. Inside a list any item marker starts a new item;
// a paragraph, as in CommonMark, is only interrupted by an ordered list starting at 1.
func interrupts(line string, inList bool) bool {
	if _, ok := fenceOpen(line); ok {
		return true
	}
	if _, _, ok := heading(line); ok {
		return true
	}
	if isTableLine(line) {
		return true
	}
	num, ok := listItem(line)
	return ok && (inList || num <= 1)
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

func trimRight(s string) string { return strings.TrimRight(s, " \t\r") }

// indent strips up to three leading spaces; more make an indented line that is no
// heading or fence.
func indent(s string) (string, bool) {
	for k := 0; k < 4; k++ {
		if k == len(s) || s[k] != ' ' {
			return s[k:], true
		}
	}
	return s, false
}

// heading parses an ATX heading: one to six '#' followed by a blank or the end of
// the line. An empty title is allowed ("# " lines occur in converted documents).
func heading(line string) (level int, title string, ok bool) {
	s, ok := indent(line)
	if !ok {
		return 0, "", false
	}
	for level < len(s) && s[level] == '#' {
		level++
	}
	if level == 0 || level > 6 {
		return 0, "", false
	}
	if level < len(s) && s[level] != ' ' && s[level] != '\t' {
		return 0, "", false
	}
	title = strings.TrimSpace(s[level:])
	// Optional closing sequence: "## Title ##".
	if t := strings.TrimRight(title, "#"); t == "" {
		title = ""
	} else if len(t) < len(title) && (t[len(t)-1] == ' ' || t[len(t)-1] == '\t') {
		title = strings.TrimSpace(t)
	}
	return level, title, true
}

// fenceOpen parses the opening line of a code fence and returns its marker (the run
// of backticks or tildes) that a closing line must repeat.
func fenceOpen(line string) (string, bool) {
	s, ok := indent(line)
	if !ok || len(s) < 3 || (s[0] != '`' && s[0] != '~') {
		return "", false
	}
	k := 0
	for k < len(s) && s[k] == s[0] {
		k++
	}
	if k < 3 || (s[0] == '`' && strings.IndexByte(s[k:], '`') >= 0) {
		return "", false
	}
	return s[:k], true
}

// fenceClose reports whether line closes a fence opened with marker.
func fenceClose(line, marker string) bool {
	s := strings.TrimSpace(line)
	return len(s) >= len(marker) && strings.Trim(s, marker[:1]) == ""
}

// isTableLine reports whether line belongs to a table: a pipe table row or a line
// of a grid table (rows start with '|', borders with "+-" or "+=").
func isTableLine(line string) bool {
	s := strings.TrimLeft(line, " \t")
	return s != "" && (s[0] == '|' || gridBorder(s))
}

// gridBorder reports whether s (left-trimmed) is a grid table border such as
// "+----+----+" or "+====+".
func gridBorder(s string) bool {
	if len(s) < 2 || s[0] != '+' || (s[1] != '-' && s[1] != '=' && s[1] != ':') {
		return false
	}
	return strings.Trim(s, "+-=: ") == "" && strings.ContainsAny(s, "-=")
}

// compactPipeTable drops the padding that converters put in pipe tables to align
// columns (docling pads every row of a wide table to thousands of characters): runs
// of blanks become one space and separator cells become "---", keeping alignment
// colons. Markdown renders the table the same, and chunks carry text, not padding.
func compactPipeTable(lines []string) {
	for k, l := range lines {
		if separatorRow(l) {
			lines[k] = compactSeparator(l)
		} else {
			lines[k] = collapseBlanks(l)
		}
	}
}

// collapseBlanks trims line and turns every run of blanks in it into one space.
func collapseBlanks(line string) string {
	line = strings.TrimSpace(line)
	if !strings.Contains(line, "  ") && !strings.ContainsRune(line, '\t') {
		return line
	}
	var sb strings.Builder
	sb.Grow(len(line))
	blank := false
	for k := 0; k < len(line); k++ {
		c := line[k]
		if c == ' ' || c == '\t' {
			blank = true
			continue
		}
		if blank {
			sb.WriteByte(' ')
			blank = false
		}
		sb.WriteByte(c)
	}
	return sb.String()
}

// compactSeparator rewrites a separator row with three dashes per column.
func compactSeparator(line string) string {
	cells := strings.Split(strings.TrimSpace(line), "|")
	for k, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		left, right := strings.HasPrefix(c, ":"), strings.HasSuffix(c, ":") && len(c) > 1
		c = "---"
		if left {
			c = ":" + c
		}
		if right {
			c += ":"
		}
		cells[k] = c
	}
	return strings.Join(cells, "|")
}

// separatorRow reports whether a pipe table line is the "|---|:---:|" row under
// the header.
func separatorRow(line string) bool {
	s := strings.TrimSpace(line)
	return strings.Contains(s, "|") && strings.Contains(s, "-") && strings.Trim(s, "|-: \t") == ""
}

// listItem parses a list item marker ("- ", "* ", "+ ", "1. ", "2) ") and returns
// the item number, 0 for a bullet.
func listItem(line string) (num int, ok bool) {
	s := strings.TrimLeft(line, " \t")
	if s == "" {
		return 0, false
	}
	spaceAt := func(k int) bool { return k == len(s) || s[k] == ' ' || s[k] == '\t' }
	if s[0] == '-' || s[0] == '*' || s[0] == '+' {
		return 0, spaceAt(1)
	}
	k := 0
	for k < len(s) && k < 9 && s[k] >= '0' && s[k] <= '9' {
		num = num*10 + int(s[k]-'0')
		k++
	}
	if k == 0 || k == len(s) || (s[k] != '.' && s[k] != ')') || !spaceAt(k+1) {
		return 0, false
	}
	return num, true
}

// stripFrontMatter drops a YAML front matter block at the very start: a "---" line,
// a YAML mapping (its first line is "key: ..."), and a closing "---" or "..." line.
// A text that merely starts with a thematic break is left alone.
func stripFrontMatter(s string) string {
	first, rest, ok := strings.Cut(s, "\n")
	if !ok || trimRight(first) != "---" {
		return s
	}
	for off, n := 0, 0; ; n++ {
		line, _, more := strings.Cut(rest[off:], "\n")
		t := trimRight(line)
		if t == "---" || t == "..." {
			if n == 0 || yamlKeyLine(strings.SplitN(rest, "\n", 2)[0]) {
				end := off + len(line)
				if more {
					end++
				}
				return rest[end:]
			}
			return s
		}
		if !more {
			return s
		}
		off += len(line) + 1
	}
}

// yamlKeyLine reports whether line opens a YAML mapping entry ("key:" or "key: value").
func yamlKeyLine(line string) bool {
	key, _, ok := strings.Cut(trimRight(line), ":")
	if !ok || key == "" {
		return false
	}
	for _, r := range key {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9',
			r == '_', r == '-', r == ' ', r == '.', r == '"', r == '\'':
		default:
			return false
		}
	}
	return key[0] != ' ' && key[0] != '-'
}
