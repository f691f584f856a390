package mdtext_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/mdtext"
)

// The header language the extraction rules read parameters tables by, as
// it was written as a regexp before ParameterHeader.
var parameterHeaderPattern = regexp.MustCompile(`^(?:mo |new |introduced |existing |legacy )?(?:parameters?|attributes?|mo attributes?)(?: name)?$`)

func TestParameterHeader(t *testing.T) {
	for _, in := range []string{"Parameter", "Parameters", "parameter name", "Attribute", "Attributes", "MO Attribute",
		"MO Attributes", "mo attribute name", "New Parameter", "Introduced Attributes", "Existing Parameters", "Legacy Attribute Name",
		"New MO Attribute", "MO  Parameter", "  Parameter  ", "MO Parameter", "mo mo attributes", "Parameters Name", "Param",
		"Parameter Type", "Feature", "Attribute Name Type", "name", "", "MO", "new", "parameterss", "mo parameters name"} {
		want := parameterHeaderPattern.MatchString(strings.ToLower(mdtext.Collapse(in)))
		if got := mdtext.ParameterHeader(in); got != want {
			t.Errorf("ParameterHeader(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestBareAttribute(t *testing.T) {
	for _, tc := range []struct {
		cell, name string
		ok         bool
	}{
		{"dscp", "dscp", true},
		{"boostLevel                 TOOLTIPFLAG", "boostLevel", true},
		{"TOOLTIPFLAG boostLevel", "boostLevel", true},
		{"zetaSettingsId(1)", "zetaSettingsId", true},
		{"a5Threshold2Rsrp", "a5Threshold2Rsrp", true},
		{"x", "", false},
		{"pmBoostSucc", "", false},
		{"pmax", "pmax", true},
		{"ZetaCell.boostLevel", "", false},
		{"ZetaSettingsId", "", false},
		{"boostLevel boostMargin", "", false},
		{"the boostLevel member", "", false},
		{"boost_level", "", false},
		{"boostLevel(a)", "", false},
		{"TOOLTIPFLAG", "", false},
		{"", "", false},
	} {
		name, ok := mdtext.BareAttribute(tc.cell)
		if name != tc.name || ok != tc.ok {
			t.Errorf("BareAttribute(%q) = %q, %v; want %q, %v", tc.cell, name, ok, tc.name, tc.ok)
		}
	}
}

func TestIsMOClassName(t *testing.T) {
	for w, want := range map[string]bool{"QciTable": true, "EUtranCellFDD": true, "RdData": true, "Sector1": true,
		"Naming": false, "Relations": false, "MME": false, "MO": false, "MOs": false, "dscp": false, "Zeta-Cell": false, "": false} {
		if got := mdtext.IsMOClassName(w); got != want {
			t.Errorf("IsMOClassName(%q) = %v, want %v", w, got, want)
		}
	}
}

func TestNamedMOs(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"Table 5   MO OrbitData", []string{"OrbitData"}},
		{"Table 6   MO OrbitData Parameters", []string{"OrbitData"}},
		{"The MO class ZetaCellFDD holds it.", []string{"ZetaCellFDD"}},
		{"The feature introduces parameters in the ZetaSettings MO.", []string{"ZetaSettings"}},
		{"Parameters of the ZetaSettings MO", []string{"ZetaSettings"}},
		{"The ZetaArea managed object holds it.", []string{"ZetaArea"}},
		{"The managed object configuration ZetaProfile has Managed Object (MO) ZetaTable as parent.", []string{"ZetaProfile"}},
		{"ZetaPortion MOs exist as a child to the ZetaCellFDD MO.", []string{"ZetaPortion"}},
		{"The parent MO ZetaFunction holds them. The MO ZetaUnit", []string{"ZetaUnit"}},
		{"The key parameters are in MO ZetaUnit/OrbitUnit.", []string{"ZetaUnit", "OrbitUnit"}},
		{"The MO ZetaUnit and the OrbitUnit MO, and MO ZetaUnit again.", []string{"ZetaUnit", "OrbitUnit"}},
		{"Zeta MO Naming Conventions", nil},
		{"The ZetaUnit and the OrbitUnit MOs are created.", []string{"OrbitUnit", "ZetaUnit"}},
		{"The ZetaUnit, OrbitUnit, and ZetaArea MOs hold it.", []string{"ZetaArea", "OrbitUnit", "ZetaUnit"}},
		{"They live in MO ZetaUnit, OrbitUnit or the ZetaArea.", []string{"ZetaUnit", "OrbitUnit", "ZetaArea"}},
		{"Set the parameters, ZetaUnit MO first.", []string{"ZetaUnit"}},
		{"It ends with OrbitUnit. ZetaUnit MO", []string{"ZetaUnit"}},
		{"Installers enter the data into specific Managed Objects (MOs). Satellite signals", nil},
		{"This MO models the orbit data.", nil},
		{"The ZetaCellFDD.boostLevel attribute and the ZetaArea object", nil},
		{"It ends with ZetaArea. MO values", nil},
	} {
		if got := mdtext.NamedMOs(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("NamedMOs(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
