package extraction_test

import (
	"reflect"
	"testing"

	"github.com/ranstream/ranstream/pkg/extraction"
)

func TestAddsRules(t *testing.T) {
	for _, tc := range []struct {
		family extraction.Family
		mode   extraction.Mode
		want   bool
	}{
		{extraction.Family3GPP, extraction.ModeBasic, true},
		{extraction.Family3GPP, extraction.ModeCmedit, false},
		{extraction.Family3GPP, extraction.ModeFeatureGrouped, false},
		{extraction.Family3GPP, extraction.ModeHybrid, true},
		{extraction.FamilyELEX, extraction.ModeCmedit, true},
		{extraction.FamilyELEX, extraction.ModeFeatureGrouped, true},
		{extraction.FamilyGeneric, extraction.ModeFeatureGrouped, true},
		{extraction.FamilySheet, extraction.ModeCmedit, true},
		{"", extraction.ModeCmedit, true},
	} {
		if got := extraction.AddsRules(tc.family, tc.mode); got != tc.want {
			t.Errorf("AddsRules(%q, %s) = %v, want %v", tc.family, tc.mode, got, tc.want)
		}
	}
	// What AddsRules says is what Extract does: a 3GPP chunk gives the same
	// result in feature_grouped as in basic.
	in := extraction.Input{Family: extraction.Family3GPP, Text: "#### 10.2 Timers\n\n| TIMER NUM. | TIMER VALUE |\n|---|---|\n| T3410 | 15s |\n\nThe UE starts T3410.\n"}
	b, err := extraction.Extract(extraction.ModeBasic, in)
	if err != nil {
		t.Fatal(err)
	}
	fg, err := extraction.Extract(extraction.ModeFeatureGrouped, in)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(b, fg) || b.Items() == 0 {
		t.Errorf("3GPP: basic %+v, feature_grouped %+v; want the same, not empty", b, fg)
	}
}
