package pipeline_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/pipeline"
	"github.com/ranstream/ranstream/pkg/results"
	"github.com/ranstream/ranstream/pkg/resultstore"
)

// The tracker holds the newest record of every document of the results
// bucket, history included, and names the records it cannot read: what
// run renders from, without listing the bucket.
func TestTracker_docRecordsFromTheWatch(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p, err := pipeline.Start(ctx, config(t), zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	kv := p.Results().KV()
	put := func(key string, v []byte) {
		if _, err := kv.Put(ctx, key, v); err != nil {
			t.Fatal(err)
		}
	}
	rec := func(id, source string, count int) []byte {
		b, err := json.Marshal(results.DocRecord{DocID: "sha256:" + id, Source: source, Total: 2, Count: count})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// before the tracker starts: history
	put(resultstore.DocKey("sha256:bb"), rec("bb", "b.md", 1))
	put(resultstore.DocKey("sha256:bb"), rec("bb", "b.md", 2))
	put(resultstore.DocKey("sha256:cc"), []byte("{not json"))
	tr, err := p.NewTracker(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	// after: live
	put(resultstore.DocKey("sha256:aa"), rec("aa", "a.md", 1))

	deadline := time.Now().Add(20 * time.Second)
	for {
		docs, bad := tr.DocRecords()
		if len(docs) == 2 && len(bad) == 1 {
			if docs[0].Source != "a.md" || docs[1].Source != "b.md" || docs[1].Count != 2 {
				t.Errorf("records %+v: want a.md then b.md, the newest of b.md (count 2)", docs)
			}
			if bad[0].DocID != "sha256:cc" || bad[0].Err == nil {
				t.Errorf("unreadable %+v: want sha256:cc with its error", bad)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("records %+v, unreadable %+v: want 2 and 1", docs, bad)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
