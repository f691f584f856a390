package pipeline_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/natsbus/natstest"
	"github.com/ranstream/ranstream/pkg/pipeline"
)

// restartable is a JetStream server that a test stops and starts again on the
// same port with the same store, as a node that fails and comes back.
type restartable struct {
	t    *testing.T
	opts server.Options
	ns   *server.Server
}

func newRestartable(t *testing.T) *restartable {
	r := &restartable{t: t, opts: server.Options{
		Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(), NoSigs: true, NoLog: true, MaxPayload: 8 << 20,
	}}
	r.start()
	r.opts.Port = r.ns.Addr().(*net.TCPAddr).Port
	t.Cleanup(r.stop)
	return r
}

func (r *restartable) start() {
	r.t.Helper()
	opts := r.opts
	ns, err := server.NewServer(&opts)
	if err != nil {
		r.t.Fatalf("nats server: %v", err)
	}
	ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		r.t.Fatal("nats server not ready")
	}
	r.ns = ns
}

func (r *restartable) stop() {
	if r.ns != nil {
		r.ns.Shutdown()
		r.ns.WaitForShutdown()
	}
}

// retryLog is a test logger that also signals each failed ingest attempt.
func retryLog(t *testing.T, failed chan<- string) *zap.Logger {
	return zaptest.NewLogger(t, zaptest.WrapOptions(zap.Hooks(func(e zapcore.Entry) error {
		if strings.HasPrefix(e.Message, "ingest: ") && strings.HasSuffix(e.Message, "failed, retrying") {
			select {
			case failed <- e.Message:
			default:
			}
		}
		return nil
	})))
}

// The NATS server goes away in the middle of an ingest and comes back with its
// store: the files ingested while it is down fail, are retried, and arrive once
// it is back; every file becomes a document, processed to the end, once.
func TestIngest_serverRestartLosesNothing(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv := newRestartable(t)
	failed := make(chan string, 1)
	cfg := config(t)
	cfg.NATS.URL, cfg.NATS.DataDir = srv.ns.ClientURL(), ""
	cfg.Ingest = pipeline.IngestConfig{Attempts: 40, Backoff: 100 * time.Millisecond, MaxBackoff: 500 * time.Millisecond,
		CallTimeout: 2 * time.Second, PutTimeout: 2 * time.Second}
	p, tr := start(t, ctx, cfg, retryLog(t, failed))

	const files = 12
	dir := writeDocs(t, files)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ingested atomic.Int32
	type outcome struct {
		source, id string
		err        error
	}
	outcomes := make(chan outcome, files)
	stopped := make(chan struct{})
	go func() {
		for i, e := range entries {
			if i == 3 {
				<-stopped // the rest is ingested while the server is down
			}
			id, err := p.Ingest(ctx, filepath.Join(dir, e.Name()), e.Name())
			ingested.Add(1)
			outcomes <- outcome{e.Name(), id, err}
		}
	}()
	var got []outcome
	for len(got) < 3 {
		got = append(got, <-outcomes)
	}
	srv.stop()
	close(stopped)
	select {
	case <-failed: // an ingest failed while the server was down
	case <-ctx.Done():
		t.Fatal("no ingest attempt failed while the server was down")
	}
	if n := ingested.Load(); n != 3 {
		t.Fatalf("%d files ingested with the server down", n-3)
	}
	srv.start()
	for len(got) < files {
		select {
		case o := <-outcomes:
			got = append(got, o)
		case <-ctx.Done():
			t.Fatalf("%d of %d files ingested", len(got), files)
		}
	}
	for _, o := range got {
		if o.err != nil || o.id == "" {
			t.Errorf("%s: id %q, error %v", o.source, o.id, o.err)
			continue
		}
		tr.Ingested(o.source, o.id)
	}
	if err := tr.Wait(ctx, nil); err != nil {
		t.Fatal(err)
	}
	for _, st := range tr.Statuses() {
		if !st.Accepted.Complete() || st.DocFailed != "" || len(st.Failed) > 0 {
			t.Errorf("%s: %d of %d chunks accepted, failed %q %v", st.Source, st.Accepted.Count, st.Total, st.DocFailed, st.Failed)
		}
	}
	if n := len(tr.Statuses()); n != files {
		t.Errorf("%d documents, want %d", n, files)
	}
	if n := natstest.Count(t, p.JetStream(), "DOCS", names.SubjectReceived); n != files {
		t.Errorf("%d docs.received, want %d: one per file", n, files)
	}
	if n := natstest.Count(t, p.JetStream(), "DLQ", "dlq.>"); n != 0 {
		t.Errorf("%d dead letters after a server restart", n)
	}
}

// What cannot be ingested ends on dlq.ingest with its reason: a file over the
// size limit at once, a store that keeps failing after the retries; both are
// kept, and the caller is told which may succeed later.
func TestIngest_deadLettersWhatCannotBeIngested(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cfg := config(t)
	cfg.Stages = nil
	cfg.MaxDocSize = 1 << 10
	cfg.Ingest = pipeline.IngestConfig{Attempts: 3, Backoff: 20 * time.Millisecond, CallTimeout: time.Second, PutTimeout: time.Second}
	p, _ := start(t, ctx, cfg, zaptest.NewLogger(t))
	dir := t.TempDir()
	big, small := filepath.Join(dir, "big.md"), filepath.Join(dir, "small.md")
	if err := os.WriteFile(big, []byte(strings.Repeat("x", 2<<10)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(small, []byte("# Small\n\nFits.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if id, err := p.Ingest(ctx, big, "big.md"); id != "" || err != nil {
		t.Errorf("over the size limit: id %q, error %v; want dead-lettered (no id, no error)", id, err)
	}
	// The blobs bucket is gone: every put fails, however often it is tried.
	if err := p.JetStream().DeleteObjectStore(ctx, names.BucketBlobs); err != nil {
		t.Fatal(err)
	}
	if id, err := p.Ingest(ctx, small, "small.md"); id != "" || !errors.Is(err, pipeline.ErrDeadLettered) {
		t.Errorf("store failing: id %q, error %v; want dead-lettered after the retries", id, err)
	}
	dead := natstest.Messages[event.DeadLetter](t, p.JetStream(), "DLQ", "dlq.ingest", 2, 10*time.Second)
	reasons := map[string]string{}
	for _, dl := range dead {
		reasons[dl.Source] = dl.Reason
	}
	if !strings.Contains(reasons["big.md"], "size limit") {
		t.Errorf("big.md: dead letter %q, want the size limit", reasons["big.md"])
	}
	if !strings.Contains(reasons["small.md"], "retries exhausted after 3 attempts") {
		t.Errorf("small.md: dead letter %q, want retries exhausted after 3 attempts", reasons["small.md"])
	}
}
