package output

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/extraction"
)

// jsonText is what item.text read before: the string values of the item's
// JSON, one a line, in any order.
func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case string:
			sb.WriteString(x + "\n")
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(m)
	return sb.String()
}

func TestItemText_namesWhatTheJSONNames(t *testing.T) {
	r := extraction.Result{
		MainFeatures:    []extraction.Feature{{Name: "Carrier Aggregation", FAJ: "FAJ 121 3051", CXC: "CXC4011378"}},
		Parameters:      []extraction.Parameter{{Name: "EUtranCellFDD.qRxLevMin", MOClass: "EUtranCellFDD", Feature: "FAJ 121 3051", Optional: true, IE: "RRCSetup-IEs"}},
		Counters:        []extraction.Counter{{Name: "pmRrcConnEstabSucc", Objects: []string{"NRCellCU", "T300"}}},
		Events:          []extraction.Event{{Name: "INTERNAL_PROC_RRC_SETUP", Feature: "FAJ 121 9999", Severity: "<major> & N310"}},
		RelatedFeatures: []extraction.RelatedFeature{{Name: "Uplink Booster", FAJ: "FAJ 121 4000"}},
		ActivationProcedures: []extraction.Activation{{Kind: "activate", CXC: []string{"CXC 401 1378"},
			Steps: []string{"Set featureState of FeatureState=CXC4011378"}, Cmedit: []string{"cmedit set NRCellDU.ssbFrequency=630000"}}},
	}
	items := itemsOf(r)
	if len(items) != r.Items() {
		t.Fatalf("itemsOf gave %d items, want %d", len(items), r.Items())
	}
	for _, it := range items {
		got, want := identifiers(it.text()), identifiers(jsonText(t, it.v))
		slices.Sort(got)
		slices.Sort(want)
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s: identifiers %v, the JSON's %v", it.cat, got, want)
		}
	}
}
