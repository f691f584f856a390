package pdf

import (
	"strings"
	"testing"
)

// A reference list sets each entry's label apart by a tab and hangs the
// lines after the first under the text after the label; a title wrapped at
// a compound's own hyphen joins without a space. Each entry is one
// paragraph, and so is a note set the same way.
func TestConvert_hangingIndentParagraphs(t *testing.T) {
	const indent = leftMargin + 60
	y := topLine
	var p pdfPage
	hang := func(label string, lines ...string) {
		p.texts = append(p.texts, pdfText{x: leftMargin, y: y, size: 10, s: label})
		for i, l := range lines {
			p.texts = append(p.texts, pdfText{x: indent, y: y, size: 10, s: l})
			if i < len(lines)-1 {
				y -= 12
			}
		}
		y -= 24
	}
	hang("[13]", `3GPP TS 23.287: "Architecture enhancements for 5G System (5GS) to support Vehicle-to-`,
		`Everything (V2X) services".`)
	hang("[14]", `3GPP TS 33.536: "Security Aspect of 3GPP Support for Advanced V2X Services".`)
	hang("NOTE 1:", "The UE applies the configuration of the serving cell and keeps",
		"the one of the target cell until the handover completes.")
	p.texts = append(p.texts, pdfText{x: leftMargin, y: y, size: 10, s: "A paragraph of its own, at the margin."})
	p.texts = append(p.texts, pdfText{x: indent, y: y - 12, size: 10, s: "An indented line after it starts another."})
	y -= 48
	// a centred caption that wraps: a full line, then its rest centred under
	// it; and two short centred lines, which did not wrap
	centre := func(line string, y float64) {
		p.texts = append(p.texts, pdfText{x: (pageW - textWidth(t, line, 10)) / 2, y: y, size: 10, s: line})
	}
	centre("Figure 4.2.1-2: PDCP layer, structure view (L2 U2N relay), L2 U2U relay and SL path in multi-", y)
	centre("path", y-12)
	centre("A short centred line, a title.", y-48)
	centre("And a subtitle.", y-60)

	text := convertPages(t, p)
	wantIn(t, text,
		`[13] 3GPP TS 23.287: "Architecture enhancements for 5G System (5GS) to support Vehicle-to-Everything (V2X) services".`+"\n\n",
		`[14] 3GPP TS 33.536: "Security Aspect of 3GPP Support for Advanced V2X Services".`+"\n\n",
		"NOTE 1: The UE applies the configuration of the serving cell and keeps the one of the target cell until the handover completes.\n\n",
		"A paragraph of its own, at the margin.\n\nAn indented line after it starts another.",
		"structure view (L2 U2N relay), L2 U2U relay and SL path in multi-path\n\n",
		"A short centred line, a title.\n\nAnd a subtitle.",
	)
}

// A table of contents sets an annex's entry in bold, with leaders to its
// page number: an entry, not a heading.
func TestConvert_boldContentsEntryIsNoHeading(t *testing.T) {
	p := pdfPage{texts: []pdfText{
		{x: leftMargin, y: topLine, size: 10, s: "Contents", bold: true},
		{x: leftMargin, y: topLine - 14, size: 10, s: "1 Scope .............................................. 7"},
		{x: leftMargin, y: topLine - 28, size: 10, s: "Annex A (normative): Media feature tags ........................ 28", bold: true},
		{x: leftMargin, y: topLine - 56, size: 10, s: "The body text of the document starts here and runs on."},
	}}
	text := convertPages(t, p)
	if strings.Contains(text, "# Annex A") || !strings.Contains(text, "Annex A (normative): Media feature tags") {
		t.Errorf("the bold contents entry should stay text, not a heading:\n%s", text)
	}
}

// A line that leaves a quarter of its width empty, where the next line's
// first word would have fitted, ended there on purpose: a list of terms one
// per line, lines of a signalling flow. The paragraph keeps them on lines
// of their own. A line ending a little short (a word processor keeps words
// joined by non-breaking spaces together) runs on.
func TestConvert_linesEndedShortOnPurpose(t *testing.T) {
	full := "For the purposes of the present document, the terms and definitions given in the"
	lines := []string{
		full, full, full,
		"For the purposes of the present document, the following terms apply:",
		"",
		"WLAN UE",
		"3GPP AAA proxy",
		"Packet Data Gateway (PDG)",
		"",
		full,
		"For the purposes of the present document, the terms and definitions (see",
		"IETF RFC 4284 [12]) apply.",
	}
	text := convertPages(t, flowPage("", "", lines...))
	wantIn(t, text,
		"WLAN UE\n3GPP AAA proxy\nPacket Data Gateway (PDG)\n\n",
		"definitions (see IETF RFC 4284 [12]) apply.",
	)
}

// A table whose cells a word processor centres (LibreOffice): each cell
// starts at an edge of its own, a two-line header cell stands half a line
// above the others, and a one-row body shares no edge with the header. The
// gutters between the columns still tell them apart.
func TestConvert_centredCellsTable(t *testing.T) {
	var p pdfPage
	const size = 9.0
	at := func(x, y float64, s string) { p.texts = append(p.texts, pdfText{x: x, y: y, size: size, s: s}) }
	centre := func(x0, x1, y float64, s string) { at((x0+x1)/2-textWidth(t, s, size)/2, y, s) }
	y := topLine
	// columns: Feature 58-130, FAJ 136-176, Access Type 184-216, Relationship 222-275, Description 280-560
	centre(184, 216, y+5, "Access")
	centre(58, 130, y, "Feature")
	centre(136, 176, y, "FAJ")
	centre(222, 275, y, "Relationship")
	centre(280, 560, y, "Description")
	centre(184, 216, y-5, "Type")
	at(280, y-18, "The PDSCH resources might be reduced during beamforming and")
	centre(58, 130, y-23, "NR Radio")
	centre(136, 176, y-23, "FAJ 121")
	at(280, y-28, "cell-shaping when the antenna is calibrated.")
	centre(58, 130, y-33, "Partitioning")
	centre(136, 176, y-33, "5337")
	centre(184, 216, y-28, "NR")
	centre(222, 275, y-28, "Related")
	text := convertPages(t, p)
	wantIn(t, text,
		"| Feature | FAJ | Access Type | Relationship | Description |",
		"| NR Radio Partitioning | FAJ 121 5337 | NR | Related | The PDSCH resources might be reduced during beamforming and cell-shaping when the antenna is calibrated. |",
	)
}

// A table whose last row a page break cuts: the next page repeats the
// header, and the rest of the row leaves the Relationship column blank, so
// that page's part, read alone, finds other columns. It is read again in
// the columns of the part before and the row is joined.
func TestConvert_tableRowCutByPageBreakWithRepeatedHeader(t *testing.T) {
	const size = 9.0
	header := func(p *pdfPage, y float64) {
		p.texts = append(p.texts, pdfText{x: 58, y: y, size: size, s: "Feature"},
			pdfText{x: 200, y: y, size: size, s: "Relationship"}, pdfText{x: 270, y: y, size: size, s: "Description"})
	}
	var p1, p2 pdfPage
	y := 200.0
	header(&p1, y)
	p1.texts = append(p1.texts,
		pdfText{x: 58, y: y - 20, size: size, s: "Load-Based Access Barring"}, pdfText{x: 200, y: y - 20, size: size, s: "Related"},
		pdfText{x: 270, y: y - 20, size: size, s: "The feature increases the number of rejected UEs."},
		pdfText{x: 58, y: y - 40, size: size, s: "Progressive Access Barring"}, pdfText{x: 200, y: y - 40, size: size, s: "Related"},
		pdfText{x: 270, y: y - 40, size: size, s: "The feature increases the number of rejected UEs while the MME is"})
	header(&p2, topLine)
	p2.texts = append(p2.texts,
		pdfText{x: 58, y: topLine - 20, size: size, s: "(FAJ 121 4746)"},
		pdfText{x: 270, y: topLine - 20, size: size, s: "in overload state."})
	text := convertPages(t, p1, p2)
	want := "| Progressive Access Barring (FAJ 121 4746) | Related | The feature increases the number of rejected UEs while the MME is in overload state. |"
	if !strings.Contains(text, want) {
		t.Errorf("want\n%s\nin\n%s", want, text)
	}
}

// A table of events whose cells are centred vertically (LibreOffice) goes
// on, header repeated, on the next page, cutting a row. On the first page
// the part is the header and one line whose first two cells MuPDF reads as
// one ("LOCAL_EVENT_SRB1_ESTAB EVENT_PARAM_QUEUE_TIME"), so it finds too
// few columns; the larger part on the next page finds them all, and the
// first part is read again in its columns. The cut row joins: the event
// name broken at the cell edge, or wrapped at an underscore, reads whole.
func TestConvert_tableAcrossPagesReadInTheColumnsOfItsLargerPart(t *testing.T) {
	half := cellLead / 2
	x0 := leftMargin + 2
	for _, tt := range []struct {
		name, head, rest, want string
	}{
		{"broken at the cell edge", "LOCAL_EVENT_SRB1_ESTAB", "LISHMENT_ATTEMPT", "LOCAL_EVENT_SRB1_ESTABLISHMENT_ATTEMPT"},
		{"wrapped at an underscore", "LOCAL_EVENT", "_SRB1_ATTEMPT", "LOCAL_EVENT_SRB1_ATTEMPT"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			x1 := x0 + textWidth(t, "LOCAL_EVENT_SRB1_ESTAB", cellSize) + 4.6
			x2 := x1 + textWidth(t, "EVENT_PARAM_QUEUE_ALLOC_ATTEMPT", cellSize) + 8
			header := func(p *pdfPage, y float64) { eventHeader(p, y, x0+20, x1+40, x2+50) }
			var p1, p2 pdfPage
			p1.texts = append(p1.texts, pdfText{x: leftMargin, y: 200, size: 10, s: "The events of the feature are listed below."})
			header(&p1, 180)
			cellText(&p1, x0, 167, tt.head)
			cellText(&p1, x1, 167, "EVENT_PARAM_QUEUE_TIME ")
			cellText(&p1, x2, 167, "The event is triggered when a connection attempts to ")
			header(&p2, topLine)
			y := topLine - 13
			cellText(&p2, x0, y-half, tt.rest)
			cellText(&p2, x1, y-half, "EVENT_PARAM_QUEUE_ALLOC_ATTEMPT")
			cellText(&p2, x2, y, "allocate SRB1. It indicates information about ", "allocation attempts.")
			y -= 2*cellLead + 4
			cellText(&p2, x0, y, "LOCAL_RRC_CONN_SETUP_R", "EADY")
			cellText(&p2, x1, y-half, "EVENT_PARAM_IS_CONN_REQ_FROM_QUEUE")
			cellText(&p2, x2, y, "The event is triggered at the end of a ", "connection establishment procedure.")
			y -= 2*cellLead + 4
			cellText(&p2, x0, y-half, "LOCAL_UE_ADMISSION_REJECT")
			cellText(&p2, x1, y, "EVENT_PARAM_UE_ADMISSION_RE", "JECT_CAUSE")
			cellText(&p2, x2, y-half, "The event is triggered when a UE is rejected.")
			text := convertPages(t, p1, p2)
			for _, want := range []string{
				"| Event | Event Parameter | Description |",
				"| " + tt.want + " | EVENT_PARAM_QUEUE_TIME EVENT_PARAM_QUEUE_ALLOC_ATTEMPT | The event is triggered when a connection attempts to allocate SRB1. It indicates information about allocation attempts. |",
				"| LOCAL_RRC_CONN_SETUP_READY | EVENT_PARAM_IS_CONN_REQ_FROM_QUEUE | The event is triggered at the end of a connection establishment procedure. |",
			} {
				if !strings.Contains(text, want+"\n") {
					t.Errorf("no row %q in:\n%s", want, text)
				}
			}
		})
	}
}
