package pdf

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/formats"
)

// tableDoc is two pages: a paragraph wrapped over three lines, an identity
// table of two columns, and a dependencies table of three columns whose
// cells wrap (rows padded apart, the short cells set in the middle of their
// row) and which goes on, header repeated, on the next page.
func tableDoc() pdfDoc {
	const size = 9.0
	var p1, p2 pdfPage
	y := topLine
	text := func(p *pdfPage, x float64, s string) {
		p.texts = append(p.texts, pdfText{x: x, y: y, size: size, s: s})
	}
	for _, l := range []string{"The sample feature lets the node hand over the UE to a cell of another fre-", "quency when the load of the serving cell is high, and keeps the UE", "on that frequency while the load stays high."} {
		p1.texts = append(p1.texts, pdfText{x: leftMargin, y: y, size: 10, s: l})
		y -= 12
	}
	y -= 14
	for _, r := range [][2]string{{"Feature Name", "Sample Load Handover"}, {"Feature Identity", "FAJ 121 9001"}, {"Value Package Name", "Sample Package"}, {"Access Type", "LTE"}} {
		text(&p1, leftMargin, r[0])
		text(&p1, leftMargin+110, r[1])
		y -= 15
	}
	y -= 20
	header := func(p *pdfPage) {
		text(p, leftMargin, "Feature")
		text(p, leftMargin+110, "Relationship")
		text(p, leftMargin+190, "Description")
		y -= 15
	}
	// row writes a dependencies row: the feature over two lines, the
	// relationship in the middle, the description over three lines.
	row := func(p *pdfPage, name, faj, rel string, desc [3]string) {
		top := y
		text(p, leftMargin+190, desc[0])
		y -= 5.5
		text(p, leftMargin, name)
		y -= 5.5
		text(p, leftMargin+110, rel)
		text(p, leftMargin+190, desc[1])
		y -= 5.5
		text(p, leftMargin, faj)
		y -= 5.5
		text(p, leftMargin+190, desc[2])
		y = top - 37
	}
	header(&p1)
	row(&p1, "Alpha Scheduler", "(FAJ 121 9002)", "Prerequisite", [3]string{"The Alpha Scheduler feature must be", "active before the sample feature is", "activated."})
	row(&p1, "Beta Coverage", "(FAJ 121 9003)", "Related", [3]string{"Both features can be active at the", "same time; the sample feature hands", "over first."})
	y = topLine
	header(&p2)
	row(&p2, "Gamma Load", "(FAJ 121 9004)", "Conflicting", [3]string{"The Gamma Load feature cannot be", "active together with the sample", "feature."})
	y -= 20
	p2.texts = append(p2.texts, pdfText{x: leftMargin, y: y, size: 10, s: "After the table, the text goes on."})
	return pdfDoc{pages: []pdfPage{p1, p2}}
}

func TestConvert_tablesGolden(t *testing.T) {
	text, info, err := convert(context.Background(), tableDoc().build(), formats.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "tables.md")
	if *update {
		if err := os.WriteFile(golden, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want := string(fixture(t, "tables.md")); text != want {
		t.Errorf("output differs from %s (go test -update rewrites it):\n%s", golden, text)
	}
	if info.Meta["tables"] != "2" {
		t.Errorf("Meta[tables] = %q, want 2 (the dependencies table is one table over two pages)", info.Meta["tables"])
	}
}

func TestConvert_tables(t *testing.T) {
	text, _, err := convert(context.Background(), tableDoc().build(), formats.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		want    string
		present bool
	}{
		{"wrapped lines are one paragraph, the hyphen undone", "cell of another frequency when the load of the serving cell is high, and keeps the UE on that frequency while the load stays high.\n", true},
		{"the identity table is a pipe table", "| Feature Name | Sample Load Handover |\n| --- | --- |\n| Feature Identity | FAJ 121 9001 |\n", true},
		{"wrapped cells are joined in their row", "| Alpha Scheduler (FAJ 121 9002) | Prerequisite | The Alpha Scheduler feature must be active before the sample feature is activated. |\n", true},
		{"the table goes on across the page break", "| Gamma Load (FAJ 121 9004) | Conflicting | The Gamma Load feature cannot be active together with the sample feature. |\n", true},
		{"the repeated header is dropped", "| Feature | Relationship | Description |\n| --- | --- | --- |\n| Alpha", true},
		{"text after the table is a paragraph", "\n\nAfter the table, the text goes on.\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Contains(text, tt.want); got != tt.present {
				t.Errorf("contains %q = %v, want %v; text:\n%s", tt.want, got, tt.present, text)
			}
		})
	}
	if n := strings.Count(text, "| Feature | Relationship | Description |"); n != 1 {
		t.Errorf("header written %d times, want once:\n%s", n, text)
	}
}

// TestConvert_joinsARowSplitByThePageBreak: a row taller than what is left
// of the page goes on at the top of the next one (header repeated), its
// short cells left empty there; it is one row. A row that merely leaves a
// cell blank after a complete one stays a row.
func TestConvert_joinsARowSplitByThePageBreak(t *testing.T) {
	xs := []float64{56, 216, 296, 536}
	header := []string{"Feature", "Relationship", "Description"}
	doc := func(last, first []string) []byte {
		var p1, p2 pdfPage
		ruledGrid(&p1, xs, rowBounds(3, 140), [][]string{header,
			{"Alpha Scheduler", "Prerequisite", "Alpha must be active first."},
			last,
		}, map[int]bool{0: true})
		ruledGrid(&p2, xs, rowBounds(3, 800), [][]string{header,
			first,
			{"Gamma Load", "Conflicting", "Both cannot be active."},
		}, map[int]bool{0: true})
		return pdfDoc{pages: []pdfPage{p1, p2}}.build()
	}
	tests := []struct {
		name        string
		last, first []string
		want        string
	}{
		{"the parts of a split row are one row",
			[]string{"Delta Uplink (FAJ 121", "Related", "The sample feature might require"},
			[]string{"9005)", "", "adapted settings when both are active."},
			"| Alpha Scheduler | Prerequisite | Alpha must be active first. |\n| Delta Uplink (FAJ 121 9005) | Related | The sample feature might require adapted settings when both are active. |\n| Gamma Load |"},
		{"a row with a blank cell after a complete row stays a row",
			[]string{"Delta Uplink", "Related", "Both can be active."},
			[]string{"Epsilon Cells", "", "not decided by the product yet"},
			"| Delta Uplink | Related | Both can be active. |\n| Epsilon Cells |  | not decided by the product yet |\n"},
		{"values of a row span going on stay a row",
			[]string{"Delta Uplink", "Related", "One of three settings"},
			[]string{"", "Related", "Two of five settings"},
			"| Delta Uplink | Related | One of three settings |\n|  | Related | Two of five settings |\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := convert(context.Background(), doc(tt.last, tt.first), formats.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out, tt.want) {
				t.Errorf("text:\n%s\nwant it to contain:\n%s", out, tt.want)
			}
		})
	}
}

// TestSplitRow: the first row of a table's part on a new page is the rest
// of the row the page before ended with when its blank cells are filled in
// every other row and a cell goes on with what the page before cut: a
// sentence going on in lower case, a bracket closed, an identifier wrapped
// at an underscore or broken at the cell edge. A row that merely leaves
// cells blank stays a row.
func TestSplitRow(t *testing.T) {
	header := []string{"Feature", "Relationship", "Description"}
	prev := func(last ...string) [][]string {
		return [][]string{header, {"Carrier Aggregation (FAJ 121 3046)", "Related", "Partitions apply."}, last}
	}
	next := func(first ...string) [][]string {
		return [][]string{first, {"Shared LTE RAN (FAJ 121 0860)", "Related", "Partitions apply per operator."}}
	}
	for _, tt := range []struct {
		name       string
		prev, next [][]string
		broken     []bool
		want       bool
	}{
		{"sentence goes on", prev("Offload (FAJ 121 3061)", "Related", "UEs from an overused"), next("", "", "partition are not offloaded."), nil, true},
		{"bracket closed", prev("Maximum Cell range (FAJ", "Related", "UEs in zone 2 are not limited."), next("121 5124)", "", ""), nil, true},
		{"cells left blank", prev("Elastic RAN (FAJ 121 4608)", "Related", "Traffic is partitioned."), next("Other Feature", "", ""), nil, false},
		{"column blank in another row", [][]string{header, {"Carrier Aggregation (FAJ 121 3046)", "Related", ""}, {"Elastic RAN (FAJ", "Related", "Traffic is partitioned."}},
			next("121 4608)", "", ""), nil, false},
		{"identifier at an underscore", prev("INTERNAL_PER", "EVENT_PARAM_ID", "The event reports the use of each"), next("_PARTITION_REPORT", "EVENT_PARAM_PERIOD", "resource type."), nil, true},
		{"identifier broken at the edge", prev("LOCAL_EVENT_SRB1_ESTAB", "EVENT_PARAM_TIME", "The event is triggered when a connection attempts to"), next("LISHMENT_ATTEMPT", "EVENT_PARAM_ATTEMPT", "allocate SRB1."), []bool{true, false, false}, true},
		{"identifiers broken, text ended", prev("INTERNAL_PROC_HO_EXEC_S1_O", "EVENT_PARAM_PROC_HO_EXEC_OUT_A", "The cause of the procedure."), next("UT", "TTEMPT_CAUSE", ""), []bool{true, true, false}, true},
		{"identifier at an underscore, text ended", prev("INTERNAL_PER", "EVENT_PARAM_ID", "The event reports the use."), next("_PARTITION_REPORT", "", ""), nil, true},
		{"whole identifiers, cells left blank", prev("INTERNAL_PER_REPORT", "EVENT_PARAM_ID", "The event reports the use."), next("INTERNAL_UE_REPORT", "", ""), []bool{false, false, false}, false},
		{"identifier broken, its column's neighbours blank elsewhere too", [][]string{header, {"INTERNAL_EVENT_START", "", "Triggered at the start."}, {"INTERNAL_EVENT_UPDA", "EVENT_PARAM_FREQ", "Frequency of relations."}},
			next("TE", "", ""), []bool{true, false, false}, true},
		{"a row alone, its column's neighbours blank elsewhere too", [][]string{header, {"INTERNAL_EVENT_START", "", "Triggered at the start."}, {"INTERNAL_EVENT_UPDATE", "EVENT_PARAM_FREQ", "Frequency of relations."}},
			next("INTERNAL_EVENT_END", "", ""), []bool{false, false, false}, false},
		{"a sentence cut after a word no sentence ends with", prev("Offload (FAJ 121 3061)", "Related", "Aggregation is unavailable. If every"), next("", "", "SCell is asleep, it stops."), nil, true},
		{"a sentence cut after a noun, a capital after it", prev("Offload (FAJ 121 3061)", "Related", "Aggregation is unavailable per Carrier"), next("Other Feature", "", "Aggregation applies."), nil, false},
		{"whole rows", prev("INTERNAL_PER_REPORT", "EVENT_PARAM_ID", "The event reports the use of each"), next("INTERNAL_UE_REPORT", "EVENT_PARAM_PERIOD", "resource type."), []bool{false, false, false}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := splitRow(tt.prev, tt.next, tt.broken); got != tt.want {
				t.Errorf("splitRow = %v, want %v", got, tt.want)
			}
		})
	}
}

// booktabs sets lines of a table line under line, 12 points apart, in three
// columns, and its rules across the page, as LaTeX's booktabs does.
type booktabs struct {
	p pdfPage
	y float64 // the next line's baseline
}

const booktabsSize, booktabsPitch = 10.0, 12.0

// line sets the cells of one line; "" leaves a column blank.
func (b *booktabs) line(cells ...string) {
	xs := [3]float64{leftMargin, leftMargin + 95, leftMargin + 170}
	for i, s := range cells {
		if s != "" {
			b.p.texts = append(b.p.texts, pdfText{x: xs[i], y: b.y, size: booktabsSize, s: s})
		}
	}
	b.y -= booktabsPitch
}

// top draws the rule over the next line; under, the rule under the line
// before.
func (b *booktabs) top()   { b.rule(b.y + booktabsSize + 2) }
func (b *booktabs) under() { b.rule(b.y + booktabsPitch - 3.5) }

func (b *booktabs) rule(at float64) {
	b.p.draw += fmt.Sprintf("0.6 w %.1f %.1f m %.1f %.1f l S\n", leftMargin-4, at, pageW-leftMargin, at)
}

// threeRuleTable is a page of a paragraph (its lines in para) and a table
// ruled above and under its header and at its foot only, its rows set line
// under line with no padding (LaTeX's booktabs, as pandoc prints a
// markdown table), whose first cell is hyphenated ("Aggrega-" / "tion").
func threeRuleTable(para ...string) pdfPage {
	b := booktabs{y: topLine}
	for _, l := range para {
		b.line(l)
	}
	b.y -= booktabsPitch
	b.top()
	b.line("Feature", "Relationship", "Description")
	b.under()
	b.y -= 5 // the space booktabs leaves about the rule under the header
	b.line("Carrier Aggrega-", "Prerequisite", "The Carrier Aggregation feature must be active")
	b.line("tion (FAJ 121", "", "first.")
	b.line("3046)")
	b.line("Uplink Boost", "Related", "Both features can be active together.")
	b.line("(FAJ 121 3047)")
	b.line("Lean Carrier", "Conflicting", "The features cannot be active together.")
	b.line("(FAJ 121 3048)")
	b.under()
	return b.p
}

// TestConvert_readsAThreeRuleTable: in a three-rule table a row starts
// where its cells start together, and a cell's line goes on where its next
// word would not have fitted on the line above. Where the paragraphs show
// that the producer hyphenates words, a cell's hyphenated word is whole
// again (the document uses it whole); where they do not, a cell's line
// broken at a hyphen keeps it.
func TestConvert_readsAThreeRuleTable(t *testing.T) {
	rows := func(first string) string {
		return `| Feature | Relationship | Description |
| --- | --- | --- |
| ` + first + ` | Prerequisite | The Carrier Aggregation feature must be active first. |
| Uplink Boost (FAJ 121 3047) | Related | Both features can be active together. |
| Lean Carrier (FAJ 121 3048) | Conflicting | The features cannot be active together. |
`
	}
	t.Run("typeset", func(t *testing.T) {
		text := convertPages(t, threeRuleTable(
			"Carrier aggregation joins the carriers of several cells, so the through-",
			"put of a UE grows with its carriers. The throughput depends on the sched-",
			"uling of each carrier, and the scheduling on the aggre-",
			"gation of the carriers.",
		))
		wantIn(t, text, "the throughput of a UE", rows("Carrier Aggregation (FAJ 121 3046)"))
	})
	t.Run("not typeset", func(t *testing.T) {
		text := convertPages(t, threeRuleTable("Carrier aggregation joins the carriers of several cells."))
		wantIn(t, text, rows("Carrier Aggrega-tion (FAJ 121 3046)"))
	})
	// A TeX engine hyphenates as a rule: its table may come before the
	// paragraphs show it.
	for _, producer := range []string{"pdfTeX-1.40.24", "xdvipdfmx (20220710)", "LuaTeX-1.15.0"} {
		t.Run("typeset by "+producer, func(t *testing.T) {
			doc := pdfDoc{pages: []pdfPage{threeRuleTable("Carrier aggregation joins the carriers of several cells.")}, producer: producer}
			text, _, err := convert(context.Background(), doc.build(), formats.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			wantIn(t, text, rows("Carrier Aggregation (FAJ 121 3046)"))
		})
	}
	t.Run("not typeset by iText", func(t *testing.T) {
		doc := pdfDoc{pages: []pdfPage{threeRuleTable("Carrier aggregation joins the carriers of several cells.")}, producer: "iText 5.5.13"}
		text, _, err := convert(context.Background(), doc.build(), formats.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		wantIn(t, text, rows("Carrier Aggrega-tion (FAJ 121 3046)"))
	})
}

// TestJoinWrapped: a cell's wrapped line joins the one above with a space,
// but at a hyphen after a letter (a soft hyphen, for the writer to resolve,
// before a letter; the hyphen itself before a digit) or an underscore.
func TestJoinWrapped(t *testing.T) {
	tests := []struct{ a, b, want string }{
		{"Carrier Aggrega-", "tion", "Carrier Aggrega\u00ADtion"},
		{"EUtran-", "CellTDD.dlMaxRetx", "EUtran\u00ADCellTDD.dlMaxRetx"},
		{"non-", "3GPP access", "non-3GPP access"},
		{"values 1 -", "5", "values 1 - 5"},
		{"Aggrega\u00AD", "tion", "Aggrega\u00ADtion"},
		{"INTERNAL_PER_UE", "_TRAFFIC_REP", "INTERNAL_PER_UE_TRAFFIC_REP"},
		{"The feature must be", "active.", "The feature must be active."},
	}
	for _, tt := range tests {
		if got := joinWrapped(tt.a, tt.b); got != tt.want {
			t.Errorf("joinWrapped(%q, %q) = %q, want %q", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestConvert_readsAThreeRuleTableWithoutItsHeader: where a page repeats a
// table's header at its top, the header goes out as a running header, and
// the page's part opens under the rule that was under the header, with no
// gap: its rows are still told apart as a three-rule table's.
func TestConvert_readsAThreeRuleTableWithoutItsHeader(t *testing.T) {
	b := booktabs{y: topLine}
	b.top()
	b.line("Uplink Boost", "Related", "Both features can be active together.")
	b.line("(FAJ 121 3047)")
	b.line("Lean Carrier", "Conflicting", "The features cannot be active together.")
	b.line("(FAJ 121 3048)")
	b.under()
	p := b.p
	// Read alone, the part's first row is its header.
	wantIn(t, convertPages(t, p), "| Uplink Boost (FAJ 121 3047) | Related | Both features can be active together. |\n| --- | --- | --- |\n| Lean Carrier (FAJ 121 3048) | Conflicting | The features cannot be active together. |\n")
}

// threeRuleHeaded is a page of a three-rule table under a paragraph: the
// header's lines (header, each one line of three cells), then two rows whose
// identities wrap to a second line.
func threeRuleHeaded(header ...[]string) pdfPage {
	b := booktabs{y: topLine}
	b.line("The features this one depends on:")
	b.y -= booktabsPitch
	b.top()
	for _, h := range header {
		b.line(h...)
	}
	b.under()
	b.y -= 5
	b.line("Uplink Boost", "FAJ 121", "LTE")
	b.line("", "3047")
	b.line("Lean Carrier", "FAJ 121", "NR")
	b.line("", "3048")
	b.under()
	return b.p
}

// TestConvert_readsAThreeRuleTableWithABlankHeaderCell: a column whose
// header cell is blank shares no edge with the header; its cells still
// start line under line, and it is a column.
func TestConvert_readsAThreeRuleTableWithABlankHeaderCell(t *testing.T) {
	text := convertPages(t, threeRuleHeaded([]string{"Feature", "", "Type"}))
	wantIn(t, text, `| Feature |  | Type |
| --- | --- | --- |
| Uplink Boost | FAJ 121 3047 | LTE |
| Lean Carrier | FAJ 121 3048 | NR |
`)
}

// TestConvert_readsAThreeRuleTableWithItsHeaderAtTheBottom: pandoc's LaTeX
// sets a header's cells at the bottom of the header row, so a header cell
// of two lines ("Access" / "Type") starts a line above the others, alone
// under the top rule. It is the header's first line, not a paragraph.
func TestConvert_readsAThreeRuleTableWithItsHeaderAtTheBottom(t *testing.T) {
	text := convertPages(t, threeRuleHeaded([]string{"", "", "Access"}, []string{"Feature", "Identity", "Type"}))
	wantIn(t, text, `| Feature | Identity | Access Type |
| --- | --- | --- |
| Uplink Boost | FAJ 121 3047 | LTE |
| Lean Carrier | FAJ 121 3048 | NR |
`)
}
