package doc

import (
	"encoding/binary"
	"strconv"
	"strings"
	"unicode/utf16"
)

// style is what extraction needs of a paragraph style.
type style struct {
	name    string
	heading int // 1..9, or 0
	code    bool
}

// maxStyles bounds the style sheet (Word allows 4095 styles).
const maxStyles = 4096

// parseStyles reads the names of the styles in the STSH ([MS-DOC] 2.9.271)
// and derives their heading levels: built-in headings (sti 1..9), styles
// named "heading N", and the 3GPP "H6" style. A broken style sheet yields the
// styles read so far.
func parseStyles(b []byte) []style {
	le := binary.LittleEndian
	if len(b) < 6 {
		return nil
	}
	cbStshi := int(le.Uint16(b))
	if 2+cbStshi > len(b) || cbStshi < 4 {
		return nil
	}
	cstd := int(le.Uint16(b[2:]))
	cbBase := int(le.Uint16(b[4:]))
	if cstd > maxStyles || cbBase < 10 {
		return nil
	}
	out := make([]style, 0, cstd)
	pos := 2 + cbStshi
	for i := 0; i < cstd && pos+2 <= len(b); i++ {
		cb := int(le.Uint16(b[pos:]))
		pos += 2
		if pos+cb > len(b) {
			break
		}
		std := b[pos : pos+cb]
		pos += cb
		var s style
		if cb >= cbBase+2 {
			sti := int(le.Uint16(std) & 0x0FFF)
			s.name = xstz(std[cbBase:])
			if sti >= 1 && sti <= 9 {
				s.heading = sti
			}
		}
		if s.heading == 0 {
			s.heading = headingFromName(s.name)
		}
		s.code = isCodeStyle(s.name)
		out = append(out, s)
	}
	return out
}

// xstz decodes a length-prefixed UTF-16 string.
func xstz(b []byte) string {
	if len(b) < 2 {
		return ""
	}
	n := int(binary.LittleEndian.Uint16(b))
	if 2+2*n > len(b) {
		return ""
	}
	u := make([]uint16, n)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2+2*i:])
	}
	return string(utf16.Decode(u))
}

// headingFromName reads a heading level from a style name, or one of its
// comma-separated aliases: "heading 3", "Heading 3", "H6" (3GPP).
func headingFromName(name string) int {
	for _, n := range strings.Split(name, ",") {
		n = strings.ToLower(strings.TrimSpace(n))
		if rest, ok := strings.CutPrefix(n, "heading"); ok {
			if l, err := strconv.Atoi(strings.TrimSpace(rest)); err == nil && l >= 1 && l <= 9 {
				return l
			}
		}
		if n == "h6" {
			return 6
		}
	}
	return 0
}

// isCodeStyle reports the 3GPP program-listing style (ASN.1, code).
func isCodeStyle(name string) bool {
	for _, n := range strings.Split(name, ",") {
		if strings.TrimSpace(n) == "PL" {
			return true
		}
	}
	return false
}
