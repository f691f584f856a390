package extraction

import (
	"slices"
	"strings"
	"testing"
)

// The fixtures are invented: Zeta/Orbit features, their FAJ ids, CXC codes
// and MO classes only have the shape of the real ones.

func extractMode(t *testing.T, mode Mode, in Input) Result {
	t.Helper()
	r, err := Extract(mode, in)
	if err != nil {
		t.Fatalf("Extract(%s): %v", mode, err)
	}
	return r
}

func relationships(r Result) map[string]string {
	out := map[string]string{}
	for _, f := range r.RelatedFeatures {
		out[f.FAJ] = f.Relationship
	}
	return out
}

func roles(r Result) map[string]string {
	out := map[string]string{}
	for _, p := range r.Parameters {
		out[p.Name] = p.Role
	}
	return out
}

func sameMap(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			t.Errorf("%s[%q] = %q (present %v), want %q", what, k, g, ok, v)
		}
	}
	for k, v := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s has unexpected %q = %q", what, k, v)
		}
	}
}

func TestGrouped_dependencyRelationships(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   Input
		want map[string]string
	}{
		{"FAJ id in the feature cell", Input{Text: dependencyFixture},
			map[string]string{"FAJ 121 9902": "prerequisite", "FAJ 121 9903": "conflicting", "FAJ 121 9904": "related"}},
		{"FAJ id in a column of its own", Input{Text: "# 2 Dependencies of Orbit Link\n\n" +
			"| Feature Name | Feature Identity | Access Type | Relationship | Relationship Scope | Description |\n|---|---|---|---|---|---|\n" +
			"| Orbit Anchor | FAJ 121 8802 | NR | Prerequisite | Cell-level prerequisite | Needed first. |\n" +
			"| Orbit Sleep | FAJ 121 8803 | NR | Conflicting | Partially impaired | Not together. |\n"},
			map[string]string{"FAJ 121 8802": "prerequisite", "FAJ 121 8803": "conflicting"}},
		{"FAJ column with an empty header", Input{Text: "| Feature | | Access Type | Relationship | Description |\n|---|---|---|---|---|\n" +
			"| Orbit Anchor | FAJ 121 8802 | NR | Related | Works with Orbit Link. |\n"},
			map[string]string{"FAJ 121 8802": "related"}},
		{"FAJ ids mentioned in the description get no relationship", Input{Text: "| Feature | Relationship | Description |\n|---|---|---|\n" +
			"| Zeta Prebooster (FAJ 121 9902) | Prerequisite | Also see Omega Sleep (FAJ 121 9903). |\n"},
			map[string]string{"FAJ 121 9902": "prerequisite", "FAJ 121 9903": ""}},
		{"FAJ id written after the name in the description", Input{Text: "| Feature | Relationship | Description |\n|---|---|---|\n" +
			"| Zeta Locator | Related | The licensed feature Zeta Locator, FAJ 121 9906, must be enabled. |\n"},
			map[string]string{"FAJ 121 9906": "related"}},
		{"continuation chunk without its header row", Input{Headings: []string{"Zeta Boost", "2 Dependencies of Zeta Boost"}, Text: "| Omega Sleep (FAJ 121 9903) | Conflicting | Not together. |\n| Gamma Scheduler (FAJ 121 9904) | Related | Reads the boost level. |\n"},
			map[string]string{"FAJ 121 9903": "conflicting", "FAJ 121 9904": "related"}},
		{"relationship word with a note", Input{Text: "| Feature | Relationship | Description |\n|---|---|---|\n| Gamma Scheduler (FAJ 121 9904) | Related (Part of a base package) | Reads it. |\n"},
			map[string]string{"FAJ 121 9904": "related"}},
		{"empty relationship cell", Input{Text: "| Feature | Feature Identity | Relationship | Description |\n|---|---|---|---|\n| Zeta Quad | FAJ 121 9907 | | Also needed. |\n"},
			map[string]string{"FAJ 121 9907": ""}},
		{"the document's own feature and value packages are not related", Input{Context: IdentityContext(identityFixture), Text: "| Feature | Relationship | Description |\n|---|---|---|\n" +
			"| Zeta Boost (FAJ 121 9901) | Related | Itself. |\n| Zeta Package (FAJ 801 9900) | Prerequisite | A package. |\n| Omega Sleep (FAJ 121 9903) | Conflicting | Not together. |\n"},
			map[string]string{"FAJ 121 9903": "conflicting"}},
		{"a Relationship column outside any dependencies table is not read", Input{Text: "| Parameter | Relationship | Description |\n|---|---|---|\n| ZetaCellFDD.boostLevel | Affecting | Level. |\n"},
			map[string]string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := extractMode(t, ModeFeatureGrouped, tc.in)
			sameMap(t, "relationships", relationships(r), tc.want)
			if b := extractMode(t, ModeBasic, tc.in); slices.ContainsFunc(b.RelatedFeatures, func(f RelatedFeature) bool { return f.Relationship != "" }) {
				t.Errorf("basic mode gave relationships: %+v", b.RelatedFeatures)
			}
		})
	}
}

func TestGrouped_relatedFeatureNames(t *testing.T) {
	in := Input{Text: "| Feature Name | Feature Identity | Relationship | Description |\n|---|---|---|---|\n" +
		"| Orbit Anchor    Mid-Band | FAJ 121 8802 | Prerequisite | Needed first. |\n"}
	r := extractMode(t, ModeFeatureGrouped, in)
	if len(r.RelatedFeatures) != 1 || r.RelatedFeatures[0].Name != "Orbit Anchor Mid-Band" {
		t.Errorf("related = %+v, want the name of the Feature Name column, whitespace collapsed", r.RelatedFeatures)
	}
}

func TestGrouped_parameterRoles(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   Input
		want map[string]string
	}{
		{"Type column", Input{Text: "| Parameter | Type | Description |\n|---|---|---|\n" +
			"| ZetaCellFDD.boostLevel | Introduced | See MOM description. |\n| AlphaProfile.serviceType | Affecting | VoIP only. |\n| ZetaCellFDD.noOfUsers | Affected | At least 10. |\n"},
			map[string]string{"ZetaCellFDD.boostLevel": "introduced", "AlphaProfile.serviceType": "affecting", "ZetaCellFDD.noOfUsers": "affected"}},
		{"role column under another name, with a period", Input{Text: "| Parameter | Category | Description |\n|---|---|---|\n" +
			"| ZetaCellFDD.boostLevel | Introduced. | See MOM description. |\n| ZetaCellTDD.boostLevel | Introduced | See MOM description. |\n"},
			map[string]string{"ZetaCellFDD.boostLevel": "introduced", "ZetaCellTDD.boostLevel": "introduced"}},
		{"Relationship column of a parameters table", Input{Text: "| Parameter | Relationship | Description |\n|---|---|---|\n| AlphaData.segmentation | Affecting | Splits the radio. |\n"},
			map[string]string{"AlphaData.segmentation": "affecting"}},
		{"two names in one cell", Input{Text: "| Parameter | Type | Description |\n|---|---|---|\n| ZetaCellFDD.boostLevel ZetaCellTDD.boostLevel | Introduced | Both. |\n"},
			map[string]string{"ZetaCellFDD.boostLevel": "introduced", "ZetaCellTDD.boostLevel": "introduced"}},
		{"continuation chunk without its header row", Input{Headings: []string{"Zeta Boost", "5 Parameters for Zeta Boost"}, Text: "| ZetaCellFDD.boostMargin | Introduced | See MOM description. |\n| AlphaProfile.serviceType | Affecting | VoIP only. |\n"},
			map[string]string{"ZetaCellFDD.boostMargin": "introduced", "AlphaProfile.serviceType": "affecting"}},
		{"a description naming another parameter gives it no role", Input{Text: "| Parameter | Type | Description |\n|---|---|---|\n| ZetaCellFDD.boostLevel | Introduced | Overrides AlphaProfile.gain. |\n"},
			map[string]string{"ZetaCellFDD.boostLevel": "introduced", "AlphaProfile.gain": ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sameMap(t, "roles", roles(extractMode(t, ModeFeatureGrouped, tc.in)), tc.want)
		})
	}
	t.Run("a counter in the parameter column stays a counter", func(t *testing.T) {
		r := extractMode(t, ModeFeatureGrouped, Input{Text: "| Parameter | Type | Description |\n|---|---|---|\n| ZetaCellFDD.pmBoostSucc | Affected | Rises. |\n"})
		if len(r.Parameters) != 0 || !slices.Equal(counterNames(r), []string{"ZetaCellFDD.pmBoostSucc"}) {
			t.Errorf("parameters %v counters %v, want the counter only", parameterNames(r), counterNames(r))
		}
	})
}

func TestGrouped_classAndAttributeColumns(t *testing.T) {
	for _, tc := range []struct {
		name       string
		text       string
		parameters []string
		counters   []string
	}{
		{"MO Class then Attribute", "| MO Class | Attribute | Description |\n|---|---|---|\n| ZetaFunction | boostWindow | Time window. |\n",
			[]string{"ZetaFunction.boostWindow"}, nil},
		{"Attribute then MO Class, two classes in a cell", "| Feature | Attribute | MO Class |\n|---|---|---|\n| Zeta Boost | boostLevel | ZetaCellFDD  ZetaCellTDD |\n",
			[]string{"ZetaCellFDD.boostLevel", "ZetaCellTDD.boostLevel"}, nil},
		{"classes joined by and", "| New Attribute | MO Class | Description |\n|---|---|---|\n| sleepStartApplied | ZetaCellFDD and ZetaCellTDD | Read only. |\n",
			[]string{"ZetaCellFDD.sleepStartApplied", "ZetaCellTDD.sleepStartApplied"}, nil},
		{"Parameter and MO class", "| Parameter | MO class |\n|---|---|\n| fuseLimit | OrbitFuse |\n",
			[]string{"OrbitFuse.fuseLimit"}, nil},
		{"counter column qualified by the class column", "| MO class | PM Counter | Description |\n|---|---|---|\n| ZetaCellFDD | pmBoostMeasSucc | Successes. |\n",
			nil, []string{"ZetaCellFDD.pmBoostMeasSucc"}},
		{"footnote marker after the class", "| MO Class | Attribute | Description |\n|---|---|---|\n| ZetaFunction (1) | boostWindow | Time window. |\n",
			[]string{"ZetaFunction.boostWindow"}, nil},
		{"prose in the class cell makes nothing", "| MO Class | Attribute | Description |\n|---|---|---|\n| see the Zeta guide | boostWindow | Time window. |\n",
			nil, nil},
		{"abbreviations are not classes", "| MO Class | Attribute | Description |\n|---|---|---|\n| N/A | boostWindow | Time window. |\n",
			nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := extractMode(t, ModeFeatureGrouped, Input{Text: tc.text})
			sameSet(t, "parameters", parameterNames(r), tc.parameters)
			sameSet(t, "counters", counterNames(r), tc.counters)
		})
	}
}

func TestGrouped_conversionArtifacts(t *testing.T) {
	for _, tc := range []struct {
		name       string
		text       string
		parameters []string
		counters   []string
		events     []string
	}{
		{"names glued across list items", "- OrbitCellDU.pmAlphaVolOrbitCellDU.pmBetaVol\n- OrbitCellDU.pmGammaVol", nil,
			[]string{"OrbitCellDU.pmAlphaVol", "OrbitCellDU.pmBetaVol", "OrbitCellDU.pmGammaVol"}, nil},
		{"footnote marker glued to a counter", "- OrbitCellDU.pmAlphaVol(1)\n\n(1) Only for TDD.", nil, []string{"OrbitCellDU.pmAlphaVol"}, nil},
		{"appendix numbers are not attributes", "## Appendix A.b: 24.Q2: Zeta Boost Update\n\nSee Appendix A.b and Table A.c for ZetaCellFDD.boostLevel.",
			[]string{"ZetaCellFDD.boostLevel"}, nil, nil},
		{"event name cut by a space", "| Event | Event Parameter | Description |\n|---|---|---|\n| INTERNAL_PER_ZETA _TRAFFIC_REP | EVENT_PARAM_ZETA | Periodic. |\n| INTERNAL_EVENT_ZETA_RESTART INDICATION | | Restart. |\n",
			nil, nil, []string{"INTERNAL_PER_ZETA_TRAFFIC_REP", "INTERNAL_EVENT_ZETA_RESTART_INDICATION"}},
		{"two event names in one cell stay two", "| Event | Description |\n|---|---|\n| INTERNAL_PER_ZETA_REPORT INTERNAL_PER_UETR_ZETA_REPORT | Cell and UE trace. |\n",
			nil, nil, []string{"INTERNAL_PER_ZETA_REPORT", "INTERNAL_PER_UETR_ZETA_REPORT"}},
		{"event name missing its first letter", "The following pmEvents are updated:\n\n- INTERNAL_PROC_ZETA_SETUP\n- NTERNAL_PER_ZETA_MEASUREMENT\n",
			nil, nil, []string{"INTERNAL_PROC_ZETA_SETUP", "INTERNAL_PER_ZETA_MEASUREMENT"}},
		{"NR CamelCase events in an Events table", "| Event | Description |\n|---|---|\n| CuCpOrbitResume | Resume. |\n| DuOrbitPaging | Paging. |\n",
			nil, nil, []string{"CuCpOrbitResume", "DuOrbitPaging"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := extractMode(t, ModeFeatureGrouped, Input{Text: tc.text})
			sameSet(t, "parameters", parameterNames(r), tc.parameters)
			sameSet(t, "counters", counterNames(r), tc.counters)
			sameSet(t, "events", eventNames(r), tc.events)
		})
	}
}

const historyFixture = `# Appendix A: Feature Change History

## Appendix A.a: 24.Q1: Zeta Boost for Zeta Quad

| Feature Name:     | Zeta Boost, Zeta Quad         |
|-------------------|-------------------------------|
| Feature Identity: | FAJ 121 9901 R2, FAJ 121 9907 R1 |
| Access Type:      | LTE                           |

The change also touches Omega Sleep (FAJ 121 9903).
`

func TestGrouped_changeHistoryIdentityIsNotRelated(t *testing.T) {
	in := Input{Text: historyFixture, Context: IdentityContext(identityFixture)}
	if b := extractMode(t, ModeBasic, in); !slices.Contains(relatedFAJs(b), "FAJ 121 9907") {
		t.Fatalf("basic related = %v, want the change history's FAJ id (basic reads it as related)", relatedFAJs(b))
	}
	r := extractMode(t, ModeFeatureGrouped, in)
	sameSet(t, "related", relatedFAJs(r), []string{"FAJ 121 9903"})
	if len(r.MainFeatures) != 1 || r.MainFeatures[0].FAJ != "FAJ 121 9901" {
		t.Errorf("main = %+v, want the document's own feature from its change history", r.MainFeatures)
	}

	// a change history's feature that the dependencies table relates stays
	withRel := in
	withRel.Text += "\n| Feature | Relationship | Description |\n|---|---|---|\n| Zeta Quad (FAJ 121 9907) | Related | Shares the boost. |\n"
	r = extractMode(t, ModeFeatureGrouped, withRel)
	sameMap(t, "relationships", relationships(r), map[string]string{"FAJ 121 9903": "", "FAJ 121 9907": "related"})
}

const twoFeatureContext = "| Feature Name | Orbit Link | Orbit Link Mid-Band |\n| Feature Identity | FAJ 121 8801 | FAJ 121 8805 |\n| Access Type | NR | NR |\n"

func TestGrouped_attributesItemsToTheFeatureOfTheirSection(t *testing.T) {
	for _, tc := range []struct {
		name     string
		headings []string
		want     string
	}{
		{"heading names one feature", []string{"5 Parameters for Orbit Link Mid-Band"}, "FAJ 121 8805"},
		{"the longest name wins", []string{"6 Performance of Orbit Link"}, "FAJ 121 8801"},
		{"heading names none", []string{"6 Performance"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{Text: "- OrbitCellDU.pmLinkSucc\n- OrbitCellDU.linkMode\n", Headings: tc.headings, Context: twoFeatureContext}
			r := extractMode(t, ModeFeatureGrouped, in)
			if r.Counters[0].Feature != tc.want || r.Parameters[0].Feature != tc.want {
				t.Errorf("attributed to %q / %q, want %q", r.Counters[0].Feature, r.Parameters[0].Feature, tc.want)
			}
			if b := extractMode(t, ModeBasic, in); b.Counters[0].Feature != "" {
				t.Errorf("basic attributed %q in a two-feature document", b.Counters[0].Feature)
			}
		})
	}
}

func TestGrouped_identityColumnsAreFeatures(t *testing.T) {
	text := "| Feature Name | Zeta IP Loop | Zeta IP Loop | Zeta IP Loop |\n|---|---|---|---|\n" +
		"| Feature Identity | FAJ 121 9911 | FAJ 221 9911 | FAJ 321 9911 |\n| Access Type | LTE | WCDMA | GSM |\n"
	r := extractMode(t, ModeFeatureGrouped, Input{Text: text})
	var got []string
	for _, f := range r.MainFeatures {
		got = append(got, f.FAJ+" "+f.AccessType)
	}
	sameSet(t, "main features", got, []string{"FAJ 121 9911 LTE", "FAJ 221 9911 WCDMA", "FAJ 321 9911 GSM"})
}

// TestGrouped_richerModesOnlyAdd checks that each mode keeps what the cheaper
// modes find in a whole invented document (feature_grouped may drop only
// change-history FAJ ids and truncated event names it repairs).
func TestGrouped_richerModesOnlyAdd(t *testing.T) {
	in := Input{Text: identityFixture + dependencyFixture + activationFixture, Context: IdentityContext(identityFixture)}
	b, c, g := extractMode(t, ModeBasic, in), extractMode(t, ModeCmedit, in), extractMode(t, ModeFeatureGrouped, in)
	for _, pair := range [][2]Result{{b, c}, {c, g}} {
		for _, n := range parameterNames(pair[0]) {
			if !slices.Contains(parameterNames(pair[1]), n) {
				t.Errorf("richer mode lost parameter %s", n)
			}
		}
		for _, n := range relatedFAJs(pair[0]) {
			if !slices.Contains(relatedFAJs(pair[1]), n) {
				t.Errorf("richer mode lost related %s", n)
			}
		}
	}
	if !strings.Contains(strings.Join(g.ActivationProcedures[0].Cmedit, "\n"), "featureState=ACTIVATED") {
		t.Errorf("feature_grouped lost the cmedit commands: %+v", g.ActivationProcedures)
	}
}

// FuzzExtract_richerModes checks that no input makes cmedit or
// feature_grouped mode fail, break the category invariants once merged, or
// generate a command with a class, attribute or value the text lacks.
func FuzzExtract_richerModes(f *testing.F) {
	for _, s := range []string{identityFixture, dependencyFixture, activationFixture, historyFixture,
		"| MO Class | Attribute |\n|---|---|\n| ZetaFunction | boostWindow |",
		"| Feature | | Relationship |\n|---|---|---|\n| Zeta | FAJ 121 9902 | Related |",
		"1. Set the attribute featureState to ACTIVATED in the applicable MO instance: FeatureState=CXC4019901 OptionalFeatureLicense=Zeta",
		"| Event |\n|---|\n| INTERNAL_PER_X _Y Z |", "NTERNAL_PROC_A_B", "cmedit set Node01 Zeta=1 a=\"b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		squeezed := strings.Join(strings.Fields(Unescape(text)), "")
		for _, m := range []Mode{ModeCmedit, ModeFeatureGrouped} {
			r, err := Extract(m, Input{Text: text, Headings: []string{"7 Activate Zeta", "2 Dependencies of Zeta"}})
			if err != nil {
				t.Fatalf("%s: %v", m, err)
			}
			var again Result
			Merge(&again, r)
			Merge(&again, r)
			if err := Validate(again); err != nil {
				t.Errorf("%s merged twice: %v", m, err)
			}
			for _, a := range r.ActivationProcedures {
				for _, cmd := range a.Cmedit {
					if !strings.HasPrefix(cmd, "cmedit set * ") {
						continue // written in the text
					}
					for _, w := range strings.FieldsFunc(strings.TrimPrefix(cmd, "cmedit set * "), func(r rune) bool { return strings.ContainsRune(" .(),=", r) }) {
						if !strings.HasSuffix(w, "Id") && !strings.Contains(squeezed, w) {
							t.Errorf("%s: command %q uses %q, not in the text", m, cmd, w)
						}
					}
				}
			}
		}
	})
}
