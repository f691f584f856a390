package app_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/ranstream/ranstream/pkg/app"
	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/output"
	"github.com/ranstream/ranstream/pkg/pipeline"
	"github.com/ranstream/ranstream/pkg/sizing"
)

func readJSONL[T any](t *testing.T, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, v)
	}
	return out
}

func testConfig(t *testing.T, dataDir string) pipeline.Config {
	cfg := pipeline.Defaults()
	cfg.NATS.DataDir = dataDir
	cfg.Topology.AckWait = 10 * time.Second
	cfg.Resources = &sizing.Resources{Cores: 2, TotalRAM: 8 << 30, AvailableRAM: 6 << 30}
	return cfg
}

func process(t *testing.T, cfg pipeline.Config, out string, paths ...string) output.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := app.Process(ctx, app.ProcessConfig{Pipeline: cfg, Out: out, Paths: paths}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatalf("process: %v", err)
	}
	return rep
}

func TestProcess_endToEnd(t *testing.T) {
	data, out := t.TempDir(), t.TempDir()
	rep := process(t, testConfig(t, data), out, "testdata/docs")

	docs := readJSONL[output.ExtractionLine](t, filepath.Join(out, "extractions.jsonl"))
	bySource := map[string]output.ExtractionLine{}
	for _, d := range docs {
		bySource[d.Source] = d
	}
	// The copy of uplink-boost.md has the same bytes: one document, first name.
	if len(docs) != 4 {
		t.Fatalf("got %d documents %v, want 4 (uplink boost once, sleep mode, notes, legacy)", len(docs), keys(bySource))
	}
	up, ok := bySource["nested/uplink-boost-copy.md"]
	if !ok {
		t.Fatalf("uplink boost missing: %v", keys(bySource))
	}
	if up.Format != "markdown" || !up.Complete || up.Mode == "" || len(up.ModesTried) == 0 || up.Quality <= 0 || up.Quality > 1 {
		t.Errorf("uplink boost record: %+v", up)
	}
	x := up.Extraction
	if !slices.ContainsFunc(x.MainFeatures, func(f extractionFeature) bool { return f.FAJ == "FAJ 121 9901" }) {
		t.Errorf("main feature FAJ 121 9901 missing: %+v", x.MainFeatures)
	}
	params := namesOf(x.Parameters, func(p extractionParameter) string { return p.Name })
	counters := namesOf(x.Counters, func(c extractionCounter) string { return c.Name })
	events := namesOf(x.Events, func(e extractionEvent) string { return e.Name })
	for _, want := range []string{"EUtranCellFDD.ulBoostTarget", "EUtranCellFDD.pZeroNominalPusch", "FeatureState.featureState"} {
		if !slices.Contains(params, want) {
			t.Errorf("parameter %s missing: %v", want, params)
		}
	}
	for _, want := range []string{"EUtranCellFDD.pmUlBoostAttempts", "EUtranCellFDD.pmUlBoostSuccess"} {
		if !slices.Contains(counters, want) {
			t.Errorf("counter %s missing: %v", want, counters)
		}
	}
	for _, p := range params {
		if strings.Contains(p, ".pm") {
			t.Errorf("counter %s listed as a parameter", p)
		}
	}
	if !slices.Contains(events, "INTERNAL_PROC_UL_BOOST_START") || slices.Contains(events, "EVENT_PARAM_BOOST_STEP") {
		t.Errorf("events %v: want INTERNAL_PROC_UL_BOOST_START and no event parameter", events)
	}
	if !slices.ContainsFunc(x.RelatedFeatures, func(r extractionRelated) bool { return r.FAJ == "FAJ 121 9902" }) {
		t.Errorf("related feature FAJ 121 9902 missing: %+v", x.RelatedFeatures)
	}
	// Routing on JetStream: the Dependencies and Parameters tables make the basic
	// result score low, so uplink boost climbs to feature_grouped and gets its
	// relationships; plain notes are accepted in basic mode at once.
	if !slices.Contains(up.ModesTried, "feature_grouped") || up.Mode != "feature_grouped" {
		t.Errorf("uplink boost: mode %q after %v, want it to climb to feature_grouped", up.Mode, up.ModesTried)
	}
	if !slices.ContainsFunc(x.RelatedFeatures, func(r extractionRelated) bool { return r.FAJ == "FAJ 121 9902" && r.Relationship == "prerequisite" }) {
		t.Errorf("relationship of FAJ 121 9902 missing: %+v", x.RelatedFeatures)
	}
	if notes := bySource["notes.txt"]; notes.Mode != "basic" || len(notes.ModesTried) != 1 {
		t.Errorf("notes.txt: mode %q after %v, want accepted in basic at once", notes.Mode, notes.ModesTried)
	}
	sleep := bySource["nested/sleep-mode.md"].Extraction
	if !slices.ContainsFunc(sleep.MainFeatures, func(f extractionFeature) bool { return f.FAJ == "FAJ 121 9910" }) {
		t.Errorf("FAJ with odd spacing not normalized: %+v", sleep.MainFeatures)
	}
	if !slices.Contains(namesOf(sleep.Parameters, func(p extractionParameter) string { return p.Name }), "MimoSleepFunction.sleepMode") {
		t.Errorf("MimoSleepFunction.sleepMode is a parameter: %+v", sleep.Parameters)
	}

	chunks := readJSONL[output.ChunkLine](t, filepath.Join(out, "chunks.jsonl"))
	perDoc := map[string]int{}
	ids := map[string]bool{}
	for _, c := range chunks {
		perDoc[c.Source]++
		if ids[c.ChunkID] {
			t.Errorf("chunk %s twice", c.ChunkID)
		}
		ids[c.ChunkID] = true
		if c.DocID == "" || c.Text == "" || c.Headings == nil {
			t.Errorf("incomplete chunk line %+v", c)
		}
		if strings.Contains(c.Text, "title: Uplink Boost") {
			t.Errorf("front matter leaked into chunk %s", c.ChunkID)
		}
		if c.Source == "legacy-1252.txt" && !strings.Contains(c.Text, "Café réseau") {
			t.Errorf("windows-1252 text not decoded: %q", c.Text)
		}
	}
	for _, d := range docs {
		if perDoc[d.Source] != d.Chunks {
			t.Errorf("%s: %d chunk lines, record says %d", d.Source, perDoc[d.Source], d.Chunks)
		}
	}

	dead := readJSONL[output.DeadLetterLine](t, filepath.Join(out, "dead-letters.jsonl"))
	reasons := map[string]output.DeadLetterLine{}
	for _, d := range dead {
		reasons[d.Source] = d
	}
	for src, want := range map[string]string{"empty.md": "empty", "blob.bin": "unrecognized", "lfs-pointer.pdf": "LFS"} {
		if dl, ok := reasons[src]; !ok || !strings.Contains(dl.Reason, want) || dl.Stage != "detect" {
			t.Errorf("dead letter for %s = %+v, want stage detect and a reason mentioning %q", src, dl, want)
		}
	}
	if len(dead) != 3 {
		t.Errorf("got %d dead letters, want 3: %+v", len(dead), dead)
	}

	if rep.Documents != 7 || rep.Outcomes["accepted"] != 4 || rep.Outcomes["dead_lettered"] != 3 {
		t.Errorf("report: %d documents, outcomes %v", rep.Documents, rep.Outcomes)
	}
	var onDisk output.Report
	b, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil || json.Unmarshal(b, &onDisk) != nil || onDisk.Documents != rep.Documents {
		t.Errorf("report.json unreadable or different: %v", err)
	}
	for _, split := range []string{"train", "valid", "test"} {
		if _, err := os.Stat(filepath.Join(out, "dataset", split+".jsonl")); err != nil {
			t.Errorf("dataset split %s: %v", split, err)
		}
	}
	train := readJSONL[output.Example](t, filepath.Join(out, "dataset", "train.jsonl"))
	for _, ex := range train {
		if len(ex.Messages) != 3 || ex.Messages[0].Role != "system" || ex.Messages[1].Role != "user" || ex.Messages[2].Role != "assistant" {
			t.Errorf("training example not in MLX chat format: %+v", ex)
		}
	}
	// The dataset contract, end to end: chat lines with metadata, answers
	// grounded in their input or cited chunks, documents in one split.
	check, err := output.CheckDataset(filepath.Join(out, "dataset"), filepath.Join(out, "chunks.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if check.Malformed > 0 || check.UngroundedExamples > 0 || check.UngroundedQuestions > 0 || check.UnknownChunks > 0 ||
		check.SplitDocuments > 0 || check.Identifiers == 0 || len(check.Kinds) < 2 {
		t.Errorf("dataset check:\n%s", check.Text())
	}

	// The same files again, on the same store: every document once.
	process(t, testConfig(t, data), out, "testdata/docs")
	again := readJSONL[output.ExtractionLine](t, filepath.Join(out, "extractions.jsonl"))
	if len(again) != len(docs) {
		t.Errorf("second run: %d documents, want %d", len(again), len(docs))
	}
	if n := len(readJSONL[output.ChunkLine](t, filepath.Join(out, "chunks.jsonl"))); n != len(chunks) {
		t.Errorf("second run: %d chunks, want %d", n, len(chunks))
	}
	if n := len(readJSONL[output.DeadLetterLine](t, filepath.Join(out, "dead-letters.jsonl"))); n != len(dead) {
		t.Errorf("second run: %d dead letters, want %d", n, len(dead))
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func namesOf[T any](items []T, name func(T) string) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, name(it))
	}
	return out
}

// `ranstream replay` after `ranstream process` on the same store: the chosen
// documents run again and their outputs are written; a pattern that selects
// nothing is an error a user understands.
func TestReplay_afterProcess(t *testing.T) {
	data, out, again := t.TempDir(), t.TempDir(), t.TempDir()
	cfg := testConfig(t, data)
	process(t, cfg, out, "testdata/docs")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := app.Replay(ctx, app.ReplayConfig{Pipeline: cfg, Out: again,
		Replay: pipeline.ReplayConfig{From: names.StageExtract, Source: "nested/*"}}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	docs := readJSONL[output.ExtractionLine](t, filepath.Join(again, "extractions.jsonl"))
	if rep.Documents != len(docs) || len(docs) == 0 {
		t.Fatalf("report says %d documents, extractions.jsonl has %d", rep.Documents, len(docs))
	}
	for _, d := range docs {
		if !strings.HasPrefix(d.Source, "nested/") || !d.Complete {
			t.Errorf("replayed %+v", d)
		}
	}
	_, err = app.Replay(ctx, app.ReplayConfig{Pipeline: cfg, Out: again,
		Replay: pipeline.ReplayConfig{Source: "no-such-*"}}, zaptest.NewLogger(t))
	if !errors.Is(err, app.ErrNothingToReplay) {
		t.Errorf("replay of nothing: %v, want ErrNothingToReplay", err)
	}
}
