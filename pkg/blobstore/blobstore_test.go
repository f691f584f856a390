package blobstore_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/ranstream/ranstream/pkg/blobstore"
	"github.com/ranstream/ranstream/pkg/natsbus/natstest"
)

// open starts a server with the topology and opens its blobs bucket.
func open(t testing.TB) (*server.Server, *blobstore.Store) {
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

// Get and Head read a blob of a few chunks by direct gets, a large one
// streamed; what they return is checked against the blob's digest, and a
// blob deleted through the bucket is not found.
func TestStore_getReadsEveryChunkAndChecksTheDigest(t *testing.T) {
	ns, s := open(t)
	ctx := context.Background()
	_, js := natstest.Connect(t, ns)
	obj, err := js.ObjectStore(ctx, "blobs")
	if err != nil {
		t.Fatal(err)
	}
	small := bytes.Repeat([]byte("0123456789abcdef"), 5000)  // 80,000 bytes: three 32 KiB chunks
	large := bytes.Repeat([]byte("fedcba9876543210"), 1<<17) // 2 MiB: over the direct bound
	for name, b := range map[string][]byte{"small": small, "large": large, "empty": nil} {
		if err := s.PutBytes(ctx, name, b); err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, name)
		if err != nil || !bytes.Equal(got, b) {
			t.Errorf("Get(%s): %d bytes, %v; want %d bytes", name, len(got), err, len(b))
		}
	}
	for _, n := range []int{1, 32 << 10, 40000, len(small), len(small) + 10} {
		got, err := s.Head(ctx, "small", n)
		if want := small[:min(n, len(small))]; err != nil || !bytes.Equal(got, want) {
			t.Errorf("Head(small, %d): %d bytes, %v; want %d bytes", n, len(got), err, len(want))
		}
	}

	// A chunk replaced by other bytes of the same length: the digest no
	// longer matches.
	info, err := obj.GetInfo(ctx, "small")
	if err != nil {
		t.Fatal(err)
	}
	stream, err := js.Stream(ctx, "OBJ_blobs")
	if err != nil {
		t.Fatal(err)
	}
	subject := "$O.blobs.C." + info.NUID
	first, err := stream.GetMsg(ctx, 1, jetstream.WithGetMsgSubject(subject))
	if err != nil {
		t.Fatal(err)
	}
	rest := [][]byte{}
	for seq := first.Sequence + 1; ; seq++ {
		m, err := stream.GetMsg(ctx, seq, jetstream.WithGetMsgSubject(subject))
		if err != nil {
			break
		}
		rest = append(rest, m.Data)
		seq = m.Sequence
	}
	if err := stream.DeleteMsg(ctx, first.Sequence); err != nil {
		t.Fatal(err)
	}
	if _, err := js.Publish(ctx, subject, bytes.ToUpper(first.Data)); err != nil {
		t.Fatal(err)
	}
	for _, d := range rest { // the later chunks again, after the altered first
		if _, err := js.Publish(ctx, subject, d); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Get(ctx, "small"); err == nil || !strings.Contains(err.Error(), "digest") {
		t.Errorf("Get of an altered blob = %v, want a digest error", err)
	}

	if err := obj.Delete(ctx, "large"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "large"); !errors.Is(err, blobstore.ErrNotFound) {
		t.Errorf("Get of a deleted blob = %v, want ErrNotFound", err)
	}
	if _, err := s.Head(ctx, "large", 10); !errors.Is(err, blobstore.ErrNotFound) {
		t.Errorf("Head of a deleted blob = %v, want ErrNotFound", err)
	}
}
