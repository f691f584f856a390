package output

import (
	"slices"
	"testing"
)

func TestIdentifiers_findsTelecomNames(t *testing.T) {
	for name, tc := range map[string]struct {
		text string
		want []string
	}{
		"faj and cxc spaced":   {"Feature FAJ 121 3051, license CXC 401 1378 and CXC4011482.", []string{"FAJ1213051", "CXC4011378", "CXC4011482"}},
		"mo attribute":         {"Set EUtranCellFDD.pdcchTargetBler to 10.", []string{"EUtranCellFDD.pdcchTargetBler"}},
		"counters and events":  {"pmDlAssigsTrans and INTERNAL_PROC_SOFT_LOCK, CuCpRrcResume", []string{"pmDlAssigsTrans", "INTERNAL_PROC_SOFT_LOCK", "CuCpRrcResume"}},
		"3gpp names":           {"RRCSetup-IEs holds radioBearerConfig; T300 and N310 run; see 38.331.", []string{"RRCSetup-IEs", "radioBearerConfig", "T300", "N310"}},
		"plain words are none": {"The feature, e.g. this one, is LTE-only? Use it. Value 2.5 in Table 3-1.", []string{"LTE-only"}},
		"faj with suffix":      {"FAJ 121 3051/2 and FAJ 801 0400", []string{"FAJ1213051/2", "FAJ8010400"}},
	} {
		t.Run(name, func(t *testing.T) {
			if got := identifiers(tc.text); !slices.Equal(got, tc.want) {
				t.Errorf("identifiers(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestTokenSet_groundsSplitColumnsAndNamingAttributes(t *testing.T) {
	ts := tokenSet{}
	ts.add("| MO class | Attribute |\n|---|---|\n| EUtranCellFDD | pdcchTargetBler |\nFeatureState=CXC4011482, FAJ 121  3051")
	for _, id := range []string{"EUtranCellFDD.pdcchTargetBler", "featureStateId", "CXC4011482", "FAJ1213051"} {
		if !ts.grounds(id) {
			t.Errorf("%s not grounded", id)
		}
	}
	for _, id := range []string{"EUtranCellTDD.pdcchTargetBler", "FAJ1213052", "pmFoo"} {
		if ts.grounds(id) {
			t.Errorf("%s grounded, the text does not name it", id)
		}
	}
}

func TestFirstProse_skipsFragmentsAndJoinsCutSentences(t *testing.T) {
	for name, tc := range map[string]struct{ text, want string }{
		"tail of a cut sentence": {"# Title\n\nThe feature lets the cell\n\nQCI1 bearer. This prevents the interruption of call setup by mobility procedures in the network.\n\nIt is the second paragraph, with enough words to pass the length check.",
			"The feature lets the cell QCI1 bearer. This prevents the interruption of call setup by mobility procedures in the network."},
		"table first": {"| a | b |\n|---|---|\n\nTest Feature adapts the link to the radio conditions of the cell. It lowers the error rate.",
			"Test Feature adapts the link to the radio conditions of the cell. It lowers the error rate."},
		"no prose": {"| a | b |\n\n- item one\n- item two", ""},
	} {
		t.Run(name, func(t *testing.T) {
			if got := firstProse(tc.text); got != tc.want {
				t.Errorf("firstProse = %q, want %q", got, tc.want)
			}
		})
	}
}
