package detect

import (
	"bytes"
	"errors"
	"io"

	json "github.com/go-json-experiment/json/v1"
)

// sniff names the format of text from its content: markup first (HTML, XML, JSON),
// then markdown, ASN.1 modules, delimited tables, and plain text for the rest.
func sniff(text []byte) string {
	t := bytes.TrimLeft(text, " \t\r\n")
	switch {
	case looksHTML(t, false):
		return FormatHTML
	case bytes.HasPrefix(t, []byte("<?xml")):
		return FormatXML
	case looksJSON(t):
		return FormatJSON
	case bytes.HasPrefix(t, []byte("#!")):
		return FormatText // a script, whose "# comments" are not headings
	case markdownScore(text) >= 3:
		return FormatMarkdown
	case looksASN1(text):
		return FormatASN1
	case looksCSV(text):
		return FormatCSV
	}
	return FormatText
}

// htmlStarts are the openings by which browsers sniff HTML (WHATWG MIME sniffing);
// each but the comment must be followed by a space or '>'.
var htmlStarts = [...]string{
	"<!doctype html", "<html", "<head", "<script", "<iframe", "<h1", "<div", "<font",
	"<table", "<a", "<style", "<title", "<b", "<body", "<br", "<p",
}

// looksHTML reports HTML by its first tag, or an XML prolog followed by an html
// element. strict accepts only a doctype or html element (for .xml files, where
// comments and short tag names are ordinary XML).
func looksHTML(text []byte, strict bool) bool {
	t := bytes.TrimLeft(text, " \t\r\n")
	lower := bytes.ToLower(t[:min(len(t), 1024)])
	prolog := bytes.HasPrefix(lower, []byte("<?xml"))
	comment := bytes.HasPrefix(lower, []byte("<!--"))
	switch {
	case prolog || comment && strict:
		return bytes.Contains(lower, []byte("<html")) || bytes.Contains(lower, []byte("<!doctype html"))
	case comment:
		return true
	}
	for i, s := range htmlStarts {
		if strict && i > 1 {
			break
		}
		if bytes.HasPrefix(lower, []byte(s)) && len(lower) > len(s) {
			if c := lower[len(s)]; c == ' ' || c == '>' || c == '\t' || c == '\n' || c == '\r' {
				return true
			}
		}
	}
	return false
}

// looksJSON reports text that starts with an object or array and tokenizes as JSON
// (JSON Lines included) up to the end of the window looked at.
func looksJSON(t []byte) bool {
	if len(t) == 0 || t[0] != '{' && t[0] != '[' {
		return false
	}
	d := json.NewDecoder(bytes.NewReader(t[:min(len(t), 4096)]))
	n := 0
	for ; n < 64; n++ {
		tok, err := d.Token()
		if err != nil {
			return n >= 2 && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF))
		}
		if n == 1 && t[0] == '[' {
			// "[1] Reference" is a citation: an array of JSON records starts with a
			// string or a structure (or ends at once).
			switch v := tok.(type) {
			case string:
			case json.Delim:
				if v != '{' && v != '[' && v != ']' {
					return false
				}
			default:
				return false
			}
		}
	}
	return true
}

// markdownScore weighs markdown evidence in the first KiBs: headings that stand
// alone between blank lines (a run of "# comment" lines in a script does not), pipe or
// grid table rulers, code fences, setext headings, links and bold text. Three points
// make a markdown document.
func markdownScore(text []byte) int {
	text = text[:min(len(text), 16<<10)]
	var headings, rulers, fences, links, bold, setext int
	prevBlank := true
	for len(text) > 0 {
		line := text
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = nil
		}
		line = bytes.TrimRight(line, " \t\r")
		blank := len(line) == 0
		switch {
		case isATXHeading(line) && prevBlank && nextLineBlank(text):
			headings++
		case isTableRuler(line):
			rulers++
		case bytes.HasPrefix(line, []byte("```")), bytes.HasPrefix(line, []byte("~~~")):
			fences++
		case !prevBlank && len(line) >= 3 && len(bytes.Trim(line, "=")) == 0:
			setext++
		}
		if j := bytes.Index(line, []byte("](")); j > 0 && bytes.IndexByte(line[:j], '[') >= 0 {
			links++
		}
		if j := bytes.Index(line, []byte("**")); j >= 0 && bytes.Contains(line[j+2:], []byte("**")) {
			bold++
		}
		prevBlank = blank
	}
	score := 2*min(headings, 3) + 2*min(setext, 2) + min(links, 2) + min(bold, 1)
	if rulers > 0 {
		score += 3
	}
	if fences >= 2 {
		score += 2
	}
	return score
}

// nextLineBlank reports whether the first line of rest is blank (or there is none).
func nextLineBlank(rest []byte) bool {
	if i := bytes.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
	}
	return len(bytes.TrimSpace(rest)) == 0
}

// isATXHeading matches "# Title" .. "###### Title" with at most 3 spaces of indent.
func isATXHeading(line []byte) bool {
	t := bytes.TrimLeft(line, " ")
	if len(line)-len(t) > 3 {
		return false
	}
	n := 0
	for n < len(t) && t[n] == '#' {
		n++
	}
	return n >= 1 && n <= 6 && len(t) > n+1 && t[n] == ' '
}

// isTableRuler matches a pipe-table delimiter row ("|---|:--:|") or a grid-table
// border ("+----+====+").
func isTableRuler(line []byte) bool {
	t := bytes.TrimSpace(line)
	if len(t) < 3 {
		return false
	}
	if t[0] == '+' && t[len(t)-1] == '+' {
		return len(bytes.Trim(t, "+-=:")) == 0 && bytes.IndexAny(t, "-=") >= 0
	}
	if bytes.IndexByte(t, '|') < 0 || bytes.Count(t, []byte("---")) == 0 {
		return false
	}
	return len(bytes.Trim(t, "|-: ")) == 0
}

// looksASN1 reports an ASN.1 module: "DEFINITIONS ... ::= BEGIN" near each other.
func looksASN1(text []byte) bool {
	for off := 0; ; {
		i := bytes.Index(text[off:], []byte("DEFINITIONS"))
		if i < 0 {
			return false
		}
		off += i + len("DEFINITIONS")
		window := text[off:min(len(text), off+200)]
		if j := bytes.Index(window, []byte("::=")); j >= 0 &&
			bytes.HasPrefix(bytes.TrimLeft(window[j+3:], " \t\r\n"), []byte("BEGIN")) {
			return true
		}
	}
}

// looksCSV reports delimited records: at least three records (quoted fields may span
// lines) that split into the same number of fields by one of , ; tab |. A single
// delimiter per record needs five records, all alike, to outweigh prose with commas.
func looksCSV(text []byte) bool {
	complete := bytes.HasSuffix(text, []byte("\n"))
	for _, delim := range [...]byte{',', ';', '\t', '|'} {
		counts := delimiterCounts(text, delim, complete, 50)
		if len(counts) < 3 {
			continue
		}
		freq := map[int]int{}
		mode, best := 0, 0
		for _, c := range counts {
			freq[c]++
			if freq[c] > best || freq[c] == best && c > mode {
				mode, best = c, freq[c]
			}
		}
		switch {
		case mode == 0:
		case mode == 1 && len(counts) >= 5 && best == len(counts):
			return true
		case mode >= 2 && best*10 >= len(counts)*9:
			return true
		}
	}
	return false
}

// delimiterCounts counts delim outside double quotes in each of the first max
// records; an unterminated last record is dropped when the text may be cut.
func delimiterCounts(text []byte, delim byte, complete bool, max int) []int {
	var counts []int
	quoted, n, empty := false, 0, true
	for _, c := range text {
		switch {
		case c == '"':
			quoted = !quoted
			empty = false
		case quoted:
		case c == delim:
			n++
			empty = false
		case c == '\n':
			if !empty {
				counts = append(counts, n)
				if len(counts) == max {
					return counts
				}
			}
			n, empty = 0, true
		case c != '\r' && c != ' ':
			empty = false
		}
	}
	if !empty && complete {
		counts = append(counts, n)
	}
	return counts
}
