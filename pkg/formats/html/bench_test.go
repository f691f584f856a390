package html

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/formats"
)

// BenchmarkHTML converts a generated 1 MB "TDocs by agenda" page: Word
// markup, paragraphs and a large table.
func BenchmarkHTML(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`<html><head><meta http-equiv=Content-Type content="text/html; charset=windows-1252"><title>Tdocs</title><style>p.MsoNormal{margin:0}</style></head><body>`)
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&sb, "<p class=MsoNormal><b><span style='font-size:10.0pt'>Paragraph %d of the IPR reminder, with some text.<o:p></o:p></span></b></p>\n", i)
	}
	sb.WriteString("<table border=1><thead><tr><td>AI</td><td>TD#</td><td>Type</td><td>Subject</td><td>Source</td></tr></thead><tbody>\n")
	for i := 0; sb.Len() < 1<<20; i++ {
		fmt.Fprintf(&sb, "<tr valign=top><td bgcolor=#99CCFF><font face=Arial>%d</font></td><td><a href='Docs\\S2-20%05d.zip'><b> S2-20%05d</b></a></td><td>CR</td><td>Correction of the procedure %d</td><td>Ericsson, Nokia</td></tr>\n", i%40, i, i, i)
	}
	sb.WriteString("</tbody></table></body></html>")
	src := sb.String()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Convert(context.Background(), strings.NewReader(src), int64(len(src)), io.Discard, formats.Limits{}, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
