package pdf

import (
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MuPDF's structured text ("stext") knows, for every line it finds on a
// page, where it starts, its font size and whether its glyphs are bold; go-fitz
// hands it over as MuPDF's HTML rendering of the stext page, one
// `<p style="top:..pt;left:..pt;line-height:..pt">` per line, with `<b>` and
// `<span style="font-size:..">` inside. MuPDF ends a line where the glyphs
// jump apart, so the cells of a table row, a list bullet and its text, or an
// ETSI clause number and its title come as separate lines on one baseline.
// parseStext reads that rendering back into frags; the rest of the layout
// (rows, paragraphs, tables) is built from their positions.

// frag is one MuPDF line: a run of text on one baseline.
type frag struct {
	x, y float64 // left and top, in points
	size float64 // font size of most of its glyphs
	bold bool    // most of its glyphs are bold
	text string  // cleaned (see cleanLine)
}

// width estimates how far the frag runs to the right: MuPDF's HTML gives no
// right edge, and an average glyph is about half an em wide.
func (f frag) width() float64 {
	w := 0.0
	for _, r := range f.text {
		w += glyphWidth(r)
	}
	return w * f.size
}

// parseStext reads the frags of MuPDF's HTML rendering of one page, in the
// order MuPDF gives them; frags without text are dropped.
func parseStext(s string) []frag {
	var out []frag
	const open = `<p style="`
	for {
		i := strings.Index(s, open)
		if i < 0 {
			return out
		}
		s = s[i+len(open):]
		end := strings.Index(s, "</p>")
		if end < 0 {
			end = len(s)
		}
		p := s[:end]
		s = s[end:]
		q := strings.IndexByte(p, '"')
		if q < 0 {
			continue
		}
		f := frag{
			y: styleValue(p[:q], "top:"),
			x: styleValue(p[:q], "left:"),
		}
		text, size, bold := spanText(p[q+1:])
		f.size, f.bold = size, bold
		if f.size <= 0 {
			f.size = styleValue(p[:q], "line-height:")
		}
		if f.text = cleanLine(text); f.text != "" {
			out = append(out, f)
		}
	}
}

// styleValue reads the number after key in a CSS style ("top:43.5pt").
func styleValue(style, key string) float64 {
	i := strings.Index(style, key)
	if i < 0 {
		return 0
	}
	v := style[i+len(key):]
	j := 0
	for j < len(v) && (v[j] == '.' || v[j] == '-' || (v[j] >= '0' && v[j] <= '9')) {
		j++
	}
	f, _ := strconv.ParseFloat(v[:j], 64)
	return f
}

// spanText returns the text of one MuPDF line's markup, the font size that
// most of its characters have and whether most of them are bold.
func spanText(p string) (text string, size float64, bold bool) {
	var sb strings.Builder
	depth, boldChars, chars := 0, 0, 0
	sizes := map[float64]int{}
	cur := 0.0
	if strings.HasPrefix(p, ">") {
		p = p[1:]
	}
	for len(p) > 0 {
		if p[0] == '<' {
			end := strings.IndexByte(p, '>')
			if end < 0 {
				break
			}
			tag := p[1:end]
			switch {
			case tag == "b":
				depth++
			case tag == "/b":
				depth--
			case strings.HasPrefix(tag, "span "):
				if v := styleValue(tag, "font-size:"); v > 0 {
					cur = v
				}
			case tag == "br" || tag == "br/":
				sb.WriteByte(' ')
			}
			p = p[end+1:]
			continue
		}
		end := strings.IndexByte(p, '<')
		if end < 0 {
			end = len(p)
		}
		t := p[:end]
		if strings.IndexByte(t, '&') >= 0 {
			t = html.UnescapeString(t)
		}
		n := utf8.RuneCountInString(strings.TrimSpace(t))
		chars += n
		if depth > 0 {
			boldChars += n
		}
		sizes[cur] += n
		sb.WriteString(t)
		p = p[end:]
	}
	best := 0
	for s, n := range sizes {
		if n > best || (n == best && s > size) {
			size, best = s, n
		}
	}
	return sb.String(), size, chars > 0 && 2*boldChars > chars
}

// row is the frags of one baseline, left to right.
type row struct {
	frags []frag
	y     float64
	size  float64 // largest font size
}

func (r row) text() string {
	parts := make([]string, len(r.frags))
	for i, f := range r.frags {
		parts[i] = f.text
	}
	return strings.Join(parts, " ")
}

func (r row) texts() []string {
	parts := make([]string, len(r.frags))
	for i, f := range r.frags {
		parts[i] = f.text
	}
	return parts
}

// rows groups frags into baselines, top to bottom: a frag belongs to a row
// when its top is within a third of the font size of the row's top.
func rows(frags []frag) []row {
	sorted := slices.Clone(frags)
	slices.SortStableFunc(sorted, func(a, b frag) int {
		switch {
		case a.y < b.y:
			return -1
		case a.y > b.y:
			return 1
		}
		return 0
	})
	var out []row
	for _, f := range sorted {
		if n := len(out); n > 0 {
			r := &out[n-1]
			tol := 0.35 * max(r.size, f.size)
			if f.y-r.y <= tol {
				r.frags = append(r.frags, f)
				r.size = max(r.size, f.size)
				continue
			}
		}
		out = append(out, row{frags: []frag{f}, y: f.y, size: f.size})
	}
	for i := range out {
		slices.SortStableFunc(out[i].frags, func(a, b frag) int {
			switch {
			case a.x < b.x:
				return -1
			case a.x > b.x:
				return 1
			}
			return 0
		})
		out[i].frags = mergeMarker(out[i].frags, false)
	}
	return out
}

// marker matches what stands apart before a line's text without being a
// table cell: list bullets and numbers, reference tags ("[12]"), "NOTE:"
// and "Table 5.1-1:".
var marker = regexp.MustCompile(`^(?:[•·▪◦‣●○■□–—*-]|\(?[0-9]{1,3}[.)]|\(?[a-zA-Z][.)]|\([0-9a-zA-Z]{1,4}\)|\[[^\]\s]{1,12}\]|NOTE\s*[0-9]*:?|(?:Table|Figure)\s+\S+:?)$`)

// clauseMarker matches a clause number standing apart before its title
// ("4.2.3" then "Channel coding"), or a bare number; in body-size text it
// may as well be a table's first cell, so it is merged only in larger or
// bold rows (see layout).
var clauseMarker = regexp.MustCompile(`^(?:[0-9]{1,3}|[A-Z])(?:\.[0-9]{1,3}[A-Za-z]?)*\.?$`)

// bullet matches a list bullet glyph.
var bullet = regexp.MustCompile(`^[•·▪◦‣●○■□–—*-]$`)

// mergeMarker joins a leading marker with the frag after it: "-" and a list
// item's text become one line, as do "4.2.3" and "Channel coding" when
// clause is set. A marker before several frags is a table's first cell,
// unless it is a bullet.
func mergeMarker(fs []frag, clause bool) []frag {
	if len(fs) < 2 {
		return fs
	}
	t := fs[0].text
	switch {
	case bullet.MatchString(t):
	case len(fs) > 2:
		return fs
	case marker.MatchString(t):
	case clause && clauseMarker.MatchString(t):
	default:
		return fs
	}
	if fs[1].x-fs[0].x > 9*max(fs[0].size, fs[1].size) {
		return fs
	}
	m := fs[1]
	m.x = fs[0].x
	m.text = fs[0].text + " " + fs[1].text
	m.size = max(fs[0].size, fs[1].size)
	m.bold = fs[0].bold && fs[1].bold
	return append([]frag{m}, fs[2:]...)
}
