package docx

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/formats"
)

// largeSpec builds a specification-sized package: clauses with headings,
// prose, field-description tables and ASN.1 listings.
func largeSpec(clauses int) []byte {
	var b strings.Builder
	for i := 1; i <= clauses; i++ {
		fmt.Fprintf(&b, `<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>5.%d</w:t></w:r><w:r><w:tab/><w:t>Procedure %d</w:t></w:r></w:p>`, i, i)
		for j := 0; j < 4; j++ {
			fmt.Fprintf(&b, `<w:p w:rsidR="00A1B2C3"><w:r w:rsidRPr="00D4E5F6"><w:t xml:space="preserve">The UE shall set the </w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>field%d</w:t></w:r><w:r><w:t xml:space="preserve"> to the value indicated in clause 5.%d.%d and start timer T%d.</w:t></w:r></w:p>`, j, i, j, 300+j)
		}
		b.WriteString(tbl(
			tr(tc("", p("TAH", r("Field"))), tc("", p("TAH", r("Description")))),
			tr(tc("", p("TAL", r(fmt.Sprintf("maxUEs-%d", i)))), tc("", p("TAL", r("Maximum number of UEs")), p("TAL", r("per cell")))),
		))
		for j := 0; j < 6; j++ {
			b.WriteString(p("PL", r(fmt.Sprintf("Message%d-%d ::=\tSEQUENCE {", i, j))))
		}
	}
	return docxFile{body: b.String()}.build()
}

// BenchmarkDocx measures throughput in document.xml bytes (what the
// converter parses; the zip of this synthetic spec compresses far better than
// a real one) and reports the package size.
func BenchmarkDocx(b *testing.B) {
	doc := largeSpec(3000)
	zr, err := zip.NewReader(bytes.NewReader(doc), int64(len(doc)))
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			b.SetBytes(int64(f.UncompressedSize64))
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Convert(context.Background(), bytes.NewReader(doc), int64(len(doc)), io.Discard, formats.Limits{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(doc)), "docx-bytes")
}
