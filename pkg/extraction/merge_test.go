package extraction

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
)

// chunkA and chunkB are the results of two chunks of one invented document.
var (
	chunkA = Result{
		MainFeatures: []Feature{{Name: "Zeta Boost", FAJ: "FAJ 121 9901", AccessType: "LTE"}},
		Parameters: []Parameter{
			{Name: "ZetaCellFDD.boostLevel", MOClass: "ZetaCellFDD", Attribute: "boostLevel"},
			{Name: "AlphaCell.gain", MOClass: "AlphaCell", Attribute: "gain", Feature: "FAJ 121 9901"},
		},
		Counters:        []Counter{{Name: "pmBoostAttempts"}, {Name: "pmBoostFailures"}},
		Events:          []Event{{Name: "INTERNAL_PROC_ZETA_BOOST"}},
		RelatedFeatures: []RelatedFeature{{FAJ: "FAJ 121 9903", Name: "Omega Sleep"}, {FAJ: "FAJ 121 9905"}},
		ActivationProcedures: []Activation{
			{Kind: "activate", Feature: "FAJ 121 9901"},
		},
	}
	chunkB = Result{
		MainFeatures: []Feature{{FAJ: "FAJ 121 9901", ValuePackage: "Zeta Performance"}},
		Parameters: []Parameter{
			{Name: "ZetaCellFDD.boostLevel", MOClass: "ZetaCellFDD", Attribute: "boostLevel", Role: "introduced", Feature: "FAJ 121 9901"},
		},
		Counters:        []Counter{{Name: "ZetaCellFDD.pmBoostAttempts", MOClass: "ZetaCellFDD"}},
		Events:          []Event{{Name: "INTERNAL_EVENT_ZETA_STARTED"}},
		RelatedFeatures: []RelatedFeature{{FAJ: "FAJ 121 9903", Relationship: "conflicting"}, {FAJ: "FAJ 121 9901"}},
		ActivationProcedures: []Activation{
			{Kind: "activate", Feature: "FAJ 121 9901", CXC: []string{"CXC4019901"}, Steps: []string{"Set  the FeatureState.featureState attribute."}},
			{Kind: "deactivate", Feature: "FAJ 121 9901", CXC: []string{"CXC4019901"}, Steps: []string{"Set it back."}},
		},
	}
)

func merged(rs ...Result) Result {
	var out Result
	for _, r := range rs {
		Merge(&out, r)
	}
	return out
}

func TestMerge_idempotent(t *testing.T) {
	once := merged(chunkA, chunkB)
	twice := merged(chunkA, chunkB, chunkA, chunkB)
	if !reflect.DeepEqual(once, twice) {
		t.Errorf("merging again changed the result:\nonce  %+v\ntwice %+v", once, twice)
	}
	self := once
	Merge(&self, once)
	if !reflect.DeepEqual(once, self) {
		t.Errorf("merging a result into itself changed it:\n%+v\n%+v", once, self)
	}
}

func TestMerge_orderIndependent(t *testing.T) {
	ab, ba := merged(chunkA, chunkB), merged(chunkB, chunkA)
	ja, _ := json.Marshal(ab)
	jb, _ := json.Marshal(ba)
	// steps keep the order of the chunks; everything else must match
	if len(ab.ActivationProcedures) != len(ba.ActivationProcedures) {
		t.Fatalf("procedures differ: %s vs %s", ja, jb)
	}
	ab.ActivationProcedures, ba.ActivationProcedures = nil, nil
	if !reflect.DeepEqual(ab, ba) {
		t.Errorf("merge depends on order:\n%s\n%s", ja, jb)
	}
}

func TestMerge_unionAndFill(t *testing.T) {
	r := merged(chunkA, chunkB)
	if err := Validate(r); err != nil {
		t.Fatalf("merged result invalid: %v", err)
	}
	for _, tc := range []struct {
		name      string
		got, want any
	}{
		{"main feature fields filled from both chunks", r.MainFeatures,
			[]Feature{{Name: "Zeta Boost", FAJ: "FAJ 121 9901", ValuePackage: "Zeta Performance", AccessType: "LTE"}}},
		{"parameters sorted by name, role and feature filled", r.Parameters, []Parameter{
			{Name: "AlphaCell.gain", MOClass: "AlphaCell", Attribute: "gain", Feature: "FAJ 121 9901"},
			{Name: "ZetaCellFDD.boostLevel", MOClass: "ZetaCellFDD", Attribute: "boostLevel", Role: "introduced", Feature: "FAJ 121 9901"},
		}},
		{"bare counter dropped once qualified", r.Counters, []Counter{
			{Name: "ZetaCellFDD.pmBoostAttempts", MOClass: "ZetaCellFDD"}, {Name: "pmBoostFailures"},
		}},
		{"events unioned", r.Events, []Event{{Name: "INTERNAL_EVENT_ZETA_STARTED"}, {Name: "INTERNAL_PROC_ZETA_BOOST"}}},
		{"relationship filled, main feature not related", r.RelatedFeatures, []RelatedFeature{
			{FAJ: "FAJ 121 9903", Name: "Omega Sleep", Relationship: "conflicting"}, {FAJ: "FAJ 121 9905"},
		}},
		{"empty procedure subsumed, steps whitespace-normalized", r.ActivationProcedures, []Activation{
			{Kind: "activate", Feature: "FAJ 121 9901", CXC: []string{"CXC4019901"}, Steps: []string{"Set the FeatureState.featureState attribute."}},
			{Kind: "deactivate", Feature: "FAJ 121 9901", CXC: []string{"CXC4019901"}, Steps: []string{"Set it back."}},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !reflect.DeepEqual(tc.got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", tc.got, tc.want)
			}
		})
	}
}

func TestMerge_stepsKeepChunkOrder(t *testing.T) {
	first := Result{ActivationProcedures: []Activation{{Kind: "activate", CXC: []string{"CXC4019901"}, Steps: []string{"Lock the cell.", "Set the attribute."}}}}
	second := Result{ActivationProcedures: []Activation{{Kind: "activate", CXC: []string{"CXC4019901"}, Steps: []string{"Set the attribute.", "Unlock the cell."}}}}
	r := merged(first, second)
	want := []string{"Lock the cell.", "Set the attribute.", "Unlock the cell."}
	if len(r.ActivationProcedures) != 1 || !slices.Equal(r.ActivationProcedures[0].Steps, want) {
		t.Errorf("procedures = %+v, want one with steps %q", r.ActivationProcedures, want)
	}
}

func TestMerge_emptyCategoriesAreNotNil(t *testing.T) {
	r := merged(Result{})
	b, _ := json.Marshal(r)
	if want := `{"main_features":[],"parameters":[],"counters":[],"events":[],"related_features":[],"activation_procedures":[]}`; string(b) != want {
		t.Errorf("empty merge encodes as %s, want %s", b, want)
	}
}

func TestMerge_doesNotAliasSource(t *testing.T) {
	src := Result{ActivationProcedures: []Activation{{Kind: "activate", Steps: []string{"One."}}}}
	var dst Result
	Merge(&dst, src)
	Merge(&dst, Result{ActivationProcedures: []Activation{{Kind: "activate", Steps: []string{"Two."}}}})
	if !slices.Equal(src.ActivationProcedures[0].Steps, []string{"One."}) {
		t.Errorf("Merge changed its source: %+v", src.ActivationProcedures)
	}
}
