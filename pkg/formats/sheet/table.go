package sheet

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Header detection looks at the first rows of a sheet only.
const (
	// lookahead is how many non-empty rows are held before the header is
	// chosen; the rest of the sheet streams.
	lookahead = 32
	// maxTitleRows is how far down the header may be found.
	maxTitleRows = 20
	// shortCell is the longest text, in characters, of a typical column name.
	shortCell = 100
)

// row is one row of a sheet, its cells cleaned and trailing empty cells cut.
type row struct {
	num   int      // 1-based row (XLSX) or record (CSV) number
	cells []string // cleaned values
	// cont marks cells that continue a merged range from the cell on their
	// left (XLSX only; nil otherwise): they repeat its value.
	cont []bool
}

func (r *row) continues(i int) bool { return i < len(r.cont) && r.cont[i] }

// nonEmpty counts the cells with a value.
func (r *row) nonEmpty() int {
	n := 0
	for _, c := range r.cells {
		if c != "" {
			n++
		}
	}
	return n
}

// table turns the rows of one sheet into records. It holds the first rows
// until it has chosen the header, then writes every row as it comes.
type table struct {
	md      *mdWriter
	heading string             // written before the first block, if any
	colName func(i int) string // the name of unnamed column i (0-based)

	pending []row
	decided bool
	header  *row     // nil: the table has no header row
	names   []string // column names, from header
	buf     []byte
	scratch row // reused by add once rows stream

	// What the caller reports in Info.Meta.
	headerRow, records, titleRows, columns int
}

func newTable(md *mdWriter, heading string, colName func(int) string) *table {
	return &table{md: md, heading: heading, colName: colName}
}

// add takes one row. cells and cont may be reused by the caller once add
// returns.
func (t *table) add(num int, cells []string, cont []bool) {
	last := -1
	for i := len(cells) - 1; i >= 0; i-- {
		if strings.TrimSpace(cells[i]) != "" {
			last = i
			break
		}
	}
	if last < 0 {
		return
	}
	r := row{num: num}
	if t.decided {
		// Streaming: the row is written at once, its slices reused.
		r.cells, r.cont = t.scratch.cells[:0], t.scratch.cont[:0]
	}
	for _, c := range cells[:last+1] {
		r.cells = append(r.cells, cleanCell(c))
	}
	if len(cont) > 0 {
		r.cont = append(r.cont, cont[:min(len(cont), last+1)]...)
	}
	if t.decided {
		t.write(&r)
		t.scratch = r
		return
	}
	t.pending = append(t.pending, r)
	if len(t.pending) >= lookahead {
		t.decide()
	}
}

// close writes what is still held.
func (t *table) close() {
	if !t.decided {
		t.decide()
	}
}

// decide chooses the header among the held rows and writes them: rows above
// the header as paragraphs, rows below it as records.
func (t *table) decide() {
	t.decided = true
	h := findHeader(t.pending)
	for i := range t.pending {
		switch {
		case i < h:
			t.title(&t.pending[i])
		case i == h:
			t.setHeader(&t.pending[i])
		default:
			t.write(&t.pending[i])
		}
	}
	t.pending = nil
}

func (t *table) begin() {
	if t.heading != "" {
		t.md.heading(t.heading)
		t.heading = ""
	}
}

// title writes a row above the header as a paragraph.
func (t *table) title(r *row) {
	t.begin()
	b := t.buf[:0]
	for i, c := range r.cells {
		if c == "" || r.continues(i) {
			continue
		}
		if len(b) > 0 {
			b = append(b, " | "...)
		}
		b = appendEscaped(b, c)
	}
	t.md.block(escapeStart(b))
	t.buf = b
	t.titleRows++
}

// setHeader makes r's cells the column names. An empty one takes the name on
// its left, as a label reads over the blank cells beside it (a tree of IEs
// indented across columns under one "IE"), or colName when there is none; a
// merged one repeats its name. Repeated names are numbered ("IE (2)") so that
// every column has its own. Columns right of the last name are "Column N".
func (t *table) setHeader(r *row) {
	t.header = r
	t.headerRow = r.num
	t.names = make([]string, len(r.cells))
	seen := make(map[string]int, len(r.cells))
	left := ""
	for i, c := range r.cells {
		name := c
		switch {
		case name != "":
			left = name
		case left != "":
			name = left
		default:
			name = t.colName(i)
		}
		if k := seen[name]; k > 0 {
			seen[name] = k + 1
			name += " (" + strconv.Itoa(k+1) + ")"
		} else {
			seen[name] = 1
		}
		t.names[i] = name
	}
	t.columns = len(t.names)
}

// write writes a row below the header as a record: "Name: value | ...",
// leaving out empty cells and the continuations of merged cells. Without a
// header the values alone are written. A row that repeats the header (exports
// that concatenate tables) is dropped.
func (t *table) write(r *row) {
	if t.header != nil && sameCells(r, t.header) {
		return
	}
	t.begin()
	b := t.buf[:0]
	for i, c := range r.cells {
		if c == "" || r.continues(i) {
			continue
		}
		if len(b) > 0 {
			b = append(b, " | "...)
		}
		if t.header != nil {
			if i < len(t.names) {
				b = appendEscaped(b, t.names[i])
			} else {
				b = appendEscaped(b, t.colName(i))
			}
			b = append(b, ": "...)
		}
		b = appendEscaped(b, c)
	}
	t.buf = b
	if len(b) > 0 {
		t.md.block(escapeStart(b))
		t.records++
	}
}

func sameCells(a, b *row) bool {
	if len(a.cells) != len(b.cells) {
		return false
	}
	for i := range a.cells {
		if a.cells[i] != b.cells[i] {
			return false
		}
	}
	return true
}

// escapeStart keeps a line from reading as a heading or a code fence.
func escapeStart(b []byte) []byte {
	if len(b) > 0 && (b[0] == '#' || b[0] == '`' || b[0] == '>') {
		b = append(b, 0)
		copy(b[1:], b)
		b[0] = '\\'
	}
	return b
}

// findHeader returns the index of the header among the first rows of a sheet,
// or -1 when none looks like one. The header is the first row (within
// maxTitleRows) whose non-empty cells are mostly distinct (one name in five
// may repeat), short, non-numeric strings, that spans most of the width of the rows under it, and whose values
// do not recur in the same columns below (as the values of a first data row
// would).
func findHeader(rows []row) int {
	for i := 0; i < len(rows)-1 && i <= maxTitleRows; i++ {
		if headerLike(&rows[i], rows[i+1:min(len(rows), i+21)]) {
			return i
		}
	}
	return -1
}

func headerLike(cand *row, below []row) bool {
	ne := cand.nonEmpty()
	if ne < 2 || len(below) == 0 {
		return false
	}
	distinct := make(map[string]bool, ne)
	short, numeric := 0, 0
	for i, c := range cand.cells {
		if c == "" {
			continue
		}
		if !cand.continues(i) {
			distinct[c] = true
		}
		if utf8.RuneCountInString(c) <= shortCell {
			short++
		}
		if isNumber(c) {
			numeric++
		}
	}
	if ne-len(distinct) > max(1, ne/5) || short*10 < ne*8 || numeric*2 > ne {
		return false
	}
	// A title row ("Report", "2024-01-31") is narrower than the table, or has
	// fewer names than a header of a wide table would.
	w := modeWidth(below)
	if len(cand.cells)*10 < w*7 || ne < min(3, w) {
		return false
	}
	// Values of a data row recur in their columns further down; names do not,
	// unless the whole header row is repeated.
	recur := 0
	for i, c := range cand.cells {
		if c == "" || cand.continues(i) {
			continue
		}
		for j := range below[:min(len(below), 10)] {
			if sameCells(cand, &below[j]) {
				continue
			}
			if i < len(below[j].cells) && below[j].cells[i] == c && !below[j].continues(i) {
				recur++
				break
			}
		}
	}
	return recur*10 < ne*3
}

// modeWidth is the most common width (cells up to the last non-empty one) of
// rows, the larger one on a tie.
func modeWidth(rows []row) int {
	count := make(map[int]int, len(rows))
	best, bestN := 0, 0
	for i := range rows {
		w := len(rows[i].cells)
		count[w]++
		if n := count[w]; n > bestN || n == bestN && w > best {
			best, bestN = w, n
		}
	}
	return best
}

// isNumber reports a cell that holds a number: "12", "-3.5", "1,234", "45%".
func isNumber(s string) bool {
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	s = strings.ReplaceAll(s, ",", "")
	if s == "" {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
