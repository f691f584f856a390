package pipeline_test

import (
	"context"
	"regexp"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/llm"
	"github.com/ranstream/ranstream/pkg/llm/llmtest"
	"github.com/ranstream/ranstream/pkg/pipeline"
)

// Documents processed once are replayed from the chunk stage by a pipeline
// configured differently (an LLM, thresholds that send every chunk to hybrid):
// the new run's records replace the old, and the replay selects by source.
func TestPipeline_replayRunsEarlierDocumentsAgain(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := config(t)
	first, firstTracker := start(t, ctx, cfg, zaptest.NewLogger(t))
	ingestAll(t, ctx, first, firstTracker, writeDocs(t, 4))
	if err := firstTracker.Wait(ctx, nil); err != nil {
		t.Fatal(err)
	}
	before := map[string]int{}
	for _, st := range firstTracker.Statuses() {
		if st.Accepted.Replay != "" || st.Accepted.ModeCounts[extraction.ModeHybrid] != 0 {
			t.Fatalf("%s: first run record %+v", st.Source, st.Accepted)
		}
		before[st.ID] = st.Accepted.Total
	}
	firstTracker.Close()
	first.Close()

	param := regexp.MustCompile(`EUtranCellFDD\.param\w+`)
	srv := llmtest.New(t, func(c llmtest.Call) string {
		return `{"parameters":[{"name":"` + param.FindString(c.User) + `"}]}`
	})
	cfg.LLM = llm.Config{URL: srv.URL, Model: "qwen3"}
	cfg.Thresholds = allToHybrid()
	p, _ := start(t, ctx, cfg, zaptest.NewLogger(t))
	if _, err := p.Replay(ctx, pipeline.ReplayConfig{From: "ingest"}); err == nil {
		t.Error("replay from ingest accepted")
	}
	if docs, err := p.Replay(ctx, pipeline.ReplayConfig{Source: "nothing-*"}); err != nil || len(docs) != 0 {
		t.Errorf("replay of no match: %v %v", docs, err)
	}
	tr, err := p.NewReplayTracker(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	docs, err := p.Replay(ctx, pipeline.ReplayConfig{Source: "doc-0[0-2].md"})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 3 {
		t.Fatalf("replayed %v, want doc-00..doc-02", docs)
	}
	for _, d := range docs {
		tr.Expect(d.ID, d.Source)
	}
	if err := tr.Wait(ctx, nil); err != nil {
		t.Fatal(err)
	}
	for _, st := range tr.Statuses() {
		rec, found, err := p.Results().Doc(ctx, st.ID)
		if err != nil || !found {
			t.Fatalf("%s: %v", st.Source, err)
		}
		if rec.Replay == "" || !rec.Complete() || rec.Total != before[st.ID] ||
			rec.ModeCounts[extraction.ModeHybrid] != rec.Total || rec.LLMChunks != rec.Total {
			t.Errorf("%s: replayed record %d/%d chunks, replay %q, modes %v, %d LLM chunks",
				st.Source, rec.Count, rec.Total, rec.Replay, rec.ModeCounts, rec.LLMChunks)
		}
	}
	// doc-03 was not selected: its record is the first run's.
	for id := range before {
		rec, _, err := p.Results().Doc(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Source == "doc-03.md" && (rec.Replay != "" || rec.ModeCounts[extraction.ModeHybrid] != 0) {
			t.Errorf("doc-03 was replayed: %+v", rec)
		}
	}
}
