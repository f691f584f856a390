package sheet

import (
	"bufio"
	"io"

	"github.com/ranstream/ranstream/pkg/formats"
)

// mdWriter writes blocks through a buffer and stops with formats.ErrTooLarge
// once the output would pass max bytes. The first error sticks, so callers
// check it once per row, not per write.
type mdWriter struct {
	w      *bufio.Writer
	format string
	n, max int64
	err    error
}

func newMDWriter(w io.Writer, format string, max int64) *mdWriter {
	return &mdWriter{w: bufio.NewWriterSize(w, 64<<10), format: format, max: max}
}

// block writes b followed by a blank line.
func (m *mdWriter) block(b []byte) {
	if m.err != nil || len(b) == 0 {
		return
	}
	m.n += int64(len(b)) + 2
	if m.n > m.max {
		m.err = formats.Bad(m.format, formats.ErrTooLarge, "text passes the %d-byte output limit", m.max)
		return
	}
	if _, m.err = m.w.Write(b); m.err == nil {
		_, m.err = m.w.WriteString("\n\n")
	}
}

// heading writes "# text".
func (m *mdWriter) heading(text string) {
	text = cleanCell(text)
	if text == "" {
		return
	}
	m.block([]byte("# " + text))
}

func (m *mdWriter) flush() error {
	if m.err == nil {
		m.err = m.w.Flush()
	}
	return m.err
}
