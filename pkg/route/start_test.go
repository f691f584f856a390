package route_test

import (
	"testing"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/route"
)

const (
	depsTable = "| Feature | Relationship | Description |\n|---|---|---|\n| Zeta Prebooster (FAJ 121 9902) | Prerequisite | Needed first. |\n"
	roleTable = "| Parameter | Type | Description |\n|---|---|---|\n| ZetaCellFDD.boostLevel | Introduced | See MOM description. |\n"
	history   = "| Feature Name | Zeta Boost R2 |\n|---|---|\n| Feature Identity | FAJ 121 9907 |\n"
	stepText  = "1. Set the FeatureState.featureState attribute to ACTIVATED in the FeatureState=CXC4019901 MO instance.\n"
)

func TestClassify(t *testing.T) {
	elex := extraction.FamilyELEX
	for _, tc := range []struct {
		name string
		in   extraction.Input
		want extraction.Mode
	}{
		{"a dependencies table", extraction.Input{Text: "# 2 Dependencies\n\n" + depsTable, Family: elex}, fg},
		{"a relationship of a value package only", extraction.Input{Text: "| Package (FAJ 801 0400) | Prerequisite |\n", Family: elex}, ""},
		{"a relationship word inside a longer cell", extraction.Input{Text: "| Zeta (FAJ 121 9902) | Prerequisite for X |\n", Family: elex}, ""},
		{"a parameters table with roles", extraction.Input{Text: roleTable, Family: elex}, fg},
		{"a role table whose first column is no parameter", extraction.Input{Text: "| Name | Role |\n|---|---|\n| ZetaCellFDD.boostLevel | Introduced |\n", Family: elex}, ""},
		{"a role other than introduced, affecting, affected", extraction.Input{Text: "| Parameter | Change |\n|---|---|\n| ZetaCellFDD.boostLevel | Modified |\n", Family: elex}, ""},
		{"the header row of a parameters table is no row", extraction.Input{Text: "| Parameter ZetaCellFDD.boostLevel | Introduced |\n", Family: elex}, ""},
		{"a settable step under an Activate heading", extraction.Input{Text: "## 7 Activate Zeta Boost\n\n" + stepText, Family: elex}, cmedit},
		{"the Activate heading from the heading path", extraction.Input{Text: stepText, Headings: []string{"Zeta Boost", "7 Activate Zeta Boost"}, Family: elex}, cmedit},
		{"a step with no value is not settable", extraction.Input{Text: "## Activate\n\n1. Set the attribute to the desired value.\n", Family: elex}, ""},
		{"a settable step outside a procedure", extraction.Input{Text: "## Overview\n\n" + stepText, Family: elex}, ""},
		{"a table and a step: the table decides", extraction.Input{Text: "## Activate X\n\n" + stepText + "\n## Dependencies\n\n" + depsTable, Family: elex}, fg},
		{"a change history's identity table naming another feature", extraction.Input{Text: "# Appendix: Feature Change History\n\n" + history,
			Context: "| Feature Identity | FAJ 121 9901 |", Family: elex}, fg},
		{"a change history's identity table of the document's own feature", extraction.Input{Text: "# Appendix: Feature Change History\n\n" + history,
			Context: "| Feature Identity | FAJ 121 9907 |", Family: elex}, ""},
		{"a change history's feature the chunk names outside the appendix", extraction.Input{Text: "# Overview\n\nSee FAJ 121 9907.\n\n# Appendix: Change History\n\n" + history,
			Family: elex}, ""},
		{"the appendix from the heading path", extraction.Input{Text: history, Headings: []string{"Zeta Boost", "Appendix A"}, Family: elex}, fg},
		{"an identity table outside an appendix", extraction.Input{Text: "# Zeta Boost\n\n" + history, Family: elex}, ""},
		{"only a table's first Feature Identity row counts", extraction.Input{Text: "# Appendix B\n\n| Feature Identity | FAJ 121 9901 |\n|---|---|\n| Feature Identity | FAJ 121 9907 |\n",
			Context: "| Feature Identity | FAJ 121 9901 |", Family: elex}, ""},
		{"a 3GPP chunk is not classified", extraction.Input{Text: depsTable, Family: extraction.Family3GPP}, ""},
		{"a record sheet is not classified", extraction.Input{Text: roleTable, Format: "csv"}, ""},
		{"prose", extraction.Input{Text: "The feature boosts the cell.\n", Family: elex}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := route.Classify(tc.in); got != tc.want {
				t.Errorf("Classify = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRouter_StartFor(t *testing.T) {
	deps := extraction.Input{Text: depsTable, Family: extraction.FamilyELEX}
	steps := extraction.Input{Text: "## Activate\n\n" + stepText, Family: extraction.FamilyELEX}
	for _, tc := range []struct {
		name string
		cfg  route.Config
		in   extraction.Input
		want extraction.Mode
	}{
		{"classified feature_grouped starts there", route.Config{Ladder: rules}, deps, fg},
		{"classified cmedit starts there", route.Config{Ladder: rules}, steps, cmedit},
		{"an unclassified chunk starts at the cheapest mode", route.Config{Ladder: rules}, extraction.Input{Text: "prose"}, basic},
		{"a low basic threshold might accept basic: start there", route.Config{Ladder: rules,
			Thresholds: map[extraction.Mode]float64{basic: 0.5}}, deps, basic},
		{"a low cmedit threshold might accept cmedit: start there", route.Config{Ladder: rules,
			Thresholds: map[extraction.Mode]float64{cmedit: 0.75}}, deps, cmedit},
		{"a ladder without feature_grouped", route.Config{Ladder: []extraction.Mode{basic, cmedit}}, deps, basic},
		{"a ladder starting at cmedit", route.Config{Ladder: []extraction.Mode{cmedit, fg}}, deps, fg},
		{"a 3GPP chunk starts at basic, whose rules are all it gets", route.Config{Ladder: rules},
			extraction.Input{Text: depsTable, Family: extraction.Family3GPP}, basic},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rt, err := route.New(tc.cfg, &accepted{})
			if err != nil {
				t.Fatal(err)
			}
			if got := rt.StartFor(tc.in); got != tc.want {
				t.Errorf("StartFor = %s, want %s", got, tc.want)
			}
		})
	}
}
