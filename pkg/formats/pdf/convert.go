package pdf

import (
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/ranstream/ranstream/pkg/formats/threegpp"
)

// converter turns the page texts of one document into the output, in page
// order. A page is written once the pages around it are known, because
// deciding what is a running header needs them (see running.go).
type converter struct {
	out     *output
	total   int
	pending []*page // read, not yet written, in page order
	// edges[i] holds the furniture signatures at the edges of page i+1.
	edges    []map[string]bool
	vocab    vocabulary
	headings clauseTracker
	quality  qualityCounter
	// cover holds the first lines of page 1 for threegpp.ParseCover.
	cover       []string
	failed      int
	failedPages []int
	// running counts the furniture blocks moved out of the text flow.
	running int
}

func newConverter(w io.Writer, maxOutput int64, pages int) *converter {
	return &converter{
		out:   newOutput(w, maxOutput),
		total: pages,
		edges: make([]map[string]bool, pages),
		vocab: vocabulary{},
	}
}

// addPage takes the MuPDF text of page num and writes the pages that are ready.
func (c *converter) addPage(num int, text string) error {
	c.quality.addPage(text)
	p := parsePage(num, text)
	c.vocab.add(p)
	c.edges[num-1] = p.edgeSignatures()
	if num == 1 {
		c.collectCover(p)
	}
	c.pending = append(c.pending, p)
	return c.writeReady(num)
}

// failPage records a page MuPDF could not read; its marker is still written.
func (c *converter) failPage(num int) {
	c.failed++
	c.failedPages = append(c.failedPages, num)
	c.pending = append(c.pending, &page{num: num})
	_ = c.writeReady(num)
}

// writeReady writes the pending pages whose window is complete once page
// read has been read.
func (c *converter) writeReady(read int) error {
	for len(c.pending) > 0 && (c.pending[0].num+runningHalfWindow <= read || read >= c.total) {
		p := c.pending[0]
		c.pending = c.pending[1:]
		c.writePage(p)
		if err := c.out.err; err != nil {
			return err
		}
	}
	return nil
}

// finish writes what is left and flushes the output.
func (c *converter) finish() error {
	if err := c.writeReady(c.total); err != nil {
		return err
	}
	return c.out.flush()
}

// writePage writes the marker and the kept blocks of p.
func (c *converter) writePage(p *page) {
	c.out.marker(p.num)
	var furniture []string
	for _, b := range p.blocks {
		if b.sig != "" && c.isRunning(p.num, b.sig) {
			c.running++
			furniture = append(furniture, b.lines...)
		}
	}
	c.out.furniture(furniture)
	for _, b := range p.blocks {
		if b.sig != "" && c.isRunning(p.num, b.sig) {
			continue
		}
		lines := c.vocab.dehyphenate(b.lines)
		if level, text, ok := c.headings.heading(lines); ok {
			c.out.heading(level, text)
			continue
		}
		c.out.para(lines)
	}
}

// collectCover keeps the first lines of page 1, as threegpp.ParseCover wants them.
func (c *converter) collectCover(p *page) {
	for _, b := range p.blocks {
		for _, l := range b.lines {
			if len(c.cover) >= threegpp.MaxCoverLines {
				return
			}
			c.cover = append(c.cover, l)
		}
	}
}

func (c *converter) failedList() string {
	var s []string
	for i, n := range c.failedPages {
		if i == 10 {
			s = append(s, "...")
			break
		}
		s = append(s, strconv.Itoa(n))
	}
	return "pages " + strings.Join(s, ", ")
}

// page is the text of one page as MuPDF laid it out: blocks of lines.
type page struct {
	num    int
	blocks []block
}

// block is one MuPDF text block: a paragraph, a heading, a table cell run.
type block struct {
	lines []string
	// sig is the furniture signature of a block at the top or bottom of the
	// page (see running.go); "" elsewhere.
	sig string
}

// parsePage splits go-fitz page text (lines ended by "\n", blocks ended by an
// empty line) into blocks of cleaned, non-empty lines.
func parsePage(num int, text string) *page {
	p := &page{num: num}
	var cur []string
	end := func() {
		if len(cur) > 0 {
			p.blocks = append(p.blocks, block{lines: cur})
			cur = nil
		}
	}
	for line := range strings.SplitSeq(text, "\n") {
		if line == "" {
			end()
			continue
		}
		if l := cleanLine(line); l != "" {
			cur = append(cur, l)
		}
	}
	end()
	markEdges(p)
	return p
}

// cleanLine drops control characters, turns other spaces into plain ones,
// collapses runs of them and trims the line.
func cleanLine(s string) string {
	clean := true
	prevSpace := true
	for _, r := range s {
		space := r == ' '
		if (space && prevSpace) || (r != ' ' && (unicode.IsSpace(r) || unicode.IsControl(r))) {
			clean = false
			break
		}
		prevSpace = space
	}
	if clean && !strings.HasSuffix(s, " ") {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s))
	prevSpace = true
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			if !prevSpace {
				sb.WriteByte(' ')
			}
			prevSpace = true
		case unicode.IsControl(r):
		default:
			sb.WriteRune(r)
			prevSpace = false
		}
	}
	return strings.TrimRight(sb.String(), " ")
}
