package textnorm

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// ErrUnsupportedEncoding is returned for an encoding name that no decoder here knows,
// or one that is known but cannot be decoded (ISO-2022-KR, EBCDIC code pages...).
// Retrying cannot help, so callers treat it as bad input.
var ErrUnsupportedEncoding = errors.New("unsupported encoding")

// Byte order marks, longest first where one is a prefix of another.
const (
	bomUTF32LE = "\xFF\xFE\x00\x00"
	bomUTF32BE = "\x00\x00\xFE\xFF"
	bomUTF8    = "\xEF\xBB\xBF"
	bomUTF16LE = "\xFF\xFE"
	bomUTF16BE = "\xFE\xFF"
)

// BOM reports the encoding a byte order mark at the start of b announces and the
// length of the mark; ("", 0) when b starts with none. UTF-32LE is checked before
// UTF-16LE, whose mark is a prefix of it.
func BOM(b []byte) (encoding string, n int) {
	switch {
	case bytes.HasPrefix(b, []byte(bomUTF32LE)):
		return "UTF-32LE", len(bomUTF32LE)
	case bytes.HasPrefix(b, []byte(bomUTF32BE)):
		return "UTF-32BE", len(bomUTF32BE)
	case bytes.HasPrefix(b, []byte(bomUTF8)):
		return "UTF-8", len(bomUTF8)
	case bytes.HasPrefix(b, []byte(bomUTF16LE)):
		return "UTF-16LE", len(bomUTF16LE)
	case bytes.HasPrefix(b, []byte(bomUTF16BE)):
		return "UTF-16BE", len(bomUTF16BE)
	}
	return "", 0
}

// Decode converts text in the named encoding to UTF-8. The name is an IANA or WHATWG
// label, case-insensitive ("UTF-8", "windows-1252", "Shift_JIS", "x-sjis", "cp1251");
// an empty name means UTF-8. A byte order mark at the start wins over the name, as in
// browsers, and is stripped. Bytes that are invalid in the encoding become U+FFFD, so
// the result is always valid UTF-8 and one bad byte never loses a document.
func Decode(b []byte, encoding string) (string, error) {
	if bom, n := BOM(b); n > 0 {
		encoding, b = bom, b[n:]
	}
	name := strings.ToLower(strings.TrimSpace(encoding))
	if name == "" || name == "utf-8" || name == "utf8" {
		return strings.ToValidUTF8(string(b), "\uFFFD"), nil
	}
	enc, _, err := Lookup(encoding)
	if err != nil {
		return "", fmt.Errorf("textnorm: decode: %w", err)
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return "", fmt.Errorf("textnorm: decode %s: %w", encoding, err)
	}
	if !utf8.Valid(out) {
		return strings.ToValidUTF8(string(out), "\uFFFD"), nil
	}
	return string(out), nil
}

// Lookup finds the decoder for an encoding label and its canonical name: the
// preferred MIME name ("ISO-8859-2", not "ISO_8859-2:1987"), which Lookup accepts in
// turn, as do htmlindex and ianaindex for every encoding they support (UTF-32 is in
// neither, HZ-GB-2312 only in ianaindex). WHATWG labels are resolved as browsers do, so ISO-8859-1 and
// US-ASCII decode as windows-1252 (identical where the former define a character,
// and right for the many files that are labelled Latin-1 but hold cp1252 quotes).
// It returns an error wrapping ErrUnsupportedEncoding when nothing can decode it.
func Lookup(label string) (encoding.Encoding, string, error) {
	name := strings.ToLower(strings.TrimSpace(label))
	switch name {
	case "", "utf-8", "utf8", "unicode-1-1-utf-8":
		return unicode.UTF8, "UTF-8", nil
	case "utf-16le", "utf-16", "ucs-2", "unicode", "unicodefffe":
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "UTF-16LE", nil
	case "utf-16be":
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "UTF-16BE", nil
	case "utf-32le", "utf-32", "ucs-4":
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), "UTF-32LE", nil
	case "utf-32be":
		return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), "UTF-32BE", nil
	}
	name = alias(name)
	if enc, err := htmlindex.Get(name); err == nil {
		if n, _ := htmlindex.Name(enc); n != "replacement" {
			return enc, canonicalName(enc, label), nil
		}
	}
	for _, idx := range []*ianaindex.Index{ianaindex.IANA, ianaindex.MIME} {
		if enc, err := idx.Encoding(name); err == nil && enc != nil {
			return enc, canonicalName(enc, label), nil
		}
	}
	return nil, "", fmt.Errorf("%w: %q", ErrUnsupportedEncoding, label)
}

// alias maps the Windows code page and chardet spellings that the indexes lack.
func alias(name string) string {
	switch name {
	case "cp932", "ms-932", "windows-932":
		return "shift_jis"
	case "cp936", "ms936", "windows-936":
		return "gbk"
	case "gb-18030":
		return "gb18030"
	case "cp949", "ms949", "windows-949", "uhc":
		return "euc-kr"
	case "cp950", "ms950", "windows-950":
		return "big5"
	case "cp20866":
		return "koi8-r"
	}
	// cp1250 .. cp1258 are windows-1250 .. windows-1258.
	if len(name) == 6 && strings.HasPrefix(name, "cp125") {
		return "windows-" + name[2:]
	}
	return name
}

func canonicalName(enc encoding.Encoding, label string) string {
	if n, err := ianaindex.MIME.Name(enc); err == nil && n != "" {
		return n
	}
	if n, err := ianaindex.IANA.Name(enc); err == nil && n != "" {
		return n
	}
	return label
}
