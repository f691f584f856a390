package specfetch

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/fault"
)

func TestResolve_latestVersionOfRelease(t *testing.T) {
	a := newFakeArchive(t)
	f := newTestFetcher(t, testConfig(t, a), nil)
	cases := []struct {
		name    string
		req     Request
		want    string
		wantErr error
	}{
		{name: "rel 18 over unsorted listing", req: Request{Spec: "38.331", Release: 18}, want: "38331-i40.zip"},
		{name: "compact number", req: Request{Spec: "38331", Release: 18}, want: "38331-i40.zip"},
		{name: "rel 17: a0 (V17.10.0) beats 90", req: Request{Spec: "38.331", Release: 17}, want: "38331-ha0.zip"},
		{name: "rel 15", req: Request{Spec: "38.331", Release: 15}, want: "38331-f80.zip"},
		{name: "no release: latest of all", req: Request{Spec: "38.331"}, want: "38331-j00.zip"},
		{name: "release without versions", req: Request{Spec: "38.331", Release: 14}, wantErr: ErrNoSuchVersion},
		{name: "unknown spec", req: Request{Spec: "38.999", Release: 18}, wantErr: ErrNoSuchSpec},
		{name: "bad request", req: Request{Spec: "38.331", Release: 77}, wantErr: ErrBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := f.Resolve(context.Background(), tc.req)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) || !fault.IsPermanent(err) {
					t.Fatalf("Resolve(%+v) = %v, %v; want permanent %v", tc.req, got, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve(%+v): %v", tc.req, err)
			}
			if len(got) != 1 || got[0].File != tc.want {
				t.Fatalf("Resolve(%+v) = %+v, want %s", tc.req, got, tc.want)
			}
		})
	}
}

func TestResolve_exactVersion(t *testing.T) {
	a := newFakeArchive(t)
	f := newTestFetcher(t, testConfig(t, a), nil)
	for _, v := range []string{"i20", "I20", "18.2.0", "V18.2.0"} {
		got, err := f.Resolve(context.Background(), Request{Spec: "38.331", Version: v})
		if err != nil {
			t.Fatalf("version %s: %v", v, err)
		}
		want := Spec{Number: "38.331", Version: "i20", Release: 18, File: "38331-i20.zip",
			URL: a.url() + "/38_series/38.331/38331-i20.zip", Size: 9612007}
		if len(got) != 1 || got[0] != want {
			t.Fatalf("version %s: got %+v, want %+v", v, got, want)
		}
	}
	_, err := f.Resolve(context.Background(), Request{Spec: "38.331", Version: "i50"})
	if !errors.Is(err, ErrNoSuchVersion) || !fault.IsPermanent(err) {
		t.Fatalf("missing version: %v, want permanent ErrNoSuchVersion", err)
	}
	if !strings.Contains(err.Error(), "latest is j00") {
		t.Errorf("missing version error %q does not say what is there", err)
	}
}

func TestResolve_series(t *testing.T) {
	a := newFakeArchive(t)
	f := newTestFetcher(t, testConfig(t, a), nil)
	got, err := f.Resolve(context.Background(), Request{Series: "38", Release: 18})
	if err != nil {
		t.Fatal(err)
	}
	// 38.401 has only Rel-17 versions and is left out.
	want := []string{"38101-1-i50.zip", "38300-i10.zip", "38331-i40.zip"}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %v", got, want)
	}
	for i, s := range got {
		if s.File != want[i] || s.Release != 18 {
			t.Errorf("spec %d = %+v, want %s in release 18", i, s, want[i])
		}
	}
	if got[0].Number != "38.101-1" || got[0].URL != a.url()+"/38_series/38.101-1/38101-1-i50.zip" {
		t.Errorf("multi-part spec resolved as %+v", got[0])
	}

	if _, err := f.Resolve(context.Background(), Request{Series: "38", Release: 12}); !errors.Is(err, ErrNoSuchVersion) || !fault.IsPermanent(err) {
		t.Errorf("series without the release: %v, want permanent ErrNoSuchVersion", err)
	}
	if _, err := f.Resolve(context.Background(), Request{Series: "39", Release: 18}); !errors.Is(err, ErrNoSuchSpec) || !fault.IsPermanent(err) {
		t.Errorf("unknown series: %v, want permanent ErrNoSuchSpec", err)
	}
}
