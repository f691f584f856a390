package pdf

import (
	"context"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/formats"
)

// withNotes is page p with small lines added at the bottom, from y 90 up.
func withNotes(p pdfPage, size float64, lines ...pdfText) pdfPage {
	for _, l := range lines {
		if l.size == 0 {
			l.size = size
		}
		if l.x == 0 {
			l.x = leftMargin
		}
		p.texts = append(p.texts, l)
	}
	return p
}

func TestConvert_setsFootnotesApart(t *testing.T) {
	page1 := withNotes(flowPage("", "",
		"The UE reports the measurement1 to the network when the",
		"serving cell becomes worse than the threshold2 and the report",
		"is sent on the",
	), 8,
		pdfText{y: 100, s: "1 As defined in TS 38.215 for the serving"},
		pdfText{y: 91, s: "cell and the neighbour cells."},
		pdfText{y: 82, s: "2 Configured by the network in reportConfig."},
	)
	page2 := flowPage("", "",
		"uplink shared channel of the primary cell.",
		"",
		"The second paragraph of the second page.",
		"",
		"3 cells of the table stay in the text.",
	)
	text, info, err := convert(context.Background(), pdfDoc{pages: []pdfPage{page1, page2}}.build(), formats.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := "The UE reports the measurement1 to the network when the serving cell becomes worse than the threshold2 and the report is sent on the uplink shared channel of the primary cell.\n\n" +
		"<!-- footnotes -->\n\n" +
		"1 As defined in TS 38.215 for the serving cell and the neighbour cells.\n\n" +
		"2 Configured by the network in reportConfig.\n\n" +
		"<!-- page 2 -->\n\n" +
		"The second paragraph of the second page.\n\n" +
		"3 cells of the table stay in the text."
	if !strings.Contains(text, want) {
		t.Errorf("want\n%s\nin\n%s", want, text)
	}
	if info.Meta["footnotes"] != "2" {
		t.Errorf("meta %v: want 2 footnotes", info.Meta)
	}
}

func TestConvert_footnotesNeedMarkersAndSmallText(t *testing.T) {
	body := flowPage("", "", "A page of body text that ends above small lines.", "Its second line.")
	tests := []struct {
		name string
		page pdfPage
		keep string // stays in the text, in order after the body
	}{
		{"a note without a marker", withNotes(body, 8, pdfText{y: 100, s: "NOTE: The network may configure both."}), "Its second line.\n\nNOTE: The network may configure both."},
		{"a page number", withNotes(body, 8, pdfText{y: 60, s: "12"}), "Its second line.\n\n12"},
		{"a small table", withNotes(body, 8,
			pdfText{y: 100, s: "1"}, pdfText{x: 200, y: 100, s: "qRxLevMin"}, pdfText{x: 350, y: 100, s: "Minimum level"},
			pdfText{y: 90, s: "2"}, pdfText{x: 200, y: 90, s: "qQualMin"}, pdfText{x: 350, y: 90, s: "Minimum quality"}),
			"| 1 | qRxLevMin | Minimum level |"},
		{"body-size numbered lines", withNotes(body, 10, pdfText{y: 100, s: "1 The first step of the procedure."}), "Its second line.\n\n1 The first step of the procedure."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := convertPages(t, tt.page)
			if strings.Contains(text, "<!-- footnotes -->") || !strings.Contains(text, tt.keep) {
				t.Errorf("want no footnotes and %q in:\n%s", tt.keep, text)
			}
		})
	}
}
