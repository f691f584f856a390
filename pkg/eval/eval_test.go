package eval

import (
	"strings"
	"testing"
)

const predictions = `{"source":"docs/boost.md","extraction":{` +
	`"main_features":[{"faj":"FAJ 121 9901"},{"faj":"FAJ 121  9999"}],` +
	`"parameters":[{"name":"EUtranCellFDD.ulBoostTarget"},{"name":"EUtranCellFDD.invented"},{"name":"ifHCInOctets"}],` +
	`"counters":[{"name":"EUtranCellFDD.pmUlBoostAttempts"}],` +
	`"events":[{"name":"INTERNAL_PROC_UL_BOOST_START"},{"name":"EVENT_PARAM_X"}],` +
	`"related_features":[{"faj":"FAJ 121 9902","relationship":"Prerequisite"},{"faj":"FAJ 121 9903","relationship":"related"},{"faj":"FAJ 121 9901"}],` +
	`"activation_procedures":[{"kind":"activate","cxc":["CXC4019901"]},{"kind":"deactivate","cxc":["CXC4019901"]}]}}
{"source":"other.md","extraction":{}}
`

func TestEvaluate_scoresEachCategoryAndHonoursDontCare(t *testing.T) {
	gold, err := LoadGold("testdata/gold")
	if err != nil {
		t.Fatal(err)
	}
	preds, err := LoadPredictions(strings.NewReader(predictions))
	if err != nil {
		t.Fatal(err)
	}
	rep := Evaluate(gold, preds)
	if rep.Docs != 1 || len(rep.Missing) != 0 {
		t.Fatalf("docs %d, missing %v", rep.Docs, rep.Missing)
	}
	want := map[string][3]int{ // TP, FP, FN
		"main_features":    {1, 0, 0}, // FAJ 121 9999 is dont_care, whitespace normalized
		"parameters":       {1, 1, 1}, // invented is extra, featureState missed, ifHC... dont_care
		"counters":         {1, 0, 0},
		"events":           {1, 1, 0},
		"related_features": {2, 0, 0}, // the document's own FAJ is not counted as related
		"relationship":     {1, 1, 0}, // 9903 is only mentioned: claiming "related" is wrong
		"activation_cxc":   {1, 1, 0},
	}
	for c, w := range want {
		s := rep.Total[c]
		if [3]int{s.TP, s.FP, s.FN} != w {
			t.Errorf("%s: TP/FP/FN = %d/%d/%d, want %v (misses %v, extras %v)", c, s.TP, s.FP, s.FN, w, s.Misses, s.Extras)
		}
	}
	if f1 := rep.Total["parameters"].F1(); f1 < 0.49 || f1 > 0.51 {
		t.Errorf("parameters F1 %.3f, want 0.5", f1)
	}
	if !strings.Contains(rep.Text(true), "missed  FeatureState.featureState") {
		t.Errorf("verbose report does not list the miss:\n%s", rep.Text(true))
	}
}

func TestEvaluate_missingPredictionCountsAsMissed(t *testing.T) {
	gold, err := LoadGold("testdata/gold")
	if err != nil {
		t.Fatal(err)
	}
	rep := Evaluate(gold, map[string]Prediction{})
	if len(rep.Missing) != 1 || rep.Total["parameters"].FN != 2 || rep.Total["parameters"].Recall() != 0 {
		t.Errorf("missing document not scored as missed: %+v", rep.Total["parameters"])
	}
}
