package docx

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
)

type lvlXML struct {
	Ilvl    string   `xml:"ilvl,attr"`
	Start   *valAttr `xml:"start"`
	NumFmt  *valAttr `xml:"numFmt"`
	LvlText *valAttr `xml:"lvlText"`
}

type numberingXML struct {
	Abstract []struct {
		ID  string   `xml:"abstractNumId,attr"`
		Lvl []lvlXML `xml:"lvl"`
	} `xml:"abstractNum"`
	Num []struct {
		ID       string  `xml:"numId,attr"`
		Abstract valAttr `xml:"abstractNumId"`
		Override []struct {
			Ilvl  string   `xml:"ilvl,attr"`
			Start *valAttr `xml:"startOverride"`
			Lvl   *lvlXML  `xml:"lvl"`
		} `xml:"lvlOverride"`
	} `xml:"num"`
}

// level is one level of a list definition.
type level struct {
	format string // decimal, lowerLetter, upperRoman, bullet...
	text   string // "%1.%2."
	start  int
}

// maxListLevels is the number of levels a Word list has.
const maxListLevels = 9

// numbering holds the list definitions of numbering.xml and the running
// counters of each list, so that auto-numbered headings get their numbers.
type numbering struct {
	lists    map[string]*[maxListLevels]level
	counters map[string]*[maxListLevels]int
}

func parseNumbering(r io.Reader) (*numbering, error) {
	var x numberingXML
	if err := xml.NewDecoder(r).Decode(&x); err != nil {
		return nil, err
	}
	abstract := map[string]*[maxListLevels]level{}
	for _, a := range x.Abstract {
		var lv [maxListLevels]level
		for _, l := range a.Lvl {
			if i, err := strconv.Atoi(l.Ilvl); err == nil && i >= 0 && i < maxListLevels {
				lv[i] = toLevel(l)
			}
		}
		abstract[a.ID] = &lv
	}
	n := &numbering{lists: map[string]*[maxListLevels]level{}, counters: map[string]*[maxListLevels]int{}}
	for _, num := range x.Num {
		a := abstract[num.Abstract.Val]
		if a == nil {
			continue
		}
		lv := *a
		for _, o := range num.Override {
			i, err := strconv.Atoi(o.Ilvl)
			if err != nil || i < 0 || i >= maxListLevels {
				continue
			}
			if o.Lvl != nil {
				lv[i] = toLevel(*o.Lvl)
			}
			if o.Start != nil {
				lv[i].start, _ = strconv.Atoi(o.Start.Val)
			}
		}
		n.lists[num.ID] = &lv
	}
	return n, nil
}

func toLevel(l lvlXML) level {
	lv := level{format: "decimal", start: 1}
	if l.NumFmt != nil {
		lv.format = l.NumFmt.Val
	}
	if l.LvlText != nil {
		lv.text = l.LvlText.Val
	}
	if l.Start != nil {
		lv.start, _ = strconv.Atoi(l.Start.Val)
	}
	return lv
}

// ordered reports whether list numID numbers level ilvl (rather than
// bulleting it).
func (n *numbering) ordered(numID string, ilvl int) bool {
	if n == nil || ilvl < 0 || ilvl >= maxListLevels {
		return false
	}
	l := n.lists[numID]
	if l == nil {
		return false
	}
	switch l[ilvl].format {
	case "bullet", "none", "":
		return false
	}
	return true
}

// next advances list numID at level ilvl and returns the label Word would
// show ("5.3.1", "a)"), or "" for bullets and unknown lists.
func (n *numbering) next(numID string, ilvl int) string {
	if n == nil || ilvl < 0 || ilvl >= maxListLevels {
		return ""
	}
	l := n.lists[numID]
	if l == nil {
		return ""
	}
	c := n.counters[numID]
	if c == nil {
		c = new([maxListLevels]int)
		for i := range c {
			c[i] = l[i].start - 1
		}
		n.counters[numID] = c
	}
	c[ilvl]++
	for i := ilvl + 1; i < maxListLevels; i++ {
		c[i] = l[i].start - 1
	}
	if !n.ordered(numID, ilvl) {
		return ""
	}
	text := l[ilvl].text
	for i := 0; i <= ilvl; i++ {
		text = strings.ReplaceAll(text, "%"+strconv.Itoa(i+1), formatNumber(max(c[i], l[i].start), l[i].format))
	}
	return strings.TrimSpace(text)
}

// formatNumber renders n in a Word number format.
func formatNumber(n int, format string) string {
	switch format {
	case "lowerLetter", "upperLetter":
		if n < 1 || n > 26*26 {
			return strconv.Itoa(n)
		}
		s := strings.Repeat(string(rune('a'+(n-1)%26)), (n-1)/26+1)
		if format == "upperLetter" {
			s = strings.ToUpper(s)
		}
		return s
	case "lowerRoman":
		return roman(n)
	case "upperRoman":
		return strings.ToUpper(roman(n))
	}
	return strconv.Itoa(n)
}

func roman(n int) string {
	if n <= 0 || n >= 4000 {
		return strconv.Itoa(n)
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"m", "cm", "d", "cd", "c", "xc", "l", "xl", "x", "ix", "v", "iv", "i"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}
