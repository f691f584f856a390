package extraction

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

func commandsOf(settings []setting) []string {
	var out []string
	for _, s := range settings {
		out = append(out, s.command())
	}
	return out
}

func TestStepSettings_commands(t *testing.T) {
	for _, tc := range []struct {
		name string
		step string
		want []string
	}{
		{"feature state instance", "Set the FeatureState.featureState attribute to ACTIVATED in the FeatureState=CXC4019901 MO instance.",
			[]string{"cmedit set * FeatureState.(featureStateId==CXC4019901) featureState=ACTIVATED"}},
		{"bare attribute, class from the instance", "Set the attribute featureState to DEACTIVATED in the FeatureState=CXC4019901 MO instance.",
			[]string{"cmedit set * FeatureState.(featureStateId==CXC4019901) featureState=DEACTIVATED"}},
		{"spaced CXC code", "Set the featureState attribute to ACTIVATED in the FeatureState=CXC 401 9901 MO instance on the Baseband Radio Node.",
			[]string{"cmedit set * FeatureState.(featureStateId==CXC4019901) featureState=ACTIVATED"}},
		{"all instances of a class", "Set the ZetaCellDU.administrativeState attribute to LOCKED.",
			[]string{"cmedit set * ZetaCellDU administrativeState=LOCKED"}},
		{"all instances, said so", "Set the ZetaCellDU.boostEnabled attribute to false in all ZetaCellDU MO instances in the gNodeB.",
			[]string{"cmedit set * ZetaCellDU boostEnabled=false"}},
		{"value of", "Set the value of the ZetaCellFDD.boostLevel attribute to 4.",
			[]string{"cmedit set * ZetaCellFDD boostLevel=4"}},
		{"negative number", "Set the ZetaProfile.boostMax attribute to -1.",
			[]string{"cmedit set * ZetaProfile boostMax=-1"}},
		{"enumeration with underscores (escaped)", `Set the ZetaFunction.boostMode attribute to AUTO\_CONTROL\_2.`,
			[]string{"cmedit set * ZetaFunction boostMode=AUTO_CONTROL_2"}},
		{"two attributes of one class", "Set the value of the ZetaCellFDD.dlBoost and the ZetaCellFDD.ulBoost attributes to 10000.",
			[]string{"cmedit set * ZetaCellFDD dlBoost=10000,ulBoost=10000"}},
		{"two classes", "Set the ZetaCellFDD.boostEnabled and ZetaCellTDD.boostEnabled attributes to true.",
			[]string{"cmedit set * ZetaCellFDD boostEnabled=true", "cmedit set * ZetaCellTDD boostEnabled=true"}},
		{"a note after the step", "Set the ZetaCellDU.boostEnabled attribute to true. Note: The change takes effect at the next SIB1 transmission.",
			[]string{"cmedit set * ZetaCellDU boostEnabled=true"}},
		{"purpose clause", "Set the ZetaFunction.boostActive attribute to true to activate the feature.",
			[]string{"cmedit set * ZetaFunction boostActive=true"}},
		{"optional step", "Optional: Set the ZetaCellDU.administrativeState attribute to UNLOCKED.",
			[]string{"cmedit set * ZetaCellDU administrativeState=UNLOCKED"}},
		{"listed values", "Set the following MO attributes to the mandatory values: ZetaComp.reducedFormat = ENABLED ZetaComp.compression = R13_ZETA ZetaQci.snLength = 16",
			[]string{"cmedit set * ZetaComp reducedFormat=ENABLED,compression=R13_ZETA", "cmedit set * ZetaQci snLength=16"}},
		{"license MO by node type", "Set the featureState attribute to ACTIVATED in the applicable MO instance, depending on the node type: Node Type License Control MO DU Radio Node OptionalFeatureLicense=ZetaBoost Baseband Radio Node FeatureState=CXC4019901",
			[]string{"cmedit set * OptionalFeatureLicense.(optionalFeatureLicenseId==ZetaBoost) featureState=ACTIVATED", "cmedit set * FeatureState.(featureStateId==CXC4019901) featureState=ACTIVATED"}},
		{"license MO of each standard", "Set the attribute featureState to DEACTIVATED for the required CXC instance of each standard: Option Description LTE FeatureState=CXC4019911 WCDMA FeatureState=CXC4019912",
			[]string{"cmedit set * FeatureState.(featureStateId==CXC4019911) featureState=DEACTIVATED", "cmedit set * FeatureState.(featureStateId==CXC4019912) featureState=DEACTIVATED"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := commandsOf(stepSettings(tc.step)); !slices.Equal(got, tc.want) {
				t.Errorf("commands = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestStepSettings_noCommandWithoutMOAttributeAndValue lists steps that do not
// state the MO, the attribute and one value, or that narrow the instances
// meant: none may yield a command.
func TestStepSettings_noCommandWithoutMOAttributeAndValue(t *testing.T) {
	for _, tc := range []struct{ name, step string }{
		{"no value", "Set the ZetaCellDU.boostLevel attribute."},
		{"value left open", "Set the ZetaCellDU.boostLevel attribute to the desired value."},
		{"value described, not stated", "Set the ZetaCellDU.boostLevel attribute to a value other than 0."},
		{"default value", "Set the ZetaCellDU.boostLevel attribute to the default value."},
		{"no MO class", "Set the boostLevel attribute to 4."},
		{"no MO class, purpose clause", "Set the value of the boostActive attribute to true to enable the feature."},
		{"no attribute", "Lock the cell."},
		{"alternatives", "Set the ZetaCellFDD.boostEnabled or the ZetaCellTDD.boostEnabled attribute to true."},
		{"value alternatives", "Set the ZetaCellTDD.bandwidth attribute to 20000 kHz or to 10000 kHz."},
		{"open range", "Set the ZetaCellDU.boostPeriod attribute to 40 or higher."},
		{"some instances only", "Set the ZetaCellRelation.isBoostAllowed attribute to false for each relation for which a boost must be prevented."},
		{"restriction in a later sentence", "Set the ZetaProfileUeCfg.boostAllowed attribute to true. This step must be performed only for the profiles that a cell refers to."},
		{"struct member", "Set the qci member of the ZetaProfile.triggerList attribute to 1."},
		{"attribute of another class than the instance", "Set the ZetaCellDU.boostLevel attribute to 4 in the FeatureState=CXC4019901 MO instance."},
		{"reference value", "Set the ZetaCellDU.boostRef attribute to ZetaBoost=1,ZetaProfile=Default."},
		{"instance named in prose", "Set the value of the administrativeState attribute of the ZetaClockReference MO instance to UNLOCKED."},
		{"applicable MO but no instance listed", "Set the attribute featureState to ACTIVATED for the required CXC instance of each standard."},
		{"counter is not settable", "Set the ZetaCellDU.pmBoostSucc attribute to 0."},
		{"not a setting step", "Check that the ZetaCellDU.operationalState attribute is ENABLED."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := commandsOf(stepSettings(tc.step)); len(got) != 0 {
				t.Errorf("commands = %q, want none", got)
			}
		})
	}
}

func TestCmedit_commandsGoToTheirProcedure(t *testing.T) {
	in := Input{Text: activationFixture}
	if b := extractMode(t, ModeBasic, in); slices.ContainsFunc(b.ActivationProcedures, func(a Activation) bool { return len(a.Cmedit) > 0 }) {
		t.Errorf("basic mode made commands: %+v", b.ActivationProcedures)
	}
	r := extractMode(t, ModeCmedit, in)
	want := map[string][]string{
		"activate":   {"cmedit set * FeatureState.(featureStateId==CXC4019901) featureState=ACTIVATED", "cmedit set * ZetaCellFDD boostLevel=4"},
		"deactivate": {"cmedit set * FeatureState.(featureStateId==CXC4019901) featureState=DEACTIVATED"},
	}
	if len(r.ActivationProcedures) != 2 {
		t.Fatalf("procedures = %+v, want an activate and a deactivate", r.ActivationProcedures)
	}
	for _, a := range r.ActivationProcedures {
		if !slices.Equal(a.Cmedit, want[a.Kind]) {
			t.Errorf("%s commands = %q, want %q", a.Kind, a.Cmedit, want[a.Kind])
		}
		if len(a.Steps) == 0 || !slices.Equal(a.CXC, []string{"CXC4019901"}) {
			t.Errorf("%s procedure lost its steps or CXC code: %+v", a.Kind, a)
		}
	}
}

func TestCmedit_noCommandForAStepWithoutValue(t *testing.T) {
	text := "# 7 Activate Zeta Boost\n\nSteps\n\n1. Set the FeatureState.featureState attribute in the FeatureState=CXC4019901 MO instance.\n2. Set the ZetaCellFDD.boostLevel attribute to the preferred value.\n"
	r := extractMode(t, ModeCmedit, Input{Text: text})
	if len(r.ActivationProcedures) != 1 || len(r.ActivationProcedures[0].Steps) != 2 {
		t.Fatalf("procedures = %+v, want one with two steps", r.ActivationProcedures)
	}
	if cmds := r.ActivationProcedures[0].Cmedit; len(cmds) != 0 {
		t.Errorf("commands = %q, want none: no step states a value", cmds)
	}
}

func TestCmedit_headinglessActivationLine(t *testing.T) {
	r := extractMode(t, ModeCmedit, Input{Text: "1. Set FeatureState.featureState to DEACTIVATED in the FeatureState=CXC4019902 MO instance."})
	if len(r.ActivationProcedures) != 1 || r.ActivationProcedures[0].Kind != "deactivate" ||
		!slices.Equal(r.ActivationProcedures[0].Cmedit, []string{"cmedit set * FeatureState.(featureStateId==CXC4019902) featureState=DEACTIVATED"}) {
		t.Errorf("procedures = %+v", r.ActivationProcedures)
	}
}

func TestCmedit_textCommands(t *testing.T) {
	for _, tc := range []struct {
		name string
		line string
		want []string
	}{
		{"command at the end of a step", "1. Check the link with: cmedit get ZetaNode01 ZetaLink.(zetaLinkId==1,linkState) -t", []string{"cmedit get ZetaNode01 ZetaLink.(zetaLinkId==1,linkState) -t"}},
		{"command followed by prose", "Run cmedit set ZetaNode01 ZetaFunction=1 boostActive=true If the node answers, continue.", []string{"cmedit set ZetaNode01 ZetaFunction=1 boostActive=true"}},
		{"quoted command with a quoted value", "Use 'cmedit set ZetaNode01 ZetaLink=1 label=\"a b\"' here.", []string{`cmedit set ZetaNode01 ZetaLink=1 label="a b"`}},
		{"two commands on a line", "cmedit set ZetaNode01 ZetaPm=1 pmEnabled=false cmedit get ZetaNode01 ZetaPm.pmEnabled", []string{"cmedit set ZetaNode01 ZetaPm=1 pmEnabled=false", "cmedit get ZetaNode01 ZetaPm.pmEnabled"}},
		{"escaped markdown", `cmedit set ZetaNode\_01 ZetaPm=1 pmEnabled=false`, []string{"cmedit set ZetaNode_01 ZetaPm=1 pmEnabled=false"}},
		{"template with a placeholder", "cmedit get NetworkElement=&lt;node name&gt;,ZetaSupervision=1", nil},
		{"template with a variable", "cmedit set NetworkElement=%NODENAME%,ZetaPm=1 pmEnabled=true", nil},
		{"no command", "The cmedit tool is described elsewhere.", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := textCommands(tc.line); !slices.Equal(got, tc.want) {
				t.Errorf("textCommands = %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("a written command joins its procedure", func(t *testing.T) {
		text := "# 7 Activate Zeta Boost\n\nSteps\n\n1. Activate the feature: cmedit set ZetaNode01 FeatureState.(featureStateId==CXC4019901) featureState=ACTIVATED --force\n"
		r := extractMode(t, ModeCmedit, Input{Text: text})
		if len(r.ActivationProcedures) != 1 || !slices.Contains(r.ActivationProcedures[0].Cmedit, "cmedit set ZetaNode01 FeatureState.(featureStateId==CXC4019901) featureState=ACTIVATED --force") {
			t.Errorf("procedures = %+v", r.ActivationProcedures)
		}
	})
}

func TestCmedit_attributeAtMOPath(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"attribute named before the instance", "Set the attribute featureState to ACTIVATED in the FeatureState=CXC4019901 MO instance.", []string{"FeatureState.featureState"}},
		{"attribute named after", "The featureState attribute of the FeatureState=CXC4019901 MO shows the state.", []string{"FeatureState.featureState"}},
		{"sentence words are not attributes", "See the attribute list in the FeatureState=CXC4019901 MO.", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := extractMode(t, ModeCmedit, Input{Text: tc.text})
			sameSet(t, "parameters", parameterNames(r), tc.want)
			if b := extractMode(t, ModeBasic, Input{Text: tc.text}); len(b.Parameters) != 0 && tc.want != nil && !strings.Contains(tc.text, tc.want[0]) {
				t.Errorf("basic made %v from a path", parameterNames(b))
			}
		})
	}
}

// cmeditSyntax is the ENM CLI grammar generated commands follow
// (corpus/ericsson/reference/cmedit.txt): scope, MO class with an optional
// (namingAttribute==id) filter, comma-separated attribute=value pairs.
var cmeditSyntax = regexp.MustCompile(`^cmedit set \* [A-Z][A-Za-z0-9]*(?:\.\([a-z][A-Za-z0-9]*Id==[A-Za-z0-9_-]+\))? [a-z][A-Za-z0-9]*=[^\s,=<>%]+(?:,[a-z][A-Za-z0-9]*=[^\s,=<>%]+)*$`)

func TestCmedit_generatedCommandsFollowTheSyntax(t *testing.T) {
	for _, step := range []string{
		"Set the FeatureState.featureState attribute to ACTIVATED in the FeatureState=CXC4019901 MO instance.",
		"Set the value of the ZetaCellFDD.dlBoost and the ZetaCellFDD.ulBoost attributes to 10000.",
		"Set the featureState attribute to ACTIVATED in the applicable MO instance, depending on the node type: OptionalFeatureLicense=ZetaBoost FeatureState=CXC4019901",
	} {
		for _, cmd := range commandsOf(stepSettings(step)) {
			if !cmeditSyntax.MatchString(cmd) {
				t.Errorf("%q does not follow the cmedit set syntax", cmd)
			}
		}
	}
}

func TestNamingAttribute(t *testing.T) {
	for cls, want := range map[string]string{"FeatureState": "featureStateId", "NRCellDU": "nRCellDUId", "OptionalFeatureLicense": "optionalFeatureLicenseId"} {
		if got := namingAttribute(cls); got != want {
			t.Errorf("namingAttribute(%s) = %s, want %s", cls, got, want)
		}
	}
}
