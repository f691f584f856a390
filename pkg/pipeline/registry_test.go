package pipeline_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/ingest"
	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/pipeline"
	"github.com/ranstream/ranstream/pkg/results"
	"github.com/ranstream/ranstream/streams"
)

// filterMatches reports whether NATS subject filter f covers subject s.
func filterMatches(f, s string) bool {
	ft, st := strings.Split(f, "."), strings.Split(s, ".")
	for i, t := range ft {
		if t == ">" {
			return len(st) > i
		}
		if i >= len(st) || t != "*" && t != st[i] {
			return false
		}
	}
	return len(ft) == len(st)
}

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
			if !filterMatches(c.Config.FilterSubject, subject) {
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
