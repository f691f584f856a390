package results

import (
	"context"
	"slices"
	"sort"
	"sync"
)

// Memory holds the accepted results of a run that keeps them in the process
// (the in-memory runner of `process --direct`): the records the results bucket
// would hold, merged the same way, and read back for rendering.
type Memory struct {
	mu    sync.Mutex
	doc   map[string]*DocRecord
	chunk map[string][]ChunkRecord
}

// NewMemory returns an empty result set.
func NewMemory() *Memory {
	return &Memory{doc: map[string]*DocRecord{}, chunk: map[string][]ChunkRecord{}}
}

// Accept records an accepted chunk; the document's extraction is merged, in
// index order, once its last chunk is in. A chunk accepted twice counts once.
func (m *Memory) Accept(_ context.Context, rec ChunkRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.doc[rec.DocID]
	if !ok {
		d = &DocRecord{}
		m.doc[rec.DocID] = d
	}
	if d.DocID != "" && d.Replay == rec.Replay && d.Has(rec.Index) {
		return nil
	}
	d.Add(rec)
	m.chunk[rec.DocID] = append(m.chunk[rec.DocID], rec)
	if d.Complete() {
		// In index order, as the results bucket merges: chunks arrive in any
		// order, and activation steps keep the order of the document.
		c := m.sorted(rec.DocID)
		return d.Merge(func(fn func(ChunkRecord) error) error { return visit(c, fn) })
	}
	return nil
}

// sorted returns the chunks of a document in index order; callers hold m.mu.
func (m *Memory) sorted(docID string) []ChunkRecord {
	c := m.chunk[docID]
	sort.Slice(c, func(i, j int) bool { return c[i].Index < c[j].Index })
	return c
}

// Docs returns every document record, by source.
func (m *Memory) Docs() []DocRecord {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]DocRecord, 0, len(m.doc))
	for _, d := range m.doc {
		out = append(out, *d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Source < out[j].Source })
	return out
}

// EachChunk calls fn with the chunk records of d in index order, stopping at
// its first error.
func (m *Memory) EachChunk(d DocRecord, fn func(ChunkRecord) error) error {
	m.mu.Lock()
	c := slices.Clone(m.sorted(d.DocID))
	m.mu.Unlock()
	return visit(c, fn)
}

// visit calls fn with each of chunks, stopping at its first error.
func visit(chunks []ChunkRecord, fn func(ChunkRecord) error) error {
	for _, c := range chunks {
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}
