package quality

import (
	"testing"

	"github.com/ranstream/ranstream/pkg/extraction"
)

// Bare parameters tables: invented feature text in the ELEX shape.

const bareTable = `| Parameter | Description |
|---|---|
| boostLevel                 TOOLTIPFLAG | Level of the boost. |
| boostMargin TOOLTIPFLAG | Margin kept. |
`

func extractAt(t *testing.T, mode extraction.Mode, in extraction.Input) extraction.Result {
	t.Helper()
	r, err := extraction.Extract(mode, in)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestScore_bareParameterRows(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		// the score of the feature_grouped result: 1 when the rules found
		// the class, below 1 when they could not
		groupedFull bool
	}{
		{"the MO named above the table", "# 4 Parameters\n\nThe managed object ZetaProfile has the parameters below.\n\nTable 1   Parameters\n\n" + bareTable, true},
		{"the MO in the caption", "# 4 Parameters\n\nTable 5   MO OrbitData\n\n" + bareTable, true},
		{"no MO named", "# 4 Parameters\n\nThe feature affects MOM attributes.\n\nTable 4   Parameters\n\n" + bareTable, false},
		{"an MO named only in another section", "# 3 Operation\n\nThe MO ZetaSettings holds the boost.\n\n# 4 Parameters\n\n" + bareTable, false},
		{"two MOs named before the table", "# 4 Parameters\n\nThe parameters are in MO ZetaUnit/OrbitUnit.\n\n" + bareTable, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := extraction.Input{Text: tc.text}
			b := Score(in, extractAt(t, extraction.ModeBasic, in))
			if !(b.Coverage < 1 && b.Value < 1) {
				t.Errorf("basic, which reads no table structure, scores %+v; want Coverage below 1", b)
			}
			g := Score(in, extractAt(t, extraction.ModeFeatureGrouped, in))
			if full := g.Value == 1 && g.Coverage == 1 && g.Grounding == 1; full != tc.groupedFull {
				t.Errorf("feature_grouped scores %+v; want a full score %v", g, tc.groupedFull)
			}
			if !tc.groupedFull && g.Coverage != 0 {
				t.Errorf("feature_grouped captured a bare row with no class stated: %+v", g)
			}
		})
	}
}

func TestScore_bareRowCapturedByAnyClass(t *testing.T) {
	in := extraction.Input{Text: "# 4 Parameters\n\n" + bareTable}
	r := extraction.Result{Parameters: []extraction.Parameter{
		{Name: "ZetaCellFDD.boostLevel", MOClass: "ZetaCellFDD", Attribute: "boostLevel"},
	}}
	if got := Score(in, r); !near(got.Coverage, 0.5) {
		t.Errorf("one of two bare rows captured: Coverage %v, want 0.5", got.Coverage)
	}
}

func TestScore_bareRowsOfAMixedTableAreCandidates(t *testing.T) {
	in := extraction.Input{Text: "# 5 Parameters\n\nThe feature introduces parameters in the ZetaSettings MO.\n\n" +
		"| Parameter | Type | Description |\n|---|---|---|\n| ZetaSettings.boostLevel | Introduced | See MOM description. |\n" +
		"| changeNotification | Introduced | Member of the OrbitSibs struct. |\n"}
	g := Score(in, extractAt(t, extraction.ModeFeatureGrouped, in))
	if !(g.Coverage < 1) {
		t.Errorf("the bare row of a mixed table, left out by the rules, is no candidate: %+v", g)
	}
}

func TestScore_bareRowGroundedByTheNamedMO(t *testing.T) {
	in := extraction.Input{Text: "# 4 Parameters\n\nTable 5   MO OrbitData\n\n" + bareTable}
	named := extraction.Result{Parameters: []extraction.Parameter{
		{Name: "OrbitData.boostLevel", MOClass: "OrbitData", Attribute: "boostLevel"},
		{Name: "OrbitData.boostMargin", MOClass: "OrbitData", Attribute: "boostMargin"},
	}}
	if got := Score(in, named); got.Grounding != 1 {
		t.Errorf("class named as MO, attributes bare rows: Grounding %v, want 1", got.Grounding)
	}
	invented := extraction.Result{Parameters: []extraction.Parameter{
		{Name: "ZetaCellFDD.boostLevel", MOClass: "ZetaCellFDD", Attribute: "boostLevel"},
		{Name: "OrbitData.otherKnob", MOClass: "OrbitData", Attribute: "otherKnob"},
	}}
	if got := Score(in, invented); got.Grounding != 0 {
		t.Errorf("a class the text does not name, an attribute no row holds: Grounding %v, want 0", got.Grounding)
	}
}
