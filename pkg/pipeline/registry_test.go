package pipeline_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"go.uber.org/zap/zaptest"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/ingest"
	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/pipeline"
	"github.com/ranstream/ranstream/pkg/results"
	"github.com/ranstream/ranstream/streams"
)

// Every stage of the registry reads a consumer defined in streams/, whose
// filter delivers the subject its input type is published on, and the stages
// are those names knows, in pipeline order.
func TestRegistry_everyStageHasItsConsumerAndInput(t *testing.T) {
	set, err := streams.Load()
	if err != nil {
		t.Fatal(err)
	}
	// The subject an input of each type is published on.
	subjectOf := map[reflect.Type]string{
		reflect.TypeFor[ingest.SpecRequest](): names.SubjectSpecs,
	}
	for _, e := range []event.Event{event.Received{}, event.Detected{}, event.Extracted{},
		event.Chunk{Mode: extraction.ModeBasic}, event.Extraction{Chunk: event.Chunk{Mode: extraction.ModeCmedit}}} {
		subjectOf[reflect.TypeOf(e)] = e.Subject()
	}
	var got []string
	inputs := map[reflect.Type]string{}
	for _, s := range pipeline.Registry() {
		got = append(got, s.Name)
		t.Run(s.Name, func(t *testing.T) {
			if s.Build == nil {
				t.Error("no constructor")
			}
			if s.Input == nil {
				t.Fatal("no input type")
			}
			if other, dup := inputs[s.Input]; dup {
				t.Errorf("input %s is read by %s too: the in-memory runner could not tell them apart", s.Input, other)
			}
			inputs[s.Input] = s.Name
			c, err := set.Consumer(s.Consumer)
			if err != nil {
				t.Fatal(err)
			}
			subject, ok := subjectOf[s.Input]
			if !ok {
				t.Fatalf("input %s: no subject known", s.Input)
			}
			if !server.SubjectMatchesFilter(subject, c.Config.FilterSubject) {
				t.Errorf("consumer %s filters %s; its input %s comes on %s", c.Config.Durable, c.Config.FilterSubject, s.Input, subject)
			}
		})
	}
	if !slices.Equal(got, names.Stages()) {
		t.Errorf("registry stages %v, want %v", got, names.Stages())
	}
}

// The in-memory runner and the JetStream runner run the same stages: the same
// documents end with the same records and extractions.
func TestMemory_matchesTheJetStreamRunner(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := writeDocs(t, 3)
	// A document that fails at extraction too.
	if err := os.WriteFile(filepath.Join(dir, "broken.pdf"), []byte("%PDF-1.4 not really"), 0o644); err != nil {
		t.Fatal(err)
	}
	log := zaptest.NewLogger(t)
	cfg := config(t)

	mem, err := pipeline.NewMemory(ctx, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		mem.File(ctx, filepath.Join(dir, e.Name()), e.Name())
	}
	memDocs := map[string]results.DocRecord{}
	for _, d := range mem.Results().Docs() {
		memDocs[d.DocID] = d
	}

	p, tr := start(t, ctx, cfg, log)
	for _, e := range entries {
		id, err := p.Ingest(ctx, filepath.Join(dir, e.Name()), e.Name())
		if err != nil || id == "" {
			t.Fatalf("ingest %s: %q %v", e.Name(), id, err)
		}
		tr.Expect(id, e.Name())
	}
	if err := tr.Wait(ctx, nil); err != nil {
		t.Fatal(err)
	}
	busDocs := 0
	for _, st := range tr.Statuses() {
		if st.DocFailed != "" {
			continue
		}
		busDocs++
		m, ok := memDocs[st.ID]
		if !ok {
			t.Errorf("%s: accepted on the bus, not in memory", st.Source)
			continue
		}
		if m.Count != st.Accepted.Count || m.Total != st.Accepted.Total || m.Family != st.Accepted.Family {
			t.Errorf("%s: memory %d/%d chunks (%s), bus %d/%d (%s)", st.Source, m.Count, m.Total, m.Family,
				st.Accepted.Count, st.Accepted.Total, st.Accepted.Family)
		}
		mj, _ := json.Marshal(m.Extraction)
		bj, _ := json.Marshal(st.Accepted.Extraction)
		if string(mj) != string(bj) {
			t.Errorf("%s: extractions differ:\nmemory %s\nbus    %s", st.Source, mj, bj)
		}
		if m.Extraction.Items() == 0 {
			t.Errorf("%s: no items", st.Source)
		}
	}
	if busDocs != len(memDocs) || busDocs != 3 {
		t.Errorf("%d documents accepted on the bus, %d in memory, want 3", busDocs, len(memDocs))
	}
	var memDead, busDead []string
	for _, dl := range mem.DeadLetters() {
		memDead = append(memDead, dl.Stage+":"+dl.DocID)
	}
	for _, dl := range tr.AllDeadLetters() {
		busDead = append(busDead, dl.Stage+":"+dl.DocID)
	}
	slices.Sort(memDead)
	slices.Sort(busDead)
	if len(memDead) == 0 || !slices.Equal(memDead, busDead) {
		t.Errorf("dead letters in memory %v, on the bus %v", memDead, busDead)
	}
}

// Every flag a stage names is one the configuration defines, and a stage's
// service takes its own flags and the common ones, not another stage's.
func TestRegistry_stageFlags(t *testing.T) {
	all := pipeline.Defaults()
	fsAll := flag.NewFlagSet("all", flag.ContinueOnError)
	all.RegisterFlags(fsAll)
	taken := map[string]bool{}
	for _, s := range pipeline.Registry() {
		for _, f := range s.Flags {
			if fsAll.Lookup(f) == nil {
				t.Errorf("stage %s takes --%s, which no configuration field binds", s.Name, f)
			}
			taken[f] = true
		}
	}
	common := flag.NewFlagSet("none", flag.ContinueOnError)
	none := pipeline.Defaults()
	none.Stages = nil
	none.RegisterFlags(common)
	fsAll.VisitAll(func(f *flag.Flag) {
		if common.Lookup(f.Name) == nil && !taken[f.Name] {
			t.Errorf("--%s is neither common nor any stage's", f.Name)
		}
	})
	for _, tc := range []struct {
		stage     string
		has, lack []string
	}{
		{names.StageDetect, []string{"nats", "creds", "tls-ca", "metrics", "workers"}, []string{"llm-url", "chunk-size", "threshold", "max-doc-size"}},
		{names.StageChunk, []string{"chunk-size", "mode", "llm-url"}, []string{"threshold", "reference", "archive-url"}},
		{names.StageQualityRoute, []string{"threshold", "llm-url"}, []string{"chunk-size", "mode"}},
		{names.StageIngest, []string{"archive-url", "max-doc-size"}, []string{"llm-url", "chunk-size"}},
	} {
		cfg := pipeline.Defaults()
		cfg.Stages = []string{tc.stage}
		fs := flag.NewFlagSet(tc.stage, flag.ContinueOnError)
		cfg.RegisterFlags(fs)
		for _, f := range tc.has {
			if fs.Lookup(f) == nil {
				t.Errorf("%s lacks --%s", tc.stage, f)
			}
		}
		for _, f := range tc.lack {
			if fs.Lookup(f) != nil {
				t.Errorf("%s offers --%s", tc.stage, f)
			}
		}
	}
}

// -h lists the flags under their sections, each flag once.
func TestFlagSections_groupHelp(t *testing.T) {
	cfg := pipeline.Defaults()
	fs := flag.NewFlagSet("process", flag.ContinueOnError)
	s := pipeline.NewFlagSections(fs)
	cfg.RegisterFlagsIn(s)
	s.Section("dataset", func(fs *flag.FlagSet) { fs.Int("max-per-kind", 3, "at most") })
	fs.Bool("stray", false, "registered outside any section")
	var b strings.Builder
	s.PrintDefaults(&b)
	help := b.String()
	pos := func(s string) int {
		i := strings.Index(help, s)
		if i < 0 {
			t.Fatalf("help lacks %q:\n%s", s, help)
		}
		return i
	}
	if !(pos("\nconnection:\n") < pos("\n  -nats ") && pos("\n  -nats ") < pos("\nrouting:\n") &&
		pos("\nrouting:\n") < pos("\n  -threshold ") && pos("\n  -threshold ") < pos("\nLLM:\n") &&
		pos("\nLLM:\n") < pos("\n  -llm-url ") && pos("\n  -llm-url ") < pos("\nlimits:\n") &&
		pos("\nlimits:\n") < pos("\n  -chunk-size ") && pos("\n  -chunk-size ") < pos("\ndataset:\n") &&
		pos("\ndataset:\n") < pos("\n  -max-per-kind ") && pos("\n  -max-per-kind ") < pos("\nother:\n") &&
		pos("\nother:\n") < pos("\n  -stray")) {
		t.Errorf("flags not grouped in section order:\n%s", help)
	}
	if strings.Count(help, "\n  -llm-url ") != 1 {
		t.Errorf("--llm-url listed %d times", strings.Count(help, "\n  -llm-url "))
	}
}
