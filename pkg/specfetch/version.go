package specfetch

import (
	"strconv"
	"strings"

	"github.com/ranstream/ranstream/pkg/formats/threegpp"
)

// Spec is one version of one specification in the archive.
type Spec struct {
	// Number is the dotted spec number: "38.331", "36.523-1".
	Number string `json:"number"`
	// Version is the version as the file name codes it: "i40" is V18.4.0.
	Version string `json:"version"`
	// Release is the release the major version names: 18 for "i40".
	Release int `json:"release"`
	// File is the archive's file name: "38331-i40.zip".
	File string `json:"file"`
	// URL is where the file is downloaded from.
	URL string `json:"url"`
	// Size is the size the listing states, in bytes; -1 when it states none.
	Size int64 `json:"size"`
}

// Key is the dedup key of this version in a Seen store: "3gpp/38331-i40".
// It holds only characters that NATS KV keys allow.
func (s Spec) Key() string {
	return "3gpp/" + strings.TrimSuffix(s.File, ".zip")
}

// String names the spec and version the way 3GPP writes it: "TS 38.331 V18.4.0".
func (s Spec) String() string {
	if v, ok := decodeCode(s.Version); ok {
		return "TS " + s.Number + " V" + strconv.Itoa(v[0]) + "." + strconv.Itoa(v[1]) + "." + strconv.Itoa(v[2])
	}
	return "TS " + s.Number + " " + s.Version
}

// specFile parses an archive file name ("38331-i40.zip") into a Spec, using the
// conventions shared with the converters. Names that are not a spec zip (the
// parent-directory link, cover sheets, other formats) report false.
func specFile(name string) (Spec, [3]int, bool) {
	if !strings.EqualFold(pathExt(name), ".zip") {
		return Spec{}, [3]int{}, false
	}
	p, ok := threegpp.ParseFileName(name)
	if !ok || p.VersionCode == "" {
		return Spec{}, [3]int{}, false
	}
	v, ok := decodeCode(p.VersionCode)
	if !ok {
		return Spec{}, [3]int{}, false
	}
	// Only the canonical form counts: "38331-i40.zip", not "38331-i40_cover.zip".
	if strings.ToLower(name) != compactNumber(p.Number)+"-"+p.VersionCode+".zip" {
		return Spec{}, [3]int{}, false
	}
	return Spec{Number: p.Number, Version: p.VersionCode, Release: threegpp.ReleaseOf(v[0]), File: name, Size: -1}, v, true
}

// decodeCode decodes a version code into (major, technical, editorial): three
// base-36 digits ("i40" is 18, 4, 0; "a" is 10 ... "z" is 35), or the six-digit
// decimal form used when a field is above 35 ("083700" is 8, 37, 0).
func decodeCode(code string) ([3]int, bool) {
	var v [3]int
	switch len(code) {
	case 3:
		for i := 0; i < 3; i++ {
			c := code[i]
			switch {
			case c >= '0' && c <= '9':
				v[i] = int(c - '0')
			case c >= 'a' && c <= 'z':
				v[i] = int(c-'a') + 10
			default:
				return v, false
			}
		}
		return v, true
	case 6:
		for i := 0; i < 3; i++ {
			n, err := strconv.Atoi(code[2*i : 2*i+2])
			if err != nil || n < 0 {
				return v, false
			}
			v[i] = n
		}
		return v, true
	}
	return v, false
}

// newer reports whether version a is later than b, field by field.
func newer(a, b [3]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] > b[i]
		}
	}
	return false
}

func pathExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i:]
	}
	return ""
}
