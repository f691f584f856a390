package threegpp

import (
	"regexp"
	"strconv"
	"strings"
)

// Cover is what the first page of a 3GPP document states about it. A
// specification's cover reads "3GPP TS 38.331 V18.4.0 (2024-12)", its title
// lines and "(Release 18)"; a contribution (tdoc) starts with the meeting and
// its tdoc number, and a change request (CR) names the specification, the
// current version and the release it changes.
type Cover struct {
	// Kind is "TS" or "TR" for a specification, "CR" for a change request,
	// "tdoc" for another contribution.
	Kind string
	// Spec is the specification the document is (TS, TR) or changes (CR).
	Spec Spec
	// Date is the publication month of a specification, "2024-12".
	Date string
	// Title is the specification's title without the 3GPP and TSG lines
	// ("NR; Radio Resource Control (RRC) protocol specification"), or the
	// title a contribution states.
	Title string
	// TDoc is the contribution's number, "S2-1812368".
	TDoc string
}

// Meta returns the cover as formats.Info metadata: spec, version,
// version_code, release, spec_type, date, tdoc, title; empty facts are left
// out.
func (c Cover) Meta() map[string]string {
	m := map[string]string{}
	put := func(k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	put("doc_type", c.Kind)
	put("spec", c.Spec.Number)
	put("version", c.Spec.Version)
	put("version_code", c.Spec.VersionCode)
	if c.Spec.Release > 0 {
		m["release"] = strconv.Itoa(c.Spec.Release)
	}
	put("date", c.Date)
	put("tdoc", c.TDoc)
	put("title", c.Title)
	return m
}

// DisplayTitle is the title a user would give the document:
// "3GPP TS 38.331 V18.4.0: NR; Radio Resource Control (RRC) protocol
// specification" for a specification, "S2-1812368: Correction of ..." for a
// contribution.
func (c Cover) DisplayTitle() string {
	switch c.Kind {
	case "TS", "TR":
		id := "3GPP " + c.Kind + " " + c.Spec.Number
		if c.Spec.Version != "" {
			id += " V" + c.Spec.Version
		}
		if c.Title == "" {
			return id
		}
		return id + ": " + c.Title
	default:
		switch {
		case c.TDoc != "" && c.Title != "":
			return c.TDoc + ": " + c.Title
		case c.Title != "":
			return c.Title
		}
		return c.TDoc
	}
}

// MaxCoverLines is how many non-empty lines from the start of a document
// ParseCover looks at; converters collect that many.
const MaxCoverLines = 80

var (
	specLine    = regexp.MustCompile(`(?i)\b(?:3GPP|3G|ETSI)\s+(TS|TR)\s+(\d{2}\.\d{3}(?:-\d{1,2})*|1\d{2}\s\d{3}(?:-\d{1,2})*)\s+V\s?(\d{1,2}\.\d{1,2}\.\d{1,2})(?:\s*\((\d{4}-\d{2})\))?`)
	releaseLine = regexp.MustCompile(`(?i)\bRelease\s+(\d{1,4})\b`)
	relShort    = regexp.MustCompile(`(?i)^Rel-?(\d{1,2}|99)\b`)
	tdocID      = regexp.MustCompile(`\b((?:[CRSGTN][1-6P]|[A-Z]P)-\d{6,7})\b`)
	bareSpec    = regexp.MustCompile(`^(\d{2}\.\d{3}(?:-\d{1,2})*)$`)
	bareVersion = regexp.MustCompile(`^(\d{1,2}\.\d{1,2}\.\d{1,2})$`)
	titleField  = regexp.MustCompile(`(?i)^title\s*:\s*(.*)$`)
)

// ParseCover reads the cover facts from the first lines of a document's text
// (paragraphs and table cells in reading order, one per line; see
// MaxCoverLines). It reports false when the lines show neither a
// specification identifier nor a tdoc number.
func ParseCover(lines []string) (Cover, bool) {
	var clean []string
	for _, l := range lines {
		l = strings.Join(strings.Fields(l), " ")
		if l != "" {
			clean = append(clean, l)
		}
		if len(clean) >= MaxCoverLines {
			break
		}
	}
	var c Cover
	for i, l := range clean {
		if c.TDoc == "" && i < 12 {
			if m := tdocID.FindStringSubmatch(l); m != nil {
				c.TDoc = m[1]
			}
		}
		if strings.EqualFold(l, "CHANGE REQUEST") && c.Kind == "" {
			c.Kind = "CR"
			parseCR(&c, clean[i+1:])
			break
		}
		if m := specLine.FindStringSubmatch(l); m != nil && c.Kind == "" {
			c.Kind = strings.ToUpper(m[1])
			c.Spec.Number = etsiToNumber(m[2])
			c.Spec, _ = withVersion(c.Spec, m[3])
			c.Date = m[4]
			parseSpecTitle(&c, clean[i+1:])
			break
		}
	}
	if c.Kind == "" && c.TDoc != "" {
		c.Kind = "tdoc"
	}
	if c.Kind == "tdoc" || c.Kind == "CR" {
		c.Title = fieldAfter(clean, titleField)
	}
	return c, c.Kind != ""
}

// parseSpecTitle reads the title lines and the release that follow a
// specification's identifier line.
func parseSpecTitle(c *Cover, rest []string) {
	var title []string
	for i, l := range rest {
		if i > 12 {
			break
		}
		if m := releaseLine.FindStringSubmatch(l); m != nil {
			c.Spec.Release = releaseNumber(m[1])
			break
		}
		low := strings.ToLower(l)
		switch {
		case low == "technical specification", low == "technical report",
			strings.HasPrefix(low, "3rd generation partnership project"),
			strings.HasPrefix(low, "technical specification group"):
			continue
		}
		title = append(title, strings.TrimSpace(l))
	}
	c.Title = strings.TrimSuffix(strings.Join(title, " "), ";")
}

// parseCR reads a CR cover form: the changed specification, the current
// version and the release, which Word lays out as table cells.
func parseCR(c *Cover, rest []string) {
	for i, l := range rest {
		if i > 60 {
			break
		}
		if c.Spec.Number == "" {
			if m := bareSpec.FindStringSubmatch(l); m != nil {
				c.Spec.Number = m[1]
			}
		}
		if strings.HasPrefix(strings.ToLower(l), "current version") && c.Spec.Version == "" {
			v := strings.TrimSpace(strings.TrimPrefix(l[len("current version"):], ":"))
			if v == "" && i+1 < len(rest) {
				v = rest[i+1]
			}
			if bareVersion.MatchString(v) {
				rel := c.Spec.Release
				c.Spec, _ = withVersion(c.Spec, v)
				if rel != 0 {
					c.Spec.Release = rel
				}
			}
		}
		if strings.HasPrefix(strings.ToLower(l), "release:") {
			v := strings.TrimSpace(l[len("release:"):])
			if v == "" && i+1 < len(rest) {
				v = rest[i+1]
			}
			if m := relShort.FindStringSubmatch(v); m != nil {
				c.Spec.Release = releaseNumber(m[1])
			}
		}
	}
}

// fieldAfter returns the value of a "Name: value" line, or of the line after
// a bare "Name:" (a form's next table cell).
func fieldAfter(lines []string, field *regexp.Regexp) string {
	for i, l := range lines {
		m := field.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		if v := strings.TrimSpace(m[1]); v != "" {
			return v
		}
		if i+1 < len(lines) {
			return lines[i+1]
		}
	}
	return ""
}

func releaseNumber(s string) int {
	n, _ := strconv.Atoi(s)
	switch {
	case n >= 1996 && n <= 1999:
		return n - 1900
	case n > 99:
		return 0
	}
	return n
}

// etsiToNumber turns the ETSI form "138 331" into "38.331"; 3GPP numbers pass.
func etsiToNumber(s string) string {
	if len(s) >= 7 && s[3] == ' ' {
		return s[1:3] + "." + s[4:]
	}
	return s
}
