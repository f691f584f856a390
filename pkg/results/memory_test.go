package results

import (
	"context"
	"testing"

	"github.com/ranstream/ranstream/pkg/extraction"
)

// Chunks accepted out of order, one twice, make one record whose extraction
// is merged in index order once the last is in, and EachChunk gives them in
// index order.
func TestMemory_mergesInIndexOrderOnceComplete(t *testing.T) {
	ctx := context.Background()
	m := NewMemory()
	chunk := func(i int, step string) ChunkRecord {
		return ChunkRecord{DocID: "sha256:aa", Source: "a.md", Index: i, Total: 3, Mode: extraction.ModeBasic,
			Result: extraction.Result{ActivationProcedures: []extraction.Activation{{Kind: "activate", Steps: []string{step}}}}}
	}
	for _, c := range []ChunkRecord{chunk(2, "third"), chunk(0, "first"), chunk(2, "third again")} {
		if err := m.Accept(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	docs := m.Docs()
	if len(docs) != 1 || docs[0].Complete() || docs[0].Count != 2 {
		t.Fatalf("after two distinct chunks of three: %+v", docs)
	}
	if err := m.Accept(ctx, chunk(1, "second")); err != nil {
		t.Fatal(err)
	}
	d := m.Docs()[0]
	if !d.Complete() {
		t.Fatal("record not complete after every chunk")
	}
	var steps []string
	for _, a := range d.Extraction.ActivationProcedures {
		steps = append(steps, a.Steps...)
	}
	if want := []string{"first", "second", "third"}; !equal(steps, want) {
		t.Errorf("merged steps %v, want %v", steps, want)
	}
	var idx []int
	if err := m.EachChunk(d, func(c ChunkRecord) error { idx = append(idx, c.Index); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(idx) != 3 || idx[0] != 0 || idx[1] != 1 || idx[2] != 2 {
		t.Errorf("EachChunk indexes %v", idx)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
