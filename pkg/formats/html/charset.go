package html

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/ranstream/ranstream/pkg/detect"
	"github.com/ranstream/ranstream/pkg/textnorm"
)

// metaWindow is how far into the document a <meta> charset is looked for;
// browsers stop at 1024 bytes, but Word and Excel exports put kilobytes of
// markup before theirs.
const metaWindow = 64 << 10

// Where the charset came from, for Info.Meta["charset_source"].
const (
	sourceBOM      = "bom"
	sourceMeta     = "meta"
	sourceGiven    = "given"
	sourceDetected = "detected"
)

// charsetOf chooses the encoding of the document b: a byte order mark first,
// then the charset the document declares in a <meta> tag, then given (what
// the detect stage found), then detect.Charset over the whole document. A
// declaration the bytes contradict is overruled, with a warning: "UTF-8" on
// bytes that are not UTF-8, or a legacy charset on bytes that are valid UTF-8
// with non-ASCII characters (a page converted without its meta tag).
func charsetOf(b []byte, given string) (name, source, warning string) {
	if enc, n := textnorm.BOM(b); n > 0 {
		return enc, sourceBOM, ""
	}
	if label := metaCharset(b[:min(len(b), metaWindow)]); label != "" {
		if _, canon, err := textnorm.Lookup(label); err == nil {
			switch {
			case strings.HasPrefix(canon, "UTF-16"), strings.HasPrefix(canon, "UTF-32"):
				// A page whose markup can be read as ASCII is not UTF-16,
				// whatever it says (the HTML standard reads it as UTF-8).
				canon = "UTF-8"
				fallthrough
			case canon == "UTF-8":
				if utf8.Valid(b) {
					return canon, sourceMeta, ""
				}
				warning = "declared " + label + " but is not UTF-8"
			case utf8.Valid(b) && !isASCII(b):
				return "UTF-8", sourceDetected, "declared " + label + " but is UTF-8"
			default:
				return canon, sourceMeta, ""
			}
		}
	}
	if given != "" {
		if _, canon, err := textnorm.Lookup(given); err == nil {
			if canon != "UTF-8" || utf8.Valid(b) {
				return canon, sourceGiven, warning
			}
		}
	}
	return detect.Charset(b, detect.FormatHTML), sourceDetected, warning
}

// metaCharset returns the charset label of the first <meta charset> or
// <meta http-equiv="Content-Type" content="...; charset=..."> in head.
func metaCharset(head []byte) string {
	z := html.NewTokenizer(bytes.NewReader(head))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "meta" || !hasAttr {
				continue
			}
			var charset, content string
			httpEquiv := false
			for more := true; more; {
				var k, v []byte
				k, v, more = z.TagAttr()
				switch string(k) {
				case "charset":
					charset = string(v)
				case "content":
					content = string(v)
				case "http-equiv":
					httpEquiv = strings.EqualFold(string(v), "content-type")
				}
			}
			if c := strings.TrimSpace(charset); c != "" {
				return c
			}
			if httpEquiv {
				if c := contentCharset(content); c != "" {
					return c
				}
			}
		}
	}
}

// contentCharset extracts the charset parameter of a Content-Type value.
func contentCharset(content string) string {
	i := strings.Index(strings.ToLower(content), "charset")
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(content[i+len("charset"):], " \t")
	if !strings.HasPrefix(rest, "=") {
		return ""
	}
	rest = strings.Trim(strings.TrimLeft(rest[1:], " \t"), `"'`)
	if j := strings.IndexAny(rest, "; \t\"'"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
