package extraction

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// testdata/reference holds invented spreadsheets with the headers of the
// real reference exports.

func loadTestReference(t *testing.T) *Reference {
	t.Helper()
	d, err := LoadReference(filepath.Join("testdata", "reference"))
	if err != nil {
		t.Fatalf("LoadReference: %v", err)
	}
	return d
}

func TestLoadReference_readsEachKindByItsHeader(t *testing.T) {
	d := loadTestReference(t)
	for _, tc := range []struct {
		name string
		got  bool
		want bool
	}{
		{"parameter", d.HasParameter("ZetaCellFDD", "boostLevel"), true},
		{"parameter of another class", d.HasParameter("ZetaCellFDD", "skipForVoice"), false},
		{"class", d.HasClass("OrbitProfile"), true},
		{"class of a struct only", d.HasClass("ZetaBoostWindow"), true},
		{"struct member is not an attribute", d.HasParameter("ZetaBoostWindow", "hour"), false},
		{"counter of a class in a slash list", d.HasCounter("ZetaCellTDD", "pmBoostSucc"), true},
		{"counter without class", d.HasCounter("", "pmBoostSucc"), true},
		{"counter of another class", d.HasCounter("OrbitProfile", "pmBoostSucc"), false},
		{"counter listed without class", d.HasCounter("ZetaNode", "pmBoostNodeAtt"), true},
		{"LTE event", d.HasEvent("INTERNAL_PROC_ZETA_BOOST"), true},
		{"NR event", d.HasEvent("CuCpOrbitResume"), true},
		{"unknown event", d.HasEvent("INTERNAL_PROC_ZETA_OTHER"), false},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	classes, params, counters, events := d.Counts()
	if classes != 5 || params != 5 || counters != 2 || events != 4 {
		t.Errorf("Counts() = %d %d %d %d, want 5 5 2 4", classes, params, counters, events)
	}
}

func TestLoadReference_rejectsAFileThatIsNoReference(t *testing.T) {
	_, err := LoadReference(filepath.Join("testdata", "reference", "notes.csv"))
	if !errors.Is(err, ErrUnknownReference) {
		t.Errorf("error = %v, want ErrUnknownReference", err)
	}
	if _, err := LoadReference(filepath.Join("testdata", "reference", "missing.csv")); err == nil {
		t.Error("a missing file loaded without error")
	}
}

func TestDictionary_repairs(t *testing.T) {
	d := loadTestReference(t)
	x := NewExtractor(ExtractorConfig{Dictionary: d})
	for _, tc := range []struct {
		name       string
		text       string
		parameters []string
		counters   []string
		events     []string
	}{
		{"glued class split with a class only the dictionary knows", "See ZetaProfile.skipForVoiceOrbitProfile.skipForVoice here.",
			[]string{"ZetaProfile.skipForVoice", "OrbitProfile.skipForVoice"}, nil, nil},
		{"glued class at the end of a token", "The ZetaCellFDD.boostLevelOrbitProfile list item.",
			[]string{"ZetaCellFDD.boostLevel"}, nil, nil},
		{"footnote digit glued to a counter", "- ZetaCellFDD.pmBoostSucc1\n\n(1) Only in TDD cells.",
			nil, []string{"ZetaCellFDD.pmBoostSucc"}, nil},
		{"trailing digit without a footnote is part of the name", "- ZetaCellFDD.pmBoostSucc2 replaces the old counter.",
			nil, []string{"ZetaCellFDD.pmBoostSucc2"}, nil},
		{"external event in running text", "The S1_ZETA_SETUP_REQUEST event and the S1_OTHER_MESSAGE message.",
			nil, nil, []string{"S1_ZETA_SETUP_REQUEST"}},
		{"event missing its first letter", "| Event | Description |\n|---|---|\n| RC_ZETA_RESUME | Resume. |\n",
			nil, nil, []string{"RRC_ZETA_RESUME"}},
		{"unknown names are kept as written", "ZetaCellFDD.boostNewer and INTERNAL_PROC_ZETA_NEWER.",
			[]string{"ZetaCellFDD.boostNewer"}, nil, []string{"INTERNAL_PROC_ZETA_NEWER"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := x.Extract(ModeFeatureGrouped, Input{Text: tc.text})
			if err != nil {
				t.Fatal(err)
			}
			sameSet(t, "parameters", parameterNames(r), tc.parameters)
			sameSet(t, "counters", counterNames(r), tc.counters)
			sameSet(t, "events", eventNames(r), tc.events)
		})
	}
}

func TestDictionary_isOptional(t *testing.T) {
	in := Input{Text: identityFixture + dependencyFixture + activationFixture}
	for _, m := range Available() {
		plain, err := Extract(m, in)
		if err != nil {
			t.Fatal(err)
		}
		withNone, err := NewExtractor(ExtractorConfig{}).Extract(m, in)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(parameterNames(plain), parameterNames(withNone)) || len(plain.RelatedFeatures) != len(withNone.RelatedFeatures) {
			t.Errorf("%s: Extract and an Extractor without dictionary differ", m)
		}
	}
}

func TestUnknown_listsNamesTheDictionaryLacks(t *testing.T) {
	d := loadTestReference(t)
	r := Result{
		Parameters: []Parameter{{Name: "ZetaCellFDD.boostLevel"}, {Name: "ZetaCellFDD.boostNewer"}},
		Counters:   []Counter{{Name: "ZetaCellTDD.pmBoostSucc"}, {Name: "pmBoostOther"}},
		Events:     []Event{{Name: "CuCpOrbitResume"}, {Name: "CuCpOrbitOther"}},
	}
	var got []string
	for _, p := range Unknown(r, d) {
		got = append(got, p.Category+" "+p.Item)
	}
	sameSet(t, "unknown", got, []string{"parameters ZetaCellFDD.boostNewer", "counters pmBoostOther", "events CuCpOrbitOther"})
}

// TestReference_corpusSpreadsheets loads the real reference spreadsheets of
// the corpus, when present, and checks that every mode still yields valid
// results over the labelled documents with them.
func TestReference_corpusSpreadsheets(t *testing.T) {
	dir := filepath.Join(corpusPath(t), "ericsson", "reference")
	d, err := LoadReference(dir)
	if err != nil {
		t.Skipf("no reference spreadsheets: %v", err)
	}
	classes, params, counters, events := d.Counts()
	t.Logf("reference: %d classes, %d attributes, %d counters, %d events", classes, params, counters, events)
	if classes == 0 || params == 0 || counters == 0 || events == 0 {
		t.Fatalf("reference spreadsheets read nothing of a kind: %d %d %d %d", classes, params, counters, events)
	}
	if !d.HasParameter("FeatureState", "featureState") {
		t.Error("FeatureState.featureState missing from the parameter reference")
	}
	x := NewExtractor(ExtractorConfig{Dictionary: d})
	docs := corpusDocs(t)
	n := 0
	for name, doc := range docs {
		if n++; n > 60 {
			break
		}
		ctx := IdentityContext(doc)
		for i, c := range splitDoc(doc, 4000) {
			for _, m := range Available() {
				if _, err := x.Extract(m, Input{Text: c.text, Headings: c.headings, Context: ctx}); err != nil {
					t.Errorf("%s chunk %d %s: %v", name, i, m, err)
				}
			}
		}
	}
}

func TestReference_readsHeadersAsTheSheetRulesDo(t *testing.T) {
	// Other exports name the same columns differently; the reference reads
	// them with the sheet rules' column matching.
	d := &Reference{params: map[string]map[string]bool{}, counters: map[string]map[string]bool{}, events: map[string]bool{}}
	for _, sheet := range []string{
		"moClass,attribute,type\nZetaCell,fooLevel,int32\n",
		"MO Class,MO Class Name,Struct Name,Parameter Name\nOmegaCell,OmegaCell,BarInfo,barId\n",
		"MO,pmName,Counter Type\nZetaCellFDD/ZetaCellTDD,pmZetaAttempts,PEG\n",
		"Event Name,Event Id\nCuCpZetaStart,4242\n",
	} {
		if err := d.Read(strings.NewReader(sheet)); err != nil {
			t.Fatalf("Read(%q): %v", sheet, err)
		}
	}
	switch {
	case !d.HasParameter("ZetaCell", "fooLevel"):
		t.Error("moClass/attribute columns not read as parameters")
	case !d.HasClass("OmegaCell") || d.HasParameter("OmegaCell", "barId"):
		t.Error("a struct member must make its class known, not an attribute")
	case !d.HasCounter("ZetaCellTDD", "pmZetaAttempts") || !d.HasCounter("", "pmZetaAttempts"):
		t.Error("MO/pmName columns not read as counters of both classes")
	case !d.HasEvent("CuCpZetaStart"):
		t.Error("Event Name column not read as events")
	}
	if err := d.Read(strings.NewReader("Topic,Note\na,b\n")); !errors.Is(err, ErrUnknownReference) {
		t.Errorf("unknown header: err = %v, want ErrUnknownReference", err)
	}
}
