package extraction

import (
	"errors"
	"reflect"
	"slices"
	"testing"
)

const groundText = `# Zeta Boost

| Feature Identity | FAJ 121 9901 |
| Feature State | CXC 401 9901 |

The attribute EUtranCellFDD.zeta\_Level sets the boost. The counter pmZetaBoosts
counts boosts on the EUtranCellFDD MO. Zeta Boost requires FAJ  121   4796 (prerequisite).

1. Set the FeatureState.featureState attribute to ACTIVATED in the FeatureState=CXC4019901 MO instance.
`

func TestGround(t *testing.T) {
	llm := Result{
		MainFeatures: []Feature{{Name: "Zeta Boost", FAJ: "FAJ 121 9901", ValuePackage: "Invented Package", AccessType: "LTE"}},
		Parameters: []Parameter{
			{Name: "EUtranCellFDD.zeta_Level", Role: "introduced", Feature: "FAJ 121 9901"},
			{Name: "EUtranCellFDD.madeUp"},
			{Name: "EUtranCellFDD.zeta"},         // only inside the longer zeta_Level
			{Name: "EUtranCellFDD.pmZetaBoosts"}, // a counter is never a parameter
		},
		Counters:        []Counter{{Name: "EUtranCellFDD.pmZetaBoosts"}, {Name: "pmInvented"}},
		Events:          []Event{{Name: "INTERNAL_PROC_INVENTED"}},
		RelatedFeatures: []RelatedFeature{{FAJ: "FAJ 121 4796", Relationship: "prerequisite"}, {FAJ: "FAJ 121 0000"}},
		ActivationProcedures: []Activation{
			{Kind: "activate", Feature: "FAJ 121 9901", CXC: []string{"CXC4019901", "CXC4010000"},
				Steps: []string{"Set the FeatureState.featureState attribute to ACTIVATED in the FeatureState=CXC4019901 MO instance.", "Restart the node."},
				Cmedit: []string{"cmedit set * FeatureState.(featureStateId==CXC4019901) featureState=ACTIVATED",
					"cmedit set * FeatureState.(featureStateId==CXC4019901) featureState=LOCKED"}},
			{Kind: "deactivate", Steps: []string{"Invented step."}},
			{Kind: "explode"},
		},
	}
	got, dropped := Ground(llm, groundText)
	want := Result{
		MainFeatures:    []Feature{{Name: "Zeta Boost", FAJ: "FAJ 121 9901", AccessType: ""}},
		Parameters:      []Parameter{{Name: "EUtranCellFDD.zeta_Level", MOClass: "EUtranCellFDD", Attribute: "zeta_Level", Role: "introduced", Feature: "FAJ 121 9901"}},
		Counters:        []Counter{{Name: "EUtranCellFDD.pmZetaBoosts", MOClass: "EUtranCellFDD"}},
		RelatedFeatures: []RelatedFeature{{FAJ: "FAJ 121 4796", Relationship: "prerequisite"}},
		ActivationProcedures: []Activation{{Kind: "activate", Feature: "FAJ 121 9901", CXC: []string{"CXC4019901"},
			Steps:  []string{"Set the FeatureState.featureState attribute to ACTIVATED in the FeatureState=CXC4019901 MO instance."},
			Cmedit: []string{"cmedit set * FeatureState.(featureStateId==CXC4019901) featureState=ACTIVATED"}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("grounded:\n got %+v\nwant %+v", got, want)
	}
	// madeUp, the truncated zeta, the counter as a parameter, pmInvented, the
	// event, FAJ 121 0000, CXC4010000, the restart step, the LOCKED command, the
	// invented step and then its procedure, and the unknown kind.
	if dropped != 12 {
		t.Errorf("dropped %d, want 12", dropped)
	}
}

func TestParseAnswer(t *testing.T) {
	for _, s := range []string{
		`{"parameters":[{"name":"A.b","mo_class":"A","attribute":"b","role":"","feature":""}],"activation_procedures":[{"kind":"activate","feature":"","cxc_codes":["CXC1"],"steps":["x"],"cmedit":[]}]}`,
		"<think>The text names A.b {maybe}.</think>\n```json\n{\"parameters\":[{\"name\":\"A.b\"}],\"activation_procedures\":[{\"kind\":\"activate\",\"cxc_codes\":[\"CXC1\"],\"steps\":[\"x\"]}]}\n```",
	} {
		r, err := ParseAnswer(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if len(r.Parameters) != 1 || r.Parameters[0].Name != "A.b" || len(r.ActivationProcedures) != 1 ||
			!slices.Equal(r.ActivationProcedures[0].CXC, []string{"CXC1"}) {
			t.Errorf("%q: %+v", s, r)
		}
	}
	if _, err := ParseAnswer("I cannot help with that."); !errors.Is(err, ErrNoJSON) {
		t.Errorf("prose answer: %v, want ErrNoJSON", err)
	}
	if _, err := ParseAnswer(`{"parameters": [`); err == nil {
		t.Error("truncated JSON accepted")
	}
}

// OpenAI's strict structured output wants every property required and no
// additional ones, at every level.
func TestSchema_isStrict(t *testing.T) {
	var walk func(path string, s map[string]any)
	walk = func(path string, s map[string]any) {
		switch s["type"] {
		case "object":
			props := s["properties"].(map[string]any)
			req := s["required"].([]string)
			if len(req) != len(props) || s["additionalProperties"] != false {
				t.Errorf("%s: required %v of %d properties, additionalProperties %v", path, req, len(props), s["additionalProperties"])
			}
			for _, k := range req {
				walk(path+"."+k, props[k].(map[string]any))
			}
		case "array":
			walk(path+"[]", s["items"].(map[string]any))
		}
	}
	walk("$", Schema())
}
