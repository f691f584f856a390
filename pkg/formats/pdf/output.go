package pdf

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/ranstream/ranstream/pkg/formats"
)

// output writes the markdown-like text: page markers, headings and
// paragraphs, each followed by a blank line. It stops with
// formats.ErrTooLarge once the text would pass max bytes; the first error
// sticks.
type output struct {
	w      *bufio.Writer
	n, max int64
	err    error
}

func newOutput(w io.Writer, max int64) *output {
	return &output{w: bufio.NewWriterSize(w, 64<<10), max: max}
}

func (o *output) write(s string) {
	if o.err != nil {
		return
	}
	o.n += int64(len(s))
	if o.n > o.max {
		o.err = formats.Bad(format, formats.ErrTooLarge, "text passes the %d-byte output limit", o.max)
		return
	}
	_, o.err = o.w.WriteString(s)
}

// marker writes the page marker: `<!-- page 3 -->`.
func (o *output) marker(num int) {
	o.write("<!-- page " + strconv.Itoa(num) + " -->\n\n")
}

// furniture writes the running headers and footers of a page, taken out of
// the text flow, on one comment line: `<!-- running: ETSI | ... -->`.
func (o *output) furniture(lines []string) {
	if len(lines) == 0 {
		return
	}
	o.write("<!-- running: ")
	for i, l := range lines {
		if i > 0 {
			o.write(" | ")
		}
		o.write(strings.ReplaceAll(l, "--", "- -"))
	}
	o.write(" -->\n\n")
}

// heading writes "### text" for level 3.
func (o *output) heading(level int, text string) {
	o.write(strings.Repeat("#", level) + " " + text + "\n\n")
}

// para writes a paragraph on one line, escaped where it would read as a
// heading, a page marker, a code fence or a table row.
// startsStructure reports whether a line starting with text would read as
// markdown structure (a heading, a table row, a comment, a code fence)
// rather than as text.
func startsStructure(text string) bool {
	return strings.HasPrefix(text, "#") || strings.HasPrefix(text, "<!--") || strings.HasPrefix(text, "```") || strings.HasPrefix(text, "|")
}

func (o *output) para(text string) {
	if startsStructure(text) {
		o.write(`\`)
	}
	o.write(text)
	o.write("\n\n")
}

// block writes text ending in a newline (a table) and a blank line.
func (o *output) block(text string) {
	o.write(text)
	o.write("\n")
}

func (o *output) flush() error {
	if o.err == nil {
		o.err = o.w.Flush()
	}
	return o.err
}
