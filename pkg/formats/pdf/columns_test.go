package pdf

import (
	"fmt"
	"strings"
	"testing"
)

// columnLines returns n lines of prose for a column, each naming the
// column and its number so that their order can be checked.
func columnLines(name string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s line %d says the cell reselects", name, i+1)
	}
	return out
}

// twoColumns places the lines of a left and a right column from y down, 12
// points apart, the right column starting at x 316 (a 30-point gutter
// after a 230-point column).
func twoColumns(y float64, left, right []string) []pdfText {
	var out []pdfText
	for i, l := range left {
		out = append(out, pdfText{x: leftMargin, y: y - 12*float64(i), size: 10, s: l})
	}
	for i, l := range right {
		out = append(out, pdfText{x: 316, y: y - 12*float64(i), size: 10, s: l})
	}
	return out
}

func TestConvert_readsColumnsInOrder(t *testing.T) {
	a, b := columnLines("Alpha", 10), columnLines("Bravo", 7)
	c, d := columnLines("Charlie", 6), columnLines("Delta", 6)
	wide := "This paragraph runs across the whole width of the page, over the gutter between the columns."
	p := pdfPage{texts: []pdfText{{x: leftMargin, y: 800, size: 16, s: "A page set in two columns"}}}
	p.texts = append(p.texts, twoColumns(760, a, b)...)
	p.texts = append(p.texts, pdfText{x: leftMargin, y: 610, size: 10, s: wide})
	p.texts = append(p.texts, twoColumns(580, c, d)...)
	text := convertPages(t, p)
	want := []string{
		"# A page set in two columns",
		strings.Join(a, " "),
		strings.Join(b, " "),
		wide,
		strings.Join(c, " "),
		strings.Join(d, " "),
	}
	got := body(text)
	at := 0
	for _, w := range want {
		i := strings.Index(got[at:], w+"\n")
		if i < 0 {
			t.Fatalf("want, after offset %d, the paragraph %q in:\n%s", at, w, got)
		}
		at += i + len(w)
	}
}

func TestConvert_columnsLeaveTablesAndFigures(t *testing.T) {
	// A table whose columns are as far apart as text columns: its cells are
	// short, so it stays a table of rows.
	table := pdfPage{texts: []pdfText{{x: leftMargin, y: 780, size: 10, s: "Parameters of the cell are as follows."}}}
	for i, r := range [][2]string{{"Parameter", "Description"}, {"qRxLevMin", "Minimum level"}, {"qQualMin", "Minimum quality"}, {"sIntraSearch", "Search threshold"}, {"tReselection", "Reselection timer"}, {"cellBarred", "Barring state"}} {
		y := 760 - 14*float64(i)
		table.texts = append(table.texts, pdfText{x: leftMargin, y: y, size: 10, s: r[0]}, pdfText{x: 316, y: y, size: 10, s: r[1]})
	}
	// A table of two columns of long cells, in padded rows.
	long := pdfPage{}
	for i := range 9 {
		y := 780 - 20*float64(i)
		long.texts = append(long.texts,
			pdfText{x: leftMargin, y: y, size: 10, s: fmt.Sprintf("Average downlink throughput %d per cell", i)},
			pdfText{x: 316, y: y, size: 10, s: fmt.Sprintf("Expected to decrease %d when it is set", i)})
	}
	// A one-column page with a figure in its middle whose labels stand
	// apart on the rows.
	prose := columnLines("Echo", 3)
	figure := pdfPage{}
	for i, l := range prose {
		figure.texts = append(figure.texts, pdfText{x: leftMargin, y: 780 - 12*float64(i), size: 10, s: l + " and then the measurement is reported to the network"})
	}
	for i, l := range []string{"gNB-CU", "gNB-DU", "F1-C", "F1-U", "Xn", "NG"} {
		y := 700 - 20*float64(i/2)
		figure.texts = append(figure.texts, pdfText{x: 200 + 116*float64(i%2), y: y, size: 8, s: l})
	}
	for i, l := range columnLines("Foxtrot", 3) {
		figure.texts = append(figure.texts, pdfText{x: leftMargin, y: 620 - 12*float64(i), size: 10, s: l + " and then the measurement is reported to the network"})
	}
	text := convertPages(t, long, table, figure)
	wantIn(t, text,
		"| Parameter | Description |",
		"| sIntraSearch | Search threshold |",
		"| Average downlink throughput 2 per cell | Expected to decrease 2 when it is set |",
		"Echo line 1 says the cell reselects and then the measurement is reported to the network Echo line 2",
		"Foxtrot line 1 says the cell reselects and then the measurement is reported to the network Foxtrot line 2",
	)
	if i, j := strings.Index(text, "gNB-CU"), strings.Index(text, "F1-C"); i < 0 || j < i || strings.Index(text, "Foxtrot") < j || strings.Index(text, "Echo line 3") > i {
		t.Errorf("the figure's labels moved:\n%s", text)
	}
}
