package docx

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/fault"
	"github.com/ranstream/ranstream/pkg/formats"
	"github.com/ranstream/ranstream/pkg/formats/doc/cfb/cfbtest"
)

func convert(t testing.TB, b []byte, lim formats.Limits) (string, formats.Info, error) {
	t.Helper()
	var out bytes.Buffer
	info, err := Convert(context.Background(), bytes.NewReader(b), int64(len(b)), &out, lim)
	return out.String(), info, err
}

func mustConvert(t *testing.T, d docxFile) (string, formats.Info) {
	t.Helper()
	out, info, err := convert(t, d.build(), formats.Limits{})
	if err != nil {
		t.Fatalf("Convert: %v", err)
	}
	return out, info
}

func expect(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s\n(got %q)", got, want, got)
	}
}

func TestDocx_headingLevelsKeepClauseNumbers(t *testing.T) {
	body := p("Heading1", r("1\tScope")) +
		p("Heading2", r("5.3.5"), r(".4\tReception of an "), r("RRCReconfiguration")) +
		p("H6", r("\u2013\tRRCReconfiguration")) +
		p("AnnexTitle", r("Annex A (informative):")) +
		p("Heading8", r("Annex B (normative):\tRRC information")) +
		p("Heading3", r("5.3.5.5\tA heading whose style is only an id")) +
		`<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr></w:pPr>` + r("Introduction") + `</w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="Heading2"/><w:numPr><w:ilvl w:val="1"/><w:numId w:val="2"/></w:numPr></w:pPr>` + r("Details") + `</w:p>` +
		`<w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr>` + r("Source:\tQualcomm") + `</w:p>` +
		p("", r("Body text."))
	got, _ := mustConvert(t, docxFile{body: body})
	expect(t, got, "# 1 Scope\n\n"+
		"## 5.3.5.4 Reception of an RRCReconfiguration\n\n"+
		"###### \u2013 RRCReconfiguration\n\n"+
		"# Annex A (informative):\n\n"+
		"# Annex B (normative): RRC information\n\n"+
		"### 5.3.5.5 A heading whose style is only an id\n\n"+
		"# 1. Introduction\n\n"+
		"## 1.1 Details\n\n"+
		"Source: Qualcomm\n\n"+
		"Body text.\n\n")
}

func TestDocx_headingsWithoutStyles(t *testing.T) {
	// No styles.xml: style ids alone still name the built-in headings.
	got, _ := mustConvert(t, docxFile{noStyles: true, body: p("Heading1", r("4\tGeneral")) + p("Heading4", r("4.1.2.3\tDeep")) + p("", r("x"))})
	expect(t, got, "# 4 General\n\n#### 4.1.2.3 Deep\n\nx\n\n")
}

func TestDocx_tablesAsPipeTables(t *testing.T) {
	nested := tbl(tr(tc("", p("", r("a"))), tc("", p("", r("b")))), tr(tc("", p("", r("c"))), tc("", p("", r("d")))))
	body := p("", r("Before")) +
		tbl(
			tr(tc("", p("", r("Field"))), tc(`<w:gridSpan w:val="2"/>`, p("", r("Description")))),
			tr(tc(`<w:vMerge w:val="restart"/>`, p("", r("maxUEs"))), tc("", p("", r("Maximum | count")), p("", r("per cell"))), tc("", p("", r("1..64")))),
			tr(tc(`<w:vMerge/>`, p("")), tc("", nested), tc("", p("", r("x")))),
			tr(tc("", p("")), tc("", p("")), tc("", p(""))),
		) +
		tbl(tr(tc("", p("", r("A lone cell")), p("", r("holds two paragraphs"))))) +
		`<w:sdt><w:sdtPr><w:alias w:val="x"/></w:sdtPr><w:sdtContent>` + tbl(tr(tc("", p("", r("k"))), tc("", p("", r("v"))))) + `</w:sdtContent></w:sdt>` +
		p("", r("After"))
	got, _ := mustConvert(t, docxFile{body: body})
	expect(t, got, "Before\n\n"+
		"| Field | Description |  |\n| --- | --- | --- |\n"+
		"| maxUEs | Maximum \\| count<br>per cell | 1..64 |\n"+
		"|  | a; b<br>c; d | x |\n\n"+
		"A lone cell\n\nholds two paragraphs\n\n"+
		"| k | v |\n| --- | --- |\n\n"+
		"After\n\n")
}

func TestDocx_trackedChangesResolved(t *testing.T) {
	body := p("", r("Keep "), `<w:ins w:id="1" w:author="x">`+r("inserted ")+`</w:ins>`,
		`<w:del w:id="2" w:author="x"><w:r><w:delText>deleted </w:delText></w:r></w:del>`, r("end.")) +
		p("", `<w:moveFrom w:id="3" w:author="x">`+r("moved away ")+`</w:moveFrom>`, r("Here "), `<w:moveTo w:id="4" w:author="x">`+r("moved in")+`</w:moveTo>`) +
		`<w:p><w:pPr><w:pStyle w:val="Normal"/><w:pPrChange w:id="5" w:author="x"><w:pPr><w:pStyle w:val="Heading1"/></w:pPr></w:pPrChange></w:pPr>` + r("Was a heading") + `</w:p>` +
		tbl(
			tr(tc("", p("", r("h1"))), tc("", p("", r("h2")))),
			`<w:tr><w:trPr><w:del w:id="6" w:author="x"/></w:trPr>`+tc("", p("", r("gone")))+tc("", p("", r("row")))+`</w:tr>`,
			tr(tc("", p("", r("v1"))), tc("", p("", `<w:ins w:id="7" w:author="x">`+r("v2")+`</w:ins>`))),
		) +
		p("", r("See "), `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> REF _Ref1 \h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>`,
			r("Table 5.1"), `<w:r><w:fldChar w:fldCharType="end"/></w:r>`, r(".")) +
		p("", `<w:fldSimple w:instr=" PAGE "><w:r><w:t>7</w:t></w:r></w:fldSimple>`) +
		p("", r("Shown "), `<w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden </w:t></w:r>`,
			`<w:r><w:rPr><w:rPrChange w:id="8" w:author="x"><w:rPr><w:vanish/></w:rPr></w:rPrChange></w:rPr><w:t>visible</w:t></w:r>`)
	got, _ := mustConvert(t, docxFile{body: body})
	expect(t, got, "Keep inserted end.\n\n"+
		"Here moved in\n\n"+
		"Was a heading\n\n"+
		"| h1 | h2 |\n| --- | --- |\n| v1 | v2 |\n\n"+
		"See Table 5.1.\n\n"+
		"7\n\n"+
		"Shown visible\n\n")
}

func TestDocx_listsAndCode(t *testing.T) {
	num := func(id, lvl int, text string) string {
		return fmt.Sprintf(`<w:p><w:pPr><w:numPr><w:ilvl w:val="%d"/><w:numId w:val="%d"/></w:numPr></w:pPr>%s</w:p>`, lvl, id, r(text))
	}
	body := num(1, 0, "bullet one") + num(1, 1, "nested bullet") +
		num(2, 0, "step one") + p("ListNumber", r("step by style")) +
		`<w:p><w:pPr><w:pStyle w:val="ListNumber"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr>` + r("numbering switched off") + `</w:p>` +
		p("B1", r("-\t3GPP dash item")) +
		p("PL", r("-- ASN1START")) + p("PL", r("Foo ::=\tSEQUENCE {")) + p("PL", r("}")) + p("PL", r("-- ASN1STOP")) +
		p("", r("after code"))
	got, _ := mustConvert(t, docxFile{body: body})
	expect(t, got, "- bullet one\n\n  - nested bullet\n\n1. step one\n\n1. step by style\n\nnumbering switched off\n\n- 3GPP dash item\n\n"+
		"```\n-- ASN1START\nFoo ::=\tSEQUENCE {\n}\n-- ASN1STOP\n```\n\nafter code\n\n")
}

func TestDocx_textBoxesMathAndSymbols(t *testing.T) {
	box := `<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData><wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:txbx><w:txbxContent>` +
		p("", r("Text in a box")) + `</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent>` +
		p("", r("Text in a box")) + `</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>`
	body := p("", r("Figure: "), box) +
		p("", r("Power "), `<m:oMath><m:r><m:t>P</m:t></m:r><m:sSub><m:e><m:r><m:t>x</m:t></m:r></m:e></m:sSub></m:oMath>`, r(" dBm")) +
		p("", r("a"), `<w:r><w:sym w:font="Symbol" w:char="F0B3"/><w:sym w:font="Arial" w:char="2265"/><w:noBreakHyphen/><w:softHyphen/><w:br/></w:r>`, r("b"))
	got, _ := mustConvert(t, docxFile{body: body})
	expect(t, got, "Figure:\n\nText in a box\n\nPower Px dBm\n\na\u2265-\nb\n\n")
}

func TestDocx_coverPageMetadata(t *testing.T) {
	body := `<w:p><w:pPr><w:pStyle w:val="ZA"/></w:pPr>` + r("3GPP TS 38.331") + r(" V1") + r("8") + r(".") + r("4") + r(".0") + r(" ") + r("(20") + r("24-12)") + `</w:p>` +
		p("ZB", r("Technical Specification")) +
		p("ZT", r("3rd Generation Partnership Project;")) +
		p("ZT", r("Technical Specification Group Radio Access Network;")) +
		p("ZT", r("NR;")) +
		p("ZT", r("Radio Resource Control (RRC) protocol specification")) +
		p("ZT", r("("), r("Release 1"), r("8"), r(")")) +
		p("Heading1", r("Foreword"))
	_, info := mustConvert(t, docxFile{body: body})
	want := map[string]string{"spec": "38.331", "version": "18.4.0", "release": "18", "date": "2024-12", "doc_type": "TS", "version_code": "i40"}
	for k, v := range want {
		if info.Meta[k] != v {
			t.Errorf("Meta[%q] = %q, want %q (all: %v)", k, info.Meta[k], v, info.Meta)
		}
	}
	if info.Title != "3GPP TS 38.331 V18.4.0: NR; Radio Resource Control (RRC) protocol specification" {
		t.Errorf("Title = %q", info.Title)
	}
}

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// TestDocx_libreOfficeRoundTrip converts a file that LibreOffice wrote (from
// the document of ../doc/testdata/sample.doc): another writer's markup, and
// the same text as the .doc converter gives for the .doc.
func TestDocx_libreOfficeRoundTrip(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "libreoffice.docx"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "libreoffice.golden.md"))
	if err != nil {
		t.Fatal(err)
	}
	got, info, err := convert(t, b, formats.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(filepath.Join("testdata", "libreoffice.golden.md"), []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		want = []byte(got)
	}
	expect(t, got, string(want))
	if info.Meta["spec"] != "38.331" {
		t.Fatalf("meta %v", info.Meta)
	}
}

func TestDocx_coreTitleWithoutCover(t *testing.T) {
	_, info := mustConvert(t, docxFile{body: p("", r("Feature description")), parts: map[string]string{
		"_rels/.rels":       `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`,
		"docProps/core.xml": `<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Cell  Soft Lock</dc:title></cp:coreProperties>`,
	}})
	if info.Title != "Cell Soft Lock" || info.Meta != nil {
		t.Fatalf("info = %+v", info)
	}
}

func TestDocx_encrypted(t *testing.T) {
	ole, _ := cfbtest.Build(cfbtest.Stream{Name: "EncryptionInfo", Data: []byte("info")}, cfbtest.Stream{Name: "EncryptedPackage", Data: make([]byte, 6000)})
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate, Flags: 0x1})
	w.Write([]byte("garbage"))
	zw.Close()
	for name, b := range map[string][]byte{"OLE EncryptedPackage": ole, "zip-encrypted part": zipped.Bytes()} {
		_, _, err := convert(t, b, formats.Limits{})
		if !errors.Is(err, formats.ErrEncrypted) || !fault.IsPermanent(err) {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

func TestDocx_corrupt(t *testing.T) {
	valid := docxFile{body: p("Heading1", r("1\tScope")) + p("", r(strings.Repeat("text ", 400)))}.build()
	flipped := bytes.Clone(valid)
	i := bytes.Index(flipped, []byte("word/document.xml")) + 60
	for j := i; j < i+40; j++ {
		flipped[j] ^= 0x5A
	}
	legacy, _ := cfbtest.Build(cfbtest.Stream{Name: "WordDocument", Data: make([]byte, 5000)})
	tests := []struct {
		name string
		in   []byte
		lim  formats.Limits
		want error
	}{
		{"truncated zip", valid[:len(valid)/2], formats.Limits{}, formats.ErrCorrupt},
		{"damaged deflate data", flipped, formats.Limits{}, formats.ErrCorrupt},
		{"unclosed elements", docxFile{body: "<w:p><w:r><w:t>text</w:t></w:r>"}.build(), formats.Limits{}, formats.ErrCorrupt},
		{"not XML", docxFile{parts: map[string]string{"word/document.xml": "\x00\x01 not xml <<<"}}.build(), formats.Limits{}, formats.ErrCorrupt},
		{"undeclared charset", docxFile{parts: map[string]string{"word/document.xml": `<?xml version="1.0" encoding="UTF-16"?><w:document/>`}}.build(), formats.Limits{}, formats.ErrCorrupt},
		{"no body", docxFile{parts: map[string]string{"word/document.xml": `<?xml version="1.0"?><w:document xmlns:w="x"></w:document>`}}.build(), formats.Limits{}, formats.ErrNotFormat},
		{"no document part", docxFile{parts: map[string]string{"word/document.xml": ""}}.build(), formats.Limits{}, formats.ErrNotFormat},
		{"Word lock file", []byte("\x0bJohn Smith                                                      \x00\x00"), formats.Limits{}, formats.ErrNotFormat},
		{"legacy .doc", legacy, formats.Limits{}, formats.ErrNotFormat},
		{"empty", nil, formats.Limits{}, formats.ErrNotFormat},
		{"output over the limit", valid, formats.Limits{MaxOutput: 100}, formats.ErrTooLarge},
		{"XML over the limit", valid, formats.Limits{MaxOutput: 10}, formats.ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := convert(t, tt.in, tt.lim)
			if !errors.Is(err, tt.want) || !fault.IsPermanent(err) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// failingReader fails the reads that touch byte n, as a blob store
// connection might.
type failingReader struct {
	b []byte
	n int64
}

var errSource = errors.New("connection reset")

func (f failingReader) ReadAt(p []byte, off int64) (int, error) {
	if off <= f.n && f.n < off+int64(len(p)) {
		return 0, errSource
	}
	if off >= int64(len(f.b)) {
		return 0, io.EOF
	}
	n := copy(p, f.b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func TestDocx_sourceErrorsAreTransient(t *testing.T) {
	b := docxFile{body: p("", r(strings.Repeat("words ", 5000)))}.build()
	// In the central directory (read when opening), then in document.xml's
	// compressed data (read while converting).
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var data int64
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			data, _ = f.DataOffset()
		}
	}
	for _, n := range []int64{int64(len(b)) - 30, data + 5} {
		_, err := Convert(context.Background(), failingReader{b, n}, int64(len(b)), io.Discard, formats.Limits{})
		if !errors.Is(err, errSource) || fault.IsPermanent(err) {
			t.Fatalf("failing at byte %d: %v", n, err)
		}
	}
}

func TestDocx_brokenStylesAreAWarning(t *testing.T) {
	b := docxFile{body: p("Heading1", r("1\tScope")), parts: map[string]string{"word/styles.xml": "<w:styles><broken"}}.build()
	out, info, err := convert(t, b, formats.Limits{})
	if err != nil || out != "# 1 Scope\n\n" || len(info.Warnings) != 1 {
		t.Fatalf("out %q, info %+v, err %v", out, info, err)
	}
}

func TestDocx_hostileNesting(t *testing.T) {
	deep := strings.Repeat("<w:tbl><w:tr><w:tc>", 200) + p("", r("deep")) + strings.Repeat("</w:tc></w:tr></w:tbl>", 200)
	span := tbl(tr(tc(`<w:gridSpan w:val="2000000000"/>`, p("", r("wide")))))
	fields := strings.Repeat(`<w:r><w:fldChar w:fldCharType="begin"/></w:r>`, 500) + r("code")
	for name, body := range map[string]string{"deep tables": deep, "huge grid span": span, "unclosed fields": p("", fields)} {
		_, _, err := convert(t, docxFile{body: body}.build(), formats.Limits{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	// Paragraphs in paragraphs, a million deep: refused, not a stack to the moon.
	deepXML := strings.Repeat("<w:p>", 1<<20) + strings.Repeat("</w:p>", 1<<20)
	if _, _, err := convert(t, docxFile{body: deepXML}.build(), formats.Limits{}); !errors.Is(err, formats.ErrCorrupt) {
		t.Fatalf("deep nesting: %v", err)
	}
}

func TestDocx_runawayFieldCodeEnds(t *testing.T) {
	body := p("", `<w:r><w:fldChar w:fldCharType="begin"/></w:r>`+r(strings.Repeat("x", maxFieldCode+10))) + p("", r("text after"))
	got, _ := mustConvert(t, docxFile{body: body})
	if got != "text after\n\n" {
		t.Fatalf("got %.80q", got)
	}
}

func FuzzDocx(f *testing.F) {
	f.Add(p("Heading1", r("1\tScope")) + tbl(tr(tc(`<w:gridSpan w:val="2"/>`, p("", r("a")))), tr(tc("", p("", r("b"))), tc(`<w:vMerge/>`, p("")))))
	f.Add(p("", `<w:ins w:id="1">`+r("x")+`</w:ins><w:del w:id="2"><w:r><w:delText>y</w:delText></w:r></w:del>`))
	f.Add(p("", `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>`+r("1")))
	f.Add(p("PL", r("-- ASN1START")) + `<w:p><w:pPr><w:numPr><w:ilvl w:val="8"/><w:numId w:val="2"/></w:numPr></w:pPr>` + r("n") + `</w:p>`)
	f.Add(`<w:p><w:r><w:drawing><w:txbxContent><w:p><w:r><w:t>box</w:t></w:r></w:p></w:txbxContent></w:drawing></w:r></w:p>`)
	f.Fuzz(func(t *testing.T, body string) {
		b := docxFile{body: body}.build()
		_, err := Convert(context.Background(), bytes.NewReader(b), int64(len(b)), io.Discard, formats.Limits{MaxOutput: 1 << 20})
		if err != nil && !fault.IsPermanent(err) {
			t.Fatalf("a transient error for bad input: %v", err)
		}
	})
}
