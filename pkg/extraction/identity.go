package extraction

import (
	"regexp"
	"strings"

	"github.com/ranstream/ranstream/pkg/mdtext"
)

// identityLabel maps the normalized first cell of an identity row to the
// Feature field it fills.
type identityLabel int

const (
	labelNone identityLabel = iota
	labelName
	labelFAJ
	labelValuePackageName
	labelValuePackageFAJ
	labelAccessType
	labelLicense
	labelOther // an identity row no Feature field holds (Node Type ...)
)

// identityLabels are the row labels of an ELEX feature identity table
// ("Feature Name", "Feature Identity" ...), lower-cased, colon dropped.
var identityLabels = map[string]identityLabel{
	"feature name":           labelName,
	"feature identity":       labelFAJ,
	"feature id":             labelFAJ,
	"value package name":     labelValuePackageName,
	"value package":          labelValuePackageName,
	"value package identity": labelValuePackageFAJ,
	"value package id":       labelValuePackageFAJ,
	"access type":            labelAccessType,
	"licensing":              labelLicense,
	"license":                labelLicense,
	"feature state":          labelLicense,
	"feature key":            labelLicense,
	"node type":              labelOther,
	"impact at upgrade":      labelOther,
	"release":                labelOther,
}

// labelOf returns the identity label of a row's first cell.
func labelOf(cell string) identityLabel {
	k := strings.ToLower(strings.TrimRight(Collapse(cell), ": "))
	return identityLabels[k]
}

// colonLine matches "Feature Identity: FAJ 121 3051" outside a table, as
// PDF and plain-text conversions write identity blocks.
var colonLine = regexp.MustCompile(`^\s*(?:[-*]\s+)?([A-Z][A-Za-z ]{2,30}?)\s*:\s*(\S.*)$`)

// colonFields is colonLine's submatches, nil without a colon (most lines).
func colonFields(line string) []string {
	if strings.IndexByte(line, ':') < 0 {
		return nil
	}
	return colonLine.FindStringSubmatch(line)
}

// identityCells is tableCells for identity blocks, which read only rows
// whose first cell is an identity label: other rows come back as one
// (unsplit) cell, which tells them apart as well and costs no split.
func identityCells(line string) (row, bool) {
	t := strings.TrimSpace(line)
	if len(t) < 2 || t[0] != '|' {
		return nil, false
	}
	first, _, _ := strings.Cut(t[1:], "|")
	if strings.Trim(t[1:], "|:- \t") != "" && labelOf(first) == labelNone {
		return row{first}, true
	}
	return tableCells(line)
}

// identityInfo is what an identity block says: the main features, in the
// order of their columns.
type identityInfo struct {
	features []Feature
}

// fajs returns the distinct FAJ ids of the main features.
func (id identityInfo) fajs() []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range id.features {
		if f.FAJ != "" && !seen[f.FAJ] {
			seen[f.FAJ] = true
			out = append(out, f.FAJ)
		}
	}
	return out
}

// has reports whether faj is one of the main features.
func (id identityInfo) has(faj string) bool {
	for _, f := range id.features {
		if f.FAJ == faj {
			return true
		}
	}
	return false
}

// identityBlocks returns the runs of identity rows of text: table rows whose
// first cell is an identity label, and "Label: value" lines. Blank lines and
// other rows of the same table do not end a block; any other line does. Only
// blocks with a Feature Identity row, or a Feature Name row that carries a
// FAJ id, are returned.
func identityBlocks(text string) [][]row {
	var blocks [][]row
	var cur []row
	hasFAJ := false
	flush := func() {
		if hasFAJ {
			blocks = append(blocks, cur)
		}
		cur, hasFAJ = nil, false
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var r row
		cells, isRow := identityCells(line)
		if isRow {
			if cells == nil {
				continue // separator row
			}
			r = cells
		} else if m := colonFields(line); m != nil && labelOf(m[1]) != labelNone {
			r = row{m[1], Collapse(m[2])}
		}
		if len(r) < 2 || labelOf(r[0]) == labelNone {
			if !isRow || len(cur) == 0 {
				flush()
			}
			continue
		}
		if l := labelOf(r[0]); l == labelFAJ || l == labelName && mdtext.HasCode(strings.Join(r[1:], " "), "FAJ") {
			hasFAJ = true
		}
		cur = append(cur, r)
	}
	flush()
	return blocks
}

// featuresOf turns one identity block into main features, one per column and
// FAJ id. Value packages (FAJ 801 ...) are never main features.
func featuresOf(block []row) []Feature {
	width := 0
	for _, r := range block {
		width = max(width, len(r))
	}
	var out []Feature
	for col := 1; col < width; col++ {
		var f Feature
		var fajs, nameFAJs []string
		for _, r := range block {
			if col >= len(r) {
				continue
			}
			v := r[col]
			switch labelOf(r[0]) {
			case labelName:
				f.Name = v
				if ids := findFAJs(v); len(ids) > 0 {
					nameFAJs = ids // "Zeta Boost (FAJ 121 9901)"
					f.Name = Collapse(strings.Trim(fajInName.ReplaceAllString(v, ""), " ,;:-"))
				}
			case labelFAJ:
				fajs = findFAJs(v)
			case labelValuePackageName:
				f.ValuePackage = v
			case labelValuePackageFAJ:
				if f.ValuePackage == "" {
					if vp := findFAJs(v); len(vp) > 0 {
						f.ValuePackage = vp[0]
					}
				}
			case labelAccessType:
				f.AccessType = v
			case labelLicense:
				if cxc := findCXCs(v); len(cxc) > 0 {
					f.CXC = cxc[0]
				}
			}
		}
		if len(fajs) == 0 {
			fajs = nameFAJs
		}
		for _, faj := range fajs {
			if isValuePackage(faj) {
				continue
			}
			g := f
			g.FAJ = faj
			out = append(out, g)
		}
	}
	return out
}

// fajInName matches a FAJ id written into a Feature Name cell, with the
// parentheses around it.
var fajInName = regexp.MustCompile(`\(?\s*FAJ\s*\d{3}\s*\d{3,4}\s*\)?`)

// parseIdentity reads every identity block of text.
func parseIdentity(text string) identityInfo {
	var id identityInfo
	seen := map[string]bool{}
	for _, b := range identityBlocks(text) {
		for _, f := range featuresOf(b) {
			if !seen[f.FAJ] {
				seen[f.FAJ] = true
				id.features = append(id.features, f)
			}
		}
	}
	return id
}

// IdentityContext pulls the identity rows (Feature Name, Feature Identity,
// Value Package, Access Type, Licensing) of a whole document's first identity
// table out of its text, one normalized row a line. The chunker attaches them
// to every chunk as Input.Context, so that a chunk deep in the document can
// still attribute its items to the feature the document describes. Later
// identity tables (feature change history appendices) are left out: they
// describe other releases or other features. It returns "" when the document
// has no identity table.
//
// It reads the text section by section, as parseChunk splits it, and stops
// at the first identity table: the tables and the rest of the document are
// not parsed.
func IdentityContext(text string) string {
	var first []row
	var (
		stack    []heading
		lines    []string
		appendix bool
	)
	found := func() bool { // whether the section read so far holds the identity
		if appendix || len(lines) == 0 {
			return false
		}
		if blocks := identityBlocks(strings.Join(lines, "\n")); len(blocks) > 0 {
			first = blocks[0]
			return true
		}
		return false
	}
	done := false
	for line := range strings.SplitSeq(text, "\n") {
		line = Unescape(line) // no escape or entity spans a line break
		if lvl, title, ok := mdtext.Heading(line); ok {
			if done = found(); done {
				break
			}
			keep := underHeading(stack, lvl, title)
			stack, lines, appendix = keep, lines[:0], inAppendix(titles(keep))
			continue
		}
		lines = append(lines, line)
	}
	if !done {
		found()
	}
	var b strings.Builder
	for _, r := range first {
		b.WriteString("| ")
		b.WriteString(strings.Join(r, " | "))
		b.WriteString(" |\n")
	}
	return b.String()
}
