// Package resultstore keeps accepted extractions in the KV bucket `results`: one
// key per chunk (chunk.<hex>.<index>, with its text, for chunks.jsonl and the
// dataset) and one merged record per document (doc.<hex>), updated with
// compare-and-set so that concurrent quality-route workers never lose each other's
// chunks. Accepting the same chunk twice changes nothing.
package resultstore

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	json "github.com/go-json-experiment/json/v1"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/results"
)

// CallTimeout bounds one KV call: a worker whose server is unreachable fails
// fast (its message is nak'ed and retried later) instead of holding on until
// its handling's own, much longer, deadline.
const CallTimeout = 15 * time.Second

// ListTimeout bounds listing the document keys of the bucket.
const ListTimeout = 2 * time.Minute

func (s *Store) call(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.callTimeout)
}

// WithCallTimeout sets the bound of one KV call (CallTimeout by default);
// tests shorten it. Call it before the store is shared.
func (s *Store) WithCallTimeout(d time.Duration) *Store {
	s.callTimeout = d
	return s
}

// Store reads and writes the results bucket.
type Store struct {
	kv jetstream.KeyValue
	// docLocks serialize this process's updates of one document record:
	// workers accepting chunks of the same document (they arrive together)
	// would otherwise mostly lose their compare-and-set and redo it. Other
	// processes are still kept apart by the compare-and-set.
	docLocks [64]sync.Mutex
	recent   recent
	// last holds the document records this process wrote last, with their
	// revisions, so that accepting the next chunk of a document need not read
	// its record back.
	last lastDocs
	// callTimeout bounds one KV call: CallTimeout unless a test shortens it.
	callTimeout time.Duration
}

// Open binds to the existing KV bucket (streams.Apply creates it).
func Open(ctx context.Context, js jetstream.JetStream, bucket string) (*Store, error) {
	kv, err := js.KeyValue(ctx, bucket)
	if err != nil {
		return nil, fmt.Errorf("KV bucket %s: %w", bucket, err)
	}
	return &Store{kv: kv, callTimeout: CallTimeout}, nil
}

// KV exposes the bucket for watchers.
func (s *Store) KV() jetstream.KeyValue { return s.kv }

func hexOf(docID string) string { return strings.TrimPrefix(docID, "sha256:") }

// DocKey is the key of a document record.
func DocKey(docID string) string { return "doc." + hexOf(docID) }

// DocIDOfKey is the document id of a key DocKey made.
func DocIDOfKey(key string) string { return "sha256:" + strings.TrimPrefix(key, "doc.") }

// ChunkKey is the key of a chunk record.
func ChunkKey(docID string, index int) string {
	return "chunk." + hexOf(docID) + "." + strconv.Itoa(index)
}

// maxCASAttempts bounds the compare-and-set loop; contention beyond it is an error
// worth a redelivery, not a spin.
const maxCASAttempts = 50

// Accept stores the chunk and records it in its document record; the update
// that completes the document also merges the chunks' results into it.
func (s *Store) Accept(ctx context.Context, rec results.ChunkRecord) error {
	key := DocKey(rec.DocID)
	lock := &s.docLocks[fnv32(key)%uint32(len(s.docLocks))]
	lock.Lock()
	defer lock.Unlock()
	b, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("encode chunk record: %w", err)
	}
	stored := false
	// merged is the document's merged extraction, made at most once per call: a
	// record read again after a lost compare-and-set is still complete (chunks
	// are never removed), so the same merge applies to it.
	var merged *extraction.Result
	for range maxCASAttempts {
		// The record this process wrote last spares a read: if another
		// process wrote since, the update below fails on its revision and
		// the next attempt reads the bucket.
		doc, rev, ok := s.last.take(key)
		if !ok {
			var err error
			if doc, rev, err = s.doc(ctx, key); err != nil {
				return err
			}
		}
		if rev > 0 && rec.Replay < doc.Replay {
			return nil // a chunk of a run a replay superseded: keep the replay's record
		}
		if !stored {
			cctx, cancel := s.call(ctx)
			_, err := s.kv.Put(cctx, ChunkKey(rec.DocID, rec.Index), b)
			cancel()
			if err != nil {
				return fmt.Errorf("store chunk %s: %w", rec.ChunkID, err)
			}
			stored = true
			s.recent.add(key, rec)
		}
		doc.Add(rec)
		if doc.Complete() {
			if merged == nil {
				if err := s.merge(ctx, key, &doc); err != nil {
					return err
				}
				x := doc.Extraction
				merged = &x
			}
			doc.Extraction = *merged
		}
		nb, err := json.Marshal(doc)
		if err != nil {
			return fmt.Errorf("encode document record: %w", err)
		}
		cctx, cancel := s.call(ctx)
		var next uint64
		if rev == 0 {
			next, err = s.kv.Create(cctx, key, nb)
		} else {
			next, err = s.kv.Update(cctx, key, nb, rev)
		}
		cancel()
		if err == nil {
			if !doc.Complete() {
				s.last.put(key, doc, next)
			}
			return nil
		}
		if !errors.Is(err, jetstream.ErrKeyExists) && !isWrongSequence(err) {
			return fmt.Errorf("store document %s: %w", rec.DocID, err)
		}
	}
	return fmt.Errorf("store document %s: still contended after %d attempts", rec.DocID, maxCASAttempts)
}

// merge sets doc's extraction to the merge of its chunks' results, in index
// order: from memory when this process accepted them all, else from the bucket.
func (s *Store) merge(ctx context.Context, key string, doc *results.DocRecord) error {
	if rs, ok := s.recent.take(key, doc.Replay, doc.Total); ok {
		return doc.Merge(func(fn func(results.ChunkRecord) error) error {
			for i, r := range rs {
				if err := fn(results.ChunkRecord{Index: i, Result: r}); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return doc.Merge(func(fn func(results.ChunkRecord) error) error { return s.EachChunk(ctx, *doc, fn) })
}

func fnv32(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

func isWrongSequence(err error) bool {
	var apiErr *jetstream.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence
}

func (s *Store) doc(ctx context.Context, key string) (results.DocRecord, uint64, error) {
	ctx, cancel := s.call(ctx)
	defer cancel()
	e, err := s.kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return results.DocRecord{}, 0, nil
	}
	if err != nil {
		return results.DocRecord{}, 0, fmt.Errorf("read %s: %w", key, err)
	}
	d, err := results.DecodeDoc(e.Value())
	if err != nil {
		return results.DocRecord{}, 0, fmt.Errorf("%s: %w", key, err)
	}
	return d, e.Revision(), nil
}

// Doc returns the record of docID; found is false when no chunk was accepted yet.
func (s *Store) Doc(ctx context.Context, docID string) (d results.DocRecord, found bool, err error) {
	d, rev, err := s.doc(ctx, DocKey(docID))
	return d, rev > 0, err
}

// Unreadable is a document record the bucket holds but that cannot be read.
type Unreadable struct {
	DocID string
	Err   error
}

// Docs returns every document record, sorted by source then id, and the
// records it could not read (they are skipped, so that one bad record does
// not keep every other document from being rendered). The error is for the
// listing itself.
func (s *Store) Docs(ctx context.Context) ([]results.DocRecord, []Unreadable, error) {
	lctx, cancel := context.WithTimeout(ctx, ListTimeout)
	defer cancel()
	lister, err := s.kv.ListKeysFiltered(lctx, "doc.*")
	if err != nil {
		if errors.Is(err, jetstream.ErrNoKeysFound) {
			return nil, nil, nil
		}
		return nil, nil, fmt.Errorf("list documents: %w", err)
	}
	var docs []results.DocRecord
	var bad []Unreadable
	for key := range lister.Keys() {
		d, rev, err := s.doc(ctx, key)
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		if err != nil {
			bad = append(bad, Unreadable{DocID: DocIDOfKey(key), Err: err})
			continue
		}
		if rev > 0 {
			docs = append(docs, d)
		}
	}
	SortDocs(docs)
	return docs, bad, nil
}

// SortDocs sorts document records as Docs returns them: by source, then id.
func SortDocs(docs []results.DocRecord) {
	slices.SortFunc(docs, func(a, b results.DocRecord) int {
		if c := strings.Compare(a.Source, b.Source); c != 0 {
			return c
		}
		return strings.Compare(a.DocID, b.DocID)
	})
}

// prefetch is how many chunk records EachChunk reads ahead: each read is a
// round trip to the server, and fn (rendering, merging) overlaps with them.
const prefetch = 8

// EachChunk calls fn with the accepted chunk records of d one at a time, in
// index order, reading up to prefetch records ahead, so that a document of any
// number of chunks is read with the memory of a few. It stops at the first
// error and returns it; an error of fn is returned as fn gave it.
func (s *Store) EachChunk(ctx context.Context, d results.DocRecord, fn func(results.ChunkRecord) error) error {
	type read struct {
		c   results.ChunkRecord
		err error
	}
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	queue := make(chan chan read, prefetch)
	go func() {
		defer close(queue)
		for i := range d.IndexSeq() {
			ch := make(chan read, 1)
			select {
			case queue <- ch:
			case <-rctx.Done():
				return
			}
			go func() {
				c, err := s.chunk(rctx, d.DocID, i)
				ch <- read{c, err}
			}()
		}
	}()
	for ch := range queue {
		r := <-ch
		if r.err != nil {
			return r.err
		}
		if err := fn(r.c); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// chunk reads chunk record i of docID.
func (s *Store) chunk(ctx context.Context, docID string, i int) (results.ChunkRecord, error) {
	var c results.ChunkRecord
	ctx, cancel := s.call(ctx)
	defer cancel()
	e, err := s.kv.Get(ctx, ChunkKey(docID, i))
	if err != nil {
		return c, fmt.Errorf("read chunk %d of %s: %w", i, docID, err)
	}
	if err := json.Unmarshal(e.Value(), &c); err != nil {
		return c, fmt.Errorf("decode chunk %d of %s: %w", i, docID, err)
	}
	return c, nil
}
