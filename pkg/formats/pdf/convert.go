package pdf

import (
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ranstream/ranstream/pkg/formats/pdf/internal/mupdf"
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
	edges []map[string]bool
	vocab vocabulary
	// typeset counts the hyphens dehyphenate dropped: words a typesetter
	// hyphenated at line ends (see typesetHyphens).
	typeset int
	// typesetter is set when the document's producer is known to hyphenate
	// (see hyphenatingProducer): its tables are read as typeset from the
	// first, before its paragraphs show it.
	typesetter bool
	// held are the pages the open element goes on over (see writePage).
	held     []heldPage
	headings clauseTracker
	quality  qualityCounter
	// cover holds the first lines of page 1 for threegpp.ParseCover.
	cover       []string
	failed      int
	failedPages []int
	// running counts the furniture rows moved out of the text flow.
	running int
	// tables counts the tables written; ruled, the tables read from their
	// rules.
	tables, ruled int
	// notes are the footnotes of the page last written, held to follow its
	// open element (see footnotes.go); footnotes counts those written.
	notes     []string
	footnotes int
	// wraps is set once a page read keeps the space at a line wrapped
	// between words (see cellwrap.go).
	wraps bool
	// sizes counts the characters set in each font size (to half a point).
	sizes map[float64]int
	// open is the last element of the last page written, held back in case
	// the next page continues it.
	open *element
}

func newConverter(w io.Writer, maxOutput int64, pages int) *converter {
	return &converter{
		out:   newOutput(w, maxOutput),
		total: pages,
		edges: make([]map[string]bool, pages),
		vocab: vocabulary{},
		sizes: map[float64]int{},
	}
}

// addPage takes the MuPDF text of page num and writes the pages that are ready.
func (c *converter) addPage(num int, pg *mupdf.Page) error {
	return c.addParsed(parsePage(num, pg, c.vocab))
}

// addParsed takes page p (its text layer, or what OCR read) and writes the
// pages that are ready.
func (c *converter) addParsed(p *page) error {
	num := p.num
	c.ruled += len(p.tables)
	c.wraps = c.wraps || p.wraps
	c.quality.beginPage()
	// The frags of a row mostly share a size: sizes is counted once a run.
	size, chars := math.NaN(), 0
	for _, r := range p.rows {
		for _, f := range r.frags {
			c.quality.addText(f.text)
			if s := math.Round(f.size*2) / 2; s != size {
				if chars > 0 {
					c.sizes[size] += chars
				}
				size, chars = s, 0
			}
			chars += len(f.text)
		}
	}
	if chars > 0 {
		c.sizes[size] += chars
	}
	c.quality.endPage()
	if !p.inVocab {
		c.vocab.add(p)
	}
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
	c.edges[num-1] = nil
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
	c.writeOpen()
	return c.out.flush()
}

// writePage writes the marker, the running headers and footers and the
// elements of p. The last element of a page stays open: a table that goes
// on at the top of the next page (same columns) takes that page's rows, a
// paragraph cut by the page break takes its lines; so a continued element
// is written before the next page's marker.
func (c *converter) writePage(p *page) {
	var furniture []string
	body := make([]row, 0, len(p.rows))
	running := make([]bool, len(p.rows))
	for i, r := range p.rows {
		running[i] = p.sig[i] != "" && !r.inTable() && c.isRunning(p.num, p.sig[i])
	}
	edgeBlocks(running, p.sig)
	for i, r := range p.rows {
		if running[i] {
			c.running++
			furniture = append(furniture, r.text())
			continue
		}
		body = append(body, r)
	}
	body, notes := splitFootnotes(withTables(body, p.tables), c.bodySize())
	elems := layout(readingOrder(body), c.bodySize(), c.wrapping())
	if n := len(elems); n >= 2 && elems[n-2].table != nil && elems[n-2].table.region == nil && elems[n-1].table != nil {
		// The page ends with a ruled table and a part outside its frame:
		// the row the page break cut, with no rule below it, one row
		// whatever its lines.
		if rest := goesOn(elems[n-2].table, elems[n-1].table, c.wrapping()); rest != nil {
			elems[n-2].table.rows = append(elems[n-2].table.rows, oneRow(rest.rows))
			elems[n-2].table.lasts = rest.lasts
			elems = elems[:n-1]
		}
	}
	if c.open != nil && len(elems) >= 2 && c.cellGoesOn(elems[0], elems[1]) {
		elems = elems[1:]
	}
	continued := false
	if c.open != nil && len(elems) > 0 && c.continues(elems[0]) {
		elems, continued = elems[1:], true
	}
	if len(elems) > 0 || len(notes) > 0 || p.num == c.total {
		c.writeOpen()
	}
	if c.open != nil && continued {
		// The open element goes on over the whole page: the page's marker
		// follows it (see writeOpen), so that the element stands under the
		// marker of the page it starts on.
		c.held = append(c.held, heldPage{num: p.num, furniture: furniture})
	} else {
		c.out.marker(p.num)
		c.out.furniture(furniture)
	}
	for i, e := range elems {
		if i == len(elems)-1 {
			c.open = &elems[i]
			break
		}
		c.writeElement(e)
	}
	c.notes = append(c.notes, notes...)
	if c.open == nil {
		c.writeNotes()
	}
}

// wrapping is what the document so far tells about its wraps (see
// wrapping).
func (c *converter) wrapping() wrapping { return wrapping{keeps: c.wraps, words: c.vocab} }

// continues merges e into the open element of the page before when e goes
// on with it, and reports whether it did.
func (c *converter) continues(e element) bool {
	o := c.open
	switch {
	case o.table != nil && e.table != nil:
		if !sameColumns(o.table, e.table) && !c.readAlike(o, &e) && !c.goesOn(o, &e) {
			return false
		}
		rows, first := e.table.rows, 0
		if !e.table.rest && squeezed(rows[0]) == squeezed(o.table.rows[0]) {
			// the header repeated on the new page (its cells may read
			// with other spaces: "Feature Identity", "FeatureIdentity")
			rows, first = rows[1:], 1
		}
		broken := o.table.brokenAcross(e.table, first, c.wrapping())
		if len(rows) > 0 && (o.table.cut || e.table.rest || splitRow(o.table.rows, rows, broken)) {
			last := o.table.rows[len(o.table.rows)-1]
			for k, s := range rows[0] {
				if broken != nil && broken[k] {
					last[k] += s // a word broken at the cell edge
				} else {
					last[k] = joinCell(last[k], s)
				}
			}
			rows = rows[1:]
		}
		o.table.lasts, o.table.cut = e.table.lasts, e.table.cut
		o.table.rows = append(o.table.rows, rows...)
		o.table.continued = true
		return true
	case o.table == nil && e.table == nil && !e.list && math.Abs(o.size-e.size) < 0.6 && o.bold == e.bold:
		last := o.lines[len(o.lines)-1]
		first := e.lines[0]
		if strings.HasSuffix(last, ".") || strings.HasSuffix(last, ":") || first == "" || !unicode.IsLower([]rune(first)[0]) {
			return false
		}
		o.lines = append(o.lines, e.lines...)
		return true
	}
	return false
}

// cellGoesOn takes e, a paragraph that opens a page above next, a table,
// as the rest of a cell of the open table's last row, cut by the page
// break, and reports whether it did: e stands in a column of the open table
// other than the first (each of its lines from the column's left edge, the
// last ending before the next column), next goes on in the open table's
// columns, and the cell ends mid-sentence. Only that cell's text went over
// ("... see" / "3GPP TS 36.133."), and the table's header, repeated at the
// top of every page, was taken away as a running header. e must end the
// cell's text: its last line ends a sentence.
func (c *converter) cellGoesOn(e, next element) bool {
	o := c.open
	if o.table == nil || e.table != nil || e.list || next.table == nil || !sameColumns(o.table, next.table) {
		return false
	}
	t := o.table
	tol := alignTol * t.size
	k := t.column(e.x)
	if k == 0 || math.Abs(e.x-t.cols[k]) > tol || math.Abs(e.lastX-t.cols[k]) > tol ||
		k+1 < len(t.cols) && e.lastX1 > t.cols[k+1] || math.Abs(e.size-t.size) > 0.5 {
		return false
	}
	last := t.rows[len(t.rows)-1]
	if k >= len(last) || !cutSentence(last[k]) {
		return false
	}
	// e is the end of the cell's text, in one piece: a line set apart
	// (ended short, lineBreak) or a sentence left open would be the start
	// of the next row's cell, set higher than its first cell.
	for _, l := range e.lines[1:] {
		if strings.HasPrefix(l, lineBreak) {
			return false
		}
	}
	end := e.lines[len(e.lines)-1]
	if end == "" || !strings.ContainsAny(end[len(end)-1:], ".!?)") {
		return false
	}
	for _, l := range e.lines {
		last[k] = joinCell(last[k], l)
	}
	return true
}

// readAlike reads the parts of a table on two pages, o's and e's, which
// found other columns each read alone, again in the same columns, and
// reports whether it could. A part may miss a column: a row cut by the page
// break leaves it blank, or the part holds a header and one row whose
// cells MuPDF read as one line. With the header repeated, the part read
// from fewer lines is read again in the columns of the other; the part
// before only while it is a part of one page, read from its own lines.
func (c *converter) readAlike(o, e *element) bool {
	if e.table.region == nil || squeezed(e.table.rows[0]) != squeezed(o.table.rows[0]) {
		return false
	}
	from, to := o.table, e.table // read to again in from's columns
	if o.table.region != nil && !o.table.continued && len(e.table.region) > len(o.table.region) {
		from, to = e.table, o.table
	}
	again := &table{cols: from.cols, size: to.size, title: to.title, region: to.region}
	again.fill(to.region, c.wrapping())
	if !slices.Equal(again.rows[0], from.rows[0]) {
		return false
	}
	if to == o.table {
		o.table = again
	} else {
		e.table = again
	}
	return true
}

// goesOn reads e's table, which opens a page without repeating the header
// of o's, the table the page before ended with, again in o's columns, and
// reports whether it could (see goesOn).
func (c *converter) goesOn(o, e *element) bool {
	t := goesOn(o.table, e.table, c.wrapping())
	if t != nil {
		e.table = t
	}
	return t != nil
}

// goesOn returns next, an unruled table that follows t with no header of
// its own, read again in t's columns: the rest of t. Every line of next
// must start at one of t's columns: aligned with an unruled table's column
// starts, or within a ruled one's cell padding of its left rules. Such a
// part, a row or two, finds too few columns read alone (a blank one, or
// no line of two cells): on a new page, where the page break cut a row; or
// under a ruled table, where the row the page break cut has no rule below
// it and stays outside the table's frame. nil when next is no such part.
func goesOn(t, next *table, wraps wrapping) *table {
	if next.region == nil || math.Abs(next.size-t.size) > 0.5 {
		return nil
	}
	tol := alignTol * t.size
	starts := func(x float64) bool {
		for _, col := range t.cols {
			if d := x - col; math.Abs(d) <= tol || t.region == nil && d >= 0 && d <= cellPad*t.size {
				return true
			}
		}
		return false
	}
	for _, r := range next.region {
		for _, f := range r.frags {
			if !starts(f.x) {
				return nil
			}
		}
	}
	again := &table{cols: t.cols, size: next.size, region: next.region}
	again.fill(next.region, wraps)
	return again
}

// oneRow joins rows into one, cell by cell, as wrapped lines.
func oneRow(rows [][]string) []string {
	row := slices.Clone(rows[0])
	for _, r := range rows[1:] {
		for k, s := range r {
			switch {
			case row[k] == "":
				row[k] = s
			case s != "":
				row[k] = joinWrapped(row[k], s)
			}
		}
	}
	return row
}

// cellPad is the widest cell padding, in ems, between a ruled table's left
// rule and its cell's text.
const cellPad = 1.5

// sameColumns reports whether tables a and b have the same column starts.
func sameColumns(a, b *table) bool {
	if len(a.cols) != len(b.cols) {
		return false
	}
	for k, x := range a.cols {
		if math.Abs(x-b.cols[k]) > alignTol*a.size {
			return false
		}
	}
	return true
}

// squeezed is the text of a row's cells without any white space: the same
// for a header read in other columns.
func squeezed(cells []string) string {
	return strings.Join(strings.Fields(strings.Join(cells, "")), "")
}

// splitRow reports whether next[0], the first row of a table's part on a
// new page, is the rest of the row the page before ended with, cut by the
// page break (word processors split a row taller than what is left of the
// page): the cells whose text fitted on the first page are empty in it,
// though their column is filled in every other row of the table, and a cell
// of running text goes on mid-sentence, in lower case. A row that merely
// leaves a cell blank, or a row span going on, stays a row; one whose
// blank cells follow a sentence cut short and whose text goes on in lower
// case, or after a word no sentence ends with (endsOnCutWord), cannot be
// told from a split row by its text, and is joined. A cell
// that closes a bracket the cell before left open goes on as a sentence
// does ("... (FAJ" / "121 5124)"). Where every cell has text on both
// pages, an identifier cut at an underscore ("INTERNAL_PER" /
// "_PARTITION_REPORT"), or a word broken at the cell edge (broken, per
// column; nil when unknown), stands for the blank cells. Both together,
// an identifier cut and a blank cell in a column filled in every other
// row, stand for the running text: the row's text ended on the first
// page, its identifiers did not ("INTERNAL_PROC_HO_EXEC_S1_O" / "UT",
// the description blank). And a first row whose every cell with text goes
// on an identifier or a sentence, an identifier among them, is the rest of
// the row whatever its blank cells ("..._DISCOVERY_UPDA" / "TE", alone).
func splitRow(prev, next [][]string, broken []bool) bool {
	last, first := prev[len(prev)-1], next[0]
	if len(last) != len(first) {
		return false
	}
	// empty counts the cells blank in first whose column is filled in
	// every other row; alone counts the cells with text in first that go
	// on neither a sentence nor an identifier.
	empty, alone, filled, sentence, identifier := 0, 0, true, false, false
	for k, s := range first {
		if s == "" {
			if last[k] == "" {
				continue // blank on both sides: says nothing
			}
			if !filledColumn(prev[1:len(prev)-1], k) || !filledColumn(next[1:], k) {
				filled = false
				continue
			}
			empty++
			continue
		}
		goesOn := false
		if r := []rune(s)[0]; unicode.IsLower(r) && cutSentence(last[k]) || closesBracket(last[k], s) || endsOnCutWord(last[k]) {
			sentence, goesOn = true, true
		}
		if underscoreWrap(last[k], s) || broken != nil && broken[k] {
			identifier, goesOn = true, true
		}
		if !goesOn {
			alone++
		}
	}
	if identifier && alone == 0 {
		return true // every cell with text goes on, an identifier among them
	}
	return filled && (sentence && (empty > 0 || identifier) || identifier && empty > 0)
}

// cutWords are words a sentence does not end with.
var cutWords = []string{"a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "with", "from", "into",
	"and", "or", "if", "every", "each", "is", "are", "be", "that", "which", "when"}

// endsOnCutWord reports whether the text of a cell ends with one of
// cutWords, so goes on whatever the next part starts with: "If every" /
// "SCell is in sleep mode", where a sentence going on in lower case
// (cutSentence) does not tell.
func endsOnCutWord(s string) bool {
	i := strings.LastIndexByte(s, ' ')
	return i >= 0 && slices.Contains(cutWords, strings.ToLower(s[i+1:]))
}

// closesBracket reports whether b goes on with a bracket a opened and did
// not close: "Maximum Cell range beyond 100 km (FAJ" / "121 5124)".
func closesBracket(a, b string) bool {
	if strings.Count(a, "(") <= strings.Count(a, ")") {
		return false
	}
	i := strings.IndexByte(b, ')')
	return i >= 0 && !strings.Contains(b[:i], "(")
}

// filledColumn reports whether column k has text in every row.
func filledColumn(rows [][]string, k int) bool {
	for _, r := range rows {
		if k >= len(r) || r[k] == "" {
			return false
		}
	}
	return true
}

// cutSentence reports whether a cell's text is running text cut before its
// end: three words or more, with no closing punctuation.
func cutSentence(s string) bool {
	return len(strings.Fields(s)) >= 3 && !strings.ContainsAny(s[len(s)-1:], ".!?:;)")
}

// joinCell joins the two parts of a cell cut by a page break.
func joinCell(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	case strings.HasSuffix(a, "-"), underscoreWrap(a, b):
		return a + b
	}
	return a + " " + b
}

// writeOpen writes the open element, if any.
func (c *converter) writeOpen() {
	if c.open != nil {
		c.writeElement(*c.open)
		c.open = nil
	}
	c.writeNotes()
	for _, h := range c.held {
		c.out.marker(h.num)
		c.out.furniture(h.furniture)
	}
	c.held = c.held[:0]
}

// heldPage is the marker and running lines of a page that an open element
// goes on over, written after the element.
type heldPage struct {
	num       int
	furniture []string
}

// typesetHyphens is the least number of hyphens dehyphenate drops from a
// document's paragraphs (words a typesetter hyphenated at line ends) for
// its tables' cells to be read as hyphenated too: a browser or a word
// processor as most set it breaks a line at a hyphen only in a compound.
const typesetHyphens = 3

// texProducer matches the Producer or Creator of a PDF made by a TeX engine
// (pdfTeX, LuaTeX, XeTeX's xdvipdfmx, "LaTeX with hyperref"), which
// hyphenates justified text as a rule; "iText" and "Textract" are no TeX.
var texProducer = regexp.MustCompile(`(?i)tex(?:[^t]|$)|dvipdfm`)

// hyphenatingProducer reports whether a PDF's producer or creator is one
// that hyphenates words at line ends (a TeX engine).
func hyphenatingProducer(producer, creator string) bool {
	return texProducer.MatchString(producer) || texProducer.MatchString(creator)
}

// dehyphenate joins the words broken at the ends of lines (see
// vocabulary.dehyphenate), counting the hyphens dropped in typeset.
func (c *converter) dehyphenate(lines []string) []string {
	out, dropped := c.vocab.dehyphenate(lines)
	c.typeset += dropped
	return out
}

// writeElement writes a table, a heading or a paragraph.
func (c *converter) writeElement(e element) {
	if e.table != nil {
		c.tables++
		c.out.block(e.table.markdown(c.vocab, c.typesetter || c.typeset >= typesetHyphens))
		return
	}
	lines := c.dehyphenate(e.lines)
	if level, text, ok := c.heading(e, lines); ok {
		c.out.heading(level, text)
		return
	}
	c.out.para(joinLines(lines, e.list))
}

// heading decides whether a paragraph is a heading: a numbered clause that
// follows the document's numbering (level from the number), or a short
// paragraph set larger or bolder than the body text (level from the size).
func (c *converter) heading(e element, lines []string) (int, string, bool) {
	if len(lines) > 3 || e.list {
		return 0, "", false
	}
	text := strings.ReplaceAll(strings.Join(lines, " "), " "+lineBreak, " ")
	if leaders(text) {
		return 0, "", false // a table of contents entry: "Annex A ......... 28"
	}
	body := c.bodySize()
	emph := e.size >= 1.12*body || (e.bold && e.size >= 0.95*body)
	if len(lines) <= 2 || emph {
		if level, t, ok := c.headings.heading([]string{text}); ok {
			return level, t, true
		}
	}
	if !emph || len(text) > 150 || !plausibleTitle(text) || strings.HasSuffix(text, ":") {
		return 0, "", false
	}
	c.headings.count++
	r := e.size / body
	switch {
	case r >= 1.7:
		return 1, text, true
	case r >= 1.35:
		return 2, text, true
	case r >= 1.12:
		return 3, text, true
	}
	return 4, text, true
}

// bodySize is the font size of most of the text read so far.
func (c *converter) bodySize() float64 {
	best, size := 0, 10.0
	for s, n := range c.sizes {
		if n > best || (n == best && s < size) {
			best, size = n, s
		}
	}
	return size
}

// joinLines joins the lines of a paragraph into one, with a line break
// where a line starts with lineBreak, escaped where the line after it would
// read as markdown structure; a list item's bullet becomes "-".
func joinLines(lines []string, list bool) string {
	s := strings.Join(lines, " ")
	if strings.Contains(s, lineBreak) {
		var b strings.Builder
		for i, l := range strings.Split(strings.ReplaceAll(s, " "+lineBreak, lineBreak), lineBreak) {
			if i > 0 {
				b.WriteString("\n")
				if startsStructure(l) {
					b.WriteByte('\\')
				}
			}
			b.WriteString(l)
		}
		s = b.String()
	}
	if list {
		if r, size := utf8.DecodeRuneInString(s); r != '-' && isBullet(string(r)) {
			s = "-" + s[size:]
		}
	}
	return s
}

// collectCover keeps the first lines of page 1, as threegpp.ParseCover wants them.
func (c *converter) collectCover(p *page) {
	for _, r := range p.rows {
		for _, f := range r.frags {
			if len(c.cover) >= threegpp.MaxCoverLines {
				return
			}
			c.cover = append(c.cover, f.text)
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

// page is the text of one page as MuPDF laid it out: rows of frags, top to
// bottom.
type page struct {
	num  int
	rows []row
	// sig holds the furniture signature of each row at the top or bottom of
	// the page (see running.go); "" elsewhere.
	sig []string
	// tables are the page's ruled tables (see rules.go); the frags of
	// table k in rows have tab k+1.
	tables []*table
	// wraps is set when a line of the page kept the space where it
	// wrapped (see cellwrap.go).
	wraps bool
	// inVocab is set once the page's words are in the document's
	// vocabulary (see parsePage).
	inVocab bool
}

// parsePage reads the MuPDF text of a page into rows, and its ruled tables.
// The page's words join the document's, vocab, first: its tables' cells
// are read with them (see wrapping).
func parsePage(num int, pg *mupdf.Page, vocab vocabulary) *page {
	frags := fragsOf(pg.Lines)
	vocab.addFrags(frags)
	hs, vs := segments(pg.Rules)
	tables := ruledTables(frags, hs, vs, vocab)
	p := newPage(num, frags)
	p.tables = tables
	p.inVocab = true
	markRuled(p.rows, hs)
	return p
}

// newPage builds page num from its frags (with no ruled tables, as OCR
// reads them), which become its rows': frags is the page's from then on.
func newPage(num int, frags []frag) *page {
	wraps := marksWraps(frags)
	p := &page{num: num, rows: rows(frags), wraps: wraps}
	markEdges(p)
	return p
}

// chars counts the characters of the page's text.
func (p *page) chars() int {
	n := 0
	for _, r := range p.rows {
		for _, f := range r.frags {
			n += len(f.text)
		}
	}
	return n
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
