package extraction

import (
	"regexp"
	"strings"

	"github.com/ranstream/ranstream/pkg/mdtext"
)

// The shapes of the names each category holds. Validate checks results
// against them; the rules only ever produce names of these shapes.
var (
	moClassShape   = shape(mdtext.ClassShaped)     // ^[A-Z][A-Za-z0-9]+$
	attributeShape = shape(mdtext.AttributeShaped) // ^[a-z][A-Za-z0-9]+$
	counterShape   = regexp.MustCompile(`^(?:([A-Z][A-Za-z0-9_]*[A-Za-z0-9])\.)?(pm[A-Z][A-Za-z0-9$]*)$`)
	snakeEvent     = regexp.MustCompile(`^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$`)
	camelEvent     = regexp.MustCompile(`^(?:CuCp|CuUp|Du)[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*$`)
	fajShape       = regexp.MustCompile(`^FAJ \d{3} \d{3,4}$`)
	cxcShape       = regexp.MustCompile(`^CXC\d{6,8}$`)
	relationShape  = regexp.MustCompile(`^[a-z][a-z -]*[a-z]$`)
)

// shape is a name shape checked by reading the bytes instead of running a
// regular expression on every token of a chunk.
type shape func(string) bool

// MatchString reports whether s has the shape.
func (sh shape) MatchString(s string) bool { return sh(s) }

// IsCounterName reports whether an MO attribute name is a PM counter: `pm`
// followed by an upper-case letter. It is a prefix rule, never a substring
// test: sleepMode or pmZeroNom... are not counters, pmRrcConnEstabSucc is.
func IsCounterName(attribute string) bool {
	return len(attribute) > 2 && strings.HasPrefix(attribute, "pm") &&
		attribute[2] >= 'A' && attribute[2] <= 'Z'
}

// NormalizeFAJ returns the canonical `FAJ 121 4796` form of a FAJ id written
// with any whitespace, or "" when s holds none.
func NormalizeFAJ(s string) string {
	for _, c := range mdtext.Codes(s, "FAJ") {
		return "FAJ " + c.A + " " + c.B
	}
	return ""
}

// isValuePackage reports whether a normalized FAJ id names a value package
// (FAJ 801 ...), which is never a feature of its own.
func isValuePackage(faj string) bool { return strings.HasPrefix(faj, "FAJ 801 ") }

// NormalizeCXC returns the compact `CXC4011253` form of a CXC code, or ""
// when s holds none.
func NormalizeCXC(s string) string {
	// the compact CXC4011253 the corpus mostly uses and the spaced CXC 401
	// 1253 / CXC 4011253 forms
	for _, c := range mdtext.Codes(s, "CXC") {
		return c.Squeezed("CXC")
	}
	return ""
}

// findFAJs returns the normalized FAJ ids of s, in order of appearance.
func findFAJs(s string) []string {
	var out []string
	// whatever whitespace (table padding, line breaks) sits between the parts
	for _, c := range mdtext.Codes(s, "FAJ") {
		out = append(out, "FAJ "+c.A+" "+c.B)
	}
	return out
}

// findCXCs returns the normalized CXC codes of s, in order of appearance.
func findCXCs(s string) []string {
	var out []string
	for _, c := range mdtext.Codes(s, "CXC") {
		out = append(out, c.Squeezed("CXC"))
	}
	return out
}
