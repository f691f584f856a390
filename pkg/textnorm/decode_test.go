package textnorm

import (
	"errors"
	"testing"
	"unicode/utf8"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name, enc string
		in        []byte
		want      string
	}{
		{"empty name is utf-8", "", []byte("Größe"), "Größe"},
		{"utf-8 bom stripped", "UTF-8", []byte("\xEF\xBB\xBFabc"), "abc"},
		{"bom wins over the name", "windows-1252", []byte("\xEF\xBB\xBFGr\xC3\xB6\xC3\x9Fe"), "Größe"},
		{"utf-16le bom wins over utf-8", "UTF-8", []byte("\xFF\xFEa\x00b\x00"), "ab"},
		{"utf-16be bom", "", []byte("\xFE\xFF\x00a\x00b"), "ab"},
		{"utf-32le bom before utf-16le", "", []byte("\xFF\xFE\x00\x00a\x00\x00\x00"), "a"},
		{"utf-32be bom", "", []byte("\x00\x00\xFE\xFF\x00\x00\x00a"), "a"},
		{"utf-16le without bom by name", "UTF-16LE", []byte("a\x00b\x00"), "ab"},
		{"utf-16be without bom by name", "utf-16be", []byte("\x00a\x00b"), "ab"},
		{"utf-32le without bom by name", "UTF-32LE", []byte("a\x00\x00\x00"), "a"},
		{"windows-1252 quotes and euro", "windows-1252", []byte("\x93quoted\x94 \x80 5"), "“quoted” € 5"},
		{"iso-8859-1 label decodes cp1252 quotes", "ISO-8859-1", []byte("caf\xe9 \x93x\x94"), "café “x”"},
		{"cp1251 alias", "cp1251", []byte("\xcf\xf0\xe8\xe2\xe5\xf2"), "Привет"},
		{"koi8-r", "KOI8-R", []byte("\xf0\xd2\xc9\xd7\xc5\xd4"), "Привет"},
		{"x-sjis label", "x-sjis", []byte("\x83\x65\x83\x58\x83\x67"), "テスト"},
		{"cp932 alias", "CP932", []byte("\x83\x65\x83\x58\x83\x67"), "テスト"},
		{"gb-18030 chardet spelling", "GB-18030", []byte("\xd6\xd0\xce\xc4"), "中文"},
		{"hz-gb-2312 via ianaindex", "HZ-GB-2312", []byte("~{VPND~}"), "中文"},
		{"invalid utf-8 replaced", "UTF-8", []byte("a\xffb"), "a\ufffdb"},
		{"truncated shift_jis replaced", "Shift_JIS", []byte("\x83\x65\x83"), "テ\ufffd"},
		{"odd utf-16 byte replaced", "UTF-16LE", []byte("a\x00b"), "a\ufffd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.in, tt.enc)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if got != tt.want {
				t.Errorf("Decode(%q, %q) = %q, want %q", tt.in, tt.enc, got, tt.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("invalid UTF-8: %q", got)
			}
		})
	}
}

func TestDecode_unsupported(t *testing.T) {
	for _, enc := range []string{"ISO-2022-KR", "ISO-2022-CN", "IBM424_rtl", "no-such-charset"} {
		t.Run(enc, func(t *testing.T) {
			got, err := Decode([]byte("abc"), enc)
			if !errors.Is(err, ErrUnsupportedEncoding) {
				t.Fatalf("Decode(%q) = %q, %v; want ErrUnsupportedEncoding", enc, got, err)
			}
		})
	}
}

func TestLookup_canonicalNames(t *testing.T) {
	tests := map[string]string{
		"utf8": "UTF-8", "UTF-16": "UTF-16LE", "latin1": "windows-1252", "ISO-8859-2": "ISO-8859-2",
		"x-sjis": "Shift_JIS", "GB2312": "GBK", "GB-18030": "GB18030", "cp1250": "windows-1250",
		"euc-kr": "EUC-KR", "koi8-r": "KOI8-R", "iso-2022-jp": "ISO-2022-JP", "HZ-GB-2312": "HZ-GB-2312",
		"ISO-8859-8-I": "ISO-8859-8-I", "utf-32be": "UTF-32BE",
	}
	for label, want := range tests {
		if _, got, err := Lookup(label); err != nil || got != want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", label, got, err, want)
		}
	}
}

func TestBOM(t *testing.T) {
	tests := []struct {
		in   string
		want string
		n    int
	}{
		{"\xEF\xBB\xBFx", "UTF-8", 3},
		{"\xFF\xFEx\x00", "UTF-16LE", 2},
		{"\xFE\xFF\x00x", "UTF-16BE", 2},
		{"\xFF\xFE\x00\x00", "UTF-32LE", 4},
		{"\x00\x00\xFE\xFF", "UTF-32BE", 4},
		{"plain", "", 0},
		{"", "", 0},
	}
	for _, tt := range tests {
		if got, n := BOM([]byte(tt.in)); got != tt.want || n != tt.n {
			t.Errorf("BOM(%q) = %q, %d; want %q, %d", tt.in, got, n, tt.want, tt.n)
		}
	}
}
