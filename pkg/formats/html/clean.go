package html

import (
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// boilerplate lists what is never document content: code, styling, embedded
// objects, navigation and sidebars, and form controls.
const boilerplate = "script, style, noscript, template, iframe, object, embed, applet, svg, canvas, " +
	"audio, video, map, nav, aside, dialog, menu, input, select, textarea, button, datalist, " +
	"form label, link, meta, base, " +
	`[role="navigation"], [role="banner"], [role="contentinfo"], [role="search"], [role="complementary"], ` +
	`[hidden], [aria-hidden="true"]`

// clean removes what a reader of the page does not take for its content:
// boilerplate elements, hidden elements, page headers and footers (those
// outside an <article> or <main>, which head the article itself), and forms
// left empty once their controls are gone. A form that still holds content
// is kept: ASP.NET pages wrap the whole page in one.
func clean(doc *goquery.Document) {
	var hidden []string
	doc.Find("style").Each(func(_ int, s *goquery.Selection) {
		hidden = append(hidden, hiddenSelectors(s.Text())...)
	})
	for _, sel := range hidden {
		doc.Find(sel).Remove()
	}
	doc.Find(boilerplate).Remove()
	doc.Find("[style]").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return hiddenStyle(s.AttrOr("style", ""))
	}).Remove()
	doc.Find("header, footer").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return s.ParentsFiltered("article, main").Length() == 0
	}).Remove()
	doc.Find("form").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return s.Find("table, ul, ol, dl, pre, h1, h2, h3, h4, h5, h6").Length() == 0 &&
			len(strings.TrimSpace(s.Text())) < 200
	}).Remove()
}

// hiddenStyle reports an inline style that hides the element, including
// Word's mso-hide:all.
func hiddenStyle(style string) bool {
	s := strings.ToLower(strings.Join(strings.Fields(style), ""))
	return strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden") ||
		strings.Contains(s, "mso-hide:all")
}

// simpleSelector is an id or class selector and nothing more.
var simpleSelector = regexp.MustCompile(`^[#.][A-Za-z_][\w-]*$`)

// hiddenSelectors returns the id and class selectors that a style sheet
// hides with display:none (the drop zone of an upload form, a collapsed
// menu), from its top-level rules only: a rule inside @media hides for some
// screens, not for all.
func hiddenSelectors(css string) []string {
	var out []string
	depth, start := 0, 0
	var selector string
	for i := 0; i < len(css); i++ {
		switch css[i] {
		case '{':
			if depth == 0 {
				selector = strings.TrimSpace(css[start:i])
			}
			depth++
			start = i + 1
		case '}':
			if depth == 1 && !strings.HasPrefix(selector, "@") && hiddenStyle(css[start:i]) {
				for _, sel := range strings.Split(selector, ",") {
					if sel = strings.TrimSpace(sel); simpleSelector.MatchString(sel) {
						out = append(out, sel)
					}
				}
			}
			depth = max(0, depth-1)
			start = i + 1
		}
	}
	return out
}

// title returns the document's <title>, whitespace collapsed.
func title(doc *goquery.Document) string {
	return collapse(doc.Find("title").First().Text())
}

// hasH1 reports whether the body holds a level-1 heading.
func hasH1(n *html.Node) bool {
	return goquery.NewDocumentFromNode(n).Find("body h1").Length() > 0
}
