package extraction

import (
	"errors"
	"strings"
	"testing"
)

func TestValidate_categoryRules(t *testing.T) {
	for _, tc := range []struct {
		name   string
		r      Result
		reason string // a substring of the expected problem, "" for a valid result
	}{
		{"valid", merged(chunkA, chunkB), ""},
		{"counter as parameter", Result{Parameters: []Parameter{{Name: "ZetaCell.pmBoost"}}}, "a PM counter is not a parameter"},
		{"parameter as counter", Result{Counters: []Counter{{Name: "ZetaCell.boostLevel"}}}, "not a PM counter"},
		{"lower-case class", Result{Parameters: []Parameter{{Name: "zetaCell.boostLevel"}}}, "MoClass.attribute"},
		{"struct path kept", Result{Parameters: []Parameter{{Name: "ZetaCell.boost.level"}}}, "MoClass.attribute"},
		{"mo_class disagrees", Result{Parameters: []Parameter{{Name: "ZetaCell.boostLevel", MOClass: "OtherCell"}}}, "disagree"},
		{"bare next to qualified", Result{Counters: []Counter{{Name: "ZetaCell.pmBoost"}, {Name: "pmBoost"}}}, "qualified form"},
		{"event parameter", Result{Events: []Event{{Name: "EVENT_PARAM_ZETA_LEVEL"}}}, "event parameter"},
		{"not an event", Result{Events: []Event{{Name: "zeta event"}}}, "not an event name"},
		{"FAJ whitespace", Result{RelatedFeatures: []RelatedFeature{{FAJ: "FAJ 121  9903"}}}, "FAJ id"},
		{"value package related", Result{RelatedFeatures: []RelatedFeature{{FAJ: "FAJ 801 9900"}}}, "value package"},
		{"value package main", Result{MainFeatures: []Feature{{FAJ: "FAJ 801 9900"}}}, "value package"},
		{"main related to itself", Result{MainFeatures: []Feature{{FAJ: "FAJ 121 9901"}}, RelatedFeatures: []RelatedFeature{{FAJ: "FAJ 121 9901"}}}, "itself"},
		{"relationship upper-case", Result{RelatedFeatures: []RelatedFeature{{FAJ: "FAJ 121 9903", Relationship: "Prerequisite"}}}, "lower-case"},
		{"spaced CXC", Result{ActivationProcedures: []Activation{{Kind: "activate", CXC: []string{"CXC 401 9901"}}}}, "CXC code"},
		{"unknown kind", Result{ActivationProcedures: []Activation{{Kind: "enable"}}}, "kind"},
		{"step not normalized", Result{ActivationProcedures: []Activation{{Kind: "activate", Steps: []string{"Set  it."}}}}, "whitespace"},
		{"duplicate", Result{Events: []Event{{Name: "INTERNAL_PROC_ZETA"}, {Name: "INTERNAL_PROC_ZETA"}}}, "duplicate"},
		{"bad attribution", Result{Counters: []Counter{{Name: "pmBoost", Feature: "Zeta Boost"}}}, "not a FAJ id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Validate(tc.r)
			if tc.reason == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Validate = %v, want ErrInvalid", err)
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("Validate = %v, want a *ValidationError with problems", err)
			}
			if !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("Validate = %v, want a problem mentioning %q", err, tc.reason)
			}
		})
	}
}
