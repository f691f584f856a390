package route_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/results"
	"github.com/ranstream/ranstream/pkg/route"
)

type accepted struct{ recs []results.ChunkRecord }

func (a *accepted) Accept(_ context.Context, r results.ChunkRecord) error {
	a.recs = append(a.recs, r)
	return nil
}

// poor is a chunk whose text plainly holds telecom names, extracted as
// nothing: it scores well below 1 in any mode.
func poor(mode extraction.Mode, tried ...extraction.Mode) event.Extraction {
	text := "The attribute EUtranCellFDD.pdcchTargetBler sets the target. The counter EUtranCellFDD.pmDlAssigsTrans counts " +
		"assignments, EUtranCellFDD.pmUlGrants the grants. " + strings.Repeat("Further text about the feature. ", 10)
	return event.Extraction{V: event.Version, Chunk: event.Chunk{V: event.Version, Doc: event.Doc{ID: "sha256:ab", Source: "a.md"},
		Format: "markdown", Total: 1, Text: text, Mode: mode, ModesTried: append(tried, mode)}}
}

// poor3GPP is poor as a chunk of a 3GPP specification, whose rules all run
// in basic.
func poor3GPP(mode extraction.Mode, tried ...extraction.Mode) event.Extraction {
	e := poor(mode, tried...)
	e.Chunk.Family = extraction.Family3GPP
	e.Chunk.Format = "docx"
	return e
}

var (
	basic  = extraction.ModeBasic
	cmedit = extraction.ModeCmedit
	fg     = extraction.ModeFeatureGrouped
	hybrid = extraction.ModeHybrid
	rules  = []extraction.Mode{basic, cmedit, fg}
)

func TestRouter_ladder(t *testing.T) {
	for _, tc := range []struct {
		name        string
		cfg         route.Config
		in          event.Extraction
		wantNext    extraction.Mode // empty: accepted
		wantMode    extraction.Mode // the accepted record's mode
		wantNoteHas string
	}{
		{name: "a poor basic result climbs to cmedit", cfg: route.Config{Ladder: rules},
			in: poor(basic), wantNext: cmedit},
		{name: "a poor cmedit result climbs to feature_grouped", cfg: route.Config{Ladder: rules},
			in: poor(cmedit, basic), wantNext: fg},
		{name: "a mode already tried is skipped", cfg: route.Config{Ladder: rules},
			in: poor(basic, cmedit), wantNext: fg},
		{name: "a start above basic climbs from there", cfg: route.Config{Ladder: rules},
			in: poor(cmedit), wantNext: fg},
		{name: "the richest mode accepts, and says why below its threshold", cfg: route.Config{Ladder: rules,
			Unavailable: map[extraction.Mode]string{hybrid: "no LLM configured"}},
			in: poor(fg, basic, cmedit), wantMode: fg, wantNoteHas: "hybrid unavailable: no LLM configured"},
		{name: "a threshold met is accepted where it is", cfg: route.Config{Ladder: rules,
			Thresholds: map[extraction.Mode]float64{basic: 0}},
			in: poor(basic), wantMode: basic},
		{name: "a partial override keeps the other defaults", cfg: route.Config{Ladder: rules,
			Thresholds: map[extraction.Mode]float64{cmedit: 0}},
			in: poor(basic), wantNext: cmedit},
		{name: "hybrid without its LLM pass is recorded as feature_grouped", cfg: route.Config{
			Ladder: []extraction.Mode{basic, cmedit, fg, hybrid}},
			in: poor(hybrid, basic, cmedit, fg), wantMode: fg},
		{name: "a poor 3GPP result stays in basic: the richer rules modes add nothing to a specification", cfg: route.Config{Ladder: rules,
			Unavailable: map[extraction.Mode]string{hybrid: "no LLM configured"}},
			in: poor3GPP(basic), wantMode: basic, wantNoteHas: "below the basic threshold; cmedit and feature_grouped add no rules for 3gpp documents; hybrid unavailable: no LLM configured"},
		{name: "a poor 3GPP result goes from basic straight to hybrid", cfg: route.Config{
			Ladder: []extraction.Mode{basic, cmedit, fg, hybrid}},
			in: poor3GPP(basic), wantNext: hybrid},
		{name: "a 3GPP chunk whose LLM pass did not run is recorded as basic", cfg: route.Config{
			Ladder: []extraction.Mode{basic, cmedit, fg, hybrid}},
			in: poor3GPP(hybrid, basic), wantMode: basic},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acc := &accepted{}
			r, err := route.New(tc.cfg, acc)
			if err != nil {
				t.Fatal(err)
			}
			outs, err := r.Handle(context.Background(), tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantNext != "" {
				if len(outs) != 1 || len(acc.recs) != 0 {
					t.Fatalf("got %d outputs, %d accepted; want the chunk sent on", len(outs), len(acc.recs))
				}
				c, ok := outs[0].(event.Chunk)
				if !ok || c.Mode != tc.wantNext {
					t.Fatalf("sent on %#v, want a chunk in %s", outs[0], tc.wantNext)
				}
				return
			}
			if len(outs) != 0 || len(acc.recs) != 1 {
				t.Fatalf("got %d outputs, %d accepted; want it accepted", len(outs), len(acc.recs))
			}
			rec := acc.recs[0]
			if rec.Mode != tc.wantMode {
				t.Errorf("accepted in %s, want %s", rec.Mode, tc.wantMode)
			}
			if !strings.Contains(rec.Note, tc.wantNoteHas) {
				t.Errorf("note %q, want it to contain %q", rec.Note, tc.wantNoteHas)
			}
		})
	}
}

func TestNew_refusesUnknownModes(t *testing.T) {
	if _, err := route.New(route.Config{Thresholds: map[extraction.Mode]float64{"bsic": 0.5}}, &accepted{}); err == nil {
		t.Error("a threshold for an unknown mode was accepted")
	}
	if _, err := route.New(route.Config{Ladder: []extraction.Mode{"basic", "fancy"}}, &accepted{}); err == nil {
		t.Error("an unknown mode on the ladder was accepted")
	}
}

func TestRouter_start(t *testing.T) {
	r, err := route.New(route.Config{Ladder: rules, Unavailable: map[extraction.Mode]string{hybrid: "no LLM configured"}}, &accepted{})
	if err != nil {
		t.Fatal(err)
	}
	for want, ok := range map[extraction.Mode]bool{"": true, basic: true, cmedit: true, fg: true, hybrid: false, "fancy": false} {
		got, err := r.Start(want)
		switch {
		case ok && err != nil:
			t.Errorf("Start(%q): %v", want, err)
		case ok && want == "" && got != basic:
			t.Errorf("Start() = %s, want the cheapest", got)
		case ok && want != "" && got != want:
			t.Errorf("Start(%q) = %s", want, got)
		case !ok && err == nil:
			t.Errorf("Start(%q) = %s, want an error", want, got)
		}
	}
	if _, err := r.Start(hybrid); err == nil || !strings.Contains(err.Error(), "no LLM configured") {
		t.Errorf("Start(hybrid) without an LLM: %v, want the reason", err)
	}
}
