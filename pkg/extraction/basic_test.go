package extraction

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// The fixtures below are invented: feature names, FAJ ids, CXC codes and MO
// names only have the shape of the real ones.

func mustExtract(t *testing.T, in Input) Result {
	t.Helper()
	r, err := Extract(ModeBasic, in)
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	return r
}

func parameterNames(r Result) []string {
	var out []string
	for _, p := range r.Parameters {
		out = append(out, p.Name)
	}
	return out
}

func counterNames(r Result) []string {
	var out []string
	for _, c := range r.Counters {
		out = append(out, c.Name)
	}
	return out
}

func eventNames(r Result) []string {
	var out []string
	for _, e := range r.Events {
		out = append(out, e.Name)
	}
	return out
}

func relatedFAJs(r Result) []string {
	var out []string
	for _, f := range r.RelatedFeatures {
		out = append(out, f.FAJ)
	}
	return out
}

// sameSet fails unless got and want hold the same names, in any order.
func sameSet(t *testing.T, what string, got, want []string) {
	t.Helper()
	g, w := slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
	if !slices.Equal(g, w) {
		t.Errorf("%s = %q, want %q", what, g, w)
	}
}

func TestBasic_counterIsNeverAParameter(t *testing.T) {
	for _, tc := range []struct {
		name       string
		text       string
		parameters []string
		counters   []string
	}{
		{"qualified counter", "Watch ZetaCellFDD.pmBoostAttempts after the change.", nil, []string{"ZetaCellFDD.pmBoostAttempts"}},
		{"pm prefix without capital is an attribute", "Set ZetaCellFDD.pmaxReduction to 3.", []string{"ZetaCellFDD.pmaxReduction"}, nil},
		{"pm inside an attribute is not a counter", "The NapFunction.sleepMode and NapFunction.napPmStatus attributes.", []string{"NapFunction.sleepMode", "NapFunction.napPmStatus"}, nil},
		{"digits in attribute names", "ZetaSectorCarrier.portMerging4TxOpMode and ZetaSectorCarrier.pmRank4Samples", []string{"ZetaSectorCarrier.portMerging4TxOpMode"}, []string{"ZetaSectorCarrier.pmRank4Samples"}},
		{"bare counter", "The pmZetaBoostSucc counter is stepped.", nil, []string{"pmZetaBoostSucc"}},
		{"feature state counts", "Set FeatureState.featureState to ACTIVATED.", []string{"FeatureState.featureState"}, nil},
		{"counter in a KPI formula", "Rate = 100 * (ZetaCellFDD.pmBoostSucc/ZetaCellFDD.pmBoostAtt)", nil, []string{"ZetaCellFDD.pmBoostSucc", "ZetaCellFDD.pmBoostAtt"}},
		{"general pm words", "New pmCounters and pmEvents are listed below.", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mustExtract(t, Input{Text: tc.text})
			sameSet(t, "parameters", parameterNames(r), tc.parameters)
			sameSet(t, "counters", counterNames(r), tc.counters)
		})
	}
}

func TestBasic_structPathIsAttribute(t *testing.T) {
	r := mustExtract(t, Input{Text: "Set ZetaProfile.boostSettings.level and ZetaProfile.boostSettings.margin."})
	sameSet(t, "parameters", parameterNames(r), []string{"ZetaProfile.boostSettings"})
	p := r.Parameters[0]
	if p.MOClass != "ZetaProfile" || p.Attribute != "boostSettings" {
		t.Errorf("mo_class/attribute = %q/%q", p.MOClass, p.Attribute)
	}
}

func TestBasic_normalizesFAJWhitespace(t *testing.T) {
	text := "| Zeta Prebooster (FAJ 121\n      9902) | Prerequisite |\n\nSee also FAJ 121      9903 and FAJ1219904."
	r := mustExtract(t, Input{Text: text})
	sameSet(t, "related", relatedFAJs(r), []string{"FAJ 121 9902", "FAJ 121 9903", "FAJ 121 9904"})
}

func TestBasic_normalizesCXC(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"FeatureState=CXC4019901", "CXC4019901"},
		{"FeatureState = CXC 401 9901", "CXC4019901"},
		{"CXC 4019901", "CXC4019901"},
		{"no code here", ""},
	} {
		if got := NormalizeCXC(tc.in); got != tc.want {
			t.Errorf("NormalizeCXC(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestBasic_skipsEventParams(t *testing.T) {
	text := `| Event                         | Event Parameter               | Description |
|-------------------------------|-------------------------------|-------------|
| INTERNAL\_PROC\_ZETA\_BOOST     | EVENT\_PARAM\_ZETA\_LEVEL       | Level used. |
| S1\_ZETA\_BOOST\_INDICATION    | EVENT\_VALUE\_ZETA\_OFF         | Off.        |

The INTERNAL_EVENT_ZETA_STARTED event and the LOCAL_PER_ZETA_REPORT event carry
EVENT_PARAM_ZETA_CAUSE. INTERNAL_PROC_ alone is a prefix, not an event.`
	r := mustExtract(t, Input{Text: text})
	sameSet(t, "events", eventNames(r), []string{
		"INTERNAL_PROC_ZETA_BOOST", "S1_ZETA_BOOST_INDICATION", "INTERNAL_EVENT_ZETA_STARTED", "LOCAL_PER_ZETA_REPORT",
	})
}

func TestBasic_nrEvents(t *testing.T) {
	text := "The CuCpProcZetaSetup and DuPerZetaTrafficRep events are written. DuZetaFunction=1 holds\nthe DuZetaFunction.zetaMode attribute."
	r := mustExtract(t, Input{Text: text})
	sameSet(t, "events", eventNames(r), []string{"CuCpProcZetaSetup", "DuPerZetaTrafficRep"})
	sameSet(t, "parameters", parameterNames(r), []string{"DuZetaFunction.zetaMode"})
}

func TestBasic_skipsFileNamesURLsAndSectionNumbers(t *testing.T) {
	text := `Load ZetaConfig.xml and read README.md from zeta_bundle.zip.
See https://docs.example.com/Zeta.boost or www.Example.com, mail ops.Team@example.com.
As described in section 3.2.1 and Appendix A.a, the Zeta.the end.
Set ZetaCellFDD.boostLevel.`
	r := mustExtract(t, Input{Text: text})
	sameSet(t, "parameters", parameterNames(r), []string{"ZetaCellFDD.boostLevel"})
}

func TestBasic_unescapesMarkdown(t *testing.T) {
	r := mustExtract(t, Input{Text: `INTERNAL\_PER\_ZETA\_REPORT is written when ZetaCellDU.boost\_level changes; see ZetaCellDU.boostLevel.`})
	sameSet(t, "events", eventNames(r), []string{"INTERNAL_PER_ZETA_REPORT"})
	sameSet(t, "parameters", parameterNames(r), []string{"ZetaCellDU.boostLevel"})
}

func TestBasic_prefersQualifiedCounter(t *testing.T) {
	text := "pmBoostAttempts counts attempts.\n\n- ZetaCellFDD.pmBoostAttempts\n- pmBoostFailures"
	r := mustExtract(t, Input{Text: text})
	sameSet(t, "counters", counterNames(r), []string{"ZetaCellFDD.pmBoostAttempts", "pmBoostFailures"})
}

func TestBasic_repairsGluedItems(t *testing.T) {
	for _, tc := range []struct {
		name       string
		text       string
		parameters []string
		counters   []string
	}{
		{"glued qualified counters", "ZetaCellDU.pmAlphaVolZetaCellDU.pmBetaVol", nil, []string{"ZetaCellDU.pmAlphaVol", "ZetaCellDU.pmBetaVol"}},
		{"glued FDD and TDD twins", "ZetaCellFDD.boostGainZetaCellTDD.boostGain", []string{"ZetaCellFDD.boostGain", "ZetaCellTDD.boostGain"}, nil},
		{"glued bare counters", "Where:pmAlphaUepmBetaUe", nil, []string{"pmAlphaUe", "pmBetaUe"}},
		{"glued word attribute", "Set ZetaCellDU.boostAllowedInSymattribute to true.", []string{"ZetaCellDU.boostAllowedInSym"}, nil},
		{"glued article", "TheZetaCellDU.boostMode attribute", []string{"ZetaCellDU.boostMode"}, nil},
		{"struct member is not glue", "ZetaProfile.prioOffsetPerQci.offsetPerQciPrio", []string{"ZetaProfile.prioOffsetPerQci"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mustExtract(t, Input{Text: tc.text})
			sameSet(t, "parameters", parameterNames(r), tc.parameters)
			sameSet(t, "counters", counterNames(r), tc.counters)
		})
	}
}

const identityFixture = `# 1 Zeta Boost Overview

The Zeta Boost feature raises the uplink margin of small cells.

| Feature Name           | Zeta Boost                                      |
|------------------------|-------------------------------------------------|
| Feature Identity       | FAJ 121 9901                                    |
| Value Package Name     | Zeta Performance                                |
| Value Package Identity | FAJ 801 9900                                    |
| Node Type              | Baseband Radio Node                             |
| Access Type            | LTE                                             |
| Feature State          | CXC4019901                                      |
`

const dependencyFixture = `# 2 Dependencies of Zeta Boost

| Feature                                  | Relationship   | Description                                   |
|------------------------------------------|----------------|-----------------------------------------------|
| Zeta Prebooster (FAJ 121                  9902) | Prerequisite   | Must be active before Zeta Boost.         |
| Omega Sleep (FAJ 121 9903)               | Conflicting    | Cannot be active together with Zeta Boost.    |
| Gamma Scheduler (FAJ 121 9904) (Part of a base package) | Related | Gamma reads ZetaCellFDD.boostLevel.  |
`

func TestBasic_identityTableMakesMainFeature(t *testing.T) {
	r := mustExtract(t, Input{Text: identityFixture + "\n" + dependencyFixture})
	want := []Feature{{Name: "Zeta Boost", FAJ: "FAJ 121 9901", ValuePackage: "Zeta Performance", CXC: "CXC4019901", AccessType: "LTE"}}
	if !slices.Equal(r.MainFeatures, want) {
		t.Errorf("main features = %+v, want %+v", r.MainFeatures, want)
	}
	wantRelated := []RelatedFeature{
		{Name: "Zeta Prebooster", FAJ: "FAJ 121 9902"},
		{Name: "Omega Sleep", FAJ: "FAJ 121 9903"},
		{Name: "Gamma Scheduler", FAJ: "FAJ 121 9904"},
	}
	if !slices.Equal(r.RelatedFeatures, wantRelated) {
		t.Errorf("related = %+v, want %+v (value packages and the main feature excluded, no relationship in basic mode)", r.RelatedFeatures, wantRelated)
	}
}

func TestBasic_identityVariants(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		want []Feature
	}{
		{"colon labels", "| Access Type:       | NR           |\n|---|---|\n| Feature Identity:  | FAJ 121 9905 |\n| Value Package Name: | Zeta Base |", []Feature{{FAJ: "FAJ 121 9905", ValuePackage: "Zeta Base", AccessType: "NR"}}},
		{"plain lines", "Feature Name: Zeta Lite\n\nFeature Identity: FAJ 121 9906\n", []Feature{{Name: "Zeta Lite", FAJ: "FAJ 121 9906"}}},
		{"FAJ in the name row", "| Feature Name | Zeta Max (FAJ 121 9907) |\n|---|---|\n| Access Type | LTE |", []Feature{{Name: "Zeta Max", FAJ: "FAJ 121 9907", AccessType: "LTE"}}},
		{"two columns", "| Feature Name | Zeta Dual | Zeta Dual |\n|---|---|---|\n| Feature Identity | FAJ 121 9908 | FAJ 121 9909 |\n| Access Type | NR | LTE |", []Feature{{Name: "Zeta Dual", FAJ: "FAJ 121 9908", AccessType: "NR"}, {Name: "Zeta Dual", FAJ: "FAJ 121 9909", AccessType: "LTE"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mustExtract(t, Input{Text: tc.text})
			if !slices.Equal(r.MainFeatures, tc.want) {
				t.Errorf("main features = %+v, want %+v", r.MainFeatures, tc.want)
			}
		})
	}
}

func TestBasic_appendixIdentityIsNotMain(t *testing.T) {
	text := "## Appendix A.a: 24.Q1: Zeta Boost Extension\n\n| Feature Name | Zeta Extra |\n|---|---|\n| Feature Identity: | FAJ 121 9910 |\n"
	r := mustExtract(t, Input{Text: text})
	if len(r.MainFeatures) != 0 {
		t.Errorf("main features = %+v, want none from a change history table", r.MainFeatures)
	}
	sameSet(t, "related", relatedFAJs(r), []string{"FAJ 121 9910"})

	ctx := IdentityContext("| Feature Identity | FAJ 121 9910 |")
	r = mustExtract(t, Input{Text: text, Context: ctx})
	if len(r.MainFeatures) != 1 || r.MainFeatures[0].FAJ != "FAJ 121 9910" {
		t.Errorf("main features = %+v, want the document's own feature", r.MainFeatures)
	}
}

const activationFixture = `# 7 Activate Zeta Boost

To use the feature, activate it.

Steps

1. Set the FeatureState.featureState attribute to ACTIVATED in the FeatureState=CXC 401 9901 MO instance.
2. Set the ZetaCellFDD.boostLevel attribute to 4.
    1. Check the ZetaCellFDD.boostState attribute.

# 8 Deactivate Zeta Boost

Steps

1. Set the FeatureState.featureState attribute to DEACTIVATED in the FeatureState=CXC4019901 MO instance.
`

func TestBasic_activationProcedures(t *testing.T) {
	r := mustExtract(t, Input{Text: activationFixture})
	want := []Activation{
		{Kind: "activate", CXC: []string{"CXC4019901"}, Steps: []string{
			"Set the FeatureState.featureState attribute to ACTIVATED in the FeatureState=CXC 401 9901 MO instance.",
			"Set the ZetaCellFDD.boostLevel attribute to 4.",
			"Check the ZetaCellFDD.boostState attribute.",
		}},
		{Kind: "deactivate", CXC: []string{"CXC4019901"}, Steps: []string{
			"Set the FeatureState.featureState attribute to DEACTIVATED in the FeatureState=CXC4019901 MO instance.",
		}},
	}
	if len(r.ActivationProcedures) != len(want) {
		t.Fatalf("procedures = %+v, want %+v", r.ActivationProcedures, want)
	}
	for i, w := range want {
		g := r.ActivationProcedures[i]
		if g.Kind != w.Kind || !slices.Equal(g.CXC, w.CXC) || !slices.Equal(g.Steps, w.Steps) {
			t.Errorf("procedure %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestBasic_activationFromHeadingPath(t *testing.T) {
	for _, tc := range []struct {
		name     string
		in       Input
		wantKind string
		wantCXC  []string
	}{
		{"heading path", Input{Text: "1. Set FeatureState.featureState to DEACTIVATED in FeatureState=CXC4019901.", Headings: []string{"Zeta Boost", "8 Deactivate Zeta Boost"}}, "deactivate", []string{"CXC4019901"}},
		{"no heading, text says ACTIVATED", Input{Text: "1. Set FeatureState.featureState to ACTIVATED in FeatureState=CXC4019902."}, "activate", []string{"CXC4019902"}},
		// a section with neither steps, codes nor commands is no procedure:
		// an empty {"kind":"activate"} is never emitted
		{"procedure without license", Input{Text: "Non-license-controlled features need no activation.", Headings: []string{"7 Activate Non-License-Controlled Features"}}, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mustExtract(t, tc.in)
			if tc.wantKind == "" {
				if len(r.ActivationProcedures) != 0 {
					t.Fatalf("procedures = %+v, want none", r.ActivationProcedures)
				}
				return
			}
			if len(r.ActivationProcedures) != 1 {
				t.Fatalf("procedures = %+v, want one", r.ActivationProcedures)
			}
			a := r.ActivationProcedures[0]
			if a.Kind != tc.wantKind || !slices.Equal(a.CXC, tc.wantCXC) {
				t.Errorf("procedure = %+v, want kind %s cxc %v", a, tc.wantKind, tc.wantCXC)
			}
		})
	}
	r := mustExtract(t, Input{Text: "The FeatureState=CXC4019903 instance exists.", Headings: []string{"3 Feature Operation"}})
	if len(r.ActivationProcedures) != 0 {
		t.Errorf("a CXC code outside an activation context made %+v", r.ActivationProcedures)
	}
}

func TestBasic_attributesToContextFeature(t *testing.T) {
	deep := Input{Text: "- ZetaCellFDD.pmBoostAttempts\n- ZetaCellFDD.boostLevel\n- INTERNAL_EVENT_ZETA_STARTED", Headings: []string{"6 Performance of Zeta Boost"}}

	t.Run("one feature in the context", func(t *testing.T) {
		in := deep
		in.Context = IdentityContext(identityFixture)
		r := mustExtract(t, in)
		if r.Parameters[0].Feature != "FAJ 121 9901" || r.Counters[0].Feature != "FAJ 121 9901" || r.Events[0].Feature != "FAJ 121 9901" {
			t.Errorf("items not attributed: %+v %+v %+v", r.Parameters, r.Counters, r.Events)
		}
		if len(r.MainFeatures) != 0 {
			t.Errorf("the context made main features in a chunk without identity rows: %+v", r.MainFeatures)
		}
	})
	t.Run("two features in the context", func(t *testing.T) {
		in := deep
		in.Context = "| Feature Identity | FAJ 121 9901 | FAJ 121 9902 |"
		r := mustExtract(t, in)
		if r.Parameters[0].Feature != "" {
			t.Errorf("attributed to %q though the context names two features", r.Parameters[0].Feature)
		}
	})
	t.Run("the chunk's own identity table", func(t *testing.T) {
		r := mustExtract(t, Input{Text: identityFixture + "\nSee ZetaCellFDD.boostLevel.\n\n" + activationFixture})
		if r.Parameters[0].Feature != "FAJ 121 9901" || r.ActivationProcedures[0].Feature != "FAJ 121 9901" {
			t.Errorf("not attributed: %+v %+v", r.Parameters, r.ActivationProcedures)
		}
	})
	t.Run("context FAJ is not a related feature", func(t *testing.T) {
		r := mustExtract(t, Input{Text: "Zeta Boost (FAJ 121 9901) works with FAJ 121 9903.", Context: IdentityContext(identityFixture)})
		sameSet(t, "related", relatedFAJs(r), []string{"FAJ 121 9903"})
	})
}

func TestBasic_deduplicatesAndSorts(t *testing.T) {
	r := mustExtract(t, Input{Text: "ZetaCellFDD.boostLevel, AlphaCell.beta, ZetaCellFDD.boostLevel\nFAJ 121 9903 FAJ 121  9903"})
	if want := []string{"AlphaCell.beta", "ZetaCellFDD.boostLevel"}; !slices.Equal(parameterNames(r), want) {
		t.Errorf("parameters = %q, want %q", parameterNames(r), want)
	}
	if len(r.RelatedFeatures) != 1 {
		t.Errorf("related = %+v, want one", r.RelatedFeatures)
	}
}

func TestBasic_noTelecomContent(t *testing.T) {
	r := mustExtract(t, Input{Text: "The weather was fine. We walked 3.5 km along the river, e.g. to the old mill."})
	if r.Items() != 0 {
		t.Errorf("items from plain prose: %+v", r)
	}
	if r.Parameters == nil || r.Counters == nil {
		t.Error("empty categories must encode as [] (non-nil)")
	}
}

func TestExtract_modes(t *testing.T) {
	want := []Mode{ModeBasic, ModeCmedit, ModeFeatureGrouped}
	if got := Available(); !slices.Equal(got, want) {
		t.Errorf("Available() = %v, want %v (hybrid needs an LLM)", got, want)
	}
	for _, m := range want {
		if _, err := Extract(m, Input{Text: "x"}); err != nil {
			t.Errorf("Extract(%s) error = %v, want none", m, err)
		}
	}
	if _, err := Extract(ModeHybrid, Input{Text: "x"}); !errors.Is(err, ErrModeUnavailable) {
		t.Errorf("Extract(hybrid) error = %v, want ErrModeUnavailable", err)
	}
	if _, err := Extract("turbo", Input{Text: "x"}); !errors.Is(err, ErrUnknownMode) {
		t.Errorf("Extract(turbo) error = %v, want ErrUnknownMode", err)
	}
}

func TestIdentityContext_firstIdentityTableOnly(t *testing.T) {
	doc := "---\ntitle: x\n---\n" + identityFixture + "\n" + dependencyFixture +
		"\n# Appendix A: Feature Change History\n\n| Feature Name | Zeta Old |\n|---|---|\n| Feature Identity | FAJ 121 9911 |\n"
	ctx := IdentityContext(doc)
	for _, want := range []string{"| Feature Name | Zeta Boost |", "| Feature Identity | FAJ 121 9901 |", "| Access Type | LTE |", "| Value Package Name | Zeta Performance |"} {
		if !strings.Contains(ctx, want) {
			t.Errorf("context lacks %q:\n%s", want, ctx)
		}
	}
	for _, unwanted := range []string{"9911", "Prebooster", "raises"} {
		if strings.Contains(ctx, unwanted) {
			t.Errorf("context holds %q:\n%s", unwanted, ctx)
		}
	}
	if got := IdentityContext("No identity here.\n\n| A | B |\n|---|---|"); got != "" {
		t.Errorf("IdentityContext without identity rows = %q, want empty", got)
	}
}

// FuzzExtract_basic checks that no input makes basic mode break the category
// invariants or report items that are not in the text.
func FuzzExtract_basic(f *testing.F) {
	for _, s := range []string{identityFixture, dependencyFixture, activationFixture,
		"ZetaCellDU.pmAlphaVolZetaCellDU.pmBetaVol", "A.b.c.D.e", "pmApmBpmC", "INTERNAL_PROC_X_Y", "FAJ 801 1234 FAJ 121 123",
		"| Feature Identity | FAJ 121 1234 FAJ 121 1234 |", "TheX.yattribute"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		r, err := Extract(ModeBasic, Input{Text: text, Headings: []string{"7 Activate X"}})
		if err != nil {
			t.Fatalf("Extract: %v", err)
		}
		flat := Collapse(Unescape(text))
		for _, p := range r.Parameters {
			if !strings.Contains(flat, p.Name) {
				t.Errorf("parameter %q not in the text", p.Name)
			}
		}
		var again Result
		Merge(&again, r)
		Merge(&again, r)
		if err := Validate(again); err != nil {
			t.Errorf("merged twice: %v", err)
		}
	})
}

// BenchmarkExtract_basic runs basic mode over a generated chunk of the size
// the chunk stage produces.
func BenchmarkExtract_basic(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(identityFixture)
	sb.WriteString(dependencyFixture)
	for i := 0; sb.Len() < 3500; i++ {
		sb.WriteString("The ZetaCellFDD.boostLevel attribute and the ZetaCellFDD.pmBoostAttempts counter change when INTERNAL_PROC_ZETA_BOOST is written.\n")
		sb.WriteString("- ZetaCellTDD.pmBoostSucc\n- pmBoostFailures\n")
	}
	sb.WriteString(activationFixture)
	in := Input{Text: sb.String(), Headings: []string{"Zeta Boost"}, Context: IdentityContext(identityFixture)}
	b.SetBytes(int64(len(in.Text)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Extract(ModeBasic, in); err != nil {
			b.Fatal(err)
		}
	}
}
