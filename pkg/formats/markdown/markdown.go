// Package markdown writes the normalized markdown-like text that every
// document converter produces: headings, paragraphs, list items, code lines and
// pipe tables, each block followed by a blank line, bounded in size.
package markdown

import (
	"bufio"
	"io"
	"strings"

	"github.com/ranstream/ranstream/pkg/formats"
	"github.com/ranstream/ranstream/pkg/textnorm"
)

// Writer writes the normalized markdown-like text of a document block by
// block: headings, paragraphs, list items, code lines and pipe tables, each
// block followed by a blank line. It stops with formats.ErrTooLarge when the
// output would pass max bytes; the first error sticks.
type Writer struct {
	w      *bufio.Writer
	n, max int64
	err    error
	inCode bool
	blocks int
	// format names the converter in errors ("docx: over the limit...").
	format string
}

func NewWriter(w io.Writer, max int64, format string) *Writer {
	return &Writer{w: bufio.NewWriterSize(w, 64<<10), max: max, format: format}
}

func (m *Writer) write(s string) {
	if m.err != nil {
		return
	}
	m.n += int64(len(s))
	if m.n > m.max {
		m.err = formats.Bad(m.format, formats.ErrTooLarge, "text passes the %d-byte output limit", m.max)
		return
	}
	_, m.err = m.w.WriteString(s)
}

// Flush ends an open code block and flushes the buffer.
func (m *Writer) Flush() error {
	m.EndCode()
	if m.err == nil {
		m.err = m.w.Flush()
	}
	return m.err
}

func (m *Writer) EndCode() {
	if m.inCode {
		m.inCode = false
		m.write("```\n\n")
	}
}

// heading writes "### text" for level 3; levels beyond 9 are clamped.
func (m *Writer) Heading(level int, text string) {
	text = OneLine(text)
	if text == "" {
		return
	}
	m.EndCode()
	level = max(1, min(level, 9))
	m.write(strings.Repeat("#", level) + " " + text + "\n\n")
	m.blocks++
}

// para writes a paragraph; line breaks inside it ("\n") are kept.
func (m *Writer) Para(text string) {
	text = CleanLines(text)
	if text == "" {
		return
	}
	m.EndCode()
	if text[0] == '#' {
		text = `\` + text
	}
	m.write(text + "\n\n")
	m.blocks++
}

// listItem writes "- text" (or "1. text" when ordered), indented two spaces
// per nesting level.
func (m *Writer) ListItem(depth int, ordered bool, text string) {
	text = strings.ReplaceAll(CleanLines(text), "\n", " ")
	if text == "" {
		return
	}
	m.EndCode()
	marker := "- "
	if ordered {
		marker = "1. "
	}
	m.write(strings.Repeat("  ", max(0, min(depth, 8))) + marker + text + "\n\n")
	m.blocks++
}

// codeLine writes one line of a fenced code block (ASN.1, program listings),
// opening the fence on the first line.
func (m *Writer) CodeLine(text string) {
	text = strings.TrimRight(textnorm.Normalize(strings.ReplaceAll(text, "\n", " ")), " \t\n")
	if !m.inCode {
		if strings.TrimSpace(text) == "" {
			return
		}
		m.inCode = true
		m.write("```\n")
		m.blocks++
	}
	m.write(text + "\n")
}

// table writes rows as a pipe table, the first row as its header. Rows and
// columns with no text at all (layout padding, the blanks that stand for
// merged cells' extra grid columns) are left out. A table of a single cell is
// a layout box, not data: its text is written as paragraphs.
func (m *Writer) Table(rows [][]string) {
	rows = compact(rows)
	if len(rows) == 0 {
		return
	}
	m.EndCode()
	cols := len(rows[0])
	if len(rows) == 1 && cols == 1 {
		for _, p := range strings.Split(rows[0][0], "\n") {
			m.Para(p)
		}
		return
	}
	var b strings.Builder
	line := func(r []string) {
		b.WriteByte('|')
		for _, c := range r {
			b.WriteByte(' ')
			b.WriteString(CellText(c))
			b.WriteString(" |")
		}
		b.WriteByte('\n')
	}
	line(rows[0])
	b.WriteByte('|')
	for i := 0; i < cols; i++ {
		b.WriteString(" --- |")
	}
	b.WriteByte('\n')
	for _, r := range rows[1:] {
		line(r)
	}
	b.WriteByte('\n')
	m.write(b.String())
	m.blocks++
}

// compact drops empty rows and empty columns and pads every row to the
// same width.
func compact(rows [][]string) [][]string {
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	used := make([]bool, cols)
	var kept [][]string
	for _, r := range rows {
		empty := true
		for i, c := range r {
			if strings.TrimSpace(c) != "" {
				used[i], empty = true, false
			}
		}
		if !empty {
			kept = append(kept, r)
		}
	}
	for i, r := range kept {
		out := make([]string, 0, cols)
		for c := 0; c < cols; c++ {
			if !used[c] {
				continue
			}
			if c < len(r) {
				out = append(out, r[c])
			} else {
				out = append(out, "")
			}
		}
		kept[i] = out
	}
	return kept
}

// annexLevel puts a 3GPP annex title ("Annex A (normative): ..."), which
// the 3GPP templates style as heading 8 or 9, at level 1: the annex's own
// clauses (A.1, A.2.1) use heading 1 and up, and a level-8 title would also
// be beyond the six levels markdown renders.
func AnnexLevel(level int, text string) int {
	if level >= 7 && strings.HasPrefix(strings.TrimSpace(text), "Annex ") {
		return 1
	}
	return level
}

// cellText makes a cell's text fit one pipe-table cell: line breaks become
// <br>, pipes are escaped, whitespace is collapsed.
func CellText(s string) string {
	parts := strings.Split(s, "\n")
	out := parts[:0]
	for _, p := range parts {
		if p = OneLine(p); p != "" {
			out = append(out, p)
		}
	}
	s = strings.Join(out, "<br>")
	return strings.ReplaceAll(s, "|", `\|`)
}

// oneLine normalizes s (textnorm.Normalize: NFC, invisible characters
// removed, odd spaces made plain) and collapses all whitespace, line breaks
// included, to single spaces.
func OneLine(s string) string {
	return Collapse(textnorm.Normalize(s))
}

func Collapse(s string) string {
	return strings.Join(strings.FieldsFunc(s, isSpace), " ")
}

// cleanLines normalizes s, collapses whitespace within each line, drops
// empty lines and trims the whole.
func CleanLines(s string) string {
	s = textnorm.Normalize(s)
	if !strings.Contains(s, "\n") {
		return Collapse(s)
	}
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = Collapse(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', 0x85, 0xA0, 0x2007, 0x202F, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// Blocks is the number of blocks written so far.
func (m *Writer) Blocks() int { return m.blocks }

// Err is the first error met while writing, if any.
func (m *Writer) Err() error { return m.err }
