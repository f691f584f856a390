package specfetch

import (
	"errors"
	"testing"

	"github.com/ranstream/ranstream/pkg/fault"
)

func TestParseRef(t *testing.T) {
	cases := []struct {
		ref  string
		want Request
		bad  bool
	}{
		{ref: "3gpp:38.331@18", want: Request{Spec: "38.331", Release: 18}},
		{ref: "3gpp:38.331@i40", want: Request{Spec: "38.331", Version: "i40", Release: 18}},
		{ref: "3GPP:38331@Rel-17", want: Request{Spec: "38.331", Release: 17}},
		{ref: "3gpp:38.331@18.4.0", want: Request{Spec: "38.331", Version: "i40", Release: 18}},
		{ref: "3gpp:36.523-1@d30", want: Request{Spec: "36.523-1", Version: "d30", Release: 13}},
		{ref: "3gpp:38.331", want: Request{Spec: "38.331"}},
		{ref: "3gpp:38@18", want: Request{Series: "38", Release: 18}},
		{ref: "38.331@18", bad: true},
		{ref: "3gpp:38.331@", bad: true},
		{ref: "3gpp:38.331@40", bad: true},
		{ref: "3gpp:38.331@i4", bad: true},
		{ref: "3gpp:38@i40", bad: true},
		{ref: "3gpp:38", bad: true},
		{ref: "3gpp:abc@18", bad: true},
	}
	for _, tc := range cases {
		t.Run(tc.ref, func(t *testing.T) {
			got, err := ParseRef(tc.ref)
			if tc.bad {
				if !errors.Is(err, ErrBadRequest) || !fault.IsPermanent(err) {
					t.Fatalf("ParseRef(%q) = %+v, %v; want a permanent ErrBadRequest", tc.ref, got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseRef(%q) = %+v, %v; want %+v", tc.ref, got, err, tc.want)
			}
			if back, err := ParseRef(got.String()); err != nil || back != got {
				t.Errorf("round trip through %q gave %+v, %v", got.String(), back, err)
			}
		})
	}
}

func TestRequest_Validate(t *testing.T) {
	cases := []struct {
		name string
		req  Request
		ok   bool
	}{
		{"spec and release", Request{Spec: "38.331", Release: 18}, true},
		{"spec and version", Request{Spec: "38.331", Version: "i40"}, true},
		{"compact spec", Request{Spec: "38331"}, true},
		{"gsm-era spec", Request{Spec: "04.08", Release: 99}, true},
		{"series and release", Request{Series: "38", Release: 18}, true},
		{"version agreeing with release", Request{Spec: "38.331", Version: "i40", Release: 18}, true},
		{"nothing", Request{}, false},
		{"spec and series", Request{Spec: "38.331", Series: "38", Release: 18}, false},
		{"series without release", Request{Series: "38"}, false},
		{"series with version", Request{Series: "38", Version: "i40"}, false},
		{"release zero..35 only", Request{Spec: "38.331", Release: 36}, false},
		{"version disagreeing with release", Request{Spec: "38.331", Version: "i40", Release: 17}, false},
		{"version too long", Request{Spec: "38.331", Version: "i400"}, false},
		{"spec with letters", Request{Spec: "38.33x"}, false},
		{"series of three digits", Request{Series: "380", Release: 18}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.req.Validate()
			if tc.ok != (err == nil) {
				t.Fatalf("Validate(%+v) = %v, want ok=%v", tc.req, err, tc.ok)
			}
			if err != nil && (!errors.Is(err, ErrBadRequest) || !fault.IsPermanent(err)) {
				t.Fatalf("Validate error %v is not a permanent ErrBadRequest", err)
			}
		})
	}
}

func TestDecodeRequest(t *testing.T) {
	r, err := DecodeRequest([]byte(`{"spec": "38.331", "version": "i40"}`))
	if err != nil || r != (Request{Spec: "38.331", Version: "i40"}) {
		t.Fatalf("got %+v, %v", r, err)
	}
	for _, bad := range []string{`{"spec": 38.331}`, `{"spec": "38.331", "relase": 18}`, `{}`, `not json`} {
		if _, err := DecodeRequest([]byte(bad)); !errors.Is(err, ErrBadRequest) || !fault.IsPermanent(err) {
			t.Errorf("DecodeRequest(%s) = %v, want a permanent ErrBadRequest", bad, err)
		}
	}
}
