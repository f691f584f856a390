package pdf

import (
	"context"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/formats"
	"github.com/ranstream/ranstream/pkg/formats/pdf/internal/mupdf"
)

// textWidth measures s set in Helvetica at size, as MuPDF reads it.
func textWidth(t *testing.T, s string, size float64) float64 {
	t.Helper()
	doc, err := mupdf.Open(pdfDoc{pages: []pdfPage{{texts: []pdfText{{x: leftMargin, y: 700, size: size, s: s}}}}}.build())
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	p, err := doc.Page(0)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Lines) != 1 {
		t.Fatalf("%q reads as %d lines", s, len(p.Lines))
	}
	return p.Lines[0].X1 - p.Lines[0].X0
}

// eventHeader sets the header of a table of events at y, each cell's label
// where given: word processors centre them in their cells.
func eventHeader(p *pdfPage, y, event, param, desc float64) {
	cellText(p, event, y, "Event")
	cellText(p, param, y, "Event Parameter")
	cellText(p, desc, y, "Description")
}

// cellSize and cellLead are the font size and line spacing of the cells.
const cellSize, cellLead = 9.0, 10.3

// cellText sets the lines of one cell from the baseline y down.
func cellText(p *pdfPage, x, y float64, lines ...string) {
	for i, l := range lines {
		p.texts = append(p.texts, pdfText{x: x, y: y - cellLead*float64(i), size: cellSize, s: l})
	}
}

// eventTable sets a three-column table of events as a word processor
// prints it: a header row, then one row whose cells wrap. The first column
// is edge0 wide (text from x0), the second starts at x1 and the third at
// x2; ruled draws the grid.
func eventTable(ruled bool, x0, x1, x2 float64, event, params, desc []string) pdfPage {
	var p pdfPage
	p.texts = append(p.texts, pdfText{x: leftMargin, y: 780, size: 10, s: "The table lists the events of the feature."})
	top, head := 760.0, 740.0
	bottom := head - 8 - cellLead*float64(max(len(event), len(params), len(desc)))
	if ruled {
		ruledGrid(&p, []float64{x0 - 4, x1 - 4, x2 - 4, 540}, []float64{top, head, bottom}, [][]string{
			{"Event", "Event Parameter", "Description"},
			{"", "", ""},
		}, map[int]bool{0: true})
	} else {
		cellText(&p, x0, top-13, "Event")
		cellText(&p, x1, top-13, "Event Parameter")
		cellText(&p, x2, top-13, "Description")
	}
	cellText(&p, x0, head-13, event...)
	cellText(&p, x1, head-13, params...)
	cellText(&p, x2, head-13, desc...)
	return p
}

// TestConvert_joinsWordsBrokenAtTheCellEdge: an identifier wider than a
// narrow cell, broken without a hyphen where the cell ends (as LibreOffice
// prints it), is one word again; wrapped lines of whole words keep their
// space.
func TestConvert_joinsWordsBrokenAtTheCellEdge(t *testing.T) {
	event := []string{"INTERNAL_EVENT_UE", "TR_RRC_SCELL_DECO", "NFIGURED"}
	// The cell is as wide as its widest line plus a point: "N" no longer
	// fits after "TR_RRC_SCELL_DECO".
	w := max(textWidth(t, event[0], cellSize), textWidth(t, event[1], cellSize)) + 1
	x0 := leftMargin + 4
	params := []string{"EVENT_PARAM_GLOBAL_SCELL_ID ", "EVENT_PARAM_SERVING_RSRP"}
	desc := []string{"Identity of the cell used as SCell, ", "defined in the MOM."}
	for _, tt := range []struct {
		name  string
		ruled bool
		pad   float64 // from the first column's text edge to the next column's text
	}{
		{"ruled", true, 8},
		{"no rules, the next column close", false, 5.5},
	} {
		t.Run(tt.name, func(t *testing.T) {
			x1 := x0 + w + tt.pad
			p := eventTable(tt.ruled, x0, x1, x1+textWidth(t, params[0], cellSize)+tt.pad, event, params, desc)
			text := convertPages(t, p)
			want := "| INTERNAL_EVENT_UETR_RRC_SCELL_DECONFIGURED | EVENT_PARAM_GLOBAL_SCELL_ID EVENT_PARAM_SERVING_RSRP | Identity of the cell used as SCell, defined in the MOM. |"
			if !strings.Contains(text, want+"\n") {
				t.Errorf("no row %q in:\n%s", want, text)
			}
		})
	}
}

// TestConvert_keepsWholeWordsOfACellApart: a cell listing whole
// identifiers, one per line, keeps them as separate words: its lines end
// short of the cell edge; and where the producer keeps no space at a wrap,
// a line ending at the edge says nothing about a broken word.
func TestConvert_keepsWholeWordsOfACellApart(t *testing.T) {
	list := []string{"INTERNAL_PER_RADIO_UE_MEASUREMENT", "pmRadioTxRankDistr", "EVENT_PARAM_SERVING_RSRP"}
	w := textWidth(t, list[0], cellSize)
	x0 := leftMargin + 4
	for _, tt := range []struct {
		name string
		gap  float64 // from the longest line to the next column's text
		desc []string
	}{
		{"short of the edge", 3 * cellSize, []string{"Samples used towards ", "a UE, per rank."}},
		{"at the edge, no spaces kept at wraps", 5.5, []string{"Samples used towards", "a UE, per rank."}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			x1 := x0 + w + tt.gap
			p := eventTable(false, x0, x1, x1+120, list, []string{"EVENT_PARAM_RANK_TX"}, tt.desc)
			text := convertPages(t, p)
			want := "| INTERNAL_PER_RADIO_UE_MEASUREMENT pmRadioTxRankDistr EVENT_PARAM_SERVING_RSRP | EVENT_PARAM_RANK_TX | Samples used towards a UE, per rank. |"
			if !strings.Contains(text, want+"\n") {
				t.Errorf("no row %q in:\n%s", want, text)
			}
		})
	}
}

// TestConvert_keepsNamesJoinedByAWordApart: a cell naming an attribute
// and a word after it wraps before the word with its line at the cell
// edge, and the producer (LibreOffice) drops the space of a line that
// fills its cell: the line still ends a whole word when the next starts
// with a joining word ("and") or with a word of the document that does not
// go on the last word part of the name ("value"). A name broken where its
// rest is a word of the document that does go on ("Thres" / "hold",
// "threshold") is joined.
func TestConvert_keepsNamesJoinedByAWordApart(t *testing.T) {
	desc := []string{"The value must hold above the ", "threshold."}
	for _, tt := range []struct {
		name  string
		lines []string
		desc  []string // the description cell, when it names something
		want  string
	}{
		{"a joining word", []string{"AnrFunction.probCellDetectLowHoSuccThres", "and ", "AnrFunction.probCellDetectLowHoSuccTime"}, nil,
			"AnrFunction.probCellDetectLowHoSuccThres and AnrFunction.probCellDetectLowHoSuccTime"},
		{"a word of the document", []string{"FieldReplaceableUnit.unitOpticalIndicatorControl", "value "}, nil,
			"FieldReplaceableUnit.unitOpticalIndicatorControl value"},
		{"a word that goes on the name", []string{"AnrFunction.probCellDetectLowHoSuccThres", "hold"}, nil,
			"AnrFunction.probCellDetectLowHoSuccThreshold"},
		{"a capitalised word", []string{"EUtranCellRelation.isHoAllowed", "Configuration "}, nil,
			"EUtranCellRelation.isHoAllowed Configuration"},
		{"a piece of a name that reads as a word", []string{"InterfaceIPv6.neighborDiscoveryTim", "eout"}, nil,
			"InterfaceIPv6.neighborDiscoveryTimeout"},
		{"a capitalised word that goes on a name of the document", []string{"EUtranCellRelation.isHoAllowed", "Configuration "},
			[]string{"The isHoAllowedConfiguration value must hold ", "above the threshold."},
			"EUtranCellRelation.isHoAllowedConfiguration"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			x0 := leftMargin + 4
			x1 := x0 + textWidth(t, tt.lines[0], cellSize) + 5.5
			d := desc
			if tt.desc != nil {
				d = tt.desc
			}
			p := eventTable(false, x0, x1, x1+120, tt.lines, []string{"LOW "}, d)
			wantRows(t, p, "| "+tt.want+" | LOW | "+strings.Join(d, "")+" |")
		})
	}
}

// TestWordRecall_creditsJoinedWords: a word mutool splits at a cell edge
// and the converter joins counts as found; a word missing does not.
func TestWordRecall_creditsJoinedWords(t *testing.T) {
	for _, tt := range []struct {
		ref, got string
		want     float64
	}{
		{"RAN2#10 0 agreed", "RAN2#100 agreed", 1},
		{"RAN2#10 0 agreed", "RAN2#10 agreed", 0.75},
		{"alpha beta", "alphabeta gamma", 1},
		{"alpha beta", "gamma", 0},
	} {
		if got := wordRecall(tt.ref, tt.got); got != tt.want {
			t.Errorf("wordRecall(%q, %q) = %v, want %v", tt.ref, tt.got, got, tt.want)
		}
	}
}

// TestConvert_readsCellsCentredVertically: cells centred vertically in
// their row (LibreOffice's default) stand half a line apart when their
// line counts differ, so no line of the table holds two cells; a header
// cell wrapped in two centred lines ("Feature" over "Identity") makes no
// column of its own.
func TestConvert_readsCellsCentredVertically(t *testing.T) {
	half := cellLead / 2
	var p pdfPage
	p.texts = append(p.texts, pdfText{x: leftMargin, y: 780, size: 10, s: "The feature depends on the following features."})
	// The header: one line, two lines, two lines, one line.
	cellText(&p, 90.3, 760-half, "Feature Name")
	cellText(&p, 186.6, 760, "Feature")
	cellText(&p, 186.3, 760-cellLead, "Identity")
	cellText(&p, 230.8, 760, "Access")
	cellText(&p, 233.8, 760-cellLead, "Type")
	cellText(&p, 285.3, 760-half, "Relationship")
	// Two rows of one line, two lines, one line; then one of two, one, three.
	for k, top := range []float64{730, 700} {
		name := []string{"RAN Slicing Framework", "QoS Framework"}[k]
		id := []string{"5095", "5157"}[k]
		cellText(&p, 58.2, top-half, name)
		cellText(&p, 179.9, top, "FAJ 121", id)
		cellText(&p, 226.1, top-half, "NR")
		cellText(&p, 283.9, top-half, "Related")
	}
	cellText(&p, 58.2, 670, "Uplink Rate", "Adaptation")
	cellText(&p, 179.9, 670-half, "FAJ 121 5750")
	cellText(&p, 226.1, 670-half, "LTE")
	cellText(&p, 283.9, 670+half, "Related", "when", "configured")
	wantRows(t, p,
		"| Feature Name | Feature Identity | Access Type | Relationship |",
		"| RAN Slicing Framework | FAJ 121 5095 | NR | Related |",
		"| QoS Framework | FAJ 121 5157 | NR | Related |",
		"| Uplink Rate Adaptation | FAJ 121 5750 | LTE | Related when configured |",
	)
}

// TestConvert_readsTwoColumnTableOfCentredCells: in a table of two
// columns whose cells are centred vertically, every line holds one cell;
// the lines still make the table's rows, and a word broken at the first
// column's edge is whole again.
func TestConvert_readsTwoColumnTableOfCentredCells(t *testing.T) {
	half := cellLead / 2
	x0 := leftMargin + 2
	x1 := x0 + textWidth(t, "INTERNAL_PER_PROCESS", cellSize) + 4.6
	var p pdfPage
	p.texts = append(p.texts, pdfText{x: leftMargin, y: 780, size: 10, s: "The table lists the events of the load control."})
	cellText(&p, x0+40, 760, "Event")
	cellText(&p, x1+150, 760, "Event Parameter")
	cellText(&p, x0, 740, "INTERNAL_PER_PROCESS", "OR_LOAD")
	cellText(&p, x1, 740-half, "EVENT_PARAM_PROCESSOR_LOAD")
	cellText(&p, x0, 715-cellLead, "INTERNAL_EVENT_LOAD")
	cellText(&p, x1, 715, "EVENT_PARAM_HOUR ", "EVENT_PARAM_MINUTE ", "EVENT_PARAM_SECOND")
	wantRows(t, p,
		"| Event | Event Parameter |",
		"| INTERNAL_PER_PROCESSOR_LOAD | EVENT_PARAM_PROCESSOR_LOAD |",
		"| INTERNAL_EVENT_LOAD | EVENT_PARAM_HOUR EVENT_PARAM_MINUTE EVENT_PARAM_SECOND |",
	)
}

// TestConvert_joinsWordsBrokenAtTheTextEdge: a word wider than the text
// (a managed object path) is broken where the text ends, with no hyphen;
// the paragraph reads it whole. A line of one word that stops short of the
// edge, or a producer that keeps no space at wraps, keeps the space.
func TestConvert_joinsWordsBrokenAtTheTextEdge(t *testing.T) {
	head := "/<X>/3GPP_PS_data_off/Exempted_service_list/Device_m"
	for _, tt := range []struct {
		name  string
		lines []string
		want  string
	}{
		{"at the edge", []string{"The leaf is found under the path ", head, "anagement_over_PS of the tree."},
			"The leaf is found under the path " + head + "anagement_over_PS of the tree."},
		{"no spaces kept at wraps", []string{"The leaf is found under the path", head, "anagement_over_PS of the tree."},
			"The leaf is found under the path " + head + " anagement_over_PS of the tree."},
		{"short of the edge", []string{"The leaf is found under the path, as the management object tree shows: ", "/<X>/3GPP_PS_data_off", "Exempted_service_list of the tree."},
			"The leaf is found under the path, as the management object tree shows: /<X>/3GPP_PS_data_off Exempted_service_list of the tree."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var p pdfPage
			for i, l := range tt.lines {
				p.texts = append(p.texts, pdfText{x: leftMargin, y: topLine - 12*float64(i), size: 10, s: l})
			}
			text := convertPages(t, p)
			if !strings.Contains(text, "\n"+tt.want+"\n") {
				t.Errorf("no paragraph %q in:\n%s", tt.want, text)
			}
		})
	}
}

// TestConvert_findsAColumnInsideAMergedLine: in a table of cells centred
// vertically, the one row whose first two cells share a baseline reads, in
// MuPDF, as one line with a wide space between them; the column's other
// cell stands half a line lower in its own row. The wide space counts as
// the column's edge, so the table has all four columns and the word broken
// at the first column's edge reads whole.
func TestConvert_findsAColumnInsideAMergedLine(t *testing.T) {
	half := cellLead / 2
	x0 := leftMargin + 2
	x1 := x0 + textWidth(t, "NRSectorCarrier.operationalState", cellSize) + 5.5
	x2, x3 := x1+110, x1+220
	var p pdfPage
	p.texts = append(p.texts,
		pdfText{x: leftMargin, y: 790, size: 10, s: "The attributes take the following values in each state of "},
		pdfText{x: leftMargin, y: 778, size: 10, s: "the cell."})
	cellText(&p, x0+40, 760, "MO Attribute")
	cellText(&p, x1+30, 760, "Normal")
	cellText(&p, x2+20, 760, "Preparation")
	cellText(&p, x3+25, 760, "Sleep")
	for k, s := range []string{"NRSectorCarrier.operationalState", "ENABLED", "ENABLED", "DISABLED"} {
		cellText(&p, []float64{x0, x1, x2, x3}[k], 740, s)
	}
	cellText(&p, x0, 722, "NRSectorCarrier.availabilityStatu", "s")
	for k, s := range []string{"NO_STATUS", "NO_STATUS", "OFF_DUTY"} {
		cellText(&p, []float64{x1, x2, x3}[k], 722-half, s)
	}
	wantRows(t, p,
		"| MO Attribute | Normal | Preparation | Sleep |",
		"| NRSectorCarrier.operationalState | ENABLED | ENABLED | DISABLED |",
		"| NRSectorCarrier.availabilityStatus | NO_STATUS | NO_STATUS | OFF_DUTY |",
	)
}

// TestConvert_keepsAFirstColumnNoTwoRowsStartAlike: a table part of a
// header and one row, the header's first cell centred over the row's
// first cell, which wraps in three lines, and two header cells on one
// baseline that MuPDF reads as one line: the other columns start alike in
// both rows, the first does not; its text, ending before the second
// column, is a column still.
func TestConvert_keepsAFirstColumnNoTwoRowsStartAlike(t *testing.T) {
	x0 := leftMargin + 2
	x1 := x0 + textWidth(t, "Shaping Low/Mid-", cellSize) + 10
	x2 := x1 + 75
	x3 := x2 + textWidth(t, "Relation", cellSize) + 5.5
	x4 := x3 + 70
	var p pdfPage
	p.texts = append(p.texts, pdfText{x: leftMargin, y: 790, size: 10, s: "The feature conflicts with the following feature."})
	cellText(&p, x0+12, 770, "Feature")
	cellText(&p, x1, 770, "Identity")
	cellText(&p, x2, 770, "Relation")
	cellText(&p, x3, 770, "Scope")
	cellText(&p, x4, 770, "Description")
	cellText(&p, x0, 750, "NR Flexible Cell", "Shaping Low/Mid-", "Band")
	cellText(&p, x1, 750, "FAJ 121 5725")
	cellText(&p, x2, 750, "Yes")
	cellText(&p, x3, 750, "Partially")
	cellText(&p, x4, 750, "The cell shaping interferes with", "the uplink SINR estimation.")
	wantRows(t, p, "| NR Flexible Cell Shaping Low/Mid-Band | FAJ 121 5725 | Yes | Partially | The cell shaping interferes with the uplink SINR estimation. |")
}

// convertPages converts a PDF of pages and returns its text.
func convertPages(t *testing.T, pages ...pdfPage) string {
	t.Helper()
	text, _, err := convert(context.Background(), pdfDoc{pages: pages}.build(), formats.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// wantRows converts the page p and checks that its text holds each of rows
// as a whole line.
func wantRows(t *testing.T, p pdfPage, rows ...string) {
	t.Helper()
	text := convertPages(t, p)
	for _, want := range rows {
		if !strings.Contains(text, want+"\n") {
			t.Errorf("no row %q in:\n%s", want, text)
		}
	}
}

// wantIn checks that text holds each of wants.
func wantIn(t *testing.T, text string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("want %q in:\n%s", want, text)
		}
	}
}

// TestConvert_readsTheTopOfAPageWhereATableGoesOn: LibreOffice goes on with
// a table at the top of the next page with its header centred in the cells
// (aligned with no column), then the rest of the row the page break cut, in
// the first column alone, then a row whose first cell has more lines than
// the others (set half a line lower, centred). The cut row is one row
// again, though a column it leaves blank is blank in another row too, and
// the next row keeps its first line.
func TestConvert_readsTheTopOfAPageWhereATableGoesOn(t *testing.T) {
	x0 := leftMargin + 4
	widest := "CELL_DISCOVERY_UPDA"
	for _, s := range []string{"EVENT_ALPHA", "EVENT_BETA", "INTERNAL_EVENT_COV_", "INTERNAL_EVENT_CELL", "_SLEEP_FAILED", "EVENT_GAMMA"} {
		if textWidth(t, s, cellSize) > textWidth(t, widest, cellSize) {
			t.Fatalf("fixture: %q is wider than %q, which must fill its cell", s, widest)
		}
	}
	x1 := x0 + textWidth(t, widest, cellSize) + 5.5
	x2 := x1 + 110
	const rowGap = 13.2 // from a row's last line to the next row's first
	header := func(p *pdfPage, y float64) { eventHeader(p, y, x0+30, x1+20, x2+60) }
	var p1, p2 pdfPage
	p1.texts = append(p1.texts, pdfText{x: leftMargin, y: 780, size: 10, s: "The table lists the events of the feature."})
	y := 747.0
	header(&p1, y)
	y -= rowGap
	cellText(&p1, x0, y, "EVENT_ALPHA")
	cellText(&p1, x1, y, "EVENT_PARAM_ONE")
	cellText(&p1, x2, y, "The first value of the ", "event.")
	y -= cellLead + rowGap
	cellText(&p1, x0, y, "EVENT_BETA") // no parameter: that column is not filled in every row
	cellText(&p1, x2, y, "The second value.")
	y -= rowGap
	cellText(&p1, x0, y, "INTERNAL_EVENT_COV_", widest)
	cellText(&p1, x1, y, "EVENT_PARAM_FREQ")
	cellText(&p1, x2, y, "Frequency of relations.")

	y = 800
	header(&p2, y)
	y -= rowGap
	cellText(&p2, x0, y, "TE")
	y -= rowGap
	cellText(&p2, x0, y, "INTERNAL_EVENT_CELL", "_SLEEP_FAILED")
	cellText(&p2, x1, y-cellLead/2, "EVENT_PARAM_CSM")
	cellText(&p2, x2, y-cellLead/2, "The failed criteria.")
	y -= cellLead + rowGap
	cellText(&p2, x0, y, "EVENT_GAMMA")
	cellText(&p2, x1, y, "EVENT_PARAM_THREE")
	cellText(&p2, x2, y, "The third value.")

	text := convertPages(t, p1, p2)
	wantIn(t, text,
		"| EVENT_BETA |  | The second value. |\n"+
			"| INTERNAL_EVENT_COV_CELL_DISCOVERY_UPDATE | EVENT_PARAM_FREQ | Frequency of relations. |\n"+
			"| INTERNAL_EVENT_CELL_SLEEP_FAILED | EVENT_PARAM_CSM | The failed criteria. |\n"+
			"| EVENT_GAMMA | EVENT_PARAM_THREE | The third value. |\n")
}

// TestConvert_readsATableRepeatingItsHeaderOnEveryPage: LibreOffice repeats
// an unruled table's header at the top of every page it goes on, where it
// reads like a running header. The header stays where the table starts
// (below its heading), and at the tops of the later pages:
//   - the rest of a description the page break cut stands alone in its
//     column ("3GPP TS 36.133.");
//   - the first line of a row's tallest cell stands above the others, each
//     cell centred over its own lines.
//
// Both go on the table, which reads as one.
func TestConvert_readsATableRepeatingItsHeaderOnEveryPage(t *testing.T) {
	x0, x1, x2 := leftMargin+4, leftMargin+150, leftMargin+290
	const rowGap = 13.2 // from a row's last line to the next row's first
	top := func(p *pdfPage) float64 {
		p.texts = append(p.texts, pdfText{x: leftMargin, y: 810, size: 9, s: "Company confidential"})
		return 790
	}
	header := func(p *pdfPage, y float64) float64 {
		eventHeader(p, y, x0+40, x1+25, x2+60)
		return y - rowGap
	}
	row := func(p *pdfPage, y float64, event, param string, desc ...string) float64 {
		cellText(p, x0, y, event)
		cellText(p, x1, y, param)
		cellText(p, x2, y, desc...)
		return y - cellLead*float64(len(desc)-1) - rowGap
	}
	p1 := flowPage("", "", "The feature reports the events below.", "", "Their parameters follow on the next pages.")
	var p2, p3, p4, p5 pdfPage
	y := top(&p2)
	p2.texts = append(p2.texts, pdfText{x: leftMargin, y: y, size: 12, s: "Events"})
	y = header(&p2, y-24)
	y = row(&p2, y, "EVENT_ALPHA", "EVENT_PARAM_ONE", "The first value.")
	row(&p2, y, "EVENT_BETA", "EVENT_PARAM_TWO", "The second value of the ", "power headroom, see")

	y = header(&p3, top(&p3))
	cellText(&p3, x2, y, "3GPP TS 36.133.")
	y -= rowGap
	y = row(&p3, y, "EVENT_GAMMA", "EVENT_PARAM_THREE", "The third value.")
	row(&p3, y, "EVENT_GAMMA", "EVENT_PARAM_THREE_B", "The third value again.")

	y = header(&p4, top(&p4))
	cellText(&p4, x1, y, "EVENT_PARAM_MDT_M1_", "ELLIPSOID_POINT_WITH_", "UNCER_CIRCLE")
	cellText(&p4, x0, y-cellLead/2, "INTERNAL_PER_UE_", "MDT_M1_REPORT")
	cellText(&p4, x2, y-cellLead, "The fourth value.")
	y = row(&p4, y-2*cellLead-rowGap, "EVENT_DELTA", "EVENT_PARAM_FOUR", "The fifth value.")
	row(&p4, y, "EVENT_DELTA", "EVENT_PARAM_FOUR_B", "The fifth value again.")

	y = row(&p5, header(&p5, top(&p5)), "EVENT_EPSILON", "EVENT_PARAM_FIVE", "The sixth value.")
	row(&p5, y, "EVENT_EPSILON", "EVENT_PARAM_FIVE_B", "The sixth value again.")

	text := convertPages(t, p1, p2, p3, p4, p5)
	wantIn(t, text, "| Event | Event Parameter | Description |\n| --- | --- | --- |\n"+
		"| EVENT_ALPHA | EVENT_PARAM_ONE | The first value. |\n"+
		"| EVENT_BETA | EVENT_PARAM_TWO | The second value of the power headroom, see 3GPP TS 36.133. |\n"+
		"| EVENT_GAMMA | EVENT_PARAM_THREE | The third value. |\n"+
		"| EVENT_GAMMA | EVENT_PARAM_THREE_B | The third value again. |\n"+
		"| INTERNAL_PER_UE_MDT_M1_REPORT | EVENT_PARAM_MDT_M1_ELLIPSOID_POINT_WITH_UNCER_CIRCLE | The fourth value. |\n"+
		"| EVENT_DELTA | EVENT_PARAM_FOUR | The fifth value. |\n"+
		"| EVENT_DELTA | EVENT_PARAM_FOUR_B | The fifth value again. |\n"+
		"| EVENT_EPSILON | EVENT_PARAM_FIVE | The sixth value. |\n"+
		"| EVENT_EPSILON | EVENT_PARAM_FIVE_B | The sixth value again. |\n")
	if n := strings.Count(text, "| Event | Event Parameter | Description |"); n != 1 {
		t.Errorf("the header reads %d times, want once:\n%s", n, text)
	}
}

// TestConvert_splitsRowsMergedUnderAHeader: a table of narrow columns set
// close together, whose rows MuPDF reads as one line each with only a wider
// space between the cells, is cut into the cells of its header (short
// labels centred in their cells). Lines under a row that is not a header (a
// label, "Request-URI:") stay lines.
func TestConvert_splitsRowsMergedUnderAHeader(t *testing.T) {
	const gap = 3.8 // between cells: wider than a space (2.5), too narrow for MuPDF to start a line
	x0 := leftMargin + 2
	x1 := x0 + textWidth(t, "cellSleepStartTime", cellSize) + gap
	x2 := x1 + textWidth(t, "EUtranCellFDD and EUtranCellTDD", cellSize) + gap
	page := func(header [3]string) pdfPage {
		var p pdfPage
		p.texts = append(p.texts, pdfText{x: leftMargin, y: 780, size: 10, s: "The feature introduces the attributes below."})
		cellText(&p, x0+20, 750, header[0])
		cellText(&p, x1+50, 750, header[1])
		cellText(&p, x2+10, 750, header[2])
		for k, r := range [][3]string{
			{"cellSleepStartTime", "EUtranCellFDD and EUtranCellTDD", "Read Only."},
			{"cellSleepStartTime", "EUtranCellTDD and EUtranCellFDD", "Read and write."},
		} {
			y := 750 - rowGapMerged*float64(k+1)
			cellText(&p, x0, y, r[0])
			cellText(&p, x1, y, r[1])
			cellText(&p, x2, y, r[2])
		}
		return p
	}
	wantRows(t, page([3]string{"New Attribute", "MO Class", "Description"}),
		"| New Attribute | MO Class | Description |",
		"| cellSleepStartTime | EUtranCellFDD and EUtranCellTDD | Read Only. |",
		"| cellSleepStartTime | EUtranCellTDD and EUtranCellFDD | Read and write. |")
	text := convertPages(t, page([3]string{"Request-URI:", "MO Class", "Description"}))
	if strings.Contains(text, "|") {
		t.Errorf("lines under a row that starts with a label read as a table:\n%s", text)
	}
}

// rowGapMerged is the distance between the rows of a table of one-line rows.
const rowGapMerged = 13.1
