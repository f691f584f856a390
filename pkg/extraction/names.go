package extraction

import (
	"regexp"
	"strings"
)

// The shapes of the names each category holds. Validate checks results
// against them; the rules only ever produce names of these shapes.
var (
	moClassShape   = regexp.MustCompile(`^[A-Z][A-Za-z0-9]+$`)
	attributeShape = regexp.MustCompile(`^[a-z][A-Za-z0-9]+$`)
	counterShape   = regexp.MustCompile(`^(?:([A-Z][A-Za-z0-9_]*[A-Za-z0-9])\.)?(pm[A-Z][A-Za-z0-9$]*)$`)
	snakeEvent     = regexp.MustCompile(`^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$`)
	camelEvent     = regexp.MustCompile(`^(?:CuCp|CuUp|Du)[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*$`)
	fajShape       = regexp.MustCompile(`^FAJ \d{3} \d{3,4}$`)
	cxcShape       = regexp.MustCompile(`^CXC\d{6,8}$`)
	relationShape  = regexp.MustCompile(`^[a-z][a-z -]*[a-z]$`)
)

// IsCounterName reports whether an MO attribute name is a PM counter: `pm`
// followed by an upper-case letter. It is a prefix rule, never a substring
// test: sleepMode or pmZeroNom... are not counters, pmRrcConnEstabSucc is.
func IsCounterName(attribute string) bool {
	return len(attribute) > 2 && strings.HasPrefix(attribute, "pm") &&
		attribute[2] >= 'A' && attribute[2] <= 'Z'
}

// fajPattern finds FAJ ids in text, whatever whitespace (table padding, line
// breaks) sits between their parts.
var fajPattern = regexp.MustCompile(`\bFAJ\s*(\d{3})\s*(\d{3,4})\b`)

// NormalizeFAJ returns the canonical `FAJ 121 4796` form of a FAJ id written
// with any whitespace, or "" when s holds none.
func NormalizeFAJ(s string) string {
	m := fajPattern.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return "FAJ " + m[1] + " " + m[2]
}

// isValuePackage reports whether a normalized FAJ id names a value package
// (FAJ 801 ...), which is never a feature of its own.
func isValuePackage(faj string) bool { return strings.HasPrefix(faj, "FAJ 801 ") }

// cxcPattern finds CXC codes: the compact CXC4011253 the corpus mostly uses
// and the spaced CXC 401 1253 / CXC 4011253 forms.
var cxcPattern = regexp.MustCompile(`\bCXC\s*(\d{3})\s*(\d{3,4})\b`)

// NormalizeCXC returns the compact `CXC4011253` form of a CXC code, or ""
// when s holds none.
func NormalizeCXC(s string) string {
	m := cxcPattern.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return "CXC" + m[1] + m[2]
}

// findFAJs returns the normalized FAJ ids of s, in order of appearance.
func findFAJs(s string) []string {
	if !strings.Contains(s, "FAJ") {
		return nil // fajPattern needs it; most chunks name no feature
	}
	var out []string
	for _, m := range fajPattern.FindAllStringSubmatch(s, -1) {
		out = append(out, "FAJ "+m[1]+" "+m[2])
	}
	return out
}

// findCXCs returns the normalized CXC codes of s, in order of appearance.
func findCXCs(s string) []string {
	var out []string
	for _, m := range cxcPattern.FindAllStringSubmatch(s, -1) {
		out = append(out, "CXC"+m[1]+m[2])
	}
	return out
}
