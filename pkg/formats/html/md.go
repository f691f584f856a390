package html

import (
	"bufio"
	"io"
	"strings"

	"github.com/ranstream/ranstream/pkg/formats"
	"github.com/ranstream/ranstream/pkg/textnorm"
)

// mdWriter writes normalized blocks (headings, paragraphs, lists, tables,
// code), each followed by a blank line. It stops with formats.ErrTooLarge once
// the output would pass max bytes; the first error sticks.
type mdWriter struct {
	w      *bufio.Writer
	n, max int64
	err    error
}

func newMDWriter(w io.Writer, max int64) *mdWriter {
	return &mdWriter{w: bufio.NewWriterSize(w, 64<<10), max: max}
}

// block writes text, normalized (textnorm.Normalize), and a blank line.
func (m *mdWriter) block(text string) {
	text = strings.TrimRight(textnorm.Normalize(text), "\n")
	if m.err != nil || strings.TrimSpace(text) == "" {
		return
	}
	m.n += int64(len(text)) + 2
	if m.n > m.max {
		m.err = formats.Bad(format, formats.ErrTooLarge, "text passes the %d-byte output limit", m.max)
		return
	}
	if _, m.err = m.w.WriteString(text); m.err == nil {
		_, m.err = m.w.WriteString("\n\n")
	}
}

// heading writes "### text" for level 3.
func (m *mdWriter) heading(level int, text string) {
	if text == "" {
		return
	}
	m.block(strings.Repeat("#", max(1, min(level, 6))) + " " + text)
}

// code writes a fenced code block; a fence inside the text gets a longer one.
func (m *mdWriter) code(text string) {
	text = strings.Trim(text, "\n")
	if strings.TrimSpace(text) == "" {
		return
	}
	fence := "```"
	for strings.Contains(text, fence) {
		fence += "`"
	}
	m.block(fence + "\n" + text + "\n" + fence)
}

func (m *mdWriter) flush() error {
	if m.err == nil {
		m.err = m.w.Flush()
	}
	return m.err
}
