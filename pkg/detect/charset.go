package detect

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/saintfish/chardet"

	"github.com/ranstream/ranstream/pkg/textnorm"
)

// view is the head as text, for sniffing.
type view struct {
	// text is the head in UTF-8 when its encoding is a Unicode one found by BOM or
	// byte pattern, else the raw head (ASCII-compatible for markup sniffing).
	text []byte
	// encoding is the Unicode encoding found; empty when an 8-bit or multi-byte
	// legacy encoding remains to be guessed.
	encoding string
	// binary is set when the head is not text in any encoding.
	binary bool
}

// examine finds Unicode encodings by BOM or by the zero-byte pattern of UTF-16 and
// UTF-32 without BOM (so their text is not taken for binary), and tells binary content
// from text by its control bytes.
func examine(head []byte) view {
	enc, n := textnorm.BOM(head)
	if n == 0 {
		enc = guessUnicode(head)
	}
	switch enc {
	case "":
		return view{text: head, binary: looksBinary(head)}
	case "UTF-8":
		return view{text: head[n:], encoding: enc}
	}
	unit := 2
	if enc == "UTF-32LE" || enc == "UTF-32BE" {
		unit = 4
	}
	body := head[n:]
	body = body[:len(body)-len(body)%unit]
	s, err := textnorm.Decode(body, enc)
	if err != nil {
		return view{text: head, binary: true}
	}
	text := []byte(s)
	return view{text: text, encoding: enc, binary: looksBinary(text)}
}

// guessUnicode recognises UTF-32 and UTF-16 without BOM in their common case, text
// that is mostly Latin, from where the zero bytes fall in the first KiBs. It returns
// "" otherwise.
func guessUnicode(b []byte) string {
	b = b[:min(len(b), 4096)]
	if n := len(b) / 4; n >= 2 {
		var z [4]int
		for i := 0; i < 4*n; i++ {
			if b[i] == 0 {
				z[i%4]++
			}
		}
		switch {
		case z[3] == n && z[2]*10 >= n*9 && z[0]*2 < n:
			return "UTF-32LE"
		case z[0] == n && z[1]*10 >= n*9 && z[3]*2 < n:
			return "UTF-32BE"
		}
	}
	n := len(b) / 2
	if n < 2 {
		return ""
	}
	var even, odd int
	for i := 0; i < 2*n; i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	switch {
	case odd*10 >= n*3 && even*20 <= n:
		return "UTF-16LE"
	case even*10 >= n*3 && odd*20 <= n:
		return "UTF-16BE"
	}
	return ""
}

// looksBinary reports content that is not text: any NUL byte (as git decides), or
// more than 5% control bytes other than those text uses (whitespace, and the escape,
// shift-out and shift-in of ISO-2022).
func looksBinary(b []byte) bool {
	if bytes.IndexByte(b, 0) >= 0 {
		return true
	}
	controls := 0
	for _, c := range b {
		if c < 0x20 && !isTextControl(c) || c == 0x7F {
			controls++
		}
	}
	return controls*20 > len(b)
}

func isTextControl(c byte) bool {
	switch c {
	case '\t', '\n', '\r', '\f', '\v', 0x1B, 0x0E, 0x0F:
		return true
	}
	return false
}

// Charset names the encoding of text of the given format (a Format constant) as
// Detect does, for any length of b. Detect sees only the head; a stage that holds the
// whole document and finds it is not valid in the encoding Detect named (UTF-8 text
// with a stray windows-1252 byte after the first 64 KiB) asks again here.
func Charset(b []byte, format string) string {
	if enc, n := textnorm.BOM(b); n > 0 {
		return enc
	}
	if enc := guessUnicode(b); enc != "" {
		return enc
	}
	return legacyCharset(b, format)
}

// legacyCharset names the encoding of text that has no BOM and is not UTF-16/32.
// Valid UTF-8 with non-ASCII characters is UTF-8. ASCII is checked for the 7-bit
// encodings (ISO-2022, HZ), then for a charset an HTML or XML document declares
// (its non-ASCII bytes may lie beyond the head), and is UTF-8 otherwise. Bytes that
// are not UTF-8 take the declared charset, else chardet's best guess that textnorm can
// decode, else windows-1252, which decodes any byte.
func legacyCharset(head []byte, format string) string {
	markup := format == FormatHTML || format == FormatXML
	ascii := isASCII(head)
	if ascii {
		if e := sevenBit(head); e != "" {
			return e
		}
	}
	valid := ascii || validUTF8(head)
	if valid && !ascii {
		return "UTF-8"
	}
	if markup {
		if e := declaredCharset(head); e != "" {
			return e
		}
	}
	if valid {
		return "UTF-8"
	}
	if e := guessCharset(guessWindow(head), markup); e != "" {
		return e
	}
	return "windows-1252"
}

// maxGuess bounds the bytes handed to chardet: enough for its statistics, and
// Charset may be called on whole documents.
const maxGuess = 256 << 10

// guessWindow returns at most maxGuess bytes for chardet, starting just before the
// first non-ASCII byte: a long ASCII prefix (headers, markup, code) only dilutes the
// statistics of the text whose encoding is in question.
func guessWindow(b []byte) []byte {
	start := 0
	for i, c := range b {
		if c >= utf8.RuneSelf {
			start = max(0, i-64)
			break
		}
	}
	return b[start:min(len(b), start+maxGuess)]
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// validUTF8 is utf8.Valid, tolerating a character cut at the end of the head.
func validUTF8(b []byte) bool {
	if utf8.Valid(b) {
		return true
	}
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			return !utf8.FullRune(b[i:]) && utf8.Valid(b[:i])
		}
	}
	return false
}

// sevenBit recognises, in ASCII text, the 7-bit encodings that pass for it: ISO-2022
// by its escape sequences, HZ by its ~{ ~} shifts around GB2312 byte pairs.
func sevenBit(b []byte) string {
	if bytes.IndexByte(b, 0x1B) >= 0 {
		switch {
		case bytes.Contains(b, []byte("\x1b$B")), bytes.Contains(b, []byte("\x1b$@")),
			bytes.Contains(b, []byte("\x1b$(D")):
			return "ISO-2022-JP"
		case bytes.Contains(b, []byte("\x1b$)C")):
			return "ISO-2022-KR"
		case bytes.Contains(b, []byte("\x1b$)A")), bytes.Contains(b, []byte("\x1b$)G")):
			return "ISO-2022-CN"
		}
	}
	if looksHZ(b) {
		return "HZ-GB-2312"
	}
	return ""
}

// looksHZ reports HZ-GB-2312: shift sequences whose decoding yields Chinese and no
// replacement characters.
func looksHZ(b []byte) bool {
	if !bytes.Contains(b, []byte("~{")) || !bytes.Contains(b, []byte("~}")) {
		return false
	}
	s, err := textnorm.Decode(b, "HZ-GB-2312")
	if err != nil {
		return false
	}
	han := 0
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			return false
		case unicode.Is(unicode.Han, r):
			han++
		}
	}
	return han >= 2
}

// declaredCharset finds the charset an HTML meta tag or an XML declaration names in
// the first KiBs. A declared UTF-8 or UTF-16 is ignored: the bytes were found not to
// be that.
func declaredCharset(head []byte) string {
	b := bytes.ToLower(head[:min(len(head), 4096)])
	for _, key := range [...]string{"charset", "encoding"} {
		for off := 0; ; {
			i := bytes.Index(b[off:], []byte(key))
			if i < 0 {
				break
			}
			off += i + len(key)
			rest := bytes.TrimLeft(b[off:], " \t\r\n")
			if len(rest) == 0 || rest[0] != '=' {
				continue
			}
			rest = bytes.TrimLeft(rest[1:], " \t\r\n\"'")
			end := 0
			for end < len(rest) && isLabelByte(rest[end]) {
				end++
			}
			if end == 0 {
				continue
			}
			if _, name, err := textnorm.Lookup(string(rest[:end])); err == nil && !isUnicode(name) {
				return name
			}
		}
	}
	return ""
}

func isLabelByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':'
}

func isUnicode(name string) bool {
	switch name {
	case "UTF-8", "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE":
		return true
	}
	return false
}

// guessCharset asks chardet (ICU's detector) and returns its most confident guess
// that textnorm can decode, canonically named; "" when it has none.
func guessCharset(b []byte, markup bool) string {
	d := chardet.NewTextDetector()
	if markup {
		d = chardet.NewHtmlDetector()
	}
	all, err := d.DetectAll(b)
	if err != nil {
		return ""
	}
	for _, r := range all {
		if _, name, err := textnorm.Lookup(latin2Fix(r, b)); err == nil && !isUnicode(name) {
			return name
		}
	}
	return ""
}

// latin2Fix works around saintfish/chardet issue #7: its Central European
// recognizers (Czech, Hungarian, Polish, Romanian) report ISO-8859-1/windows-1252,
// though their language models are for ISO-8859-2/windows-1250. Worse, chardet
// keeps one result per charset name and runs its recognizers concurrently, so
// when a Western and a Central European model are equally confident either
// may come back. The Central European charset is therefore taken only when b
// has a byte that is a letter there and none in the Western charset (ł, ą, ż,
// ť...): text that reads as well in both stays Western.
func latin2Fix(r chardet.Result, b []byte) string {
	switch r.Language {
	case "cs", "hu", "pl", "ro":
		switch r.Charset {
		case "ISO-8859-1":
			if centralLetters(b, "ISO-8859-2", "ISO-8859-1") {
				return "ISO-8859-2"
			}
		case "windows-1252":
			if centralLetters(b, "windows-1250", "windows-1252") {
				return "windows-1250"
			}
		}
	}
	return r.Charset
}

// centralLetters reports whether b holds a byte that charset ce decodes to a
// letter and charset we does not.
func centralLetters(b []byte, ce, we string) bool {
	var seen [256]bool
	for _, c := range b {
		seen[c] = true
	}
	letter := func(c byte, charset string) bool {
		s, err := textnorm.Decode([]byte{c}, charset)
		r, _ := utf8.DecodeRuneInString(s)
		return err == nil && unicode.IsLetter(r)
	}
	for c := 0x80; c < 0x100; c++ {
		if seen[c] && letter(byte(c), ce) && !letter(byte(c), we) {
			return true
		}
	}
	return false
}
