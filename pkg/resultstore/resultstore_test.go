package resultstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

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

// Workers accepting chunks of one document at once must not lose each other's
// chunks, and accepting a chunk again (a redelivery) must change nothing.
func TestStore_acceptConcurrentlyAndIdempotently(t *testing.T) {
	ns := natstest.Server(t)
	_, js := natstest.Connect(t, ns)
	natstest.Topology(t, js, 0)
	ctx := context.Background()
	st, err := resultstore.Open(ctx, js, "results")
	if err != nil {
		t.Fatal(err)
	}
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
	chunks, err := st.Chunks(ctx, rec)
	if err != nil || len(chunks) != total || chunks[0].Index != 0 || chunks[total-1].Index != total-1 {
		t.Errorf("chunks: %d %v", len(chunks), err)
	}
	docs, err := st.Docs(ctx)
	if err != nil || len(docs) != 1 {
		t.Errorf("docs: %d %v", len(docs), err)
	}
}
