package extraction

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the current rules")

// golden is what a golden file holds: the merged document result of every
// available mode.
type golden map[Mode]Result

// TestGolden_documents runs every available mode over the invented documents
// of testdata/*.md (ELEX shape: identity table, dependencies, parameters,
// performance, activation, change history), chunk by chunk with the document
// identity as context, merges the chunk results and compares them with
// testdata/<name>.golden.json. Run with -update after an intended change and
// read the diff.
func TestGolden_documents(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/*.md: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			got := golden{}
			for _, m := range Available() {
				r := extractDoc(t, m, string(b))
				if err := Validate(r); err != nil {
					t.Errorf("%s: %v", m, err)
				}
				got[m] = r
			}
			out, err := json.MarshalIndent(got, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, '\n')
			path := strings.TrimSuffix(f, ".md") + ".golden.json"
			if *update {
				if err := os.WriteFile(path, out, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGolden -update to create it)", err)
			}
			if !bytes.Equal(out, want) {
				t.Errorf("%s differs from the rules' output; run go test -run TestGolden -update and review the diff:\n%s", path, firstDiff(string(want), string(out)))
			}
		})
	}
}

// firstDiff shows the first differing line of two texts, with context.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + itoa(i+1) + "\n  want: " + a + "\n  got:  " + b
		}
	}
	return ""
}

func itoa(n int) string {
	var b []byte
	for ; n > 0 || len(b) == 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// TestGolden_expectations pins down, independently of the golden files, what
// a reader of the fixtures expects from feature_grouped mode.
func TestGolden_expectations(t *testing.T) {
	read := func(name string) Result {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return extractDoc(t, ModeFeatureGrouped, string(b))
	}
	t.Run("zeta_boost.md", func(t *testing.T) {
		r := read("zeta_boost.md")
		sameMap(t, "relationships", relationships(r), map[string]string{
			"FAJ 121 9902": "prerequisite", "FAJ 121 9903": "conflicting", "FAJ 121 9904": "related",
			"FAJ 121 9905": "", "FAJ 121 9906": "related",
		})
		sameMap(t, "roles", roles(r), map[string]string{
			"ZetaCellFDD.boostLevel": "introduced", "ZetaCellTDD.boostLevel": "introduced",
			"ZetaCellFDD.boostThreshold": "introduced", "ZetaCellTDD.boostThreshold": "introduced",
			"AlphaProfile.serviceType": "affecting", "ZetaCellFDD.noOfUplinkUsers": "affected",
			"ZetaCellFDD.administrativeState": "", "FeatureState.featureState": "",
			"ZetaCellFDD.boostWindow": "", "ZetaCellTDD.boostWindow": "", "ZetaFunction.quadBoostEnabled": "",
		})
		sameSet(t, "counters", counterNames(r), []string{"ZetaCellFDD.pmBoostAtt", "ZetaCellFDD.pmBoostSucc", "ZetaCellTDD.pmBoostAtt", "pmBoostNodeDistr"})
		sameSet(t, "events", eventNames(r), []string{"INTERNAL_PROC_ZETA_BOOST", "INTERNAL_PER_ZETA_CELL_LOAD", "INTERNAL_EVENT_ZETA_STARTED", "INTERNAL_EVENT_ZETA_STOPPED"})
		if len(r.MainFeatures) != 1 || r.MainFeatures[0].FAJ != "FAJ 121 9901" {
			t.Errorf("main = %+v", r.MainFeatures)
		}
		for _, a := range r.ActivationProcedures {
			if a.Feature != "FAJ 121 9901" {
				t.Errorf("%s procedure attributed to %q", a.Kind, a.Feature)
			}
		}
	})
	t.Run("orbit_link.md", func(t *testing.T) {
		r := read("orbit_link.md")
		sameMap(t, "relationships", relationships(r), map[string]string{"FAJ 121 8802": "prerequisite", "FAJ 121 8803": "conflicting", "FAJ 121 8804": "related"})
		if len(r.MainFeatures) != 2 {
			t.Errorf("main = %+v, want the two columns of the identity table", r.MainFeatures)
		}
		for _, p := range r.Parameters {
			if p.Name == "OrbitCellCU.mobilityMode" && p.Feature != "FAJ 121 8805" {
				t.Errorf("%s attributed to %q, want the Mid-Band feature its section names", p.Name, p.Feature)
			}
		}
		var cmds []string
		for _, a := range r.ActivationProcedures {
			cmds = append(cmds, a.Cmedit...)
		}
		sameSet(t, "commands", cmds, []string{
			"cmedit set * OptionalFeatureLicense.(optionalFeatureLicenseId==OrbitLink) featureState=ACTIVATED",
			"cmedit set * FeatureState.(featureStateId==CXC4018801) featureState=ACTIVATED",
			"cmedit set * OrbitCellDU linkMode=DUAL_CARRIER",
			"cmedit get OrbitNode01 OrbitFunction.(orbitFunctionId==1,linkSupervision) -t",
		})
		sameSet(t, "events", eventNames(r), []string{"CuCpOrbitLinkSetup", "DuOrbitLinkReport"})
	})
}
