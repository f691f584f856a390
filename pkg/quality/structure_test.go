package quality

import (
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/extraction"
)

func extract(t *testing.T, mode extraction.Mode, in extraction.Input) extraction.Result {
	t.Helper()
	r, err := extraction.Extract(mode, in)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// climbs checks the routing a structured chunk should get: basic and cmedit
// below their thresholds, feature_grouped at or above its own.
func climbs(t *testing.T, in extraction.Input) {
	t.Helper()
	th := DefaultThresholds()
	for _, m := range []extraction.Mode{extraction.ModeBasic, extraction.ModeCmedit} {
		if s := Score(in, extract(t, m, in)); s.Value >= th[m] {
			t.Errorf("%s scores %+v, want below its threshold %v", m, s, th[m])
		}
	}
	if s := Score(in, extract(t, extraction.ModeFeatureGrouped, in)); s.Value < th[extraction.ModeFeatureGrouped] {
		t.Errorf("feature_grouped scores %+v, want at least %v", s, th[extraction.ModeFeatureGrouped])
	}
}

func TestScore_structuredChunksClimbToFeatureGrouped(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   extraction.Input
	}{
		{"dependencies table", extraction.Input{Text: dependencies}},
		{"dependencies continued without header", extraction.Input{Headings: []string{"2 Dependencies of Zeta Boost"},
			Text: "| Zeta Prebooster (FAJ 121 9902) | Prerequisite | Needed first. |\n| Omega Sleep (FAJ 121 9903) | Conflicting | Not together. |\n"}},
		{"NR dependencies table", extraction.Input{Text: "| Feature Name | Feature Identity | Access Type | Relationship | Description |\n|---|---|---|---|---|\n" +
			"| Orbit Anchor | FAJ 121 8802 | NR | Prerequisite | Needed first. |\n| Orbit Sleep | FAJ 121 8803 | NR LTE | Conflicting | Not together. |\n"}},
		{"parameters table with roles", extraction.Input{Text: parameters}},
		{"parameters with many counters around", extraction.Input{Text: parameters + counters}},
		{"MO class and attribute columns", extraction.Input{Text: "| MO Class | Attribute | Description |\n|---|---|---|\n| ZetaFunction | boostWindow | Window. |\n| ZetaFunction | boostFloor | Floor. |\n"}},
		{"change history identity table", extraction.Input{Text: history, Context: "| Feature Identity | FAJ 121 9901 |"}},
	} {
		t.Run(tc.name, func(t *testing.T) { climbs(t, tc.in) })
	}
}

const history = `## Appendix A.a: 24.Q1: Zeta Boost for Zeta Quad

| Feature Name:     | Zeta Boost, Zeta Quad            |
|-------------------|----------------------------------|
| Feature Identity: | FAJ 121 9901 R2, FAJ 121 9907 R1 |
| Access Type:      | LTE                              |
`

func TestScore_roleCandidates(t *testing.T) {
	in := extraction.Input{Text: parameters}
	r := extract(t, extraction.ModeBasic, in)
	plain := Score(in, r)
	withRoles := extract(t, extraction.ModeFeatureGrouped, in)
	rich := Score(in, withRoles)
	if !(rich.Coverage > plain.Coverage && rich.Structure > plain.Structure) || rich.Value != 1 {
		t.Errorf("roles: basic %+v, feature_grouped %+v; want roles to count in Coverage and Structure", plain, rich)
	}
	// a wrong role is not a captured role
	wrong := withRoles
	wrong.Parameters = append([]extraction.Parameter(nil), withRoles.Parameters...)
	for i := range wrong.Parameters {
		wrong.Parameters[i].Role = "affected"
	}
	if s := Score(in, wrong); s.Coverage >= rich.Coverage {
		t.Errorf("wrong roles score Coverage %v, want below %v", s.Coverage, rich.Coverage)
	}
}

func TestScore_structureIsTheLeastUsedStructure(t *testing.T) {
	identity := "| Feature Name | Zeta Boost |\n|---|---|\n| Feature Identity | FAJ 121 9901 |\n| Access Type | LTE |\n\n"
	in := extraction.Input{Text: identity + dependencies}
	if s := Score(in, extract(t, extraction.ModeBasic, in)); s.Structure != 0 {
		t.Errorf("basic reads the identity table but ignores the relationships: Structure %v, want 0", s.Structure)
	}
	if s := Score(in, extract(t, extraction.ModeFeatureGrouped, in)); s.Structure != 1 {
		t.Errorf("feature_grouped: Structure %v, want 1", s.Structure)
	}
}

func TestScore_changeHistoryIdentity(t *testing.T) {
	in := extraction.Input{Text: history, Context: "| Feature Identity | FAJ 121 9901 |"}
	asRelated := extraction.Result{MainFeatures: []extraction.Feature{{FAJ: "FAJ 121 9901"}}, RelatedFeatures: []extraction.RelatedFeature{{FAJ: "FAJ 121 9907"}}}
	leftOut := extraction.Result{MainFeatures: []extraction.Feature{{FAJ: "FAJ 121 9901"}}}
	a, b := Score(in, asRelated), Score(in, leftOut)
	if !(a.Structure < b.Structure && a.Coverage < b.Coverage) {
		t.Errorf("a change history's FAJ id filed as related %+v, left out %+v; want the first lower", a, b)
	}
	related := extraction.Result{MainFeatures: leftOut.MainFeatures, RelatedFeatures: []extraction.RelatedFeature{{FAJ: "FAJ 121 9907", Relationship: "related"}}}
	if s := Score(in, related); s.Structure != 1 {
		t.Errorf("a change history's FAJ id with a relationship: %+v, want Structure 1", s)
	}
}

// flatten turns every table row into a line of prose, as a converter that
// loses tables writes them.
func flatten(text string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		s := strings.TrimSpace(l)
		if !strings.HasPrefix(s, "|") {
			out = append(out, l)
			continue
		}
		if strings.Trim(s, "|:- ") == "" {
			continue
		}
		out = append(out, extraction.Collapse(strings.ReplaceAll(strings.Trim(s, "|"), "|", " ")), "")
	}
	return strings.Join(out, "\n")
}

func TestScore_flattenedTablesKeepTheirCandidates(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		fill func(*extraction.Result)
	}{
		{"relationships", flatten(dependencies), func(r *extraction.Result) {
			for i := range r.RelatedFeatures {
				r.RelatedFeatures[i].Relationship = map[string]string{"FAJ 121 9902": "prerequisite", "FAJ 121 9903": "conflicting", "FAJ 121 9904": "related"}[r.RelatedFeatures[i].FAJ]
			}
		}},
		{"roles", flatten(parameters), func(r *extraction.Result) {
			for i := range r.Parameters {
				r.Parameters[i].Role = map[string]string{"AlphaProfile.serviceType": "affecting"}[r.Parameters[i].Name]
				if r.Parameters[i].Role == "" {
					r.Parameters[i].Role = "introduced"
				}
			}
		}},
		{"identity", flatten("| Feature Name | Zeta Boost |\n|---|---|\n| Feature Identity | FAJ 121 9901 |\n"), func(r *extraction.Result) {
			r.RelatedFeatures = nil
			r.MainFeatures = []extraction.Feature{{Name: "Zeta Boost", FAJ: "FAJ 121 9901"}}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := extraction.Input{Text: tc.text}
			r := extract(t, extraction.ModeFeatureGrouped, in)
			missed := Score(in, r)
			full := r
			full.RelatedFeatures = append([]extraction.RelatedFeature(nil), r.RelatedFeatures...)
			full.Parameters = append([]extraction.Parameter(nil), r.Parameters...)
			tc.fill(&full)
			got := Score(in, full)
			if !(missed.Coverage < got.Coverage && got.Coverage == 1) {
				t.Errorf("flattened %s: result without them %+v, with them %+v", tc.name, missed, got)
			}
		})
	}
}

func TestScore_commandCandidates(t *testing.T) {
	in := extraction.Input{Text: activate}
	b, c := Score(in, extract(t, extraction.ModeBasic, in)), Score(in, extract(t, extraction.ModeCmedit, in))
	if !(c.Coverage > b.Coverage && c.Coverage == 1 && c.Grounding == 1) {
		t.Errorf("commands of the setting steps: basic %+v, cmedit %+v; want cmedit to cover them", b, c)
	}
	open := extraction.Input{Text: "# 7 Activate Zeta Boost\n\n1. Set the ZetaCellFDD.boostLevel attribute to the preferred value.\n2. Set the ZetaCellFDD.boostEnabled or the ZetaCellTDD.boostEnabled attribute to true.\n"}
	if s := Score(open, extract(t, extraction.ModeBasic, open)); s.Coverage != 1 || s.Structure != 1 {
		t.Errorf("steps without a stated value or with alternatives count as command candidates: %+v", s)
	}
}

func TestScore_groundingOfJoinedNames(t *testing.T) {
	in := extraction.Input{Text: "| MO Class | Attribute | Description |\n|---|---|---|\n| ZetaFunction | boostWindow | Window. |\n\nSet the attribute featureState to ACTIVATED in the FeatureState=CXC4019901 MO instance.\n"}
	joined := extraction.Result{Parameters: []extraction.Parameter{{Name: "ZetaFunction.boostWindow"}, {Name: "FeatureState.featureState"}}}
	if s := Score(in, joined); s.Grounding != 1 {
		t.Errorf("MO class and attribute of one line: Grounding %v, want 1", s.Grounding)
	}
	crossed := extraction.Result{Parameters: []extraction.Parameter{{Name: "ZetaFunction.featureState"}}}
	if s := Score(in, crossed); s.Grounding != 0 {
		t.Errorf("class and attribute from different lines: Grounding %v, want 0", s.Grounding)
	}
}
