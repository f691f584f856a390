package extraction

import (
	"strings"
	"testing"
)

// The fixtures below are invented sheets (made-up MO classes, attributes,
// counters and events) in the record form the CSV and XLSX converters write,
// or as pipe tables.

func sheetExtract(t *testing.T, text string) Result {
	t.Helper()
	r, err := Extract(ModeBasic, Input{Text: text, Family: FamilySheet, Format: "csv"})
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	return r
}

func TestSheet_parametersByAnyHeaderSpelling(t *testing.T) {
	tests := []struct {
		name, text string
	}{
		{"MO Class Name / Parameter Name", "MO Class Name: ZetaCell | Parameter Name: fooLevel | Data Type: int32 | Range and Values: 0..15 | Default Value: 3 | Unit: dB | ReadOnly: False | Mandatory: True | Deprecated: Since 21.Q1 | Model: ZetaFunction | Parameter Description: How loud foo is."},
		{"moClass / attribute", "moClass: ZetaCell | attribute: fooLevel | type: int32 | range: 0..15 | default: 3 | unit: dB | mandatory: yes | deprecated: Since 21.Q1 | MOM: ZetaFunction | description: How loud foo is."},
		{"MO Class / Parameter", "MO Class: ZetaCell | Parameter: fooLevel | DataType: int32 | Values: 0..15 | defaultValue: 3 | Units: dB | is_mandatory: TRUE | deprecated_since: Since 21.Q1 | mo_model: ZetaFunction | Attribute Description: How loud foo is."},
		{"pipe table", "| MO Class | Attribute Name | Data Type | Range | Default | Unit | Mandatory | Deprecated | Model | Description |\n|---|---|---|---|---|---|---|---|---|---|\n| ZetaCell | fooLevel | int32 | 0..15 | 3 | dB | true | Since 21.Q1 | ZetaFunction | How loud foo is. |"},
	}
	want := Parameter{Name: "ZetaCell.fooLevel", MOClass: "ZetaCell", Attribute: "fooLevel", Type: "int32", Range: "0..15",
		Default: "3", Unit: "dB", Model: "ZetaFunction", Description: "How loud foo is.", Flags: "mandatory,deprecated"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sheetExtract(t, "# params\n\n"+tt.text+"\n")
			if len(r.Parameters) != 1 || r.Parameters[0] != want {
				t.Fatalf("parameters = %+v\nwant [%+v]", r.Parameters, want)
			}
			if n := len(r.Counters) + len(r.Events) + len(r.MainFeatures) + len(r.RelatedFeatures); n != 0 {
				t.Errorf("a parameter row gave %d other items: %+v", n, r)
			}
		})
	}
}

func TestSheet_everyKindOfRow(t *testing.T) {
	text := strings.Join([]string{
		"Model: ZetaFunction | MO Class Name: ZetaCell | Struct Name: BarInfo | Parameter Name: barId | Data Type: string",
		"Model: ZetaFunction | MO Class Name: OmegaCell | Struct Name: BarInfo | Parameter Name: barId",
		"MO Class: ZetaCellFDD/ZetaCellTDD | Counter: pmZetaAttempts | Counter Type: PEG | Description: Attempts of zeta. | Related PM Event: INTERNAL_EVENT_ZETA_TRY",
		"moClass: OmegaCell | pmName: pmOmegaDistr$Cause$ | Counter Type: PDF",
		"Counter Name: pmBareCount",
		"PmEvent Name: CuCpZetaStart | Event Id: 4242 | Event Type: CUCP | Event Description and Trigger: Sent when zeta starts.",
		"pmEvent Name: INTERNAL_PROC_ZETA_SETUP | Event Id: 17 | Event Type: UE",
		"FeatureStateId: CXC4019991 | description: Invented Zeta Boost",
		"Feature State: FeatureState=CXC4019992 | Feature Name: Invented Omega Mode",
		"FeatureStateId: CXC4019993",
		"specificProblem: Zeta Link Down | eventType: communicationsAlarm | probableCause: m3100Unavailable | perceivedSeverity: MAJOR | MO Class Name: ZetaPort | Model: Transport",
		"specificProblem: Zeta Link Down | eventType: communicationsAlarm | probableCause: m3100Unavailable | perceivedSeverity: MINOR | MO Class Name: OmegaPort",
	}, "\n\n")
	r := sheetExtract(t, text)
	names := func(f func(int) string, n int) []string {
		var out []string
		for i := range n {
			out = append(out, f(i))
		}
		return out
	}
	check := func(what string, got, want []string) {
		t.Helper()
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s = %q, want %q", what, got, want)
		}
	}
	check("parameters", names(func(i int) string { return r.Parameters[i].Name + "/" + r.Parameters[i].Struct }, len(r.Parameters)),
		[]string{"OmegaCell.BarInfo.barId/BarInfo", "ZetaCell.BarInfo.barId/BarInfo"})
	check("counters", names(func(i int) string { return r.Counters[i].Name + "/" + r.Counters[i].Type }, len(r.Counters)),
		[]string{"OmegaCell.pmOmegaDistr$Cause$/PDF", "ZetaCellFDD.pmZetaAttempts/PEG", "ZetaCellTDD.pmZetaAttempts/PEG", "pmBareCount/"})
	check("events", names(func(i int) string {
		e := r.Events[i]
		return e.Name + "/" + e.Kind + "/" + e.ID + "/" + e.Type + "/" + e.MOClass + "/" + e.Severity
	}, len(r.Events)), []string{
		"CuCpZetaStart//4242/CUCP//", "INTERNAL_PROC_ZETA_SETUP//17/UE//",
		"Zeta Link Down/alarm//communicationsAlarm/OmegaPort/MINOR", "Zeta Link Down/alarm//communicationsAlarm/ZetaPort/MAJOR"})
	check("feature states", names(func(i int) string { return r.MainFeatures[i].CXC + "/" + r.MainFeatures[i].Name }, len(r.MainFeatures)),
		[]string{"CXC4019993/", "CXC4019992/Invented Omega Mode", "CXC4019991/Invented Zeta Boost"})
	if r.Counters[1].Event != "INTERNAL_EVENT_ZETA_TRY" || r.Counters[1].Description != "Attempts of zeta." {
		t.Errorf("counter fields lost: %+v", r.Counters[1])
	}
	if len(r.RelatedFeatures)+len(r.ActivationProcedures) != 0 {
		t.Errorf("sheet rows gave related features or procedures: %+v", r)
	}
	if err := Validate(r); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

func TestSheet_cellsDecideUnknownColumns(t *testing.T) {
	r := sheetExtract(t, "Name: pmZetaDrops | MO: ZetaCell\n\nCode: CXC4019994 | Feature Name: Invented Gamma\n")
	if len(r.Counters) != 1 || r.Counters[0].Name != "ZetaCell.pmZetaDrops" {
		t.Errorf("counters = %+v, want ZetaCell.pmZetaDrops from a column named Name", r.Counters)
	}
	if len(r.MainFeatures) != 1 || r.MainFeatures[0].CXC != "CXC4019994" {
		t.Errorf("main features = %+v, want CXC4019994 from a column named Code", r.MainFeatures)
	}
}

func TestSheet_unknownColumnsFallBackToTheRules(t *testing.T) {
	// A sheet chunk without a known row (a notes sheet) is read as a
	// generic document: the patterns still find what it names.
	r := sheetExtract(t, "Topic: tuning | Note: set ZetaCell.fooLevel before pmZetaAttempts is read\n")
	if len(r.Parameters) != 1 || r.Parameters[0].Name != "ZetaCell.fooLevel" {
		t.Errorf("parameters = %+v, want the generic rules' ZetaCell.fooLevel", r.Parameters)
	}
}

func TestSheet_mergesPerDocument(t *testing.T) {
	// The same row in two chunks (a header repeated, a replay) is one item;
	// two rows of one alarm on two MO classes are two.
	m := NewMerger()
	a := sheetExtract(t, "specificProblem: Zeta Link Down | MO Class Name: ZetaPort\n\nMO Class: ZetaCell | Parameter: fooLevel\n")
	b := sheetExtract(t, "specificProblem: Zeta Link Down | MO Class Name: OmegaPort\n\nMO Class: ZetaCell | Parameter: fooLevel | Unit: dB\n")
	m.Add(a)
	m.Add(b)
	r := m.Result()
	if len(r.Events) != 2 || len(r.Parameters) != 1 || r.Parameters[0].Unit != "dB" {
		t.Errorf("merged = %+v", r)
	}
	if err := Validate(r); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

func TestDetectFamily_sheets(t *testing.T) {
	params := "# p.csv\n\n" + strings.Repeat("MO Class Name: ZetaCell | Parameter Name: fooLevel | Data Type: int32\n\n", 6)
	tests := []struct {
		name   string
		format string
		head   string
		want   Family
	}{
		{"parameter csv", "csv", params, FamilySheet},
		{"feature-state csv full of CXC codes", "csv", "FeatureStateId: CXC4019991 | description: Invented Zeta Boost\n\n", FamilySheet},
		{"csv of unknown columns", "csv", "Topic: tuning | Note: set it\n\nTopic: more | Note: again\n", FamilyGeneric},
		{"markdown that is one parameter table", "markdown", "# Params\n\n| MO Class | Parameter |\n|---|---|\n" + strings.Repeat("| ZetaCell | fooLevel |\n", 6), FamilySheet},
		{"feature document with a parameter table", "markdown", "# Zeta Boost\n\nFeature Identity: FAJ 121 9999\n\nThe feature boosts zeta.\nIt needs care.\nRead on.\n\n| MO Class | Parameter |\n|---|---|\n| ZetaCell | fooLevel |\n", FamilyELEX},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DetectFamily(DocInfo{Format: tt.format, Head: tt.head}); got != tt.want {
				t.Errorf("DetectFamily = %q, want %q", got, tt.want)
			}
		})
	}
}
