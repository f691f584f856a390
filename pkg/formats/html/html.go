// Package html converts HTML pages (Ericsson CPI/ELEX feature descriptions,
// 3GPP meeting pages exported from Word, 3GPP FTP directory listings) to
// normalized markdown-like text: `#` headings by level, paragraphs, `-` lists
// (nested ones indented), pipe tables, fenced code for <pre>. Links keep their
// text and lose their URLs. What a reader does not take for content is
// dropped first: scripts, styles, navigation, page headers and footers, side
// bars, form controls and hidden elements. A server-generated directory
// listing becomes a table of its entries.
package html

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/ranstream/ranstream/pkg/fault"
	"github.com/ranstream/ranstream/pkg/formats"
	"github.com/ranstream/ranstream/pkg/textnorm"
)

// format names this converter in errors.
const format = "html"

// maxInput is the largest page read; its tree takes several times its size
// in memory.
const maxInput = 256 << 20

// Options tune a conversion.
type Options struct {
	// Encoding is the charset the detect stage found ("windows-1252"); it is
	// used when the page has no byte order mark and declares no charset.
	// Empty means: detect it here.
	Encoding string
}

// Convert writes the text of the HTML page in r (size bytes) to w. The
// charset is the byte order mark's, else the one the page declares in a
// <meta> tag, else opt.Encoding, else detected; Info.Meta tells which
// ("charset", "charset_source": bom, meta, given or detected). Info.Title is
// the <title>, also written as the first heading when the page has no <h1>.
// Info.Meta also counts "tables" and, for directory listings,
// "listing_entries". Bad input gives a permanent error (formats.Bad).
func Convert(ctx context.Context, r io.ReaderAt, size int64, w io.Writer, lim formats.Limits, opt Options) (formats.Info, error) {
	lim = lim.WithDefaults()
	info := formats.Info{Meta: map[string]string{}}
	if size > maxInput {
		return info, formats.Bad(format, formats.ErrTooLarge, "%d-byte page is over the %d-byte limit", size, maxInput)
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(io.NewSectionReader(r, 0, size), b); err != nil {
		return info, fmt.Errorf("%s: read: %w", format, err)
	}
	charset, source, warning := charsetOf(b, opt.Encoding)
	info.Meta["charset"], info.Meta["charset_source"] = charset, source
	if warning != "" {
		info.Warnings = append(info.Warnings, "charset: "+warning)
	}
	text, err := textnorm.Decode(b, charset)
	if err != nil {
		return info, fault.Permanent(fmt.Errorf("%s: %w", format, err))
	}
	b = nil

	md := newMDWriter(w, lim.MaxOutput)
	root, err := html.Parse(strings.NewReader(text))
	if err != nil {
		// The parser refuses pages nested deeper than it goes (512
		// elements); their text is still there to read.
		info.Warnings = append(info.Warnings, fmt.Sprintf("read as plain text: %v", err))
		plainText(text, md)
		return info, md.flush()
	}
	text = ""
	doc := goquery.NewDocumentFromNode(root)
	info.Title = title(doc)
	clean(doc)
	if err := ctx.Err(); err != nil {
		return info, err
	}

	rd := &renderer{ctx: ctx, md: md}
	if info.Title != "" && !hasH1(root) {
		md.heading(1, escapeLine(info.Title))
	}
	rd.node(root, 0)
	rd.flush()
	if rd.err != nil {
		return info, rd.err
	}
	if err := md.flush(); err != nil {
		return info, err
	}
	info.Meta["tables"] = strconv.Itoa(rd.tables)
	if rd.entries > 0 {
		info.Meta["listing_entries"] = strconv.Itoa(rd.entries)
	}
	return info, nil
}
