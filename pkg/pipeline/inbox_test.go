package pipeline_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap/zaptest"

	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/natsbus/natstest"
	"github.com/ranstream/ranstream/pkg/pipeline"
)

// `nats object put inbox FILE`, done here through nats.go: the object is
// ingested, processed, and removed when asked; one already ingested is not again.
func TestPipeline_inboxBucketIngestsObjects(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p, tr := start(t, ctx, config(t), zaptest.NewLogger(t))
	obj, err := p.JetStream().ObjectStore(ctx, names.BucketInbox)
	if err != nil {
		t.Fatal(err)
	}
	doc := []byte("# Inbox Feature\n\nThe attribute NRCellDU.inboxParam is set. The counter NRCellDU.pmInboxHits counts.\n")
	if _, err := obj.PutBytes(ctx, "already-there.md", doc); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 4)
	wctx, wcancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- p.WatchInbox(wctx, pipeline.InboxConfig{Remove: true}, func(id, source string) {
			tr.Expect(id, source)
			found <- source
		})
	}()
	if _, err := obj.Put(ctx, jetstream.ObjectMeta{Name: "dropped-later.md"}, bytes.NewReader(append(doc, []byte("More text.\n")...))); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for len(got) < 2 {
		select {
		case s := <-found:
			got[s] = true
		case <-ctx.Done():
			t.Fatalf("inbox objects ingested: %v", got)
		}
	}
	if err := tr.Wait(ctx, nil); err != nil {
		t.Fatal(err)
	}
	for _, st := range tr.Statuses() {
		rec, ok, err := p.Results().Doc(ctx, st.ID)
		if err != nil || !ok || !rec.Complete() {
			t.Errorf("%s not processed: %v %v", st.Source, ok, err)
		}
	}
	// Removed once ingested: the bucket is empty again.
	deadline := time.Now().Add(10 * time.Second)
	for {
		list, err := obj.List(ctx)
		if err == jetstream.ErrNoObjectsFound || (err == nil && len(list) == 0) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("inbox still holds %d objects (%v)", len(list), err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The same bytes again under another name: the same document, which has
	// results already, so docs.received is not published again.
	received := natstest.Count(t, p.JetStream(), "DOCS", "docs.received")
	if _, err := obj.PutBytes(ctx, "same-bytes.md", doc); err != nil {
		t.Fatal(err)
	}
	select {
	case s := <-found:
		if s != "same-bytes.md" {
			t.Errorf("%s ingested again", s)
		}
	case <-ctx.Done():
		t.Fatal("same-bytes.md never taken")
	}
	if n := natstest.Count(t, p.JetStream(), "DOCS", "docs.received"); n != received {
		t.Errorf("%d docs.received after the same bytes again, want %d", n, received)
	}
	wcancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
