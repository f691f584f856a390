package specfetch

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	json "github.com/go-json-experiment/json/v1"

	"github.com/ranstream/ranstream/pkg/fault"
	"github.com/ranstream/ranstream/pkg/formats/threegpp"
)

// Request is one spec-download event, as published on specs.download:
//
//	{"spec": "38.331", "release": 18}    the latest version of TS 38.331 in Rel-18
//	{"spec": "38.331", "version": "i40"} exactly TS 38.331 V18.4.0
//	{"spec": "38.331"}                   the latest version in the archive
//	{"series": "38", "release": 18}      every spec of the 38 series, latest in Rel-18
type Request struct {
	// Spec is a specification number: "38.331", "38331", "36.523-1".
	Spec string `json:"spec,omitempty"`
	// Series is a two-digit series ("38"), asking for every spec in it.
	Series string `json:"series,omitempty"`
	// Release restricts the choice to the versions of one release (the major
	// version: 18 is V18.x.y, written "i.." in file names; 99 is Release 1999).
	Release int `json:"release,omitempty"`
	// Version asks for one exact version, as the file name codes it ("i40"),
	// in the six-digit form ("083700"), or dotted ("18.4.0").
	Version string `json:"version,omitempty"`
}

var (
	specRe   = regexp.MustCompile(`^(?:t[sr]\s*)?(\d{2})\.?(\d{2,3})((?:-\d{1,2}){0,3})$`)
	seriesRe = regexp.MustCompile(`^\d{2}$`)
	codeRe   = regexp.MustCompile(`^(?:[0-9a-z]{3}|\d{6})$`)
)

// DecodeRequest decodes a specs.download payload and validates it. Malformed
// JSON, unknown fields and invalid requests are permanent errors: redelivery
// cannot fix them.
func DecodeRequest(payload []byte) (Request, error) {
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	var r Request
	if err := dec.Decode(&r); err != nil {
		return Request{}, fault.Permanent(fmt.Errorf("%w: decode %q: %v", ErrBadRequest, clip(payload), err))
	}
	if err := r.Validate(); err != nil {
		return Request{}, err
	}
	return r, nil
}

// Validate reports whether the request names exactly one spec or one series
// in a form the archive knows. Its errors are permanent and wrap ErrBadRequest.
func (r Request) Validate() error {
	_, err := r.normalize()
	return err
}

// normalize returns the request in canonical form: Spec dotted ("38.331"),
// Version as its file-name code ("i40"), Release filled in from Version.
func (r Request) normalize() (Request, error) {
	bad := func(format string, args ...any) (Request, error) {
		return Request{}, fault.Permanent(fmt.Errorf("%w: %s", ErrBadRequest, fmt.Sprintf(format, args...)))
	}
	spec, series := strings.TrimSpace(r.Spec), strings.TrimSpace(r.Series)
	switch {
	case spec == "" && series == "":
		return bad("neither spec nor series given")
	case spec != "" && series != "":
		return bad("both spec %q and series %q given; ask for one", spec, series)
	}
	out := Request{Release: r.Release}
	if spec != "" {
		n, ok := NormalizeNumber(spec)
		if !ok {
			return bad("spec %q is not a 3GPP number like 38.331, 38331 or 36.523-1", spec)
		}
		out.Spec = n
	} else {
		series = strings.TrimSuffix(strings.ToLower(series), "_series")
		if !seriesRe.MatchString(series) {
			return bad("series %q is not two digits like 38", r.Series)
		}
		out.Series = series
	}
	if r.Release != 0 && !validRelease(r.Release) {
		return bad("release %d is outside 1..35 (or 99 for Release 1999)", r.Release)
	}
	if v := strings.TrimSpace(r.Version); v != "" {
		if out.Series != "" {
			return bad("a version (%q) names one spec's file; a series takes a release", v)
		}
		code, major, ok := normalizeVersion(v)
		if !ok {
			return bad("version %q is not a code like i40 or a dotted version like 18.4.0", v)
		}
		rel := threegpp.ReleaseOf(major)
		if r.Release != 0 && rel != r.Release {
			return bad("version %s is in release %d, not %d", code, rel, r.Release)
		}
		out.Version, out.Release = code, rel
	}
	if out.Series != "" && out.Release == 0 {
		return bad("series %s needs a release: a whole series across all releases is too much to fetch by accident", out.Series)
	}
	return out, nil
}

// String names the request the way ParseRef reads it: "3gpp:38.331@18".
func (r Request) String() string {
	s := "3gpp:" + r.Spec + r.Series
	switch {
	case r.Version != "":
		s += "@" + r.Version
	case r.Release != 0:
		s += "@" + strconv.Itoa(r.Release)
	}
	return s
}

// ParseRef reads a spec reference as users type it: "3gpp:38.331@18" (the
// latest version in Rel-18), "3gpp:38.331@i40" (that exact version),
// "3gpp:38.331" (the latest version), "3gpp:38@18" (the whole 38 series in
// Rel-18). "rel-18" and "Rel18" are accepted for the release. A one- or
// two-digit suffix is a release; anything else is a version.
func ParseRef(s string) (Request, error) {
	const scheme = "3gpp:"
	t := strings.TrimSpace(s)
	if len(t) < len(scheme) || !strings.EqualFold(t[:len(scheme)], scheme) {
		return Request{}, fault.Permanent(fmt.Errorf("%w: reference %q does not start with %s", ErrBadRequest, s, scheme))
	}
	t = t[len(scheme):]
	num, at, hasAt := strings.Cut(t, "@")
	var r Request
	if seriesRe.MatchString(num) {
		r.Series = num
	} else {
		r.Spec = num
	}
	if hasAt {
		at = strings.TrimSpace(strings.ToLower(at))
		rel := strings.TrimPrefix(strings.TrimPrefix(at, "rel"), "-")
		if n, err := strconv.Atoi(rel); err == nil && len(rel) <= 2 {
			r.Release = n
		} else if at == "" {
			return Request{}, fault.Permanent(fmt.Errorf("%w: reference %q has an empty release or version after @", ErrBadRequest, s))
		} else {
			r.Version = at
		}
	}
	n, err := r.normalize()
	if err != nil {
		return Request{}, err
	}
	return n, nil
}

// NormalizeNumber returns a spec number in the archive's dotted form
// ("38331" and "TS 38.331" give "38.331"; "36523-1" gives "36.523-1"), and
// false when s is no 3GPP spec number.
func NormalizeNumber(s string) (string, bool) {
	m := specRe.FindStringSubmatch(strings.ToLower(strings.TrimSpace(s)))
	if m == nil {
		return "", false
	}
	return m[1] + "." + m[2] + m[3], true
}

// compactNumber is the number as file names write it: "38.331-1" is "38331-1".
func compactNumber(dotted string) string { return strings.Replace(dotted, ".", "", 1) }

// normalizeVersion returns the file-name code of a version given as a code
// ("I40", "083700") or dotted ("18.4.0", "V18.4.0"), and its major version.
func normalizeVersion(v string) (code string, major int, ok bool) {
	v = strings.ToLower(strings.TrimSpace(v))
	if strings.Contains(v, ".") {
		code, ok = threegpp.VersionCode(strings.TrimPrefix(v, "v"))
		if !ok {
			return "", 0, false
		}
	} else {
		code = v
	}
	if !codeRe.MatchString(code) {
		return "", 0, false
	}
	vv, ok := decodeCode(code)
	if !ok {
		return "", 0, false
	}
	return code, vv[0], true
}

func validRelease(n int) bool { return (n >= 1 && n <= 35) || n == 99 }

func clip(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "..."
	}
	return string(b)
}
