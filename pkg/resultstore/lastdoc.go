package resultstore

import (
	"sync"

	"github.com/ranstream/ranstream/pkg/results"
)

// lastDocsMax bounds the records kept: documents in work at once, far more
// than the workers of a quality-route process accept chunks of.
const lastDocsMax = 1024

// lastDocs keeps, per document key, the record this process last wrote and
// the revision the bucket gave it. A record is taken out while it is being
// updated and put back with its new revision once the update succeeded, so a
// failed update (another process wrote in between: the compare-and-set
// refuses the stale revision) leaves nothing behind and the next attempt
// reads the bucket.
type lastDocs struct {
	mu   sync.Mutex
	docs map[string]lastDoc
}

type lastDoc struct {
	doc results.DocRecord
	rev uint64
}

// take removes and returns the record kept for key.
func (l *lastDocs) take(key string) (results.DocRecord, uint64, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	d, ok := l.docs[key]
	if ok {
		delete(l.docs, key)
	}
	return d.doc, d.rev, ok
}

// put keeps doc, written at revision rev, for key; when full, the records
// kept are dropped (their next chunk reads the bucket).
func (l *lastDocs) put(key string, doc results.DocRecord, rev uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.docs == nil || len(l.docs) >= lastDocsMax {
		l.docs = map[string]lastDoc{}
	}
	l.docs[key] = lastDoc{doc: doc, rev: rev}
}
