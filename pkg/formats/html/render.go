package html

import (
	"context"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

const (
	// maxDepth bounds the recursion of the renderer; deeper elements are read
	// for their text only.
	maxDepth = 256
	// brMark stands for a <br> in paragraph text until it becomes a line
	// break; the parser never leaves a NUL in text.
	brMark = '\x00'
)

// renderer walks the cleaned document and writes its blocks. Inline text
// gathers in para until a block boundary flushes it as a paragraph.
type renderer struct {
	ctx     context.Context
	md      *mdWriter
	para    strings.Builder
	nodes   int
	err     error
	tables  int
	entries int // directory-listing entries written
}

// blockTags are the elements that start and end a paragraph.
var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.Blockquote: true, atom.Address: true, atom.Figure: true, atom.Figcaption: true,
	atom.Center: true, atom.Fieldset: true, atom.Legend: true, atom.Details: true, atom.Summary: true,
	atom.Header: true, atom.Footer: true, atom.Body: true, atom.Html: true, atom.Form: true,
	atom.Li: true, atom.Dt: true, atom.Dd: true, atom.Caption: true, atom.Tr: true, atom.Td: true,
	atom.Th: true, atom.Tbody: true, atom.Thead: true, atom.Tfoot: true, atom.Hgroup: true,
	atom.Output: true, atom.Noframes: true, atom.Frameset: true, atom.Frame: true,
}

// skipTags hold nothing to read.
var skipTags = map[atom.Atom]bool{
	atom.Head: true, atom.Title: true, atom.Img: true, atom.Picture: true, atom.Source: true,
	atom.Track: true, atom.Area: true, atom.Wbr: true, atom.Colgroup: true, atom.Col: true,
}

func headingLevel(a atom.Atom) int {
	switch a {
	case atom.H1:
		return 1
	case atom.H2:
		return 2
	case atom.H3:
		return 3
	case atom.H4:
		return 4
	case atom.H5:
		return 5
	case atom.H6:
		return 6
	}
	return 0
}

// children renders the children of n.
func (r *renderer) children(n *html.Node, depth int) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.node(c, depth+1)
	}
}

func (r *renderer) node(n *html.Node, depth int) {
	if r.err != nil || r.md.err != nil {
		return
	}
	if r.nodes++; r.nodes%4096 == 0 {
		if err := r.ctx.Err(); err != nil {
			r.err = err
			return
		}
	}
	switch n.Type {
	case html.TextNode:
		r.para.WriteString(n.Data)
		return
	case html.DocumentNode:
		r.children(n, depth)
		return
	case html.ElementNode:
	default:
		return
	}
	if depth > maxDepth {
		r.para.WriteString(" " + textOf(n) + " ")
		return
	}
	a := n.DataAtom
	if level := headingLevel(a); level > 0 {
		r.flush()
		r.md.heading(level, escapeLine(collapse(textOf(n))))
		return
	}
	switch {
	case skipTags[a]:
	case a == atom.Br:
		r.para.WriteRune(brMark)
	case a == atom.Hr:
		r.flush()
	case a == atom.Ul || a == atom.Ol || a == atom.Dl || a == atom.Menu:
		r.flush()
		r.list(n, depth)
	case a == atom.Table:
		r.flush()
		r.table(n, depth)
	case a == atom.Pre || a == atom.Listing || a == atom.Xmp || a == atom.Plaintext:
		r.flush()
		if !r.listing(n) {
			r.md.code(preText(n))
		}
	case blockTags[a]:
		r.flush()
		r.children(n, depth)
		r.flush()
	default:
		// Inline: links keep their text, code its characters.
		r.children(n, depth)
	}
}

// flush writes the gathered inline text as a paragraph.
func (r *renderer) flush() {
	if r.para.Len() == 0 {
		return
	}
	text := r.para.String()
	r.para.Reset()
	var lines []string
	for _, l := range strings.Split(text, string(brMark)) {
		if l = collapse(l); l != "" {
			lines = append(lines, escapeLine(l))
		}
	}
	if len(lines) > 0 {
		r.md.block(strings.Join(lines, "\n"))
	}
}

// list writes a ul, ol or dl as a tight list, nested lists indented by two
// spaces per level. Tables and code inside items follow the list.
func (r *renderer) list(n *html.Node, depth int) {
	var sb strings.Builder
	var after []*html.Node
	r.items(n, 0, &sb, &after)
	r.md.block(sb.String())
	for _, x := range after {
		r.node(x, depth+1)
	}
}

func (r *renderer) items(list *html.Node, level int, sb *strings.Builder, after *[]*html.Node) {
	if level > maxDepth/4 {
		writeItem(sb, level, "- ", textOf(list))
		return
	}
	num := 1
	if s, err := strconv.Atoi(attr(list, "start")); err == nil {
		num = s
	}
	ordered := list.DataAtom == atom.Ol
	for c := list.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.ElementNode && (c.DataAtom == atom.Ul || c.DataAtom == atom.Ol || c.DataAtom == atom.Dl):
			r.items(c, level+1, sb, after) // a list nested without its <li>
		case c.Type == html.ElementNode && c.DataAtom == atom.Dd:
			text, subs := itemParts(c)
			writeItem(sb, level+1, "", text)
			r.sublists(subs, level+1, sb, after)
		case c.Type == html.ElementNode || c.Type == html.TextNode:
			text, subs := itemParts(c)
			if text == "" && len(subs) == 0 {
				continue
			}
			marker := "- "
			if ordered {
				marker = strconv.Itoa(num) + ". "
				num++
			}
			sub := level
			if text != "" {
				writeItem(sb, level, marker, text)
				sub = level + 1
			}
			r.sublists(subs, sub, sb, after)
		}
	}
}

func (r *renderer) sublists(subs []*html.Node, level int, sb *strings.Builder, after *[]*html.Node) {
	for _, s := range subs {
		if s.DataAtom == atom.Ul || s.DataAtom == atom.Ol || s.DataAtom == atom.Dl {
			r.items(s, level, sb, after)
		} else {
			*after = append(*after, s)
		}
	}
}

func writeItem(sb *strings.Builder, level int, marker, text string) {
	text = collapse(text)
	if text == "" {
		return
	}
	sb.WriteString(strings.Repeat("  ", level))
	sb.WriteString(marker)
	sb.WriteString(text)
	sb.WriteByte('\n')
}

// itemParts returns the text of a list item without its nested lists,
// tables and code, which it returns apart, in order.
func itemParts(li *html.Node) (string, []*html.Node) {
	var sb strings.Builder
	var subs []*html.Node
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		switch {
		case n.Type == html.TextNode:
			sb.WriteString(n.Data)
			return
		case n.Type != html.ElementNode || skipTags[n.DataAtom]:
			return
		case depth > maxDepth:
			sb.WriteString(" " + textOf(n) + " ")
			return
		}
		switch n.DataAtom {
		case atom.Ul, atom.Ol, atom.Dl, atom.Table, atom.Pre:
			subs = append(subs, n)
			return
		case atom.Br:
			sb.WriteByte(' ')
		}
		spaced := blockTags[n.DataAtom] || headingLevel(n.DataAtom) > 0
		if spaced {
			sb.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
		if spaced {
			sb.WriteByte(' ')
		}
	}
	walk(li, 0)
	return collapse(sb.String()), subs
}

// textOf returns the text under n with a space for every <br> and block
// boundary, without recursion.
func textOf(n *html.Node) string {
	var sb strings.Builder
	type frame struct {
		n     *html.Node
		close bool
	}
	stack := []frame{{n: n}}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if f.close {
			sb.WriteByte(' ')
			continue
		}
		switch {
		case f.n.Type == html.TextNode:
			sb.WriteString(f.n.Data)
			continue
		case f.n.Type != html.ElementNode && f.n.Type != html.DocumentNode:
			continue
		case skipTags[f.n.DataAtom]:
			continue
		case f.n.DataAtom == atom.Br:
			sb.WriteByte(' ')
			continue
		}
		if blockTags[f.n.DataAtom] || headingLevel(f.n.DataAtom) > 0 {
			sb.WriteByte(' ')
			stack = append(stack, frame{n: f.n, close: true})
		}
		for c := f.n.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, frame{n: c})
		}
	}
	return sb.String()
}

// preText returns the text of a pre element as written, a <br> a line break.
func preText(n *html.Node) string {
	var sb strings.Builder
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		switch {
		case n.Type == html.TextNode:
			sb.WriteString(n.Data)
		case n.Type != html.ElementNode:
		case n.DataAtom == atom.Br:
			sb.WriteByte('\n')
		case depth > maxDepth:
			sb.WriteString(textOf(n))
		default:
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c, depth+1)
			}
		}
	}
	walk(n, 0)
	return strings.ReplaceAll(sb.String(), "\r\n", "\n")
}

// collapse turns every run of whitespace (NBSP included) into one space and
// trims the ends, as a browser lays out text.
func collapse(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == brMark {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// escapeLine keeps a line of text from reading as markdown structure: a
// heading, a quote, a code fence or a table row.
func escapeLine(s string) string {
	if s != "" && strings.ContainsRune("#>|`", rune(s[0])) {
		return `\` + s
	}
	return s
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// plainText writes the text of a page that could not be parsed into a tree,
// token by token: a paragraph ends at every block element; scripts and styles
// are left out.
func plainText(src string, md *mdWriter) {
	z := html.NewTokenizer(strings.NewReader(src))
	var para strings.Builder
	flush := func() {
		if t := collapse(para.String()); t != "" {
			md.block(escapeLine(t))
		}
		para.Reset()
	}
	skip := 0
	for md.err == nil {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			flush()
			return
		case html.TextToken:
			if skip == 0 {
				para.Write(z.Text())
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if a == atom.Script || a == atom.Style {
				switch tt {
				case html.StartTagToken:
					skip++
				case html.EndTagToken:
					skip = max(0, skip-1)
				}
				continue
			}
			if a == atom.Br || blockTags[a] || headingLevel(a) > 0 || a == atom.Table || a == atom.Ul || a == atom.Ol || a == atom.Pre {
				flush()
			}
		}
	}
}
