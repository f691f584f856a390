package output

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/results"
)

// corpusDoc is a fixture document: its record and its chunks.
type corpusDoc struct {
	rec    results.DocRecord
	chunks []results.ChunkRecord
}

func fixtureDoc(id, source string, fam extraction.Family, identity []extraction.Feature, chunks ...results.ChunkRecord) corpusDoc {
	d := corpusDoc{}
	for i := range chunks {
		c := &chunks[i]
		c.DocID, c.Source, c.Family, c.Index, c.Total = id, source, fam, i, len(chunks)
		c.ChunkID = fmt.Sprintf("%s-%04d", strings.TrimPrefix(id, "sha256:"), i)
		c.Mode, c.ModesTried, c.Quality = extraction.ModeFeatureGrouped, []extraction.Mode{extraction.ModeFeatureGrouped}, 0.9
		d.rec.Add(*c)
	}
	d.rec.DocID, d.rec.Source, d.rec.Family = id, source, fam
	d.rec.Extraction = extraction.Result{MainFeatures: identity}
	d.chunks = chunks
	return d
}

func chunkOf(headings []string, text string, r extraction.Result) results.ChunkRecord {
	return results.ChunkRecord{Headings: headings, Text: text, Result: r}
}

// elexFixture is a feature document written for the tests (no vendor
// material): identity table, overview, parameters (attributed to the
// feature, which the chunk does not name), counters and events, one counter
// the text never names, dependencies, activation, and a table too long for
// one example.
func elexFixture(n int) corpusDoc {
	faj := fmt.Sprintf("FAJ 121 90%02d", n)
	cxc := fmt.Sprintf("CXC40190%02d", n)
	name := fmt.Sprintf("Test Link Feature %d", n)
	f := extraction.Feature{Name: name, FAJ: faj, ValuePackage: "Test Package", CXC: cxc, AccessType: "LTE"}
	param := fmt.Sprintf("EUtranCellFDD.testAlpha%d", n)
	var rows strings.Builder
	rows.WriteString("| MO Class | Attribute | Role |\n|---|---|---|\n")
	var long []extraction.Parameter
	for i := range 400 {
		attr := fmt.Sprintf("longTableAttribute%dx%d", n, i)
		fmt.Fprintf(&rows, "| TestCell | %s | affected by the feature in a long table row %d |\n", attr, i)
		long = append(long, extraction.Parameter{Name: "TestCell." + attr, MOClass: "TestCell", Attribute: attr, Role: "affected", Feature: faj})
	}
	return fixtureDoc(fmt.Sprintf("sha256:e%03d", n), fmt.Sprintf("feature-%d.md", n), extraction.FamilyELEX, []extraction.Feature{f},
		chunkOf([]string{name}, fmt.Sprintf("| Feature Name | %s |\n|---|---|\n| Feature Identity | %s |\n| Value Package | Test Package |\n| Access Type | LTE |\n| Licensing | %s |", name, faj, cxc),
			extraction.Result{MainFeatures: []extraction.Feature{f}}),
		chunkOf([]string{name, "Overview"}, fmt.Sprintf("%s adapts the link to the radio conditions of cell %d. It lowers the error rate of the control channel when the load is high.", name, n), extraction.Result{}),
		chunkOf([]string{name, "Parameters"}, fmt.Sprintf("| Parameter | Role |\n|---|---|\n| %s | introduced |\n| EUtranCellFDD.sharedBeta | affected |", param),
			extraction.Result{Parameters: []extraction.Parameter{
				{Name: param, MOClass: "EUtranCellFDD", Attribute: fmt.Sprintf("testAlpha%d", n), Role: "introduced", Feature: faj},
				{Name: "EUtranCellFDD.sharedBeta", MOClass: "EUtranCellFDD", Attribute: "sharedBeta", Role: "affected", Feature: faj},
			}}),
		chunkOf([]string{name, "Performance"}, fmt.Sprintf("The counter EUtranCellFDD.pmTestAttempts%d counts attempts; the event INTERNAL_PROC_TEST_%d reports them.", n, n),
			extraction.Result{
				Counters: []extraction.Counter{{Name: fmt.Sprintf("EUtranCellFDD.pmTestAttempts%d", n), MOClass: "EUtranCellFDD", Feature: faj},
					{Name: "EUtranCellFDD.pmInventedByRules", MOClass: "EUtranCellFDD", Feature: faj}},
				Events: []extraction.Event{{Name: fmt.Sprintf("INTERNAL_PROC_TEST_%d", n), Feature: faj}},
			}),
		chunkOf([]string{name, "Dependencies"}, "| Feature | Relationship |\n|---|---|\n| Base Test Feature (FAJ 121 8000) | Prerequisite |",
			extraction.Result{RelatedFeatures: []extraction.RelatedFeature{{Name: "Base Test Feature", FAJ: "FAJ 121 8000", Relationship: "prerequisite"}}}),
		chunkOf([]string{name, "Activate the Feature"}, fmt.Sprintf("1. Set the FeatureState.featureState attribute to ACTIVATED in the FeatureState=%s MO instance.", cxc),
			extraction.Result{ActivationProcedures: []extraction.Activation{{Kind: "activate", Feature: faj, CXC: []string{cxc},
				Steps:  []string{fmt.Sprintf("Set the FeatureState.featureState attribute to ACTIVATED in the FeatureState=%s MO instance.", cxc)},
				Cmedit: []string{fmt.Sprintf("cmedit set * FeatureState.(featureStateId==%s) featureState=ACTIVATED", cxc)}}}}),
		chunkOf([]string{name, "Parameters", "Affected"}, rows.String(), extraction.Result{Parameters: long}),
	)
}

// specFixture is a specification written for the tests: IE, timer and
// measurement event.
func specFixture(n int) corpusDoc {
	spec := fmt.Sprintf("99.%03d", n)
	ie := fmt.Sprintf("TestSetup%d-IEs", n)
	return fixtureDoc(fmt.Sprintf("sha256:3%03d", n), fmt.Sprintf("99%03d-i00.docx", n), extraction.Family3GPP, nil,
		chunkOf([]string{"Cover"}, fmt.Sprintf("3GPP TS %s V18.0.0 Test protocol specification %d (Release 18)", spec, n),
			extraction.Result{MainFeatures: []extraction.Feature{{Kind: extraction.KindSpecification, Spec: spec, Name: fmt.Sprintf("Test protocol specification %d", n), Version: "18.0.0", Release: "18"}}}),
		chunkOf([]string{"6.2 Messages"}, fmt.Sprintf("%s ::= SEQUENCE {\n    testBearerConfig%d    TestBearerConfig    OPTIONAL, -- Need M\n    testCount    INTEGER (0..15)\n}", ie, n),
			extraction.Result{Parameters: []extraction.Parameter{
				{Name: ie, Kind: extraction.KindIE, Type: "SEQUENCE"},
				{Name: ie + fmt.Sprintf(".testBearerConfig%d", n), Kind: extraction.KindField, IE: ie, Type: "TestBearerConfig", Optional: true, Need: "Need M"},
				{Name: ie + ".testCount", Kind: extraction.KindField, IE: ie, Type: "INTEGER", Range: "INTEGER (0..15)"},
			}}),
		chunkOf([]string{"7.1 Timers"}, fmt.Sprintf("| Timer | Start | Stop | At expiry |\n|---|---|---|---|\n| T9%02d | Transmission of the test request | Reception of the test response | Perform the test failure actions |", n),
			extraction.Result{Parameters: []extraction.Parameter{{Name: fmt.Sprintf("T9%02d", n), Kind: extraction.KindTimer,
				Start: "Transmission of the test request", Stop: "Reception of the test response", Expiry: "Perform the test failure actions"}}}),
		chunkOf([]string{"5.5.4.4 Event A3 (Neighbour becomes offset better than SpCell)"}, "Inequality A3-1 (Entering condition): Mn + Ofn > Mp + Off\nInequality A3-2 (Leaving condition): Mn + Ofn < Mp - Off",
			extraction.Result{Events: []extraction.Event{{Name: "Event A3", Kind: extraction.KindMeasurementEvent, Title: "Neighbour becomes offset better than SpCell",
				Entering: "Mn + Ofn > Mp + Off", Leaving: "Mn + Ofn < Mp - Off"}}}),
	)
}

func writeFixtures(t *testing.T, dir string, cfg DatasetConfig, docs ...corpusDoc) Report {
	t.Helper()
	byID := map[string]corpusDoc{}
	var in Input
	for _, d := range docs {
		byID[d.rec.DocID] = d
		in.Docs = append(in.Docs, d.rec)
	}
	in.EachChunk = func(d results.DocRecord, fn func(results.ChunkRecord) error) error {
		for _, c := range byID[d.DocID].chunks {
			if err := fn(c); err != nil {
				return err
			}
		}
		return nil
	}
	in.Dataset = cfg
	rep, err := Write(dir, in)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func fixtures() []corpusDoc {
	var docs []corpusDoc
	for n := range 8 {
		docs = append(docs, elexFixture(n))
	}
	for n := range 4 {
		docs = append(docs, specFixture(n))
	}
	return docs
}

// The acceptance check of the dataset contract: MLX-LM chat lines with
// metadata, every answer identifier grounded in the user turn or the cited
// chunks, no document in two splits, every kind present, no opening above
// 20 %, examples within the token cap.
func TestDataset_acceptance(t *testing.T) {
	dir := t.TempDir()
	cfg := DatasetConfig{MaxExampleTokens: 1024}
	rep := writeFixtures(t, dir, cfg, fixtures()...)
	check, err := CheckDataset(filepath.Join(dir, "dataset"), filepath.Join(dir, "chunks.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + check.Text())
	if !check.OK() {
		t.Errorf("check fails:\n%s", check.Text())
	}
	if check.Identifiers == 0 || check.Grounded != check.Identifiers {
		t.Errorf("%d of %d identifiers grounded", check.Grounded, check.Identifiers)
	}
	for _, k := range []string{KindExtraction, KindFeatureIdentity, KindFeatureParameters, KindFeatureObserve, KindFeatureDepends,
		KindFeatureActivation, KindItemFeature, KindSpecIdentity, KindIEContents, KindTimer, KindMeasurementTrigger} {
		if check.Kinds[k] == 0 {
			t.Errorf("no %s example", k)
		}
	}
	if check.Tokens.Max > cfg.MaxExampleTokens {
		t.Errorf("longest example %d tokens, cap %d", check.Tokens.Max, cfg.MaxExampleTokens)
	}
	ds := rep.Dataset
	if ds.SplitChunks == 0 || ds.SplitParts < 2 || ds.OverCap != 0 {
		t.Errorf("long table not split into examples: %+v", ds)
	}
	if ds.Ungrounded == 0 {
		t.Error("the counter no text names reached the set (or was not counted)")
	}
	all := readAll(t, filepath.Join(dir, "dataset"))
	if strings.Contains(all, "pmInventedByRules") {
		t.Error("an answer names pmInventedByRules, which no input shows")
	}
	// Every part of the split table repeats its header row.
	parts := 0
	for _, ex := range allExamples(t, filepath.Join(dir, "dataset")) {
		user := ex.Messages[1].Content
		if ex.Metadata.Kind == KindExtraction && strings.Contains(user, "longTableAttribute") {
			parts++
			if !strings.Contains(user, "| MO Class | Attribute | Role |") || !strings.Contains(user, "part ") {
				t.Errorf("a part of the long table lacks its header or part label:\n%.300s", user)
			}
		}
		// An extraction answer attributing items to the feature shows it.
		if ex.Metadata.Kind == KindExtraction && strings.Contains(ex.Messages[2].Content, `"feature":"FAJ 121 90`) &&
			!strings.Contains(user, "Document feature:") && !strings.Contains(user, "Feature Identity") {
			t.Errorf("answer attributes items to a feature its input does not show:\n%s", user)
		}
	}
	if parts < 2 {
		t.Errorf("%d examples hold parts of the long table, want several", parts)
	}
}

// The same input and seed give byte-identical files; another seed another
// split.
func TestDataset_deterministic(t *testing.T) {
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	writeFixtures(t, a, DatasetConfig{}, fixtures()...)
	writeFixtures(t, b, DatasetConfig{}, fixtures()...)
	writeFixtures(t, c, DatasetConfig{Seed: "other"}, fixtures()...)
	same := true
	for _, split := range []string{"train", "valid", "test"} {
		x, _ := os.ReadFile(filepath.Join(a, "dataset", split+".jsonl"))
		y, _ := os.ReadFile(filepath.Join(b, "dataset", split+".jsonl"))
		z, _ := os.ReadFile(filepath.Join(c, "dataset", split+".jsonl"))
		if string(x) != string(y) || len(x) == 0 {
			t.Errorf("%s.jsonl differs between two runs of the same input (or is empty)", split)
		}
		same = same && string(x) == string(z)
	}
	if same {
		t.Error("another --dataset-seed gave the same files")
	}
}

// Fewer than three documents: valid and test are empty, and the report says
// why.
func TestDataset_fewDocumentsSaySo(t *testing.T) {
	dir := t.TempDir()
	rep := writeFixtures(t, dir, DatasetConfig{}, elexFixture(0), elexFixture(1))
	if rep.Dataset.Valid != 0 || rep.Dataset.Test != 0 || rep.Dataset.Note == "" {
		t.Errorf("two documents: %+v", rep.Dataset)
	}
	if !strings.Contains(rep.Text(), "fewer than 3") {
		t.Error("report.txt does not say why valid is empty")
	}
	dir = t.TempDir()
	rep = writeFixtures(t, dir, DatasetConfig{}, elexFixture(0), elexFixture(1), specFixture(0))
	if rep.Dataset.Train == 0 || rep.Dataset.Valid == 0 || rep.Dataset.Test == 0 {
		t.Errorf("three documents, an empty split: %+v", rep.Dataset)
	}
}

func allExamples(t *testing.T, dir string) []Example {
	var out []Example
	for _, split := range []string{"train", "valid", "test"} {
		out = append(out, lines(t, filepath.Join(dir, split+".jsonl"))...)
	}
	return out
}

func readAll(t *testing.T, dir string) string {
	var b strings.Builder
	for _, split := range []string{"train", "valid", "test"} {
		x, err := os.ReadFile(filepath.Join(dir, split+".jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		b.Write(x)
	}
	return b.String()
}
