package detect

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"
)

// zipOf builds a zip archive with the named (empty-ish) entries, in order.
func zipOf(t *testing.T, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, n := range names {
		f, err := w.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte("<x/>")); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// oleOf builds the start of an OLE compound file whose directory names streams.
func oleOf(streams ...string) []byte {
	b := []byte(magicOLE)
	b = append(b, make([]byte, 504)...)
	for _, s := range streams {
		entry := make([]byte, 128)
		for i, c := range utf16.Encode([]rune(s)) {
			binary.LittleEndian.PutUint16(entry[2*i:], c)
		}
		b = append(b, entry...)
	}
	return b
}

func randomBytes(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// lockFile is a Word owner file: a length byte, the user name, NUL padding, and the
// name again in UTF-16.
func lockFile() []byte {
	b := append([]byte{8}, "Mediatek"...)
	b = append(b, make([]byte, 45)...)
	b = append(b, 8, 0)
	for _, c := range "Mediatek" {
		b = append(b, byte(c), 0)
	}
	return append(b, make([]byte, 90)...)
}

func TestDetect_magicBytesFirst(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		head     []byte
		want     string
		wantMIME string
	}{
		{"pdf", "spec.pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), FormatPDF, "application/pdf"},
		{"pdf named txt", "spec.txt", []byte("%PDF-1.4\n1 0 obj"), FormatPDF, "application/pdf"},
		{"pdf header after junk, pdf name", "x.pdf", []byte("\r\n\r\n%PDF-1.4\n"), FormatPDF, "application/pdf"},
		{"docx", "CR.docx", nil, FormatDOCX, mimeOf(FormatDOCX)},
		{"docx upper-case extension", "S2-2209667.DOCX", nil, FormatDOCX, mimeOf(FormatDOCX)},
		{"docx named zip", "member.zip", nil, FormatDOCX, mimeOf(FormatDOCX)},
		{"xlsx", "kpi.xlsx", nil, FormatXLSX, mimeOf(FormatXLSX)},
		{"pptx is not a document we read", "deck.pptx", nil, FormatUnknown,
			"application/vnd.openxmlformats-officedocument.presentationml.presentation"},
		{"plain zip", "38331-i40.zip", nil, FormatZIP, "application/zip"},
		{"plain zip named docx is a zip", "fake.docx", nil, FormatZIP, "application/zip"},
		{"ooxml parts beyond head, docx name", "big.docx", nil, FormatDOCX, mimeOf(FormatDOCX)},
		{"empty zip", "e.zip", []byte("PK\x05\x06" + strings.Repeat("\x00", 18)), FormatZIP, "application/zip"},
		{"ole doc by extension", "S2-1812080.doc", oleOf(), FormatDOC, "application/msword"},
		{"ole xls by extension", "old.XLS", oleOf(), FormatXLS, "application/vnd.ms-excel"},
		{"ole doc by stream name", "noext", oleOf("Root Entry", "WordDocument"), FormatDOC, "application/msword"},
		{"ole xls by stream name", "noext", oleOf("Root Entry", "Workbook"), FormatXLS, "application/vnd.ms-excel"},
		{"encrypted ooxml in ole", "secret.docx", oleOf("Root Entry", "EncryptedPackage"), FormatUnknown, "application/x-ole-storage"},
		{"git lfs pointer named md", "38508-1.md",
			[]byte("version https://git-lfs.github.com/spec/v1\noid sha256:e168\nsize 972984\n"), FormatLFSPointer, "text/plain"},
		{"png", "fig.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), FormatUnknown, "image/png"},
		{"gzip named txt", "notes.txt", []byte("\x1f\x8b\x08\x00\x00\x00"), FormatUnknown, "application/gzip"},
		{"rtf named doc", "letter.doc", []byte(`{\rtf1\ansi\deff0 Hello}`), FormatUnknown, "application/rtf"},
	}
	fixtures := map[string][]byte{
		"docx":                               zipOf(t, "[Content_Types].xml", "_rels/.rels", "word/document.xml"),
		"docx upper-case extension":          zipOf(t, "[Content_Types].xml", "_rels/.rels", "word/document.xml"),
		"docx named zip":                     zipOf(t, "[Content_Types].xml", "word/document.xml"),
		"xlsx":                               zipOf(t, "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"),
		"pptx is not a document we read":     zipOf(t, "[Content_Types].xml", "ppt/presentation.xml"),
		"plain zip":                          zipOf(t, "38331-i40.docx"),
		"plain zip named docx is a zip":      zipOf(t, "readme.txt"),
		"ooxml parts beyond head, docx name": zipOf(t, "[Content_Types].xml", "_rels/.rels"),
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			head := tt.head
			if head == nil {
				head = fixtures[tt.name]
			}
			got := Detect(tt.file, head)
			if got.Format != tt.want || got.MIME != tt.wantMIME || got.Encoding != "" {
				t.Errorf("Detect(%q) = %+v, want format %q, MIME %q, no encoding", tt.file, got, tt.want, tt.wantMIME)
			}
		})
	}
}

func TestDetect_extensionSecond(t *testing.T) {
	tests := []struct {
		file, content, want string
	}{
		{"notes.MD", "just a line of text\n", FormatMarkdown},
		{"notes.txt", "# Heading\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", FormatText},
		{"table.csv", "one line, no structure\n", FormatCSV},
		{"table.TSV", "a\tb\n1\t2\n", FormatCSV},
		{"rrc.asn", "-- a comment only\n", FormatASN1},
		{"rrc.asn1", "RRC DEFINITIONS AUTOMATIC TAGS ::= BEGIN\n", FormatASN1},
		{"page.htm", "no tags at all\n", FormatHTML},
		{"data.json", "{\"a\": 1}\n", FormatJSON},
		{"data.jsonl", "{\"a\": 1}\n{\"a\": 2}\n", FormatJSON},
		{"pm.xml", "<?xml version=\"1.0\"?>\n<measCollecFile/>\n", FormatXML},
		{"feed.xml holding html", "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML//EN\">\n<html><body>x</body></html>", FormatHTML},
		{"feed.xml with comment", "<!-- generated -->\n<rss version=\"2.0\"></rss>", FormatXML},
		{"script.sh", "# set up\n\nls -la\n", FormatText},
		{"audit.mos", "# comment\n\nhgetc ^EUtranCell.DD= ^param$\n", FormatText},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			file := strings.Fields(tt.file)[0]
			got := Detect(file, []byte(tt.content))
			if got.Format != tt.want || got.Encoding != "UTF-8" || got.MIME != mimeOf(tt.want) {
				t.Errorf("Detect(%q) = %+v, want %s in UTF-8", file, got, tt.want)
			}
		})
	}
}

func TestDetect_contentDisagreesWithName(t *testing.T) {
	tests := []struct {
		name, file string
		head       []byte
		want       string
		wantEnc    string
	}{
		{"pdf placeholder holding text", "TS_24.301_v18_R18.pdf", []byte("# Placeholder for PDF file"), FormatText, "UTF-8"},
		{"doc holding html (Word web page)", "tdoc.doc", []byte("<html>\n<head><title>x</title></head></html>"), FormatHTML, "UTF-8"},
		{"xls holding csv", "export.xls", []byte("cell,pci,earfcn\nA1,12,6300\nA2,13,6300\nA3,14,6300\n"), FormatCSV, "UTF-8"},
		{"word lock file", "~$501-j11.docx", lockFile(), FormatUnknown, ""},
		{"lock file without NULs is still no document", "~$x.docx", []byte("\x05alice     "), FormatUnknown, ""},
		{"binary junk named docx", "broken.docx", randomBytes(4096), FormatUnknown, ""},
		{"binary junk named md", "notes.md", randomBytes(4096), FormatUnknown, ""},
		{"binary without name", "blob", randomBytes(4096), FormatUnknown, ""},
		{"empty", "anything.pdf", nil, FormatEmpty, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Detect(tt.file, tt.head)
			if got.Format != tt.want || got.Encoding != tt.wantEnc {
				t.Errorf("Detect(%q) = %+v, want %s / %q", tt.file, got, tt.want, tt.wantEnc)
			}
			if got.IsText() != (tt.wantEnc != "") {
				t.Errorf("IsText = %v", got.IsText())
			}
		})
	}
}

func TestDetect_contentSniffing(t *testing.T) {
	tests := []struct {
		name, content, want string
	}{
		{"html doctype", "<!DOCTYPE html>\n<html lang=en>", FormatHTML},
		{"html body first", "<body leftmargin=\"0\">\n<table border=0>", FormatHTML},
		{"html saved-from comment", "\n<!-- saved from url=(0101)file:///D:/x -->\n<html>", FormatHTML},
		{"xhtml with prolog", "<?xml version=\"1.0\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">", FormatHTML},
		{"xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<bulkCmConfigDataFile>", FormatXML},
		{"json object", "{\n  \"doc_id\": \"sha256:1\",\n  \"items\": [1, 2]\n}\n", FormatJSON},
		{"json lines", "{\"a\":1}\n{\"a\":2}\n", FormatJSON},
		{"json array of records", "[{\"name\": \"x\"}, {\"name\": \"y\"}]", FormatJSON},
		{"citation is not json", "[1] 3GPP TS 38.331: \"NR; RRC\".\n[2] 3GPP TS 38.300\n", FormatText},
		{"brace prose is not json", "{ this is not json }\n", FormatText},
		{"markdown headings and table",
			"# Cell Soft Lock\n\nIntro text.\n\n## Parameters\n\n| Name | Value |\n|------|-------|\n| a | 1 |\n", FormatMarkdown},
		{"markdown grid table", "Text\n\n+-----+-----+\n| a   | b   |\n+=====+=====+\n", FormatMarkdown},
		{"markdown headings and code fence", "## Usage\n\n```\ncmedit get *\n```\n", FormatMarkdown},
		{"setext heading and link", "Title\n=====\n\nSee [the spec](http://x).\n", FormatMarkdown},
		{"single heading is not enough", "# Placeholder\n", FormatText},
		{"shell comments are not headings", "# backup\n# restore\nls\n\n# done\n", FormatText},
		{"shebang script", "#!/bin/sh\n\n# Heading-like\n\n| not | a | table |\n|---|---|---|\n", FormatText},
		{"asn1 module", "NGAP-PDU-Descriptions {\nitu-t (0) }\n\nDEFINITIONS AUTOMATIC TAGS ::= \n\nBEGIN\n", FormatASN1},
		{"csv", "scenario,condition,variant,formula\nRMa,LOS,,\"PL_1 = 20log10(40, pi)\"\nUMa,NLOS,a,x\nUMi,LOS,b,y\n", FormatCSV},
		{"csv with multi-line quoted field", "id;text;n\n1;\"two\nlines\";3\n2;x;4\n3;y;5\n", FormatCSV},
		{"tsv", "a\tb\tc\n1\t2\t3\n4\t5\t6\n", FormatCSV},
		{"prose with commas", "Hello, world.\nThis is prose, really.\nNo table here.\n", FormatText},
		{"plain text", "Naukowcy zauwazyli, ze zmiana rytmu snu\nprowadzi do rozregulowania.\n", FormatText},
		{"moshell log", "WULTE_JLJATIDUA> lt all\n\n190514-10:02:30 10.1.1.1 18.0u MSRBS_NODE_MODEL_18.Q2\n", FormatText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Detect("noext", []byte(tt.content))
			if got.Format != tt.want {
				t.Errorf("Detect = %+v, want %s", got, tt.want)
			}
		})
	}
}

func TestDetect_encoding(t *testing.T) {
	utf16le := func(s string, bom bool) []byte {
		var b []byte
		if bom {
			b = append(b, 0xFF, 0xFE)
		}
		for _, u := range utf16.Encode([]rune(s)) {
			b = binary.LittleEndian.AppendUint16(b, u)
		}
		return b
	}
	utf16be := func(s string, bom bool) []byte {
		var b []byte
		if bom {
			b = append(b, 0xFE, 0xFF)
		}
		for _, u := range utf16.Encode([]rune(s)) {
			b = binary.BigEndian.AppendUint16(b, u)
		}
		return b
	}
	utf32 := func(s string, order binary.AppendByteOrder, bom []byte) []byte {
		b := append([]byte{}, bom...)
		for _, r := range s {
			b = order.AppendUint32(b, uint32(r))
		}
		return b
	}
	const sample = "DateTime,Bid,Ask\r\n07/19/2015 21:00:15.469,1.083,1.084\r\n"
	// 2-byte runes shifted by one byte: the head ends inside a rune.
	cut := []byte("a" + strings.Repeat("ä", HeadSize/2))
	tests := []struct {
		name, file string
		head       []byte
		want       string
	}{
		{"ascii is utf-8", "a.txt", []byte("plain ASCII"), "UTF-8"},
		{"utf-8", "a.txt", []byte("Größe — ≥ 3 dB"), "UTF-8"},
		{"utf-8 bom", "a.srt", []byte("\xEF\xBB\xBF1\n00:00:06,500 --> 00:00:09,000\n"), "UTF-8"},
		{"utf-8 cut at the end of the head", "a.txt", cut, "UTF-8"},
		{"utf-16le bom", "a.srt", utf16le("1\n00:00:06,500 --> x\n", true), "UTF-16LE"},
		{"utf-16be bom", "a.srt", utf16be("1\n00:00:06,500 --> x\n", true), "UTF-16BE"},
		{"utf-16le without bom", "a.txt", utf16le(sample, false), "UTF-16LE"},
		{"utf-16be without bom", "a.txt", utf16be(sample, false), "UTF-16BE"},
		{"utf-32le bom", "a.txt", utf32("1\nAbout 2 months\n", binary.LittleEndian, []byte{0xFF, 0xFE, 0, 0}), "UTF-32LE"},
		{"utf-32be bom", "a.txt", utf32("1\nAbout 2 months\n", binary.BigEndian, []byte{0, 0, 0xFE, 0xFF}), "UTF-32BE"},
		{"utf-32le without bom", "a.txt", utf32("About 2 months ago\n", binary.LittleEndian, nil), "UTF-32LE"},
		{"iso-2022-jp escapes", "a.txt", []byte("====\n    \x1b$B%3%s%=!<%k\x1b(B text\n"), "ISO-2022-JP"},
		{"iso-2022-kr escapes", "a.txt", []byte("\x1b$)C\x0e!!\x0f text\n"), "ISO-2022-KR"},
		{"hz", "a.txt", []byte("~{<:Ky2;S{#,NpJ)l6HK!#~}Bye.\n"), "HZ-GB-2312"},
		{"tilde brace in ascii is not hz", "a.txt", []byte("set ~{x} and ~} here\n"), "UTF-8"},
		{"html declaring windows-1252, ascii head", "a.htm",
			[]byte("<HTML>\n<HEAD>\n<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html;charset=windows-1252\">"), "windows-1252"},
		{"html declaring x-sjis, sjis bytes", "a.html",
			[]byte("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=x-sjis\"></head><body>\x83\x65\x83\x58\x83\x67</body></html>"), "Shift_JIS"},
		{"xml declaring iso-8859-1", "a.xml", []byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<a>caf\xe9</a>"), "windows-1252"},
		{"html wrongly declaring utf-8 is guessed", "a.html",
			[]byte("<html><head><meta charset=\"utf-8\"></head><body>Das ist f\xfcr die Gr\xf6\xdfe der Stra\xdfe und f\xfcr \x93mehr\x94 ohne Zweifel, \x96 wie immer.</body></html>"), "windows-1252"},
		{"utf-8 wins over a declaration", "a.html", []byte("<meta charset=\"windows-1252\"><p>Größe</p>"), "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Detect(tt.file, tt.head)
			if got.Encoding != tt.want {
				t.Errorf("Detect(%q) = %+v, want encoding %s", tt.file, got, tt.want)
			}
		})
	}
}

func TestCharset_seesBeyondTheHead(t *testing.T) {
	doc := append(bytes.Repeat([]byte("All ASCII in the head.\n"), HeadSize/20), "Caf\xe9 \x93quoted\x94 \x96 na\xefve r\xe9sum\xe9\n"...)
	if got := Detect("a.txt", doc); got.Encoding != "UTF-8" {
		t.Fatalf("Detect on the ASCII head = %s, want UTF-8", got.Encoding)
	}
	if got := Charset(doc, FormatText); got != "windows-1252" {
		t.Errorf("Charset on the whole text = %s, want windows-1252", got)
	}
}

func TestCharset_findsLateEvidenceInLongDocuments(t *testing.T) {
	russian, err := charmap.Windows1251.NewEncoder().String(strings.Repeat(
		"Функция плавной блокировки соты позволяет оператору постепенно вывести соту из эксплуатации. ", 5))
	if err != nil {
		t.Fatal(err)
	}
	doc := append(bytes.Repeat([]byte("All ASCII for a long while.\n"), 20000), russian...)
	if got := Charset(doc, FormatText); got != "windows-1251" {
		t.Errorf("Charset = %s, want windows-1251", got)
	}
}

func TestDetect_ignoresBytesBeyondHeadSize(t *testing.T) {
	doc := append(bytes.Repeat([]byte("a"), HeadSize), 0, 0, 0)
	if got := Detect("a.txt", doc); got.Format != FormatText {
		t.Errorf("Detect = %+v: NULs after HeadSize were looked at", got)
	}
}

func TestSplitName(t *testing.T) {
	tests := []struct{ in, base, ext string }{
		{"24301-j10.zip/24301-j10.DOCX", "24301-j10.DOCX", ".docx"},
		{`C:\specs\TS 24.368.pdf`, "TS 24.368.pdf", ".pdf"},
		{"dir.d/README", "README", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		if base, ext := splitName(tt.in); base != tt.base || ext != tt.ext {
			t.Errorf("splitName(%q) = %q, %q; want %q, %q", tt.in, base, ext, tt.base, tt.ext)
		}
	}
}
