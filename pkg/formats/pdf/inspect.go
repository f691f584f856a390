package pdf

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// headWindow is how far into the file the "%PDF-" header may start: readers
// accept up to 1 KiB of leading junk.
const headWindow = 1024

// tailWindow is how close to the end of the file (trailing NULs and white
// space aside) "%%EOF" or "startxref" must be for the file to count as
// complete. The PDF specification asks readers to look in the last 1 KiB; a
// little slack keeps files with some trailing junk.
const tailWindow = 8 << 10

// facts are what the raw bytes say about a PDF before MuPDF reads it: enough
// to explain a failure in words a user can act on, and to pick the lock.
type facts struct {
	// start is the offset of "%PDF-".
	start int
	// size is the file size.
	size int64
	// linearizedLen is the file length the linearization dictionary states
	// (its /L entry), 0 if the file is not linearized.
	linearizedLen int64
	// tail says whether the end of the file holds "%%EOF" or "startxref".
	tail bool
	// encrypted says whether the file has an /Encrypt dictionary.
	encrypted bool
	// filter is the encryption handler (/Filter of the /Encrypt dictionary)
	// when it is written directly in the trailer.
	filter string
	// jpx says whether the file has JPEG 2000 images.
	jpx bool
}

var (
	linearizedLen = regexp.MustCompile(`/L\s+(\d{1,15})\b`)
	encryptRef    = regexp.MustCompile(`/Encrypt\s+(\d{1,10})\s+(\d{1,5})\s+R`)
	encryptDirect = regexp.MustCompile(`/Encrypt\s*<<`)
	filterName    = regexp.MustCompile(`/Filter\s*/([A-Za-z0-9.#_-]{1,40})`)
	cryptVersion  = regexp.MustCompile(`/V\s+(\d)\b`)
)

// headerOffset returns where "%PDF-" starts in the first bytes, or -1.
func headerOffset(head []byte) int {
	return bytes.Index(head[:min(len(head), headWindow)], []byte("%PDF-"))
}

// inspect reads the facts from the whole file.
func inspect(b []byte) facts {
	f := facts{start: max(headerOffset(b), 0), size: int64(len(b))}
	first := b[f.start:min(len(b), f.start+2048)]
	if i := bytes.Index(first, []byte("/Linearized")); i >= 0 {
		dict := first[i:]
		if end := bytes.Index(dict, []byte(">>")); end >= 0 {
			dict = dict[:end]
		}
		if m := linearizedLen.FindSubmatch(dict); m != nil {
			f.linearizedLen, _ = strconv.ParseInt(string(m[1]), 10, 64)
		}
	}
	end := len(bytes.TrimRight(b, "\x00 \t\r\n\f")) // padding is not truncation
	tail := b[max(0, end-tailWindow):end]
	f.tail = bytes.Contains(tail, []byte("%%EOF")) || bytes.Contains(tail, []byte("startxref"))
	// Dictionaries are never encrypted or compressed around image streams, so
	// the names are visible in the raw bytes (object streams cannot hold
	// streams or, for the trailer, the /Encrypt entry's dictionary reference).
	f.encrypted = bytes.Contains(b, []byte("/Encrypt"))
	if f.encrypted {
		f.filter = encryptionHandler(b)
	}
	f.jpx = bytes.Contains(b, []byte("JPX"))
	return f
}

// encryptionHandler names the encryption dictionary's handler and version
// ("Standard V5"), "" when the dictionary cannot be found in the raw bytes.
func encryptionHandler(b []byte) string {
	var dict []byte
	if m := encryptRef.FindSubmatchIndex(b); m != nil {
		obj := []byte(string(b[m[2]:m[3]]) + " " + string(b[m[4]:m[5]]) + " obj")
		for i := 0; i < len(b); {
			j := bytes.Index(b[i:], obj)
			if j < 0 {
				break
			}
			at := i + j
			if at == 0 || !isDigit(b[at-1]) {
				dict = b[at+len(obj) : min(len(b), at+len(obj)+1024)]
				break
			}
			i = at + len(obj)
		}
	} else if m := encryptDirect.FindIndex(b); m != nil {
		dict = b[m[1]:min(len(b), m[1]+1024)]
	}
	if dict == nil {
		return ""
	}
	if end := bytes.Index(dict, []byte("endobj")); end >= 0 {
		dict = dict[:end]
	}
	name := ""
	if m := filterName.FindSubmatch(dict); m != nil {
		name = string(m[1])
	}
	if m := cryptVersion.FindSubmatch(dict); m != nil && name != "" {
		name += " V" + string(m[1])
	}
	return name
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// truncated reports whether the bytes show that the end of the file is
// missing: shorter than its linearization dictionary says, or no end-of-file
// marker or cross-reference pointer near the end.
func (f facts) truncated() bool {
	return f.linearizedLen > f.size || !f.tail
}

// truncationDetail explains truncated(), after prefix; "" when not truncated.
func (f facts) truncationDetail(prefix string) string {
	switch {
	case f.linearizedLen > f.size:
		return fmt.Sprintf("%sthe file has %d of the %d bytes its linearization dictionary states", prefix, f.size, f.linearizedLen)
	case !f.tail:
		return fmt.Sprintf("%sno %%%%EOF or startxref in the last %d bytes (the file ends early)", prefix, min(f.size, tailWindow))
	}
	return ""
}

// encryptionDetail names the encryption handler when known.
func (f facts) encryptionDetail() string {
	if f.filter != "" {
		return "security handler " + f.filter
	}
	return "encrypted"
}

// describe says in a few words what the first bytes of a non-PDF are.
func describe(head []byte) string {
	s := string(bytes.TrimLeft(head, " \t\r\n\ufeff"))
	low := strings.ToLower(s)
	switch {
	case len(head) == 0:
		return "the file is empty"
	case strings.HasPrefix(s, "version https://git-lfs"):
		return "it is a Git LFS pointer, not the document"
	case strings.HasPrefix(low, "<!doctype html"), strings.HasPrefix(low, "<html"):
		return "it is an HTML page (a failed download?)"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return "it is a ZIP archive (Office document?)"
	case bytes.HasPrefix(head, []byte("\xd0\xcf\x11\xe0")):
		return "it is an OLE compound file (legacy Office document?)"
	}
	return "the file starts with " + quoteStart(head)
}

// quoteStart quotes the first 40 characters of b, text or not.
func quoteStart(b []byte) string {
	var sb strings.Builder
	n := 0
	for len(b) > 0 && n < 40 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		n++
		switch {
		case r == '\n' || r == '\r':
			sb.WriteString(" ")
		case r == utf8.RuneError && size == 1, !unicode.IsPrint(r):
			sb.WriteString("·")
		default:
			sb.WriteRune(r)
		}
	}
	s := strings.TrimSpace(sb.String())
	if len(b) > 0 {
		s += "..."
	}
	return strconv.Quote(s)
}
