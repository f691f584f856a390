package pipeline

import (
	"context"
	"fmt"
	"reflect"
	"sync"

	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/blobstore"
	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/results"
	"github.com/ranstream/ranstream/pkg/specfetch"
)

// Memory runs the stages of the Registry in this process without a broker:
// each output goes straight to the stage whose input type it is, documents
// and texts stay in memory, accepted results are merged in memory. Nothing is
// durable: it is `process --direct`, the baseline that measures what the bus
// costs, and the quick way to process a few files. The stage logic, its
// construction and its dependencies are those of the JetStream runner.
type Memory struct {
	deps    *Deps
	results *results.Memory
	// stages maps an input type to the stage that reads it.
	stages map[reflect.Type]memStage

	mu      sync.Mutex
	seen    map[string]bool
	dead    []event.DeadLetter
	formats map[string]string
}

type memStage struct {
	name string
	h    Handler
}

// NewMemory builds every stage of the Registry over in-memory stores.
func NewMemory(ctx context.Context, cfg Config, log *zap.Logger) (*Memory, error) {
	m := &Memory{results: results.NewMemory(), stages: map[reflect.Type]memStage{},
		seen: map[string]bool{}, formats: map[string]string{}}
	var err error
	m.deps, err = NewDeps(cfg, DepsOptions{Blobs: blobstore.NewMemory(), Results: m.results, SpecsSeen: &specfetch.MemorySeen{}}, log)
	if err != nil {
		return nil, err
	}
	for _, s := range Registry() {
		h, err := s.Build(ctx, m.deps)
		if err != nil {
			return nil, fmt.Errorf("stage %s: %w", s.Name, err)
		}
		m.stages[s.Input] = memStage{name: s.Name, h: h}
	}
	return m, nil
}

// File ingests the file at path under source and runs its document, and the
// documents it contains, through every stage. A file whose bytes were run
// already is not run again. Failures become dead letters, as on the bus.
func (m *Memory) File(ctx context.Context, path, source string) {
	rec, err := m.deps.Ingester.File(ctx, path, source)
	if err != nil {
		m.deadLetter(event.DeadLetter{Stage: names.StageIngest, Reason: err.Error(), Source: source, Chunk: -1})
		return
	}
	m.mu.Lock()
	dup := m.seen[rec.Doc.ID]
	m.seen[rec.Doc.ID] = true
	m.mu.Unlock()
	if dup {
		return
	}
	queue := []event.Event{rec}
	for len(queue) > 0 && ctx.Err() == nil {
		e := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		switch v := e.(type) {
		case event.Detected:
			m.mu.Lock()
			m.formats[v.Doc.ID] = v.Format
			m.mu.Unlock()
		case event.DeadLetter: // refused archive members, failed spec downloads
			m.deadLetter(v)
			continue
		}
		st, ok := m.stages[reflect.TypeOf(e)]
		if !ok {
			continue // docs.chunked, docs.expanded: for followers, not stages
		}
		err := st.h.Call(ctx, e, func(out event.Event) error {
			queue = append(queue, out)
			return nil
		})
		if err != nil {
			// The document the failed input is about: an archive member's
			// own, not the archive's.
			d, chunk := rec.Doc, -1
			switch v := e.(type) {
			case event.Detected:
				d = v.Doc
			case event.Extracted:
				d = v.Doc
			case event.Chunk:
				d, chunk = v.Doc, v.Index
			case event.Extraction:
				d, chunk = v.Chunk.Doc, v.Chunk.Index
			}
			m.deadLetter(event.DeadLetter{Stage: st.name, Reason: err.Error(), Chunk: chunk, DocID: d.ID, Source: d.Source})
		}
	}
}

func (m *Memory) deadLetter(dl event.DeadLetter) {
	m.mu.Lock()
	m.dead = append(m.dead, dl)
	m.mu.Unlock()
}

// DeadLetters returns the dead letters so far.
func (m *Memory) DeadLetters() []event.DeadLetter {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]event.DeadLetter(nil), m.dead...)
}

// Formats returns the format detected of each document, by id.
func (m *Memory) Formats() map[string]string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]string, len(m.formats))
	for k, v := range m.formats {
		out[k] = v
	}
	return out
}

// Results are the accepted results.
func (m *Memory) Results() *results.Memory { return m.results }
