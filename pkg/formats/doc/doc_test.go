package doc

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
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

func convert(t testing.TB, b []byte) (string, formats.Info, error) {
	t.Helper()
	var out bytes.Buffer
	info, err := Convert(context.Background(), bytes.NewReader(b), int64(len(b)), &out, formats.Limits{})
	return out.String(), info, err
}

func mustConvert(t *testing.T, b []byte) (string, formats.Info) {
	t.Helper()
	out, info, err := convert(t, b)
	if err != nil {
		t.Fatalf("Convert: %v", err)
	}
	return out, info
}

func TestDoc_pieceTableText(t *testing.T) {
	d := wordDoc{segs: []seg{
		{text: "Release \u201c18\u201d \u2013 caf\u00e9\r"},
		{text: "\u03a9mega and \u65e5\u672c ", utf16: true},
		{text: "continue here\r"},
		{text: "Page \x13 PAGE \\* MERGEFORMAT \x147\x15 of 9\x13 HYPERLINK \"x\" \x01\x15\r", utf16: true},
		{text: "non\x1ebreaking soft\x1fhyphen\vnext line\r"},
		{text: "was deleted ", deleted: true},
		{text: "kept\ttab\r"},
	}}
	got, _ := mustConvert(t, d.build())
	want := "Release \u201c18\u201d \u2013 caf\u00e9\n\n" +
		"\u03a9mega and \u65e5\u672c continue here\n\n" +
		"Page 7 of 9\n\n" +
		"non-breaking softhyphen\nnext line\n\n" +
		"kept tab\n\n"
	if got != want {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
}

func TestDoc_tablesAsRows(t *testing.T) {
	text := "Before\rName\x07Value\x07\x07maxUEs\x07line one\rline | two\x07\x07\x07\x07\x07After\r"
	cellMarks := []mark{
		{},                                                           // Before
		{inTable: true}, {inTable: true}, {inTable: true, ttp: true}, // header row
		{inTable: true}, {inTable: true}, {inTable: true}, {inTable: true, ttp: true}, // row with a two-paragraph cell
		{inTable: true}, {inTable: true}, {inTable: true, ttp: true}, // an empty row
		{}, // After
	}
	want := "Before\n\n" +
		"| Name | Value |\n| --- | --- |\n| maxUEs | line one<br>line \\| two |\n\n" +
		"After\n\n"
	t.Run("from paragraph properties", func(t *testing.T) {
		got, _ := mustConvert(t, wordDoc{segs: []seg{{text: text}}, marks: cellMarks}.build())
		if got != want {
			t.Fatalf("got\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("without paragraph properties", func(t *testing.T) {
		// No bin tables: a cell mark right after a cell mark ends the row.
		plain := "Before\rName\x07Value\x07\x07maxUEs\x07limit\x07\x07After\r"
		got, _ := mustConvert(t, wordDoc{segs: []seg{{text: plain}}, noProps: true}.build())
		w := "Before\n\n| Name | Value |\n| --- | --- |\n| maxUEs | limit |\n\nAfter\n\n"
		if got != w {
			t.Fatalf("got\n%s\nwant\n%s", got, w)
		}
	})
}

func TestDoc_headingsAndListsFromStyles(t *testing.T) {
	d := wordDoc{
		segs:   []seg{{text: "5.3.5\tRRC reconfiguration\rIntro text\r\u2013\tRRCReconfiguration\rRRCReconfiguration ::= SEQUENCE {\r}\rfirst item\r"}},
		marks:  []mark{{istd: 1}, {istd: 0}, {istd: 2}, {istd: 3}, {istd: 3}, {ilfo: 1}},
		styles: []string{"Normal", "heading 3", "H6", "PL"},
	}
	got, _ := mustConvert(t, d.build())
	want := "### 5.3.5 RRC reconfiguration\n\nIntro text\n\n###### \u2013 RRCReconfiguration\n\n" +
		"```\nRRCReconfiguration ::= SEQUENCE {\n}\n```\n\n- first item\n\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestDoc_coverPageMetadata(t *testing.T) {
	d := wordDoc{segs: []seg{{text: "3GPP TS 25.331 V3.21.0 (2004-12)\rTechnical Specification\r3rd Generation Partnership Project;\rTechnical Specification Group Radio Access Network;\rRadio Resource Control (RRC);\rProtocol Specification\r(Release 1999)\rBody\r"}}}
	_, info := mustConvert(t, d.build())
	if info.Meta["spec"] != "25.331" || info.Meta["version"] != "3.21.0" || info.Meta["release"] != "99" {
		t.Fatalf("meta %v", info.Meta)
	}
	if info.Title != "3GPP TS 25.331 V3.21.0: Radio Resource Control (RRC); Protocol Specification" {
		t.Fatalf("title %q", info.Title)
	}
}

func TestDoc_encrypted(t *testing.T) {
	enc := wordDoc{segs: []seg{{text: "secret\r"}}, encrypted: true}.build()
	ooxml, _ := cfbtest.Build(cfbtest.Stream{Name: "EncryptionInfo", Data: []byte("info")}, cfbtest.Stream{Name: "EncryptedPackage", Data: make([]byte, 5000)})
	for name, b := range map[string][]byte{"fEncrypted": enc, "encrypted OOXML": ooxml} {
		_, _, err := convert(t, b)
		if !errors.Is(err, formats.ErrEncrypted) || !fault.IsPermanent(err) {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

func TestDoc_notWord(t *testing.T) {
	xls, _ := cfbtest.Build(cfbtest.Stream{Name: "Workbook", Data: []byte("cells")})
	for name, b := range map[string][]byte{"zip": []byte("PK\x03\x04rest"), "text": []byte("plain text"), "empty": nil, "xls": xls} {
		if _, _, err := convert(t, b); !errors.Is(err, formats.ErrNotFormat) {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

func TestDoc_runawayFieldCodeEnds(t *testing.T) {
	b := wordDoc{segs: []seg{{text: "\x13" + strings.Repeat("x", maxFieldCode+10) + "\rtext after\r"}}}.build()
	got, _ := mustConvert(t, b)
	if !strings.HasSuffix(got, "text after\n\n") || strings.Contains(got, strings.Repeat("x", 100)) {
		t.Fatalf("got %.80q", got)
	}
}

func TestDoc_outputLimit(t *testing.T) {
	b := wordDoc{segs: []seg{{text: strings.Repeat("word ", 2000) + "\r"}}}.build()
	var out bytes.Buffer
	_, err := Convert(context.Background(), bytes.NewReader(b), int64(len(b)), &out, formats.Limits{MaxOutput: 1000})
	if !errors.Is(err, formats.ErrTooLarge) {
		t.Fatalf("got %v", err)
	}
}

func TestDoc_hostileCFBNeverPanics(t *testing.T) {
	le := binary.LittleEndian
	valid := wordDoc{
		segs:  []seg{{text: "Title\rA\x07B\x07\x07"}, {text: "text \x13 code \x14result\x15\r", utf16: true}},
		marks: []mark{{}, {inTable: true}, {inTable: true}, {inTable: true, ttp: true}},
	}.build()
	if _, _, err := convert(t, valid); err != nil {
		t.Fatalf("the valid base fails: %v", err)
	}
	check := func(t *testing.T, name string, b []byte) {
		t.Helper()
		_, _, err := convert(t, b)
		if err == nil {
			return
		}
		if !fault.IsPermanent(err) {
			t.Fatalf("%s: a transient error for bad input: %v", name, err)
		}
	}
	mustCorrupt := func(t *testing.T, name string, b []byte) {
		t.Helper()
		if _, _, err := convert(t, b); !errors.Is(err, formats.ErrCorrupt) {
			t.Fatalf("%s: got %v, want ErrCorrupt", name, err)
		}
	}
	// Named corruptions of the container.
	cyclic := bytes.Clone(valid)
	dirStart := le.Uint32(cyclic[0x30:])
	le.PutUint32(cyclic[cfbtest.SectorOffset(0)+4*int(dirStart):], dirStart)
	mustCorrupt(t, "cyclic FAT", cyclic)
	outOfRange := bytes.Clone(valid)
	le.PutUint32(outOfRange[0x30:], 0x00FFFFFF)
	mustCorrupt(t, "out-of-range sector", outOfRange)
	mustCorrupt(t, "truncated", valid[:len(valid)/3])
	mustCorrupt(t, "header only", valid[:512])

	// Every truncation and a flipped byte at each offset: an error or a
	// result, never a panic or a hang.
	for n := 0; n < len(valid); n += 7 {
		check(t, fmt.Sprintf("truncated at %d", n), valid[:n])
	}
	for i := 0; i < len(valid); i++ {
		for _, v := range []byte{0x00, 0xFF, 0x7F} {
			b := bytes.Clone(valid)
			if b[i] == v {
				continue
			}
			b[i] = v
			check(t, fmt.Sprintf("byte %d = %#x", i, v), b)
		}
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

func TestDoc_sourceErrorsAreTransient(t *testing.T) {
	b := wordDoc{segs: []seg{{text: strings.Repeat("words ", 2000) + "\r"}}}.build()
	for _, n := range []int64{3, 600, int64(len(b)) - 10} {
		_, err := Convert(context.Background(), failingReader{b, n}, int64(len(b)), io.Discard, formats.Limits{})
		if !errors.Is(err, errSource) || fault.IsPermanent(err) {
			t.Fatalf("failing at byte %d: %v", n, err)
		}
	}
}

func FuzzDoc(f *testing.F) {
	f.Add(wordDoc{segs: []seg{{text: "Hello\rA\x07B\x07\x07"}}, marks: []mark{{}, {inTable: true}, {inTable: true}, {inTable: true, ttp: true}}}.build())
	f.Add(wordDoc{segs: []seg{{text: "x\x13a\x14b\x15\r", utf16: true}, {text: "gone", deleted: true}}}.build())
	if b, err := os.ReadFile(filepath.Join("testdata", "sample.doc")); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := Convert(context.Background(), bytes.NewReader(b), int64(len(b)), io.Discard, formats.Limits{MaxOutput: 1 << 20})
		if err != nil && !fault.IsPermanent(err) {
			t.Fatalf("a transient error for bad input: %v", err)
		}
	})
}

// FuzzDocStreams fuzzes the Word layer under a valid container: the FIB,
// piece table, bin tables, FKP pages and style sheet.
func FuzzDocStreams(f *testing.F) {
	for _, d := range []wordDoc{
		{segs: []seg{{text: "Hello\rA\x07B\x07\x07"}}, marks: []mark{{}, {inTable: true}, {inTable: true}, {inTable: true, ttp: true}}, styles: []string{"Normal", "heading 1"}},
		{segs: []seg{{text: "x\x13a\x14b\x15\r", utf16: true}, {text: "gone", deleted: true}, {text: "y\r"}}},
	} {
		doc, table := d.streams()
		f.Add(doc, table)
	}
	f.Fuzz(func(t *testing.T, doc, table []byte) {
		b, _ := cfbtest.Build(cfbtest.Stream{Name: "WordDocument", Data: doc}, cfbtest.Stream{Name: "1Table", Data: table})
		_, err := Convert(context.Background(), bytes.NewReader(b), int64(len(b)), io.Discard, formats.Limits{MaxOutput: 1 << 20})
		if err != nil && !fault.IsPermanent(err) {
			t.Fatalf("a transient error for bad input: %v", err)
		}
	})
}

func TestDoc_libreOfficeFixture(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "sample.doc"))
	if err != nil {
		t.Fatal(err)
	}
	got, info := mustConvert(t, b)
	for _, want := range []string{
		"# 1 Scope",
		"## 5.3.5.4 Reception of an RRCReconfiguration by the UE",
		"| Field | Description |",
		"| maxUEs | Maximum number of UEs<br>per cell |",
		"- first bullet",
		"Inserted words stay.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(got, "deleted words") {
		t.Error("tracked deletion kept")
	}
	// LibreOffice saved the same document as .docx: both converters agree.
	if golden, err := os.ReadFile(filepath.Join("..", "docx", "testdata", "libreoffice.golden.md")); err == nil && string(golden) != got {
		t.Errorf("the .doc and .docx of one document differ:\n%s\nvs the .docx's\n%s", got, golden)
	}
	if info.Meta["spec"] != "38.331" || info.Meta["release"] != "18" {
		t.Errorf("meta %v", info.Meta)
	}
	if t.Failed() {
		t.Logf("output:\n%s", got)
	}
}
