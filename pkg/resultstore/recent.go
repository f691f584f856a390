package resultstore

import (
	"sync"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/results"
)

// Bounds of the results kept in memory for merging.
const (
	// recentMaxTotal: only documents of at most this many chunks are kept.
	recentMaxTotal = 256
	// recentMaxResults bounds the chunk results kept over all documents; the
	// oldest documents are dropped first (their merge then reads the bucket).
	recentMaxResults = 16384
)

// recent keeps the results of the chunks this process accepted, for small
// documents, so that the update completing a document merges them from memory
// instead of reading every chunk record back from the bucket. Where another
// process accepted some of a document's chunks, it lacks them, and the merge
// reads the bucket as before.
type recent struct {
	mu    sync.Mutex
	docs  map[string]*recentDoc
	order []string // document keys, oldest first (may name dropped ones)
	n     int      // results held
}

type recentDoc struct {
	replay  string
	results map[int]extraction.Result
}

func (r *recent) add(key string, rec results.ChunkRecord) {
	if rec.Total > recentMaxTotal || rec.Index < 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.docs == nil {
		r.docs = map[string]*recentDoc{}
	}
	d, ok := r.docs[key]
	switch {
	case ok && rec.Replay < d.replay:
		return // a superseded run
	case ok && rec.Replay > d.replay:
		r.n -= len(d.results)
		d.replay, d.results = rec.Replay, map[int]extraction.Result{}
	case !ok:
		d = &recentDoc{replay: rec.Replay, results: map[int]extraction.Result{}}
		r.docs[key] = d
		r.order = append(r.order, key)
	}
	if _, had := d.results[rec.Index]; !had {
		r.n++
	}
	d.results[rec.Index] = rec.Result
	for r.n > recentMaxResults && len(r.order) > 0 {
		oldest := r.order[0]
		r.order = r.order[1:]
		if od, ok := r.docs[oldest]; ok && oldest != key {
			r.n -= len(od.results)
			delete(r.docs, oldest)
		}
	}
}

// take returns the results of chunks 0..total-1 of run replay, in index
// order, and forgets the document; ok is false when some are missing.
func (r *recent) take(key, replay string, total int) ([]extraction.Result, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.docs[key]
	if !ok || d.replay != replay || len(d.results) < total {
		return nil, false
	}
	out := make([]extraction.Result, total)
	for i := range total {
		res, ok := d.results[i]
		if !ok {
			return nil, false
		}
		out[i] = res
	}
	r.n -= len(d.results)
	delete(r.docs, key)
	return out, true
}
