package docx

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
)

// valAttr is an element whose w:val attribute carries its value.
type valAttr struct {
	Val string `xml:"val,attr"`
}

type numPrXML struct {
	Ilvl  *valAttr `xml:"ilvl"`
	NumID *valAttr `xml:"numId"`
}

type stylesXML struct {
	Styles []struct {
		Type    string   `xml:"type,attr"`
		ID      string   `xml:"styleId,attr"`
		Default string   `xml:"default,attr"`
		Name    valAttr  `xml:"name"`
		BasedOn *valAttr `xml:"basedOn"`
		PPr     struct {
			OutlineLvl *valAttr  `xml:"outlineLvl"`
			NumPr      *numPrXML `xml:"numPr"`
		} `xml:"pPr"`
	} `xml:"style"`
}

// styleDef is one paragraph style as extraction needs it.
type styleDef struct {
	name       string
	basedOn    string
	outlineLvl int // -1 when the style does not set it
	numID      string
	ilvl       int
	hasNum     bool
}

// styleSheet maps paragraph style ids to what they mean for the text:
// heading level, program listing, list numbering.
type styleSheet struct {
	styles       map[string]*styleDef
	defaultStyle string
}

// maxStyleChain bounds basedOn chains (they may loop in a hostile file).
const maxStyleChain = 16

func parseStyles(r io.Reader) (*styleSheet, error) {
	var x stylesXML
	if err := xml.NewDecoder(r).Decode(&x); err != nil {
		return nil, err
	}
	s := &styleSheet{styles: map[string]*styleDef{}}
	for _, st := range x.Styles {
		if st.Type != "" && st.Type != "paragraph" {
			continue
		}
		d := &styleDef{name: st.Name.Val, outlineLvl: -1}
		if st.BasedOn != nil {
			d.basedOn = st.BasedOn.Val
		}
		if o := st.PPr.OutlineLvl; o != nil {
			if n, err := strconv.Atoi(o.Val); err == nil && n >= 0 && n <= 9 {
				d.outlineLvl = n
			}
		}
		if np := st.PPr.NumPr; np != nil && np.NumID != nil {
			d.hasNum = true
			d.numID = np.NumID.Val
			if np.Ilvl != nil {
				d.ilvl, _ = strconv.Atoi(np.Ilvl.Val)
			}
		}
		s.styles[st.ID] = d
		if st.Default == "1" || st.Default == "true" {
			s.defaultStyle = st.ID
		}
	}
	return s, nil
}

// resolve returns the style id a paragraph uses.
func (s *styleSheet) resolve(id string) string {
	if id == "" {
		return s.defaultStyle
	}
	return id
}

// heading returns the heading level (1..9) of paragraph style id, or 0:
// built-in headings by name ("heading 2") or id ("Heading2"), the 3GPP "H6"
// style (a level-6 heading that Word keeps out of the outline), and custom
// styles whose outline level, set on them or inherited, is 0..8.
func (s *styleSheet) heading(id string) int {
	if s == nil {
		return headingFromName(id)
	}
	id = s.resolve(id)
	d := s.styles[id]
	if d == nil {
		return headingFromName(id)
	}
	if l := headingFromName(d.name); l > 0 {
		return l
	}
	if l := headingFromName(id); l > 0 {
		return l
	}
	for i := 0; d != nil && i < maxStyleChain; i++ {
		if d.outlineLvl >= 0 {
			if d.outlineLvl < 9 {
				return d.outlineLvl + 1
			}
			return 0
		}
		d = s.styles[d.basedOn]
	}
	return 0
}

// code reports the 3GPP program-listing style "PL" (ASN.1, code).
func (s *styleSheet) code(id string) bool {
	if id == "PL" {
		return true
	}
	if s == nil {
		return false
	}
	d := s.styles[s.resolve(id)]
	return d != nil && d.name == "PL"
}

// numbering returns the list numbering a paragraph style carries.
func (s *styleSheet) numbering(id string) (numID string, ilvl int, ok bool) {
	if s == nil {
		return "", 0, false
	}
	d := s.styles[s.resolve(id)]
	for i := 0; d != nil && i < maxStyleChain; i++ {
		if d.hasNum {
			return d.numID, d.ilvl, true
		}
		d = s.styles[d.basedOn]
	}
	return "", 0, false
}

// headingFromName reads a heading level from a style name or id: "heading 3",
// "Heading3", and the 3GPP "H6".
func headingFromName(name string) int {
	n := strings.ToLower(strings.TrimSpace(name))
	if rest, ok := strings.CutPrefix(n, "heading"); ok {
		if l, err := strconv.Atoi(strings.TrimSpace(rest)); err == nil && l >= 1 && l <= 9 {
			return l
		}
	}
	if n == "h6" {
		return 6
	}
	return 0
}
