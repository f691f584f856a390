package ingest_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/blobstore"
	"github.com/ranstream/ranstream/pkg/fault"
	"github.com/ranstream/ranstream/pkg/ingest"
	"github.com/ranstream/ranstream/pkg/natsbus/natstest"
)

func store(t *testing.T) *blobstore.Store {
	t.Helper()
	ns := natstest.Server(t)
	_, js := natstest.Connect(t, ns)
	natstest.Topology(t, js, 0)
	s, err := blobstore.Open(context.Background(), js, "blobs")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// A document is its bytes: stored once under their sha256, named by it.
func TestIngester_storesDocumentsByTheirBytes(t *testing.T) {
	blobs := store(t)
	ing := ingest.New(ingest.Config{MaxSize: 1 << 20}, blobs)
	ctx := context.Background()
	dir := t.TempDir()
	body := []byte("# Feature\n\nThe attribute EUtranCellFDD.x is set.\n")
	path := filepath.Join(dir, "a.md")
	if err := os.WriteFile(path, body, 0o644); err != nil {
		t.Fatal(err)
	}
	want := digest(body)
	for name, ingestIt := range map[string]func() (string, string, int64, error){
		"file": func() (string, string, int64, error) {
			ev, err := ing.File(ctx, path, "docs/a.md")
			return ev.Doc.ID, ev.Doc.Blob, ev.Doc.Size, err
		},
		"bytes": func() (string, string, int64, error) {
			ev, err := ing.Bytes(ctx, "x.zip/a.md", "sha256:parent", body)
			return ev.Doc.ID, ev.Doc.Blob, ev.Doc.Size, err
		},
		"reader": func() (string, string, int64, error) {
			ev, err := ing.Reader(ctx, "inbox:a.md", "", want, int64(len(body)), bytes.NewReader(body))
			return ev.Doc.ID, ev.Doc.Blob, ev.Doc.Size, err
		},
	} {
		id, blob, size, err := ingestIt()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if id != "sha256:"+want || blob != ingest.BlobName(want) || size != int64(len(body)) {
			t.Errorf("%s: id %s blob %s size %d", name, id, blob, size)
		}
		got, err := blobs.Get(ctx, blob)
		if err != nil || !bytes.Equal(got, body) {
			t.Errorf("%s: stored %q, %v", name, got, err)
		}
	}
}

// What ingest refuses for good is a permanent error (a dead letter at once),
// before any byte is stored.
func TestIngester_refusals(t *testing.T) {
	blobs := store(t)
	ing := ingest.New(ingest.Config{MaxSize: 16}, blobs)
	ctx := context.Background()
	dir := t.TempDir()
	big := filepath.Join(dir, "big.md")
	if err := os.WriteFile(big, []byte(strings.Repeat("x", 17)), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"over the size limit": func() error { _, err := ing.File(ctx, big, "big.md"); return err },
		"missing file":        func() error { _, err := ing.File(ctx, filepath.Join(dir, "none.md"), "none.md"); return err },
		"a directory":         func() error { _, err := ing.File(ctx, dir, "dir"); return err },
		"bytes over the limit": func() error {
			_, err := ing.Bytes(ctx, "m.md", "", bytes.Repeat([]byte("y"), 17))
			return err
		},
		"reader over the limit": func() error {
			_, err := ing.Reader(ctx, "o.md", "", digest([]byte("z")), 17, strings.NewReader("z"))
			return err
		},
	} {
		err := call()
		if err == nil || !fault.IsPermanent(err) {
			t.Errorf("%s: %v, want a permanent error", name, err)
		}
	}
	if ok, _ := blobs.Exists(ctx, ingest.BlobName(digest([]byte(strings.Repeat("x", 17))))); ok {
		t.Error("a refused file was stored")
	}
}

// Bytes that do not match the digest they are stored under are never stored
// (a file rewritten between hashing and storing).
func TestIngester_readerWithWrongDigestIsNotStored(t *testing.T) {
	blobs := store(t)
	ing := ingest.New(ingest.Config{MaxSize: 1 << 20}, blobs)
	ctx := context.Background()
	claimed := digest([]byte("what was hashed"))
	_, err := ing.Reader(ctx, "x.md", "", claimed, 13, io.LimitReader(strings.NewReader("other content"), 13))
	if err == nil {
		t.Error("other bytes than the digest names were accepted")
	}
	if ok, _ := blobs.Exists(ctx, ingest.BlobName(claimed)); ok {
		t.Fatal("bytes stored under the digest of other bytes")
	}
}
