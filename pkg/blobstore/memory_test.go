package blobstore_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/blobstore"
)

// The in-memory store keeps the bucket's contract: the first bytes stored
// under a name stay, a copy is kept, and an unknown name is ErrNotFound.
func TestMemory_keepsTheStoreContract(t *testing.T) {
	ctx := context.Background()
	m := blobstore.NewMemory()
	data := []byte("first text")
	if err := m.PutBytes(ctx, "a", data); err != nil {
		t.Fatal(err)
	}
	data[0] = 'X'
	if err := m.Put(ctx, "a", strings.NewReader("second")); err != nil {
		t.Fatal(err)
	}
	got, err := m.Get(ctx, "a")
	if err != nil || string(got) != "first text" {
		t.Fatalf("Get a = %q, %v; want the first bytes, copied", got, err)
	}
	if head, _ := m.Head(ctx, "a", 5); string(head) != "first" {
		t.Errorf("Head 5 = %q", head)
	}
	if size, ok, _ := m.Size(ctx, "a"); !ok || size != 10 {
		t.Errorf("Size = %d, %v", size, ok)
	}
	r, err := m.Open(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	if !bytes.Equal(b, got) {
		t.Errorf("Open read %q", b)
	}
	if _, err := m.Get(ctx, "missing"); !errors.Is(err, blobstore.ErrNotFound) {
		t.Errorf("Get missing: %v, want ErrNotFound", err)
	}
	if _, ok, _ := m.Size(ctx, "missing"); ok {
		t.Error("Size reports a missing name as stored")
	}
}
