package pdf

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/formats"
)

// ruledGrid draws a ruled table on a page: column bounds xs, row bounds ys
// (top down, PDF points from the bottom), cells[r][c] the text of a cell
// ("" for none; "<" continues the cell to the left, "^" the cell above),
// bold rows bold. Horizontal rules are thin filled rectangles, vertical
// ones stroked lines, as word processors draw them; no rule is drawn inside
// a spanning cell.
func ruledGrid(p *pdfPage, xs, ys []float64, cells [][]string, bold map[int]bool) {
	var d strings.Builder
	d.WriteString("0 g 0 G 0.5 w\n")
	for r := 0; r <= len(cells); r++ {
		for c := range len(xs) - 1 {
			if r > 0 && r < len(cells) && cells[r][c] == "^" {
				continue // the cell above goes on
			}
			fmt.Fprintf(&d, "%g %g %g 0.5 re f\n", xs[c], ys[r]-0.25, xs[c+1]-xs[c])
		}
	}
	for r := range cells {
		for c := 0; c < len(xs); c++ {
			if c > 0 && c < len(xs)-1 && cells[r][c] == "<" {
				continue // the cell to the left goes on
			}
			fmt.Fprintf(&d, "%g %g m %g %g l S\n", xs[c], ys[r], xs[c], ys[r+1])
		}
	}
	p.draw += d.String()
	for r, row := range cells {
		for c, s := range row {
			if s == "" || s == "<" || s == "^" {
				continue
			}
			p.texts = append(p.texts, pdfText{x: xs[c] + 4, y: ys[r] - 13, size: 9, s: s, bold: bold[r]})
		}
	}
}

// rowBounds is the bounds of n rows 20 points high, the first at top.
func rowBounds(n int, top float64) []float64 {
	out := make([]float64, n+1)
	for i := range out {
		out[i] = top - 20*float64(i)
	}
	return out
}

// ruledDoc is a ruled table with a two-level header ("Range" over "Min"
// and "Max"), a cell spanning two rows, a note spanning the whole row and a
// cell whose text wraps, going on, header repeated, on the next page; and
// a second table under a title row.
func ruledDoc() pdfDoc {
	xs := []float64{56, 176, 296, 416}
	header := [][]string{
		{"Name", "Range", "<"},
		{"^", "Min", "Max"},
	}
	var p1, p2 pdfPage
	p1.texts = append(p1.texts, pdfText{x: leftMargin, y: 780, size: 10, s: "The ranges of the sample parameters follow."})
	ruledGrid(&p1, xs, rowBounds(5, 760), append(header,
		[]string{"alpha", "0", "10"},
		[]string{"^", "5", "15"},
		[]string{"Both ranges are inclusive.", "<", "<"},
	), map[int]bool{0: true, 1: true})
	ruledGrid(&p2, xs, rowBounds(3, 800), append(header,
		[]string{"beta", "1", "2"},
	), map[int]bool{0: true, 1: true})
	p2.texts = append(p2.texts, pdfText{x: leftMargin, y: 720, size: 10, s: "Between the tables, a paragraph."})
	ruledGrid(&p2, xs, rowBounds(3, 700), [][]string{
		{"Change history", "<", "<"},
		{"Date", "Version", "Comment"},
		{"2026-01", "1.0.0", "First version"},
	}, map[int]bool{1: true})
	return pdfDoc{pages: []pdfPage{p1, p2}}
}

func TestConvert_ruledTables(t *testing.T) {
	text, info, err := convert(context.Background(), ruledDoc().build(), formats.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := `The ranges of the sample parameters follow.

| Name | Range Min | Range Max |
| --- | --- | --- |
| alpha | 0 | 10 |
| alpha | 5 | 15 |
| Both ranges are inclusive. |  |  |
| beta | 1 | 2 |

<!-- page 2 -->

Between the tables, a paragraph.

Change history

| Date | Version | Comment |
| --- | --- | --- |
| 2026-01 | 1.0.0 | First version |
`
	if !strings.Contains(text, want) {
		t.Errorf("text:\n%s\nwant it to contain:\n%s", text, want)
	}
	if info.Meta["ruled_tables"] != "3" || info.Meta["tables"] != "2" {
		t.Errorf("ruled_tables = %s, tables = %s; want 3 ruled tables read, written as 2 (the first goes on over the page break)", info.Meta["ruled_tables"], info.Meta["tables"])
	}
}

// TestConvert_ruledTablesNeedAFrame: rules that do not close a grid (an
// underline, a rule under a heading, a box around one paragraph) make no
// table.
func TestConvert_ruledTablesNeedAFrame(t *testing.T) {
	var p pdfPage
	p.texts = append(p.texts,
		pdfText{x: leftMargin, y: 780, size: 10, s: "Underlined words"},
		pdfText{x: leftMargin, y: 740, size: 10, s: "Boxed note one"},
		pdfText{x: 300, y: 740, size: 10, s: "and more"},
	)
	p.draw = "0.5 w 56 778 m 140 778 l S\n50 730 400 25 re S\n"
	text, info, err := convert(context.Background(), pdfDoc{pages: []pdfPage{p}}.build(), formats.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if info.Meta["ruled_tables"] != "0" || strings.Contains(text, "|") {
		t.Errorf("ruled_tables = %s; text:\n%s", info.Meta["ruled_tables"], text)
	}
}

// A page break cuts the last row of a ruled table (as Chromium prints it):
// the part of the row on the first page has no rule below it and stands
// outside the table's frame, two lines of cells under it; the next page
// repeats the header and goes on with the rest of the row, its
// Relationship cell blank. The row reads whole, once.
func TestConvert_ruledTableRowCutOutsideItsFrame(t *testing.T) {
	xs := []float64{56, 176, 296, 540}
	header := []string{"Feature", "Relationship", "Description"}
	var p1, p2 pdfPage
	p1.texts = append(p1.texts, pdfText{x: leftMargin, y: 240, size: 10, s: "The feature depends on the following features."})
	ruledGrid(&p1, xs, rowBounds(2, 220), [][]string{header,
		{"Aggregation (FAJ 121 4469)", "Related", "Traffic of carrier aggregation is not partitioned."},
	}, map[int]bool{0: true})
	cut := 180.0 - 13
	p1.texts = append(p1.texts,
		pdfText{x: xs[0] + 4, y: cut, size: 9, s: "Inter-Frequency"},
		pdfText{x: xs[1] + 4, y: cut, size: 9, s: "Related"},
		pdfText{x: xs[2] + 4, y: cut, size: 9, s: "The feature is not partition-aware: traffic is"},
		pdfText{x: xs[0] + 4, y: cut - 10.3, size: 9, s: "Offload (FAJ 121"},
		pdfText{x: xs[2] + 4, y: cut - 10.3, size: 9, s: "offloaded without the load of the partitions. UEs from an"})
	ruledGrid(&p2, xs, rowBounds(3, 800), [][]string{header,
		{"3061)", "", "overused partition might not be selected."},
		{"Barring (FAJ 121 3093)", "Related", "Barring is calculated per cell."},
	}, map[int]bool{0: true})
	text := convertPages(t, p1, p2)
	want := `| Feature | Relationship | Description |
| --- | --- | --- |
| Aggregation (FAJ 121 4469) | Related | Traffic of carrier aggregation is not partitioned. |
| Inter-Frequency Offload (FAJ 121 3061) | Related | The feature is not partition-aware: traffic is offloaded without the load of the partitions. UEs from an overused partition might not be selected. |
| Barring (FAJ 121 3093) | Related | Barring is calculated per cell. |
`
	if !strings.Contains(text, want) {
		t.Errorf("text:\n%s\nwant it to contain:\n%s", text, want)
	}
}

// TestConvert_ruledTableRowCutByThePageBreak: a browser draws the row that
// the page break cuts open on the cut side (no rule under it; its column
// rules run on to the foot of the page), and the next page repeats the
// header over the rest of it. The cut row is a row of the table, and the
// rest goes on with it.
func TestConvert_ruledTableRowCutByThePageBreak(t *testing.T) {
	xs := []float64{56, 176, 296, 536}
	header := []string{"Feature", "Relationship", "Description"}
	var p1, p2 pdfPage
	p1.texts = append(p1.texts, pdfText{x: leftMargin, y: 780, size: 10, s: "The sample feature depends on the following features."})
	ys := rowBounds(2, 760)
	ruledGrid(&p1, xs, ys, [][]string{header, {"Alpha Scheduler", "Prerequisite", "Alpha must be active first."}}, map[int]bool{0: true})
	// The cut row: its column rules down to the page's foot, no rule below.
	const foot = 60.0
	for _, x := range xs {
		p1.draw += fmt.Sprintf("%g %g m %g %g l S\n", x, ys[2], x, foot)
	}
	for k, s := range []string{"Gamma Load", "Conflicting", "The Gamma Load feature cannot be"} {
		p1.texts = append(p1.texts, pdfText{x: xs[k] + 4, y: ys[2] - 13, size: 9, s: s})
	}
	for k, s := range []string{"active at the same time as the", "sample feature, nor while it", "hands over; deactivate one"} {
		p1.texts = append(p1.texts, pdfText{x: xs[2] + 4, y: ys[2] - 13 - 11*float64(k+1), size: 9, s: s})
	}
	p1.texts = append(p1.texts, pdfText{x: xs[2] + 4, y: foot + 4, size: 9, s: "of them"})
	ruledGrid(&p2, xs, rowBounds(3, 800), [][]string{header, {"", "", "before the other is activated."}, {"Delta Load", "Related", "Both can be active."}}, map[int]bool{0: true})
	text := convertPages(t, p1, p2)
	wantIn(t, text, `| Feature | Relationship | Description |
| --- | --- | --- |
| Alpha Scheduler | Prerequisite | Alpha must be active first. |
| Gamma Load | Conflicting | The Gamma Load feature cannot be active at the same time as the sample feature, nor while it hands over; deactivate one of them before the other is activated. |
| Delta Load | Related | Both can be active. |
`)
}

// TestConvert_ruledCellWrapsBeforeACapitalisedWord: where a producer keeps
// the space at a wrap (the paragraph's lines end with one), a ruled cell
// line without one that ends at the cell's edge may be a word broken
// there; but "Feature" / "Identity" are two words of the document, and
// "FeatureIdentity" is none, so the cell reads "Feature Identity".
func TestConvert_ruledCellWrapsBeforeACapitalisedWord(t *testing.T) {
	xs := []float64{56, 98, 300}
	ys := []float64{760, 730, 710}
	var p pdfPage
	p.texts = append(p.texts,
		pdfText{x: leftMargin, y: 800, size: 10, s: "The feature identity and the feature name of "},
		pdfText{x: leftMargin, y: 788, size: 10, s: "the sample feature follow."},
	)
	ruledGrid(&p, xs, ys, [][]string{{"Feature", "FAJ 121 9001"}, {"Name", "Sample Handover"}}, nil)
	p.texts = append(p.texts, pdfText{x: xs[0] + 4, y: ys[0] - 24, size: 9, s: "Identity"})
	wantRows(t, p, "| Feature Identity | FAJ 121 9001 |")
}

// TestConvert_ruledRowCutWithItsCellsCentred: the page break cuts a row
// whose cells are centred in it; the page holds the middle of the short
// cell only, the next page the others. Nothing in the text tells that the
// parts are one row; the row drawn open at the foot of the page does.
func TestConvert_ruledRowCutWithItsCellsCentred(t *testing.T) {
	xs := []float64{56, 176, 296, 536}
	header := []string{"Feature", "Relationship", "Description"}
	var p1, p2 pdfPage
	ys := rowBounds(2, 760)
	ruledGrid(&p1, xs, ys, [][]string{header, {"Alpha Scheduler", "Prerequisite", "Alpha must be active first."}}, map[int]bool{0: true})
	const foot = 60.0
	for _, x := range xs {
		p1.draw += fmt.Sprintf("%g %g m %g %g l S\n", x, ys[2], x, foot)
	}
	p1.texts = append(p1.texts, pdfText{x: xs[1] + 4, y: foot + 6, size: 9, s: "Conflicting"})
	ruledGrid(&p2, xs, rowBounds(3, 800), [][]string{header, {"Lean Carrier", "", "With both active, the benefit is less."}, {"Delta Load", "Related", "Both can be active."}}, map[int]bool{0: true})
	text := convertPages(t, p1, p2)
	wantIn(t, text, "| Alpha Scheduler | Prerequisite | Alpha must be active first. |\n| Lean Carrier | Conflicting | With both active, the benefit is less. |\n| Delta Load | Related | Both can be active. |\n")
}

// TestConvert_ruledRowDrawnWholeOnBothPages: a producer that prints a page
// as a window on one long canvas (wkhtmltopdf) draws the row the page break
// cuts whole on both pages, each showing its part: on the first page the
// row runs past the foot, on the next it starts above the top, and each
// page holds the lines of the other, out of sight. The row is read once,
// its lines from where they show.
func TestConvert_ruledRowDrawnWholeOnBothPages(t *testing.T) {
	xs := []float64{56, 176, 296, 536}
	header := []string{"Feature", "Relationship", "Description"}
	// The lines that show on the next page start a sentence: nothing in
	// the text tells that they go on with the row above.
	desc := []string{"The Gamma Load feature cannot be", "active with the sample feature.", "It can be active with the", "Alpha feature.", "Deactivate the Beta feature", "first."}
	// row draws the cut row with its top at top: rules and text.
	row := func(p *pdfPage, top float64) {
		bottom := top - 90
		for _, x := range xs {
			p.draw += fmt.Sprintf("%g %g m %g %g l S\n", x, top, x, bottom)
		}
		p.draw += fmt.Sprintf("%g %g %g 0.5 re f\n%g %g %g 0.5 re f\n", xs[0], top-0.25, xs[3]-xs[0], xs[0], bottom-0.25, xs[3]-xs[0])
		p.texts = append(p.texts, pdfText{x: xs[0] + 4, y: top - 13, size: 9, s: "Gamma Load"}, pdfText{x: xs[1] + 4, y: top - 13, size: 9, s: "Conflicting"})
		for k, s := range desc {
			p.texts = append(p.texts, pdfText{x: xs[2] + 4, y: top - 13 - 11*float64(k), size: 9, s: s})
		}
	}
	var p1, p2 pdfPage
	ruledGrid(&p1, xs, []float64{140, 120, 100, 50}, [][]string{header, {"Alpha Scheduler", "Prerequisite", "Alpha must be active first."}, {"Beta Coverage", "Related", "Both can be active."}}, map[int]bool{0: true})
	row(&p1, 50)
	row(&p2, 50+pageH)
	ruledGrid(&p2, xs, []float64{50 + pageH - 90, 50 + pageH - 110}, [][]string{{"Delta Load", "Related", "Both can be active."}}, nil)
	text := convertPages(t, p1, p2)
	wantIn(t, text, "| Beta Coverage | Related | Both can be active. |\n| Gamma Load | Conflicting | The Gamma Load feature cannot be active with the sample feature. It can be active with the Alpha feature. Deactivate the Beta feature first. |\n| Delta Load | Related | Both can be active. |\n")
}

// TestConvert_tableOverAWholePageStandsUnderItsFirstPage: a table that
// goes on over the whole of the next page and ends on the one after is
// written under the marker of the page it starts on; the markers of the
// pages it goes on over follow it.
func TestConvert_tableOverAWholePageStandsUnderItsFirstPage(t *testing.T) {
	xs := []float64{56, 176, 296}
	header := []string{"Name", "Value"}
	var p1, p2, p3 pdfPage
	p1.texts = append(p1.texts, pdfText{x: leftMargin, y: 780, size: 10, s: "The sample values follow."})
	ruledGrid(&p1, xs, rowBounds(2, 760), [][]string{header, {"alpha", "1"}}, map[int]bool{0: true})
	ruledGrid(&p2, xs, rowBounds(2, 800), [][]string{header, {"beta", "2"}}, map[int]bool{0: true})
	ruledGrid(&p3, xs, rowBounds(2, 800), [][]string{header, {"gamma", "3"}}, map[int]bool{0: true})
	p3.texts = append(p3.texts, pdfText{x: leftMargin, y: 740, size: 10, s: "After the table, a paragraph."})
	text := convertPages(t, p1, p2, p3)
	wantIn(t, text, "<!-- page 1 -->\n\nThe sample values follow.\n\n| Name | Value |\n| --- | --- |\n| alpha | 1 |\n| beta | 2 |\n| gamma | 3 |\n\n<!-- page 2 -->\n\n<!-- page 3 -->\n\nAfter the table, a paragraph.\n")
}

// TestConvert_ruledTableWithRulesPastItsFrame: column rules that run a few
// points past the top and bottom rules (thick borders, drawn long) hold no
// text there and add no row: the header stays the first row, and the last
// row is not cut, so the table's part on the next page starts a row.
func TestConvert_ruledTableWithRulesPastItsFrame(t *testing.T) {
	xs := []float64{56, 176, 296}
	header := []string{"Name", "Value"}
	var p1, p2 pdfPage
	ys := rowBounds(2, 100)
	ruledGrid(&p1, xs, ys, [][]string{header, {"alpha", "the first"}}, map[int]bool{0: true})
	for _, x := range xs {
		p1.draw += fmt.Sprintf("%g %g m %g %g l S\n", x, ys[0]+5, x, ys[0])
		p1.draw += fmt.Sprintf("%g %g m %g %g l S\n", x, ys[2], x, ys[2]-5)
	}
	ruledGrid(&p2, xs, rowBounds(2, 800), [][]string{header, {"", "value"}}, map[int]bool{0: true})
	text := convertPages(t, p1, p2)
	wantIn(t, text, "| Name | Value |\n| --- | --- |\n| alpha | the first |\n|  | value |\n")
}

// TestConvert_ruledRowMovedWholeToTheNextPage: a producer that keeps a row
// whole (wkhtmltopdf) moves it to the top of the next page, drawn alone in
// its rules with no text above it. It is a table of one row that goes on
// the table of the page before, its lines one row.
func TestConvert_ruledRowMovedWholeToTheNextPage(t *testing.T) {
	xs := []float64{14, 63, 112, 580}
	var p1, p2 pdfPage
	ruledGrid(&p1, xs, rowBounds(2, 760), [][]string{{"Feature", "Relationship", "Description"}, {"Alpha", "Related", "Alpha must be active first."}}, map[int]bool{0: true})
	top, bottom := 838.0, 800.0
	for _, x := range xs {
		p2.draw += fmt.Sprintf("%g %g m %g %g l S\n", x, top, x, bottom)
	}
	p2.draw += fmt.Sprintf("%g %g %g 0.5 re f\n%g %g %g 0.5 re f\n", xs[0], top-0.25, xs[3]-xs[0], xs[0], bottom-0.25, xs[3]-xs[0])
	const size, pitch = 7.0, 7.8
	line := func(k int, x float64, s string) {
		p2.texts = append(p2.texts, pdfText{x: x + 2.5, y: top - 8 - pitch*float64(k), size: size, s: s})
	}
	for k, s := range []string{"Subscriber", "Triggered", "Mobility (FAJ", "121 1788)"} {
		line(k, xs[0], s)
	}
	line(1, xs[1], "Related")
	for k, s := range []string{"The feature is affected if the UE belongs to a SPID value where the", "priority differs. A dedicated priority is added by the node at release.", "These priorities override the ones sent out in the system information."} {
		line(k, xs[2], s)
	}
	p2.texts = append(p2.texts, pdfText{x: 14, y: 760, size: 10, s: "After the table, a paragraph."})
	wantIn(t, convertPages(t, p1, p2), "| Alpha | Related | Alpha must be active first. |\n| Subscriber Triggered Mobility (FAJ 121 1788) | Related | The feature is affected if the UE belongs to a SPID value where the priority differs. A dedicated priority is added by the node at release. These priorities override the ones sent out in the system information. |\n")
}
