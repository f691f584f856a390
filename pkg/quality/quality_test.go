package quality

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/extraction"
)

// The fixtures are invented text in the shape of a feature description.

const dependencies = `# 2 Dependencies of Zeta Boost

| Feature                          | Relationship   | Description                                |
|----------------------------------|----------------|--------------------------------------------|
| Zeta Prebooster (FAJ 121 9902)   | Prerequisite   | Must be active before Zeta Boost.          |
| Omega Sleep (FAJ 121 9903)       | Conflicting    | Cannot run together with Zeta Boost.       |
| Gamma Scheduler (FAJ 121 9904)   | Related        | Gamma reads ZetaCellFDD.boostLevel.        |
`

const counters = `# 6 Performance of Zeta Boost

The following counters are associated with the feature:

- ZetaCellFDD.pmBoostAttempts
- ZetaCellFDD.pmBoostSucc
- ZetaCellTDD.pmBoostAttempts

The INTERNAL_PROC_ZETA_BOOST event reports each attempt.
`

const parameters = `# 5 Parameters for Zeta Boost

| Parameter                   | Type        | Description           |
|-----------------------------|-------------|-----------------------|
| ZetaCellFDD.boostLevel      | Introduced  | See MOM description.  |
| ZetaCellFDD.boostMargin     | Introduced  | See MOM description.  |
| AlphaProfile.serviceType    | Affecting   | Boost applies to VoIP.|
`

const activate = `# 7 Activate Zeta Boost

Steps

1. Set the FeatureState.featureState attribute to ACTIVATED in the FeatureState=CXC4019901 MO instance.
2. Set the ZetaCellFDD.boostLevel attribute to 4.
`

func basic(t *testing.T, in extraction.Input) extraction.Result {
	t.Helper()
	r, err := extraction.Extract(extraction.ModeBasic, in)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestScore_noTelecomContentScoresOne(t *testing.T) {
	in := extraction.Input{Text: "The committee met on Tuesday. Minutes were approved, e.g. item 3.2, and lunch followed."}
	s := Score(in, basic(t, in))
	if s != (Scorecard{Value: 1, Coverage: 1, Validity: 1, Grounding: 1, Structure: 1}) {
		t.Errorf("Score = %+v, want all 1", s)
	}
}

func TestScore_valueIsTheWeightedSum(t *testing.T) {
	in := extraction.Input{Text: dependencies + counters}
	s := Score(in, basic(t, in))
	want := WeightCoverage*s.Coverage + WeightValidity*s.Validity + WeightGrounding*s.Grounding + WeightStructure*s.Structure
	if math.Abs(s.Value-want) > 1e-6 {
		t.Errorf("Value = %v, want the weighted sum %v", s.Value, want)
	}
	if !near(WeightCoverage+WeightValidity+WeightGrounding+WeightStructure, 1) {
		t.Error("weights do not sum to 1")
	}
}

// openSteps is an Activate section whose steps a cmedit command cannot be
// made of: no value, alternatives, no MO, the value left open.
const openSteps = `# 7 Activate Zeta Boost

Steps

1. Set the ZetaCellFDD.boostLevel attribute to the desired value.
2. Set the ZetaCellFDD.boostEnabled or the ZetaCellTDD.boostEnabled attribute to true.
3. Set the boostMargin attribute to 2.
4. Lock and unlock the ZetaCellFDD MO instances.
`

func TestScore_basicPassesOnPlainLists(t *testing.T) {
	for _, text := range []string{counters, openSteps} {
		in := extraction.Input{Text: text}
		s := Score(in, basic(t, in))
		if s.Value < DefaultThresholds()[extraction.ModeBasic] || s.Coverage != 1 || s.Structure != 1 {
			t.Errorf("basic scores %+v on\n%s\nwant full Coverage and Structure, at least the basic threshold", s, text)
		}
	}
}

func TestScore_settableStepsClimbToCmedit(t *testing.T) {
	in := extraction.Input{Text: activate}
	th := DefaultThresholds()
	b := Score(in, basic(t, in))
	if b.Value >= th[extraction.ModeBasic] || b.Structure != 0 {
		t.Errorf("basic on settable steps scores %+v, want Structure 0 and below the basic threshold %v so the chunk climbs", b, th[extraction.ModeBasic])
	}
	r, err := extraction.Extract(extraction.ModeCmedit, in)
	if err != nil {
		t.Fatal(err)
	}
	c := Score(in, r)
	if c.Value < th[extraction.ModeCmedit] || c.Structure != 1 || c.Coverage != 1 {
		t.Errorf("cmedit on settable steps scores %+v, want full Structure and Coverage, at least the cmedit threshold %v", c, th[extraction.ModeCmedit])
	}

	// a command for one step only, or in a procedure of the other kind,
	// leaves the other step uncaptured
	one := r
	one.ActivationProcedures = []extraction.Activation{r.ActivationProcedures[0]}
	one.ActivationProcedures[0].Cmedit = r.ActivationProcedures[0].Cmedit[:1]
	if s := Score(in, one); s.Structure != 0.5 {
		t.Errorf("one command of two settable steps: Structure %v, want 0.5", s.Structure)
	}
	other := r
	other.ActivationProcedures = []extraction.Activation{r.ActivationProcedures[0]}
	other.ActivationProcedures[0].Kind = "deactivate"
	if s := Score(in, other); s.Structure != 0 {
		t.Errorf("the commands in a deactivate procedure: Structure %v, want 0", s.Structure)
	}

	// a command of another value, or of another instance, does not match;
	// another scope and options do
	for cmd, want := range map[string]float64{
		"cmedit set * FeatureState.(featureStateId==CXC4019901) featureState=DEACTIVATED":                   0.5,
		"cmedit set * FeatureState.(featureStateId==CXC4019999) featureState=ACTIVATED":                     0.5,
		"cmedit set NODE01;NODE02 FeatureState.(featureStateId==CXC4019901) featureState=ACTIVATED --force": 1,
	} {
		x := r
		x.ActivationProcedures = []extraction.Activation{r.ActivationProcedures[0]}
		x.ActivationProcedures[0].Cmedit = []string{cmd, "cmedit set * ZetaCellFDD boostLevel=4"}
		if s := Score(in, x); s.Structure != want {
			t.Errorf("commands %q: Structure %v, want %v", x.ActivationProcedures[0].Cmedit, s.Structure, want)
		}
	}
}

func TestScore_relationshipsRaiseScoreOnDependencyTable(t *testing.T) {
	in := extraction.Input{Text: dependencies}
	r := basic(t, in)
	plain := Score(in, r)

	rich := r
	rich.RelatedFeatures = append([]extraction.RelatedFeature(nil), r.RelatedFeatures...)
	rel := map[string]string{"FAJ 121 9902": "prerequisite", "FAJ 121 9903": "conflicting", "FAJ 121 9904": "related"}
	for i := range rich.RelatedFeatures {
		rich.RelatedFeatures[i].Relationship = rel[rich.RelatedFeatures[i].FAJ]
	}
	filled := Score(in, rich)

	if !(filled.Value > plain.Value && filled.Structure > plain.Structure && filled.Coverage > plain.Coverage) {
		t.Errorf("relationships did not raise the score: basic %+v, filled %+v", plain, filled)
	}
	if plain.Value >= DefaultThresholds()[extraction.ModeBasic] {
		t.Errorf("basic output on a dependencies table scores %v, want below the basic threshold so the chunk climbs", plain.Value)
	}
	if filled.Value < DefaultThresholds()[extraction.ModeFeatureGrouped] {
		t.Errorf("a result with the relationships scores %v, want at least the feature_grouped threshold", filled.Value)
	}
}

func TestScore_rolesRaiseScoreOnParametersTable(t *testing.T) {
	in := extraction.Input{Text: parameters}
	r := basic(t, in)
	plain := Score(in, r)
	withRoles := r
	withRoles.Parameters = append([]extraction.Parameter(nil), r.Parameters...)
	for i := range withRoles.Parameters {
		withRoles.Parameters[i].Role = "introduced"
	}
	if got := Score(in, withRoles); !(got.Structure > plain.Structure && got.Value > plain.Value) {
		t.Errorf("roles did not raise the score: %+v vs %+v", got, plain)
	}
}

func TestScore_ungroundedItemsLowerScore(t *testing.T) {
	in := extraction.Input{Text: counters}
	r := basic(t, in)
	good := Score(in, r)

	invented := r
	invented.Parameters = append(append([]extraction.Parameter(nil), r.Parameters...),
		extraction.Parameter{Name: "ZetaCellFDD.inventedKnob", MOClass: "ZetaCellFDD", Attribute: "inventedKnob"})
	invented.ActivationProcedures = []extraction.Activation{{Kind: "activate", CXC: []string{"CXC4019999"}}}
	bad := Score(in, invented)
	if !(bad.Grounding < good.Grounding && bad.Value < good.Value) {
		t.Errorf("ungrounded items did not lower the score: %+v vs %+v", bad, good)
	}
	if bad.Validity != 1 {
		t.Errorf("valid but ungrounded items lowered Validity: %+v", bad)
	}
}

func TestScore_invalidItemsLowerScore(t *testing.T) {
	in := extraction.Input{Text: counters}
	r := basic(t, in)
	good := Score(in, r)

	wrong := r
	wrong.Parameters = []extraction.Parameter{{Name: "ZetaCellFDD.pmBoostSucc"}} // a counter filed as a parameter
	wrong.Events = append(append([]extraction.Event(nil), r.Events...), extraction.Event{Name: "INTERNAL_PROC_ZETA_BOOST"})
	bad := Score(in, wrong)
	if !(bad.Validity < good.Validity && bad.Value < good.Value) {
		t.Errorf("invalid items did not lower the score: %+v vs %+v", bad, good)
	}
}

func TestScore_missedItemsLowerCoverage(t *testing.T) {
	in := extraction.Input{Text: counters}
	r := basic(t, in)
	full := Score(in, r)
	partial := r
	partial.Counters = r.Counters[:1]
	partial.Events = nil
	got := Score(in, partial)
	if !(got.Coverage < full.Coverage && got.Value < full.Value) {
		t.Errorf("missing items did not lower Coverage: %+v vs %+v", got, full)
	}
	if full.Coverage != 1 {
		t.Errorf("basic missed candidates of a plain counter list: %+v", full)
	}
}

func TestScore_activateSectionWantsProcedure(t *testing.T) {
	in := extraction.Input{Text: activate}
	r, err := extraction.Extract(extraction.ModeCmedit, in)
	if err != nil {
		t.Fatal(err)
	}
	with := Score(in, r)
	without := r
	without.ActivationProcedures = nil
	got := Score(in, without)
	if !(got.Structure < with.Structure && got.Coverage < with.Coverage) {
		t.Errorf("a missing procedure did not lower Structure and Coverage: %+v vs %+v", got, with)
	}

	// the same steps under a heading path given by the chunk stage
	deep := extraction.Input{Text: "Steps\n\n1. Set the ZetaCellFDD.boostLevel attribute to 0.\n", Headings: []string{"Zeta Boost", "8 Deactivate Zeta Boost"}}
	if s := Score(deep, extraction.Result{}); s.Structure != 0 {
		t.Errorf("empty result under a Deactivate heading: Structure %v, want 0", s.Structure)
	}
	// the step is settable: the procedure uses the section's structure
	// only with its command
	if s := Score(deep, basic(t, deep)); s.Structure != 0 {
		t.Errorf("basic under a Deactivate heading: Structure %v, want 0 (no command for the settable step)", s.Structure)
	}
	cm, err := extraction.Extract(extraction.ModeCmedit, deep)
	if err != nil {
		t.Fatal(err)
	}
	if s := Score(deep, cm); s.Structure != 1 {
		t.Errorf("cmedit under a Deactivate heading: Structure %v, want 1", s.Structure)
	}
	// a step without a value: the procedure with the step is all there is
	open := extraction.Input{Text: "Steps\n\n1. Set the ZetaCellFDD.boostLevel attribute to the desired value.\n", Headings: deep.Headings}
	if s := Score(open, extraction.Result{}); s.Structure != 0 {
		t.Errorf("empty result under a Deactivate heading: Structure %v, want 0", s.Structure)
	}
	if s := Score(open, basic(t, open)); s.Structure != 1 {
		t.Errorf("basic under a Deactivate heading, step without a value: Structure %v, want 1", s.Structure)
	}
}

func TestScore_identityTable(t *testing.T) {
	text := "| Feature Name | Zeta Boost |\n|---|---|\n| Feature Identity | FAJ 121 9901 |\n| Value Package Identity | FAJ 801 9900 |\n| Access Type | LTE |\n"
	in := extraction.Input{Text: text}
	r := basic(t, in)
	if s := Score(in, r); s.Value != 1 {
		t.Errorf("basic on an identity table: %+v, want 1", s)
	}
	asRelated := extraction.Result{RelatedFeatures: []extraction.RelatedFeature{{FAJ: "FAJ 121 9901"}}}
	if s := Score(in, asRelated); s.Structure >= 0.5 || s.Coverage >= 1 {
		t.Errorf("the document's own feature filed as related: %+v, want low Structure and Coverage", s)
	}
}

func TestScore_contextFeatureCountsAsCaptured(t *testing.T) {
	in := extraction.Input{Text: "Zeta Boost (FAJ 121 9901) needs no license.", Context: "| Feature Identity | FAJ 121 9901 |"}
	if s := Score(in, basic(t, in)); s.Coverage != 1 {
		t.Errorf("the document's own FAJ id counted as missed: %+v", s)
	}
}

func TestScore_cmeditCommandsMustBeGrounded(t *testing.T) {
	in := extraction.Input{Text: activate}
	r := basic(t, in)
	grounded, invented := r, r
	grounded.ActivationProcedures = []extraction.Activation{{Kind: "activate", CXC: []string{"CXC4019901"},
		Cmedit: []string{"cmedit set * FeatureState.(FeatureStateId==CXC4019901) featureState=ACTIVATED"}}}
	invented.ActivationProcedures = []extraction.Activation{{Kind: "activate", CXC: []string{"CXC4019901"},
		Cmedit: []string{"cmedit set <NODE> FeatureState=CXC4019901 featureState=ENABLED"}}}
	g, i := Score(in, grounded), Score(in, invented)
	if g.Grounding != 1 || i.Grounding >= 1 {
		t.Errorf("grounding of commands: stated %v, invented %v; want 1 and below 1", g.Grounding, i.Grounding)
	}
}

func TestDefaultThresholds(t *testing.T) {
	th := DefaultThresholds()
	for _, m := range extraction.Modes {
		v, ok := th[m]
		if !ok || v < 0 || v > 1 {
			t.Errorf("threshold of %s = %v (set %v), want a value in [0,1]", m, v, ok)
		}
	}
	if th[extraction.ModeHybrid] != 0 {
		t.Errorf("hybrid threshold %v, want 0: the top of the ladder accepts", th[extraction.ModeHybrid])
	}
	th[extraction.ModeBasic] = 0.1
	if DefaultThresholds()[extraction.ModeBasic] != 0.8 {
		t.Error("DefaultThresholds returns a shared map")
	}
}

func BenchmarkScore(b *testing.B) {
	in := extraction.Input{Text: dependencies + parameters + counters + activate}
	r, err := extraction.Extract(extraction.ModeBasic, in)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(in.Text)))
	for b.Loop() {
		Score(in, r)
	}
}

// File names (a style sheet, a schema, an archive) are no MO paths: the
// rules never make them parameters, and the score asks for none of them.
// The two read one list (mdtext.IsFileExtension); quality's own copy once
// lacked .xsl, so a PM file read completely scored 0.6.
func TestScore_fileNamesAreNoCandidates(t *testing.T) {
	for _, name := range []string{"MeasDataCollection.xsl", "MeasCollec.xslt", "Config.xsd", "Dump.tar.gz"} {
		in := extraction.Input{Family: extraction.Family3GPP, Format: "xml", Text: `<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="` + name + `"?>
<measCollecFile xmlns="http://www.3gpp.org/ftp/specs/archive/32_series/32.435#measCollec">
  <measData>
    <measInfo>
      <measTypes>Sample_Link_Capacity Sample_Bearer_Load</measTypes>
      <measValue measObjLdn="Node=1"><measResults>6 360</measResults></measValue>
    </measInfo>
  </measData>
</measCollecFile>`}
		r, err := extraction.Extract(extraction.ModeBasic, in)
		if err != nil {
			t.Fatal(err)
		}
		if s := Score(in, r); s.Coverage != 1 || len(r.Counters) != 2 {
			t.Errorf("%s: Coverage %v with %d counters, want 1 with 2 (the file name is no candidate)", name, s.Coverage, len(r.Counters))
		}
	}
}

// A converter glues list items together ("Where:pmAlphaSumpmAlphaSamp",
// "EUtranCellFDD.pmSleepInEUtranCellTDD.pmSleepIn"); the rules split them,
// and a run whose every part is captured is captured.
func TestGluedOf(t *testing.T) {
	names := []string{"pmAlphaSum", "pmAlphaSamp", "EUtranCellFDD.pmSleepIn", "EUtranCellTDD.pmSleepIn"}
	for s, want := range map[string]bool{
		"pmAlphaSumpmAlphaSamp":        true,
		"pmSleepInEUtranCellTDD":       true,
		"pmAlphaSumpmAlphaSamppmAlpha": false, // pmAlpha is no name of the result
		"pmAlphaSumExtra":              false,
		"pmAlphaSum":                   false, // one name is no glued run (captured as itself)
		"EUtranCellTDDpmSleepIn":       false, // a run starts with an attribute
	} {
		if got := gluedOf(s, names); got != want {
			t.Errorf("gluedOf(%q) = %v, want %v", s, got, want)
		}
	}
	in := extraction.Input{Text: "The ratio is computed from the counters.\n\nWhere:pmAlphaSumpmAlphaSamp\n"}
	r := extraction.Result{Counters: []extraction.Counter{{Name: "pmAlphaSum"}, {Name: "pmAlphaSamp"}}}
	if s := Score(in, r); s.Coverage != 1 {
		t.Errorf("Coverage %v, want 1: the glued run's parts are both captured", s.Coverage)
	}
}

// Two sentences a converter glued at the dot ("... the UE.and the network")
// make no MO path: the rules skip them, and the score asks for none.
func TestScore_gluedSentencesAreNoCandidates(t *testing.T) {
	in := extraction.Input{Text: "The cell serves the UE.and the EUtranCellFDD.qRxLevMin parameter sets the level."}
	if s := Score(in, basic(t, in)); s.Coverage != 1 {
		t.Errorf("Coverage %v, want 1 (UE.and is no candidate, the parameter is captured)", s.Coverage)
	}
}

// A NAS IE from the clause that describes it is grounded by the clause title
// naming its message in sentence case and the IE.
func TestScore_nasIEClausesAreGrounded(t *testing.T) {
	in := extraction.Input{Family: extraction.Family3GPP,
		Headings: []string{"8 Message functional definitions and contents", "8.2 EPS mobility management messages", "8.2.4 Sample request"},
		Text:     "#### 8.2.4.12 Additional update type\n\nThe UE shall include this IE if the UE requests \"SMS only\".\n"}
	r, err := extraction.Extract(extraction.ModeBasic, in)
	if err != nil {
		t.Fatal(err)
	}
	if s := Score(in, r); r.Items() != 1 || s.Grounding != 1 {
		t.Errorf("%d items, Grounding %v; want the IE, grounded", r.Items(), s.Grounding)
	}
}

// An audit script and an hget log in MoShell's shapes, with invented
// classes and attributes.
const moshellAudit = `#####Start: cell audit #######
hgetc ZetaCellDU= ^boostLevel$|^sleepMarginDb$|^tac$
hget ZetaFunction=1,ZetaSector= reservedBy|noOfZetaAntennas
#####End of cell audit #######

hget zetaunit tilt|label

=====================================================
MO                                   zetaTilt    userLabel
=====================================================
"ZetaGroup=1,ZetaNearUnit=Z-1,ZetaUnit=1 80          z_900
"ZetaGroup=1,ZetaNearUnit=Z-2,ZetaUnit=1 40          z_1800
`

// An invented bulk CM export (32.615) in Ericsson's vsData shape.
const bulkCMExport = `<xn:VsDataContainer id="1">
    <xn:attributes>
        <xn:vsDataType>vsDataZetaCell</xn:vsDataType>
        <es:vsDataZetaCell>
            <es:boostLevel>2</es:boostLevel>
            <es:sleepMarginDb>3</es:sleepMarginDb>
        </es:vsDataZetaCell>
    </xn:attributes>
</xn:VsDataContainer>
`

// Configuration text that names attributes (a MoShell script, a bulk CM
// export) is no text without telecom content: an empty result scores below
// the basic threshold (it used to read 1.0 with nothing), the rules' own
// result scores 1, grounded by the hget table's header or the export's
// class element for the attributes their class owns.
func TestScore_configAttributesAreCandidates(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"moshell", moshellAudit, []string{"ZetaCellDU.boostLevel", "ZetaCellDU.sleepMarginDb", "ZetaSector.noOfZetaAntennas",
			"ZetaSector.reservedBy", "ZetaUnit.userLabel", "ZetaUnit.zetaTilt"}}, // merged: by name
		{"bulk CM", bulkCMExport, []string{"ZetaCell.boostLevel", "ZetaCell.sleepMarginDb"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := extraction.Input{Text: tc.text}
			r := basic(t, in)
			var got []string
			for _, p := range r.Parameters {
				got = append(got, p.Name)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("basic parameters:\n got  %q\n want %q", got, tc.want)
			}
			if s := Score(in, r); s.Value != 1 {
				t.Errorf("the rules' result scores %+v, want 1", s)
			}
			if s := Score(in, extraction.Result{}); !(s.Coverage < 0.5 && s.Value < DefaultThresholds()[extraction.ModeBasic]) {
				t.Errorf("an empty result scores %+v: should be below the basic threshold", s)
			}
		})
	}
}

// A long chunk dense with telecom terms and no item scores low, unless it
// sits in a change history, whose rows record changes to the document.
func TestScore_changeHistoryIsNoTelecomContent(t *testing.T) {
	var b strings.Builder
	b.WriteString("| Date | Meeting | TDoc | CR | Subject/Comment | New version |\n|---|---|---|---|---|---|\n")
	for i := range 20 {
		fmt.Fprintf(&b, "| 2020-%02d | RAN#%d | RP-20%04d | %04d | Correction on UE RRC PDCP RLC MAC handling for gNB and AMF with NAS PLMN bearer | 16.%d.0 |\n",
			i%12+1, 80+i, 1000+i, 100+i, i)
	}
	text := b.String()
	if len(text) < telecomMinRunes {
		t.Fatalf("fixture too short: %d", len(text))
	}
	for _, tc := range []struct {
		headings []string
		want     float64
	}{
		{[]string{"Annex E (informative): Change history"}, 1},
		{[]string{"5.3.5 RRC reconfiguration"}, 0.6},
	} {
		in := extraction.Input{Text: text, Headings: tc.headings, Family: extraction.Family3GPP}
		r, err := extraction.Extract(extraction.ModeBasic, in)
		if err != nil {
			t.Fatal(err)
		}
		if r.Items() != 0 {
			t.Fatalf("fixture yields items: %+v", r)
		}
		if s := Score(in, r); !near(s.Value, tc.want) {
			t.Errorf("under %q: Score = %+v, want Value %v", tc.headings, s, tc.want)
		}
	}
}
