package archive

import (
	"archive/zip"
	"encoding/binary"
	"hash/crc32"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// unicodePathExtra is the Info-ZIP Unicode Path extra field: the UTF-8 name that
// Windows tools (7-Zip, WinRAR) add next to a name in the OEM code page.
const unicodePathExtra = 0x7075

// decodeName returns the member name as UTF-8. The Info-ZIP Unicode Path field
// wins when it matches the header name; a name that is valid UTF-8 is taken as
// such, flag or not (macOS and many libraries write UTF-8 without setting bit 11,
// and a CP437 name that happens to be valid multi-byte UTF-8 is rare); anything
// else is CP437, which the zip specification names as the default.
func decodeName(f *zip.File) string {
	if s, ok := unicodePath(f.Extra, f.Name); ok {
		return s
	}
	if utf8.ValidString(f.Name) {
		return f.Name
	}
	return decodeCP437(f.Name)
}

// unicodePath finds a Unicode Path extra field whose checksum matches raw.
func unicodePath(extra []byte, raw string) (string, bool) {
	for len(extra) >= 4 {
		tag := binary.LittleEndian.Uint16(extra)
		size := int(binary.LittleEndian.Uint16(extra[2:]))
		extra = extra[4:]
		if size > len(extra) {
			return "", false
		}
		field := extra[:size]
		extra = extra[size:]
		if tag != unicodePathExtra || len(field) < 6 || field[0] != 1 {
			continue
		}
		if binary.LittleEndian.Uint32(field[1:]) != crc32.ChecksumIEEE([]byte(raw)) {
			continue // the name was changed by a tool that ignored the field
		}
		if s := string(field[5:]); utf8.ValidString(s) {
			return s, true
		}
	}
	return "", false
}

// cp437 maps the bytes 0x80-0xFF of IBM code page 437 to runes.
var cp437 = []rune("ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»" +
	"░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀" +
	"αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0")

func decodeCP437(s string) string {
	var b strings.Builder
	b.Grow(len(s) * 2)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x80 {
			b.WriteByte(c)
		} else {
			b.WriteRune(cp437[c-0x80])
		}
	}
	return b.String()
}

// cleanName turns a decoded entry name into the member name: forward slashes, no
// `.` or `..` elements, relative. It returns a reason instead when the name would
// land outside the archive or cannot name a file. Backslashes count as separators,
// as old Windows tools wrote them, so `..\..\x` is traversal, not a strange name.
func cleanName(name string) (string, string) {
	for _, r := range name {
		if unicode.IsControl(r) {
			return "", "control characters in the name"
		}
	}
	n := strings.ReplaceAll(name, `\`, "/")
	switch {
	case strings.HasPrefix(n, "/"):
		return "", "absolute path"
	case len(n) >= 2 && n[1] == ':' && isASCIILetter(n[0]):
		return "", "drive letter in the path"
	}
	c := path.Clean(n)
	switch {
	case c == ".." || strings.HasPrefix(c, "../"):
		return "", "path escapes the archive (..)"
	case c == "." || c == "":
		return "", "empty name"
	}
	return c, ""
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// isDir reports a folder entry: its name ends with a separator.
func isDir(name string) bool {
	return strings.HasSuffix(name, "/") || strings.HasSuffix(name, `\`)
}

// isJunk reports the litter of file managers and Office: macOS resource forks
// and folder settings, Windows thumbnail caches, Office owner (lock) files.
func isJunk(name string) bool {
	for el := range strings.SplitSeq(name, "/") {
		if el == "__MACOSX" {
			return true
		}
	}
	base := path.Base(name)
	switch strings.ToLower(base) {
	case ".ds_store", "thumbs.db", "desktop.ini":
		return true
	}
	return strings.HasPrefix(base, "._") || strings.HasPrefix(base, "~$")
}

// printable replaces control characters, for names shown in reasons.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return utf8.RuneError
		}
		return r
	}, s)
}
