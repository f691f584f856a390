// Package threegpp knows the conventions of 3GPP documents that the converters
// and the spec fetcher share: how the archive names a specification file
// (38331-i40.zip is TS 38.331 V18.4.0) and what a specification's cover page
// states (number, version, release, title).
package threegpp

import (
	"path"
	"strconv"
	"strings"
)

// Spec identifies one version of a 3GPP specification.
type Spec struct {
	// Number is the dotted specification number with its part, if any:
	// "38.331", "36.523-1", "29.198-08", "36.833-5-42"; GSM-era specs keep
	// their four digits: "04.08".
	Number string
	// Version is the dotted version, "18.4.0"; empty when the name gave none.
	Version string
	// VersionCode is the version as the file name codes it: "i40", or the
	// six-digit form "083700" of specs with a field above 35.
	VersionCode string
	// Release is the 3GPP release the major version names: 18 for V18.x.y,
	// 99 for V3.x.y (Release 1999); for a GSM-era spec (four-digit number)
	// 96 for V5 up to 99 for V8; 0 when unknown (no version, or an earlier
	// GSM phase).
	Release int
}

// ReleaseOf returns the release that a major version number names: Rel-N for
// V N.x.y from Rel-4 on, 99 (Release 1999) for V3.x.y, and 0 before that.
func ReleaseOf(major int) int {
	switch {
	case major >= 4:
		return major
	case major == 3:
		return 99
	default:
		return 0
	}
}

// gsmRelease maps the major version of a GSM-era spec (four-digit number,
// 04.08) to its release: V5 is Release 96 up to V8, Release 99.
func gsmRelease(major int) int {
	if major >= 5 && major <= 8 {
		return 91 + major
	}
	return 0
}

// knownExt are the extensions a specification file carries; anything else
// after the last dot is kept as part of the name.
var knownExt = map[string]bool{
	"zip": true, "doc": true, "docx": true, "docm": true, "rtf": true, "pdf": true,
	"txt": true, "md": true, "htm": true, "html": true, "xlsx": true, "asn": true, "asn1": true,
}

// ParseFileName reads the specification and version from a 3GPP file name:
// the archive form "38331-i40.zip" (or .docx, .doc, any case, with a directory
// or a suffix such as "_cover"), multi-part names "36523-1-d50.zip", the
// six-digit version form "24229-083700.zip", and the dotted forms "38.331",
// "TS 38.331 V18.4.0" and "38.331-1 v15.2.0". It reports false for any other
// name.
func ParseFileName(name string) (Spec, bool) {
	name = strings.ReplaceAll(name, `\`, "/")
	name = strings.TrimSpace(path.Base(name))
	for {
		i := strings.LastIndexByte(name, '.')
		if i < 0 || !knownExt[strings.ToLower(name[i+1:])] {
			break
		}
		name = name[:i]
	}
	name = strings.ToLower(name)
	if s, ok := parseDotted(name); ok {
		return s, true
	}
	return parseArchiveName(name)
}

// parseArchiveName parses "38331-i40", "36523-1-d50", "24229-083700",
// "0408-5c0", with an optional "_suffix" or " suffix" after the code.
func parseArchiveName(name string) (Spec, bool) {
	if i := strings.IndexAny(name, "_ "); i > 0 {
		name = name[:i]
	}
	fields := strings.Split(name, "-")
	if len(fields) < 2 || len(fields) > 5 {
		return Spec{}, false
	}
	base := fields[0]
	if !allDigits(base) || (len(base) != 5 && len(base) != 4) {
		return Spec{}, false
	}
	parts := fields[1 : len(fields)-1]
	for _, p := range parts {
		if !allDigits(p) || len(p) == 0 || len(p) > 2 {
			return Spec{}, false
		}
	}
	code := fields[len(fields)-1]
	maj, tech, ed, ok := decodeVersion(code)
	if !ok {
		return Spec{}, false
	}
	number := base[:2] + "." + base[2:]
	for _, p := range parts {
		number += "-" + p
	}
	rel := ReleaseOf(maj)
	if len(base) == 4 {
		rel = gsmRelease(maj)
	}
	return Spec{
		Number:      number,
		Version:     strconv.Itoa(maj) + "." + strconv.Itoa(tech) + "." + strconv.Itoa(ed),
		VersionCode: code,
		Release:     rel,
	}, true
}

// decodeVersion decodes a three-character base-36 code ("i40") or the
// six-digit decimal code ("083700").
func decodeVersion(code string) (maj, tech, ed int, ok bool) {
	switch len(code) {
	case 3:
		var v [3]int
		for i := 0; i < 3; i++ {
			d := base36(code[i])
			if d < 0 {
				return 0, 0, 0, false
			}
			v[i] = d
		}
		return v[0], v[1], v[2], true
	case 6:
		if !allDigits(code) {
			return 0, 0, 0, false
		}
		a, _ := strconv.Atoi(code[0:2])
		b, _ := strconv.Atoi(code[2:4])
		c, _ := strconv.Atoi(code[4:6])
		return a, b, c, true
	}
	return 0, 0, 0, false
}

// VersionCode returns the file-name code of a dotted version: "18.4.0" is
// "i40"; a field above 35 switches to the six-digit decimal form. It reports
// false for a version that is not three numbers, or has a field above 99.
func VersionCode(version string) (string, bool) {
	f := strings.Split(version, ".")
	if len(f) != 3 {
		return "", false
	}
	var v [3]int
	wide := false
	for i, s := range f {
		if !allDigits(s) || len(s) > 2 {
			return "", false
		}
		v[i], _ = strconv.Atoi(s)
		if v[i] > 35 {
			wide = true
		}
	}
	if wide {
		var b strings.Builder
		for _, n := range v {
			if n < 10 {
				b.WriteByte('0')
			}
			b.WriteString(strconv.Itoa(n))
		}
		return b.String(), true
	}
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	return string([]byte{digits[v[0]], digits[v[1]], digits[v[2]]}), true
}

// parseDotted parses "38.331", "38.331-1", "ts 38.331 v18.4.0", "38.331 v18.4.0".
func parseDotted(name string) (Spec, bool) {
	fields := strings.Fields(name)
	if len(fields) > 0 && (fields[0] == "ts" || fields[0] == "tr" || fields[0] == "3gpp") {
		fields = fields[1:]
		if len(fields) > 0 && (fields[0] == "ts" || fields[0] == "tr") {
			fields = fields[1:]
		}
	}
	if len(fields) == 0 || len(fields) > 2 {
		return Spec{}, false
	}
	num := fields[0]
	dash := strings.Split(num, "-")
	head := dash[0]
	dot := strings.IndexByte(head, '.')
	if dot != 2 || !allDigits(head[:2]) || !allDigits(head[3:]) || (len(head) != 6 && len(head) != 5) {
		return Spec{}, false
	}
	for _, p := range dash[1:] {
		if !allDigits(p) || len(p) == 0 || len(p) > 2 {
			return Spec{}, false
		}
	}
	s := Spec{Number: num}
	if len(fields) == 2 {
		v, ok := withVersion(s, strings.TrimPrefix(fields[1], "v"))
		if !ok {
			return Spec{}, false
		}
		s = v
	}
	return s, true
}

// withVersion sets s's version fields from a dotted version such as
// "18.4.0", normalizing leading zeros.
func withVersion(s Spec, version string) (Spec, bool) {
	code, ok := VersionCode(version)
	if !ok {
		return s, false
	}
	maj, tech, ed, _ := decodeVersion(code)
	s.Version = strconv.Itoa(maj) + "." + strconv.Itoa(tech) + "." + strconv.Itoa(ed)
	s.VersionCode = code
	s.Release = ReleaseOf(maj)
	return s, true
}

func base36(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return -1
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
