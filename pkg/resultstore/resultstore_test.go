package resultstore_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/natsbus/natstest"
	"github.com/ranstream/ranstream/pkg/results"
	"github.com/ranstream/ranstream/pkg/resultstore"
)

func chunk(doc string, i, total int) results.ChunkRecord {
	return results.ChunkRecord{
		DocID: doc, Source: "a.md", Format: "markdown", ChunkID: fmt.Sprintf("%s-%d", doc, i), Index: i, Total: total,
		Text: "text", Mode: extraction.ModeBasic, ModesTried: []extraction.Mode{extraction.ModeBasic}, Quality: 0.5,
		Result: extraction.Result{Counters: []extraction.Counter{
			{Name: fmt.Sprintf("EUtranCellFDD.pmC%d", i), MOClass: "EUtranCellFDD"},
			{Name: "EUtranCellFDD.pmShared", MOClass: "EUtranCellFDD"},
		}},
	}
}

func open(t *testing.T) *resultstore.Store {
	t.Helper()
	ns := natstest.Server(t)
	_, js := natstest.Connect(t, ns)
	natstest.Topology(t, js, 0)
	st, err := resultstore.Open(context.Background(), js, "results")
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func seq(from, to int) []int {
	var out []int
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

// visit walks the chunks of d with EachChunk and returns the indexes seen;
// with stopAfter >= 0 the callback returns stop after that many chunks, and
// visit checks that EachChunk returned it.
func visit(t *testing.T, st *resultstore.Store, d results.DocRecord, stopAfter int, stop error) []int {
	t.Helper()
	var idx []int
	err := st.EachChunk(context.Background(), d, func(c results.ChunkRecord) error {
		if c.DocID != d.DocID {
			t.Errorf("chunk of %s visited for %s", c.DocID, d.DocID)
		}
		if len(idx) == stopAfter {
			return stop
		}
		idx = append(idx, c.Index)
		return nil
	})
	if stopAfter < 0 && err != nil {
		t.Fatal(err)
	}
	if stopAfter >= 0 && !errors.Is(err, stop) {
		t.Fatalf("EachChunk returned %v, want the callback's error %v", err, stop)
	}
	return idx
}

// A document of hundreds of chunks accepted in any order ends with the merge of
// all its chunks in index order, made by the accept that completes it.
func TestStore_acceptInAnyOrderMergesInIndexOrder(t *testing.T) {
	st := open(t)
	ctx := context.Background()
	const doc, total = "sha256:f00d", 300
	order := seq(0, total)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	for n, i := range order {
		if err := st.Accept(ctx, chunk(doc, i, total)); err != nil {
			t.Fatal(err)
		}
		if n == total-2 {
			rec, _, err := st.Doc(ctx, doc)
			if err != nil {
				t.Fatal(err)
			}
			if rec.Complete() || len(rec.Extraction.Counters) != 0 {
				t.Fatalf("merged before the last chunk: complete %v, %d counters", rec.Complete(), len(rec.Extraction.Counters))
			}
		}
	}
	rec, found, err := st.Doc(ctx, doc)
	if err != nil || !found || !rec.Complete() {
		t.Fatalf("doc: found %v complete %v: %v", found, rec.Complete(), err)
	}
	var want extraction.Result
	for i := range total {
		extraction.Merge(&want, chunk(doc, i, total).Result)
	}
	if got, w := fmt.Sprint(rec.Extraction), fmt.Sprint(want); got != w {
		t.Errorf("merged extraction differs from the in-order merge:\n got %.300s\nwant %.300s", got, w)
	}
	if len(rec.Extraction.Counters) != total+1 || rec.Extraction.Counters[0].Name != "EUtranCellFDD.pmC0" {
		t.Errorf("%d counters, first %+v", len(rec.Extraction.Counters), rec.Extraction.Counters[0])
	}
	if idx := visit(t, st, rec, -1, nil); !slices.Equal(idx, seq(0, total)) {
		t.Errorf("visited %d chunks, not 0..%d in order", len(idx), total-1)
	}
}

// EachChunk visits only the accepted chunks, in index order, and stops at the
// callback's first error.
func TestStore_eachChunkVisitsInOrderAndStops(t *testing.T) {
	st := open(t)
	ctx := context.Background()
	const doc, total = "sha256:beef", 40
	accepted := []int{17, 0, 8, 39, 7, 16, 9, 24}
	for _, i := range accepted {
		if err := st.Accept(ctx, chunk(doc, i, total)); err != nil {
			t.Fatal(err)
		}
	}
	rec, _, err := st.Doc(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	if idx := visit(t, st, rec, -1, nil); !slices.Equal(idx, []int{0, 7, 8, 9, 16, 17, 24, 39}) {
		t.Errorf("visited %v", idx)
	}
	stop := errors.New("enough")
	if idx := visit(t, st, rec, 3, stop); !slices.Equal(idx, []int{0, 7, 8}) {
		t.Errorf("visited %v before stopping, want [0 7 8]", idx)
	}
	// A chunk the record names but the bucket lacks is an error naming it.
	rec.Accepted[0] |= 1 << 1
	err = st.EachChunk(ctx, rec, func(results.ChunkRecord) error { return nil })
	if err == nil || !errors.Is(err, jetstream.ErrKeyNotFound) {
		t.Errorf("missing chunk 1: %v", err)
	}
}

// Workers accepting chunks of one document at once must not lose each other's
// chunks, and accepting a chunk again (a redelivery) must change nothing.
func TestStore_acceptConcurrentlyAndIdempotently(t *testing.T) {
	st := open(t)
	ctx := context.Background()
	const doc, total = "sha256:abcd", 24
	var wg sync.WaitGroup
	errs := make(chan error, total*2)
	for i := range total {
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- st.Accept(ctx, chunk(doc, i, total))
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	rec, found, err := st.Doc(ctx, doc)
	if err != nil || !found {
		t.Fatalf("doc: %v %v", found, err)
	}
	if !rec.Complete() || rec.Count != total {
		t.Fatalf("%d of %d chunks recorded", rec.Count, total)
	}
	if q := rec.Quality(); q != 0.5 || rec.Mode() != extraction.ModeBasic {
		t.Errorf("quality %.3f mode %q, want 0.5 basic: a redelivered chunk counted twice?", q, rec.Mode())
	}
	if got := len(rec.Extraction.Counters); got != total+1 {
		t.Errorf("%d counters merged, want %d (one per chunk plus the shared one once)", got, total+1)
	}
	if idx := visit(t, st, rec, -1, nil); !slices.Equal(idx, seq(0, total)) {
		t.Errorf("chunks visited: %v", idx)
	}
	docs, bad, err := st.Docs(ctx)
	if err != nil || len(docs) != 1 || len(bad) != 0 {
		t.Errorf("docs: %d %v, unreadable %v", len(docs), err, bad)
	}
}

// openTwice opens two stores on one bucket: two quality-route processes.
func openTwice(t *testing.T) (*resultstore.Store, *resultstore.Store, jetstream.KeyValue) {
	t.Helper()
	ns := natstest.Server(t)
	_, js := natstest.Connect(t, ns)
	natstest.Topology(t, js, 0)
	a, err := resultstore.Open(context.Background(), js, "results")
	if err != nil {
		t.Fatal(err)
	}
	b, err := resultstore.Open(context.Background(), js, "results")
	if err != nil {
		t.Fatal(err)
	}
	kv, err := js.KeyValue(context.Background(), "results")
	if err != nil {
		t.Fatal(err)
	}
	return a, b, kv
}

func wantMerged(t *testing.T, got extraction.Result, total int) {
	t.Helper()
	var want extraction.Result
	for i := range total {
		extraction.Merge(&want, chunk("sha256:aa", i, total).Result)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("merged %v\nwant %v", got, want)
	}
}

// A small document whose chunks this process accepted all is merged from
// memory: it completes even with its chunk records gone from the bucket.
// Chunks split over two processes are merged from the bucket.
func TestStore_smallDocumentsMergeFromMemory(t *testing.T) {
	ctx := context.Background()
	t.Run("one process", func(t *testing.T) {
		st, _, kv := openTwice(t)
		const total = 20
		order := rand.Perm(total)
		for n, i := range order {
			if n == total-1 {
				// Records gone from the bucket before the completing accept:
				// the merge can only come from memory.
				for k := range total {
					if err := kv.Purge(ctx, resultstore.ChunkKey("sha256:aa", k)); err != nil {
						t.Fatal(err)
					}
				}
			}
			if err := st.Accept(ctx, chunk("sha256:aa", i, total)); err != nil {
				t.Fatal(err)
			}
		}
		d, found, err := st.Doc(ctx, "sha256:aa")
		if err != nil || !found || !d.Complete() {
			t.Fatalf("record %+v %v %v", d, found, err)
		}
		wantMerged(t, d.Extraction, total)
	})
	t.Run("two processes", func(t *testing.T) {
		a, b, _ := openTwice(t)
		const total = 20
		for _, i := range rand.Perm(total) {
			st := a
			if i%2 == 1 {
				st = b
			}
			if err := st.Accept(ctx, chunk("sha256:aa", i, total)); err != nil {
				t.Fatal(err)
			}
		}
		d, _, err := a.Doc(ctx, "sha256:aa")
		if err != nil || !d.Complete() {
			t.Fatalf("record %+v %v", d, err)
		}
		wantMerged(t, d.Extraction, total)
	})
}

// Two processes accepting chunks of one document in turn: each one's last
// written record goes stale as soon as the other writes, and its update must
// then read the bucket again instead of overwriting the other's chunks.
func TestStore_alternatingProcessesKeepEveryChunk(t *testing.T) {
	a, b, _ := openTwice(t)
	ctx := context.Background()
	const doc, total = "sha256:aa", 9
	for i := range total {
		st := a
		if i%3 == 1 {
			st = b // a, b, a, a, b, a...: each sees the other's writes
		}
		if err := st.Accept(ctx, chunk(doc, i, total)); err != nil {
			t.Fatal(err)
		}
		if i == 4 {
			// A redelivery to the other process changes nothing.
			if err := b.Accept(ctx, chunk(doc, 3, total)); err != nil {
				t.Fatal(err)
			}
		}
	}
	rec, found, err := a.Doc(ctx, doc)
	if err != nil || !found {
		t.Fatalf("doc: %v %v", found, err)
	}
	if !rec.Complete() || rec.Count != total {
		t.Fatalf("%d of %d chunks recorded (%v)", rec.Count, total, rec.Indexes())
	}
	wantMerged(t, rec.Extraction, total)
}
