package blobstore_test

import (
	"bytes"
	"context"
	"errors"
	"github.com/nats-io/nats-server/v2/server"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ranstream/ranstream/pkg/blobstore"
	"github.com/ranstream/ranstream/pkg/natsbus/natstest"
)

// open starts a server with the topology and opens its blobs bucket.
func open(t *testing.T) (*server.Server, *blobstore.Store) {
	t.Helper()
	ns := natstest.Server(t)
	_, js := natstest.Connect(t, ns)
	natstest.Topology(t, js, 0)
	s, err := blobstore.Open(context.Background(), js, "blobs")
	if err != nil {
		t.Fatal(err)
	}
	return ns, s
}

func TestStore_roundTrip(t *testing.T) {
	_, s := open(t)
	ctx := context.Background()
	text := strings.Repeat("a line of document text\n", 20000) // several 32 KiB chunks
	if err := s.Put(ctx, "doc-1", strings.NewReader(text)); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, "doc-1", strings.NewReader("not stored again")); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, "doc-1")
	if err != nil || string(got) != text {
		t.Fatalf("Get: %d bytes, err %v; want %d bytes", len(got), err, len(text))
	}
	head, err := s.Head(ctx, "doc-1", 10)
	if err != nil || string(head) != text[:10] {
		t.Fatalf("Head = %q, %v", head, err)
	}
	r, err := s.Open(ctx, "doc-1")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, r); err != nil || buf.String() != text {
		t.Fatalf("Open: %d bytes, %v", buf.Len(), err)
	}
	r.Close()
	if _, err := s.Get(ctx, "missing"); !errors.Is(err, blobstore.ErrNotFound) {
		t.Errorf("Get(missing) = %v, want ErrNotFound", err)
	}
	if size, found, err := s.Size(ctx, "doc-1"); err != nil || !found || size != int64(len(text)) {
		t.Errorf("Size = %d, %v, %v", size, found, err)
	}
}

// With the server gone, every call fails within its own bound instead of
// hanging on the caller's (long or absent) deadline: the worker is freed and
// its message retried later.
func TestStore_failsFastWithoutServer(t *testing.T) {
	ns, opened := open(t)
	ctx := context.Background()
	s := opened.WithTimeouts(300*time.Millisecond, 500*time.Millisecond)
	if err := s.Put(ctx, "doc-1", strings.NewReader("stored before the outage")); err != nil {
		t.Fatal(err)
	}
	ns.Shutdown()
	ns.WaitForShutdown()
	// A handler's context: its deadline is minutes away.
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	for name, op := range map[string]func() error{
		"Exists": func() error { _, err := s.Exists(ctx, "doc-1"); return err },
		"Put":    func() error { return s.Put(ctx, "doc-2", strings.NewReader("new")) },
		"Get":    func() error { _, err := s.Get(ctx, "doc-1"); return err },
		"Size":   func() error { _, _, err := s.Size(ctx, "doc-1"); return err },
	} {
		began := time.Now()
		err := op()
		took := time.Since(began)
		if err == nil {
			t.Errorf("%s succeeded without a server", name)
		}
		if took > 3*time.Second {
			t.Errorf("%s took %s to fail, want about its bound", name, took)
		}
	}
}

// A read whose data stops coming (the server gone in the middle) fails
// within the stall bound, however far away the caller's deadline is: nats.go
// waits on the object's chunks until the context's deadline.
func TestStore_stalledReadFailsWithinItsBound(t *testing.T) {
	ns, opened := open(t)
	ctx := context.Background()
	s := opened.WithTimeouts(time.Second, 500*time.Millisecond)
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<20) // 16 MiB, 512 chunks
	if err := s.Put(ctx, "big", bytes.NewReader(big)); err != nil {
		t.Fatal(err)
	}
	hctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	r, err := s.Open(hctx, "big")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := io.ReadFull(r, make([]byte, 64<<10)); err != nil {
		t.Fatal(err)
	}
	ns.Shutdown()
	began := time.Now()
	n, err := io.Copy(io.Discard, r)
	took := time.Since(began)
	if err == nil && n != int64(len(big))-64<<10 {
		t.Fatalf("read %d bytes without an error, want all or an error", n)
	}
	if took > 5*time.Second {
		t.Errorf("the read took %s after the server went away, want about the 500ms stall bound (err %v)", took, err)
	}
	t.Logf("after the outage: %d more bytes in %s, %v", n, took.Round(time.Millisecond), err)
}
