package pipeline_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/llm"
	"github.com/ranstream/ranstream/pkg/llm/llmtest"
	"github.com/ranstream/ranstream/pkg/llmextract"
	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/pipeline"
	"github.com/ranstream/ranstream/pkg/results"
	"github.com/ranstream/ranstream/pkg/sizing"
	"github.com/ranstream/ranstream/pkg/stage"
	"github.com/ranstream/ranstream/streams"
)

func config(t *testing.T) pipeline.Config {
	cfg := pipeline.Defaults()
	cfg.NATS.DataDir = t.TempDir()
	cfg.Topology.AckWait = 3 * time.Second
	cfg.Resources = &sizing.Resources{Cores: 2, TotalRAM: 8 << 30, AvailableRAM: 6 << 30}
	cfg.ChunkTarget = 400
	return cfg
}

// allToHybrid are thresholds no rule mode reaches: every chunk climbs to hybrid.
func allToHybrid() map[extraction.Mode]float64 {
	return map[extraction.Mode]float64{extraction.ModeBasic: 1.1, extraction.ModeCmedit: 1.1, extraction.ModeFeatureGrouped: 1.1}
}

// start starts a pipeline and a tracker on it, both closed when the test ends.
func start(t *testing.T, ctx context.Context, cfg pipeline.Config, log *zap.Logger) (*pipeline.Pipeline, *pipeline.Tracker) {
	t.Helper()
	p, err := pipeline.Start(ctx, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	tr, err := p.NewTracker(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tr.Close)
	return p, tr
}

// writeDocs writes n small ELEX-shaped documents of several chunks each.
func writeDocs(t *testing.T, n int) string {
	dir := t.TempDir()
	for i := range n {
		text := fmt.Sprintf("# Feature %d\n\n| Feature Name | Feature %d |\n|---|---|\n| Feature Identity | FAJ 121 %04d |\n\n", i, i, 5000+i)
		for s := range 4 {
			text += fmt.Sprintf("## Section %d\n\nThe attribute EUtranCellFDD.param%dx%d tunes the cell. The counter EUtranCellFDD.pmCount%dx%d counts it. "+
				"A second sentence gives the section enough text to stand as a chunk of its own in this test.\n\n", s, i, s, i, s)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("doc-%02d.md", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func ingestAll(t *testing.T, ctx context.Context, p *pipeline.Pipeline, tr *pipeline.Tracker, dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		id, err := p.Ingest(ctx, filepath.Join(dir, e.Name()), e.Name())
		if err != nil || id == "" {
			t.Fatalf("ingest %s: %q %v", e.Name(), id, err)
		}
		tr.Expect(id, e.Name())
	}
}

// A stage stopped in the middle of a message and started again: the message is
// redelivered to the new instance, and every chunk ends in the results once.
func TestPipeline_stageStoppedMidMessageResumesWithoutGapOrDuplicate(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	log := zaptest.NewLogger(t)
	cfg := config(t)
	cfg.Stages = []string{names.StageDetect, names.StageExtract, names.StageChunk, names.StageQualityRoute}
	p, tr := start(t, ctx, cfg, log)

	set, err := streams.Load()
	if err != nil {
		t.Fatal(err)
	}
	cons, err := set.Consumer(names.StageLLMExtract)
	if err != nil {
		t.Fatal(err)
	}
	// The first instance of llm-extract blocks inside its first message until it
	// is stopped: a crash in the middle of work, with the message unacked.
	inside := make(chan struct{})
	var entered atomic.Bool
	real := llmextract.New(nil)
	blocking := func(ctx context.Context, in event.Chunk) ([]event.Event, error) {
		if entered.CompareAndSwap(false, true) {
			close(inside)
		}
		<-ctx.Done()
		return nil, ctx.Err()
	}
	startLLM := func(h stage.Handler[event.Chunk]) (stop func()) {
		sub, err := p.Bus().Conn("llm-sub")
		if err != nil {
			t.Fatal(err)
		}
		pub, err := p.Bus().Conn("llm-pub")
		if err != nil {
			t.Fatal(err)
		}
		st, err := stage.New(stage.Config{Name: names.StageLLMExtract, Stream: cons.Stream, Consumer: cons.Config.Durable,
			Workers: 1, MaxDeliver: cons.Config.MaxDeliver, AckWait: cfg.Topology.AckWait}, sub, pub, h, log)
		if err != nil {
			t.Fatal(err)
		}
		sctx, scancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			if err := st.Run(sctx); err != nil {
				t.Errorf("llm-extract run: %v", err)
			}
		}()
		<-st.Running()
		return func() { scancel(); <-done; sub.Close(); pub.Close() }
	}

	stopFirst := startLLM(blocking)
	ingestAll(t, ctx, p, tr, writeDocs(t, 6))
	select {
	case <-inside:
	case <-ctx.Done():
		t.Fatal("llm-extract never received a chunk")
	}
	stopFirst()
	if done, total := tr.Progress(); done == total {
		t.Fatal("everything finished although llm-extract was stopped")
	}

	stopSecond := startLLM(real.Handle)
	defer stopSecond()
	if err := tr.Wait(ctx, nil); err != nil {
		t.Fatal(err)
	}

	for _, st := range tr.Statuses() {
		if st.DocFailed != "" || len(st.Failed) > 0 {
			t.Errorf("%s failed: %s %v", st.Source, st.DocFailed, st.Failed)
		}
		rec, found, err := p.Results().Doc(ctx, st.ID)
		if err != nil || !found {
			t.Fatalf("%s: no record (%v)", st.Source, err)
		}
		if !rec.Complete() || rec.Count != rec.Total || rec.Total < 3 {
			t.Errorf("%s: %d of %d chunks accepted", st.Source, rec.Count, rec.Total)
		}
		var idx []int
		if err := p.Results().EachChunk(ctx, rec, func(c results.ChunkRecord) error {
			idx = append(idx, c.Index)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(idx, seq(rec.Total)) {
			t.Errorf("%s: chunk indexes %v, want 0..%d", st.Source, idx, rec.Total-1)
		}
		seen := map[string]bool{}
		for _, c := range rec.Extraction.Counters {
			if seen[c.Name] {
				t.Errorf("%s: counter %s twice in the merged result", st.Source, c.Name)
			}
			seen[c.Name] = true
		}
		if len(rec.Extraction.Counters) != 4 {
			t.Errorf("%s: %d counters, want the 4 the document names", st.Source, len(rec.Extraction.Counters))
		}
	}
	// Each chunk was extracted once downstream: JetStream dropped any duplicate publish.
	if n, want := countSubject(t, ctx, p, "EXTRACTIONS"), totalChunks(tr); n < want {
		t.Errorf("%d extractions for %d chunks: a gap", n, want)
	}
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func totalChunks(tr *pipeline.Tracker) int {
	n := 0
	for _, st := range tr.Statuses() {
		n += st.Total
	}
	return n
}

func countSubject(t *testing.T, ctx context.Context, p *pipeline.Pipeline, stream string) int {
	s, err := p.JetStream().Stream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return int(info.State.Msgs)
}

// A sheet whose text is far above the streaming threshold goes through every
// stage: the chunk stage streams it, every chunk is accepted once, and the
// merged record holds every parameter the sheet names.
func TestPipeline_largeSheetIsChunkedAsAStream(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := config(t)
	cfg.ChunkTarget = 4000
	cfg.ChunkStreamAbove = 64 << 10
	p, tr := start(t, ctx, cfg, zaptest.NewLogger(t))

	const params = 300
	var sb strings.Builder
	sb.WriteString("Parameter export,,,\nMO Class Name,Parameter Name,Description,Default Value\n")
	for i := 0; sb.Len() < 1<<20; i++ {
		fmt.Fprintf(&sb, "EUtranCellFDD,zparam%d,\"Sets the level, in dB,\nfor row %d; see EUtranCellFDD.zparam%d.\",%d\n", i%params, i, i%params, i%140)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "params.csv"), []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ingestAll(t, ctx, p, tr, dir)
	if err := tr.Wait(ctx, nil); err != nil {
		t.Fatal(err)
	}
	st := tr.Statuses()[0]
	if st.DocFailed != "" || len(st.Failed) > 0 {
		t.Fatalf("failed: %s %v", st.DocFailed, st.Failed)
	}
	rec, found, err := p.Results().Doc(ctx, st.ID)
	if err != nil || !found {
		t.Fatalf("no record (%v)", err)
	}
	if !rec.Complete() || rec.Total < 200 {
		t.Errorf("%d of %d chunks accepted, want a complete record of hundreds", rec.Count, rec.Total)
	}
	if done, total := tr.ChunkProgress(); done != rec.Total || total != rec.Total {
		t.Errorf("chunk progress %d/%d, want %d/%d", done, total, rec.Total, rec.Total)
	}
	if n := countSubject(t, ctx, p, "CHUNKS"); n != rec.Total {
		t.Errorf("%d chunk messages for %d chunks", n, rec.Total)
	}
	names := map[string]bool{}
	for _, x := range rec.Extraction.Parameters {
		names[x.Name] = true
	}
	for i := range params {
		if name := fmt.Sprintf("EUtranCellFDD.zparam%d", i); !names[name] {
			t.Fatalf("merged record lacks %s (%d parameters)", name, len(names))
		}
	}
}

// With an LLM configured, chunks below every rule mode's threshold climb to
// hybrid; the fake server's grounded items are kept and its invented ones
// dropped and counted in the document records.
func TestPipeline_hybridWithAnLLM(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	param := regexp.MustCompile(`EUtranCellFDD\.param\w+`)
	srv := llmtest.New(t, func(c llmtest.Call) string {
		found := param.FindString(c.User)
		return `{"parameters":[{"name":"` + found + `"},{"name":"EUtranCellFDD.inventedByTheModel"}]}`
	})
	cfg := config(t)
	cfg.LLM = llm.Config{URL: srv.URL + "/v1", Model: "qwen3"}
	cfg.Thresholds = allToHybrid()
	p, tr := start(t, ctx, cfg, zaptest.NewLogger(t))
	ingestAll(t, ctx, p, tr, writeDocs(t, 3))
	if err := tr.Wait(ctx, nil); err != nil {
		t.Fatal(err)
	}
	for _, st := range tr.Statuses() {
		rec := st.Accepted
		if !rec.Complete() || rec.ModeCounts[extraction.ModeHybrid] != rec.Total || rec.LLMChunks != rec.Total {
			t.Errorf("%s: %d of %d chunks, modes %v, %d through the LLM", st.Source, rec.Count, rec.Total, rec.ModeCounts, rec.LLMChunks)
		}
		if rec.LLM.Dropped != rec.Total || rec.LLM.Kept == 0 {
			t.Errorf("%s: LLM use %+v, want one invented item dropped per chunk", st.Source, rec.LLM)
		}
		for _, x := range rec.Extraction.Parameters {
			if strings.Contains(x.Name, "invented") {
				t.Errorf("%s: ungrounded %s kept", st.Source, x.Name)
			}
		}
	}
	if len(srv.Calls()) < totalChunks(tr) {
		t.Errorf("%d LLM calls for %d chunks", len(srv.Calls()), totalChunks(tr))
	}
}

// An LLM that fails: its breaker opens, every chunk still finishes, with the
// rules' result recorded as feature_grouped's and a note saying why.
func TestPipeline_hybridWithAFailingLLM(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv := llmtest.New(t, nil)
	srv.Fail(true)
	cfg := config(t)
	cfg.LLM = llm.Config{URL: srv.URL, Model: "qwen3", BreakerErrors: 2, BreakerCooldown: time.Hour}
	cfg.Thresholds = allToHybrid()
	p, tr := start(t, ctx, cfg, zaptest.NewLogger(t))
	ingestAll(t, ctx, p, tr, writeDocs(t, 3))
	if err := tr.Wait(ctx, nil); err != nil {
		t.Fatal(err)
	}
	for _, st := range tr.Statuses() {
		rec := st.Accepted
		if !rec.Complete() || rec.ModeCounts[extraction.ModeFeatureGrouped] != rec.Total || rec.LLMChunks != 0 {
			t.Errorf("%s: %d/%d chunks, modes %v, %d LLM chunks", st.Source, rec.Count, rec.Total, rec.ModeCounts, rec.LLMChunks)
		}
		if !slices.Contains(rec.ModesTried(), extraction.ModeHybrid) || len(rec.Notes()) == 0 {
			t.Errorf("%s: tried %v, notes %v: want hybrid tried and a note", st.Source, rec.ModesTried(), rec.Notes())
		}
	}
	// The breaker opens at the second failure; calls already past it (one per
	// other slot of the LLM's concurrency) still reach the server.
	if n := len(srv.Calls()); n < 2 || n > 2+llm.DefaultConcurrency-1 {
		t.Errorf("%d calls to the failing LLM for %d chunks, want 2 or 3 (then the breaker opened)", n, totalChunks(tr))
	}
}
