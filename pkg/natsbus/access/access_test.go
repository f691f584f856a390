package access_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"
	"go.uber.org/zap/zaptest/observer"

	"github.com/ranstream/ranstream/pkg/app"
	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/natsbus"
	"github.com/ranstream/ranstream/pkg/natsbus/access"
	"github.com/ranstream/ranstream/pkg/output"
	"github.com/ranstream/ranstream/pkg/pipeline"
	"github.com/ranstream/ranstream/pkg/sizing"
	"github.com/ranstream/ranstream/streams"
)

// ackWait is the consumers' ack wait in these tests, the same for the admin
// who applies them and the services that update theirs at start.
const ackWait = 10 * time.Second

// secureCluster is a NATS server started from deploy/nats/node-a.conf with
// the users Generate wrote (its cluster routes and ports replaced by one
// loopback node), and the topology applied by the admin.
type secureCluster struct {
	url   string
	creds string
	ns    *server.Server
}

func (c secureCluster) seed(user string) string { return filepath.Join(c.creds, access.SeedFile(user)) }

func startSecure(t *testing.T, tls bool) secureCluster {
	t.Helper()
	set, err := streams.Load()
	if err != nil {
		t.Fatal(err)
	}
	// The node configurations include secrets/ next to them, as in deploy/nats.
	root := t.TempDir()
	nodes := filepath.Join(root, "nats")
	creds := filepath.Join(nodes, "secrets")
	if _, err := access.Generate(set, access.Options{Dir: creds, TLS: tls}); err != nil {
		t.Fatal(err)
	}
	node, err := os.ReadFile(filepath.Join(repoRoot(t), "deploy", "nats", "node-a.conf"))
	if err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(nodes, "node-a.conf")
	if err := os.WriteFile(conf, node, 0o644); err != nil {
		t.Fatal(err)
	}
	opts, err := server.ProcessConfigFile(conf)
	if err != nil {
		t.Fatalf("node-a.conf with the generated includes: %v", err)
	}
	opts.Host, opts.Port, opts.HTTPPort = "127.0.0.1", -1, 0
	opts.Cluster, opts.Routes = server.ClusterOpts{}, nil
	opts.StoreDir = filepath.Join(root, "store")
	opts.NoSigs, opts.NoLog = true, true
	ns, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats server not ready")
	}
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	c := secureCluster{url: ns.ClientURL(), creds: creds, ns: ns}

	_, js := c.connect(t, access.Admin, zaptest.NewLogger(t))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := streams.Apply(ctx, js, set, streams.Options{AckWait: ackWait}); err != nil {
		t.Fatalf("admin applies the topology: %v", err)
	}
	return c
}

// natsConfig is how user connects: its own seed, and TLS when it is on.
func (c secureCluster) natsConfig(user string) natsbus.Config {
	cfg := natsbus.Config{URL: c.url, Creds: c.seed(user), Name: user}
	tls := filepath.Join(c.creds, access.TLSDir)
	if _, err := os.Stat(filepath.Join(tls, access.CAFile)); err == nil {
		cfg.TLS = natsbus.TLSConfig{CA: filepath.Join(tls, access.CAFile),
			Cert: filepath.Join(tls, access.ClientFile), Key: filepath.Join(tls, access.ClientKeyFile)}
	}
	return cfg
}

func (c secureCluster) connect(t *testing.T, user string, log *zap.Logger) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	b, err := natsbus.New(c.natsConfig(user), log)
	if err != nil {
		t.Fatalf("connect as %s: %v", user, err)
	}
	t.Cleanup(b.Close)
	nc, js, err := b.JetStream(user)
	if err != nil {
		t.Fatal(err)
	}
	return nc, js
}

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.work above the test")
		}
		dir = parent
	}
}

// violations collects the permission violations the server reports to a
// connection (natsbus logs them as "NATS error").
func violations(logs *observer.ObservedLogs) string {
	var b strings.Builder
	for _, e := range logs.FilterMessage("NATS error").All() {
		for _, f := range e.Context {
			if f.Key == "error" {
				fmt.Fprintln(&b, f.Interface)
			}
		}
	}
	return b.String()
}

func TestPermissions_detectMayOnlyDoWhatDetectDoes(t *testing.T) {
	c := startSecure(t, false)
	core, logs := observer.New(zapcore.WarnLevel)
	_, js := c.connect(t, names.StageDetect, zap.New(core))
	_, admin := c.connect(t, access.Admin, zaptest.NewLogger(t))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	short := func() (context.Context, context.CancelFunc) { return context.WithTimeout(ctx, 5*time.Second) }

	// What detect does: read its consumer, publish docs.detected, dead-letter on dlq.detect.
	if _, err := admin.Publish(ctx, "docs.received", []byte(`{"v":1}`)); err != nil {
		t.Fatal(err)
	}
	cons, err := js.Consumer(ctx, "DOCS", "detect")
	if err != nil {
		t.Fatalf("detect reads its consumer: %v", err)
	}
	batch, err := cons.Fetch(1, jetstream.FetchMaxWait(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	got := 0
	for m := range batch.Messages() {
		if err := m.DoubleAck(ctx); err != nil {
			t.Errorf("detect acks its message: %v", err)
		}
		got++
	}
	if got != 1 || batch.Error() != nil {
		t.Fatalf("detect pulled %d messages: %v", got, batch.Error())
	}
	for _, subject := range []string{"docs.detected", "dlq.detect"} {
		sctx, scancel := short()
		if _, err := js.Publish(sctx, subject, []byte(`{}`)); err != nil {
			t.Errorf("detect publishes %s: %v", subject, err)
		}
		scancel()
	}

	// ... and reads a large blob back (chunked, flow-controlled).
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<18) // 4 MiB
	aobj, err := admin.ObjectStore(ctx, "blobs")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := aobj.PutBytes(ctx, "sha256-big", big); err != nil {
		t.Fatal(err)
	}
	obj, err := js.ObjectStore(ctx, "blobs")
	if err != nil {
		t.Fatal(err)
	}
	if b, err := obj.GetBytes(ctx, "sha256-big"); err != nil || !bytes.Equal(b, big) {
		t.Errorf("detect reads a large blob: %d bytes, %v", len(b), err)
	}
	if v := violations(logs); v != "" {
		t.Fatalf("detect doing its work:\n%s", v)
	}

	// What it may not: other stages' subjects, dead letters and results, other
	// consumers, the topology.
	refused := map[string]func(context.Context) error{
		"publish extractions.scored.basic": func(ctx context.Context) error {
			_, err := js.Publish(ctx, "extractions.scored.basic", []byte(`{}`))
			return err
		},
		"publish dlq.extract": func(ctx context.Context) error {
			_, err := js.Publish(ctx, "dlq.extract", []byte(`{}`))
			return err
		},
		"publish docs.received": func(ctx context.Context) error {
			_, err := js.Publish(ctx, "docs.received", []byte(`{}`))
			return err
		},
		"put results doc.x": func(ctx context.Context) error {
			kv, err := js.KeyValue(ctx, "results")
			if err != nil {
				return err
			}
			_, err = kv.Put(ctx, "doc.x", []byte(`{}`))
			return err
		},
		"get results doc.x": func(ctx context.Context) error {
			kv, err := js.KeyValue(ctx, "results")
			if err != nil {
				return err
			}
			_, err = kv.Get(ctx, "doc.x")
			return err
		},
		"pull the extract consumer": func(ctx context.Context) error {
			cons, err := js.Consumer(ctx, "DOCS", "extract")
			if err != nil {
				return err
			}
			_, err = cons.Next(jetstream.FetchMaxWait(time.Second))
			return err
		},
		"update the extract consumer": func(ctx context.Context) error {
			_, err := js.CreateOrUpdateConsumer(ctx, "DOCS", jetstream.ConsumerConfig{Durable: "extract", FilterSubject: "docs.>", AckPolicy: jetstream.AckExplicitPolicy})
			return err
		},
		"update the DOCS stream": func(ctx context.Context) error {
			_, err := js.UpdateStream(ctx, jetstream.StreamConfig{Name: "DOCS", Subjects: []string{"docs.>"}, MaxAge: time.Second})
			return err
		},
		"put into blobs": func(ctx context.Context) error {
			obj, err := js.ObjectStore(ctx, "blobs")
			if err != nil {
				return err
			}
			_, err = obj.PutBytes(ctx, "sha256-x", []byte("x"))
			return err
		},
	}
	refuses(t, ctx, names.StageDetect, refused)
	v := violations(logs)
	for _, subject := range []string{`"extractions.scored.basic"`, `"dlq.extract"`, `"$KV.results.doc.x"`,
		`"$JS.API.CONSUMER.MSG.NEXT.DOCS.extract"`, `"$JS.API.STREAM.UPDATE.DOCS"`} {
		if !strings.Contains(v, "Permissions Violation for Publish to "+subject) {
			t.Errorf("no permission violation reported for %s; got:\n%s", subject, v)
		}
	}
	// The refused publishes stored nothing.
	s, err := admin.Stream(ctx, "EXTRACTIONS")
	if err != nil {
		t.Fatal(err)
	}
	if info, err := s.Info(ctx); err != nil || info.State.Msgs != 0 {
		t.Errorf("EXTRACTIONS holds %d messages (%v)", info.State.Msgs, err)
	}
}

// The ingest service follows DOCS from the outside (ordered consumers of any
// name) but may not take the stages' work nor change or delete their consumers.
func TestPermissions_ingestFollowsButLeavesTheStagesConsumersAlone(t *testing.T) {
	c := startSecure(t, false)
	core, logs := observer.New(zapcore.WarnLevel)
	_, js := c.connect(t, names.StageIngest, zap.New(core))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := js.OrderedConsumer(ctx, "DOCS", jetstream.OrderedConsumerConfig{FilterSubjects: []string{"docs.chunked"}}); err != nil {
		t.Fatalf("ingest follows DOCS: %v", err)
	}
	refused := map[string]func(context.Context) error{}
	for name, do := range map[string]func(context.Context) error{
		"pull detect's work": func(ctx context.Context) error {
			cons, err := js.Consumer(ctx, "DOCS", "detect")
			if err != nil {
				return err
			}
			_, err = cons.Next(jetstream.FetchMaxWait(time.Second))
			return err
		},
		"delete detect's consumer": func(ctx context.Context) error {
			return js.DeleteConsumer(ctx, "DOCS", "detect")
		},
		"change chunk's consumer": func(ctx context.Context) error {
			_, err := js.CreateOrUpdateConsumer(ctx, "DOCS", jetstream.ConsumerConfig{Durable: "chunk", FilterSubject: "docs.>", AckPolicy: jetstream.AckExplicitPolicy})
			return err
		},
	} {
		refused[name] = do
	}
	refuses(t, ctx, names.StageIngest, refused)
	v := violations(logs)
	for _, subject := range []string{`"$JS.API.CONSUMER.MSG.NEXT.DOCS.detect"`, `"$JS.API.CONSUMER.DELETE.DOCS.detect"`,
		`"$JS.API.CONSUMER.CREATE.DOCS.chunk.docs.>"`} {
		if !strings.Contains(v, "Permissions Violation for Publish to "+subject) {
			t.Errorf("no permission violation reported for %s; got:\n%s", subject, v)
		}
	}
}

func TestPermissions_anonymousAndStrangersAreRefused(t *testing.T) {
	c := startSecure(t, false)
	if nc, err := nats.Connect(c.url); err == nil {
		nc.Close()
		t.Fatal("anonymous client connected")
	} else if !strings.Contains(strings.ToLower(err.Error()), "authorization violation") {
		t.Errorf("anonymous: %v", err)
	}
	// A seed the cluster does not know.
	other := filepath.Join(t.TempDir(), "other")
	if _, err := access.Generate(mustLoad(t), access.Options{Dir: other}); err != nil {
		t.Fatal(err)
	}
	if _, err := natsbus.New(natsbus.Config{URL: c.url, Creds: filepath.Join(other, access.SeedFile(access.Admin))}, zaptest.NewLogger(t)); err == nil {
		t.Fatal("a stranger's admin seed connected")
	}
}

func mustLoad(t *testing.T) streams.Set {
	t.Helper()
	set, err := streams.Load()
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// stageConfig is a service's configuration: its own user, the topology
// checked but not applied.
func stageConfig(c secureCluster, user string, stages ...string) pipeline.Config {
	cfg := pipeline.Defaults()
	cfg.NATS = c.natsConfig(user)
	cfg.ApplyTopology = false
	cfg.TopologyWait = 5 * time.Second
	cfg.Topology.AckWait = ackWait
	cfg.Stages = stages
	cfg.ChunkTarget = 400
	cfg.Resources = &sizing.Resources{Cores: 2, TotalRAM: 8 << 30, AvailableRAM: 6 << 30}
	return cfg
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func feature(n int) string {
	return fmt.Sprintf("# Feature %d\n\n| Feature Name | Feature %d |\n|---|---|\n| Feature Identity | FAJ 121 %04d |\n\n"+
		"## Parameters\n\nThe attribute EUtranCellFDD.param%d tunes the cell. The counter EUtranCellFDD.pmCount%d counts it.\n", n, n, 5000+n, n, n)
}

func zipOf(t *testing.T, name, content string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(content)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// readLines reads a JSONL output file, nil while it is not there.
func readLines[T any](path string) []T {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var v T
		if json.Unmarshal(sc.Bytes(), &v) == nil {
			out = append(out, v)
		}
	}
	return out
}

// The proof that the permissions suffice: each service runs as its own user
// in a process of its own, and documents go through end to end: a markdown
// file from the watched directory, an archive whose member goes back to
// ingest, an object put into the inbox bucket by the operator (removed once
// ingested), a 3GPP spec the operator asks for (fetch-spec) and the ingest
// service downloads, and a fake PDF that is dead-lettered. Then the operator
// runs every stage itself (ranstream process against the cluster).
func TestPermissions_pipelineRunsWithOneUserPerService(t *testing.T) {
	c := startSecure(t, true)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	core, logs := observer.New(zapcore.WarnLevel)
	log := zap.New(zapcore.NewTee(core, zaptest.NewLogger(t, zaptest.Level(zapcore.WarnLevel)).Core()))

	// The admin's apply step (done once already by startSecure: it is idempotent).
	admin := c.natsConfig(access.Admin)
	if code, out := runCLI("apply-streams", "--nats", c.url, "--creds", admin.Creds, "--tls-ca", admin.TLS.CA,
		"--tls-cert", admin.TLS.Cert, "--tls-key", admin.TLS.Key, "--log-level", "warn"); code != 0 {
		t.Fatalf("apply-streams as admin: exit %d: %s", code, out)
	}

	var wg sync.WaitGroup
	sctx, stop := context.WithCancel(ctx)
	for _, s := range []string{names.StageDetect, names.StageExtract, names.StageChunk, names.StageLLMExtract, names.StageQualityRoute} {
		p, err := pipeline.Start(sctx, stageConfig(c, s, s), log.With(zap.String("service", s)))
		if err != nil {
			t.Fatalf("service %s as user %s: %v", s, s, err)
		}
		wg.Add(1)
		go func() { defer wg.Done(); <-sctx.Done(); p.Close() }()
	}
	inbox, out := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(inbox, "feature-1.md"), []byte(feature(1)))
	writeFile(t, filepath.Join(inbox, "bundle.zip"), zipOf(t, "feature-2.md", feature(2)))
	writeFile(t, filepath.Join(inbox, "fake.pdf"), []byte("not a PDF at all, only text under a PDF's name\n"))
	archive := fakeArchive(t)
	ingestDone := make(chan error, 1)
	go func() {
		cfg := stageConfig(c, names.StageIngest, names.StageIngest)
		cfg.Specs.ArchiveURL = archive
		ingestDone <- app.Run(sctx, app.RunConfig{Pipeline: cfg, Out: out, Inbox: inbox,
			Bucket: true, BucketRemove: true, RenderEvery: 200 * time.Millisecond}, log.With(zap.String("service", names.StageIngest)))
	}()
	// The operator drops a file into the inbox bucket, as `nats object put inbox` would.
	_, opjs := c.connect(t, access.Operator, log)
	obj, err := opjs.ObjectStore(ctx, "inbox")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := obj.PutBytes(ctx, "feature-3.md", []byte(feature(3))); err != nil {
		t.Fatalf("operator puts into the inbox bucket: %v", err)
	}

	// ... and asks for a spec, which the ingest service fetches (from a mirror here).
	op := c.natsConfig(access.Operator)
	if code, out := runCLI("fetch-spec", "--nats", c.url, "--creds", op.Creds, "--tls-ca", op.TLS.CA,
		"--tls-cert", op.TLS.Cert, "--tls-key", op.TLS.Key, "38.901", "--release", "18"); code != 0 || !strings.Contains(out, "requested") {
		t.Errorf("operator fetch-spec: exit %d: %s", code, out)
	}

	want := map[string]bool{"feature-1.md": true, "bundle.zip/feature-2.md": true, "feature-3.md": true, "38901-i10.zip/38901-i10.md": true}
	var docs []output.ExtractionLine
	var dead []map[string]any
	for deadline := time.Now().Add(3 * time.Minute); ; {
		docs = readLines[output.ExtractionLine](filepath.Join(out, "extractions.jsonl"))
		dead = readLines[map[string]any](filepath.Join(out, "dead-letters.jsonl"))
		found := 0
		for _, d := range docs {
			if want[d.Source] && len(d.ModesTried) > 0 {
				found++
			}
		}
		if found == len(want) && len(dead) > 0 {
			break
		}
		if v := violations(logs); v != "" {
			t.Fatalf("permission violations while the pipeline ran:\n%s", v)
		}
		if time.Now().After(deadline) {
			t.Fatalf("documents through the pipeline: %d of %d; extractions %+v; dead letters %v; NATS errors:\n%s",
				found, len(want), docs, dead, violations(logs))
		}
		select {
		case err := <-ingestDone:
			t.Fatalf("ingest service stopped: %v", err)
		case <-time.After(200 * time.Millisecond):
		}
	}
	if v := violations(logs); v != "" {
		t.Errorf("permission violations while the pipeline ran:\n%s", v)
	}
	// The ingest service removed the inbox object it ingested (--inbox-remove).
	waitFor(t, func() bool {
		_, err := obj.GetInfo(ctx, "feature-3.md")
		return errors.Is(err, jetstream.ErrObjectNotFound)
	})
	stop()
	wg.Wait()
	if err := <-ingestDone; err != nil {
		t.Errorf("ingest service: %v", err)
	}

	// The operator runs every stage in its own process against the cluster.
	opOut := t.TempDir()
	doc := filepath.Join(t.TempDir(), "feature-4.md")
	writeFile(t, doc, []byte(feature(4)))
	rep, err := app.Process(ctx, app.ProcessConfig{Pipeline: stageConfig(c, access.Operator, names.Stages()...), Out: opOut, Paths: []string{doc}}, log)
	if err != nil {
		t.Fatalf("operator process: %v", err)
	}
	if lines := readLines[output.ExtractionLine](filepath.Join(opOut, "extractions.jsonl")); len(lines) != 1 || len(lines[0].ModesTried) == 0 {
		t.Errorf("operator process: %+v\n%s", lines, rep.Text())
	}
	if v := violations(logs); v != "" {
		t.Errorf("permission violations of the operator:\n%s", v)
	}

	// The operator looks at the pipeline and repairs dead letters: status,
	// dlq list, redrive (the original found in its stream, published again)
	// and purge.
	opFlags := []string{"--nats", c.url, "--creds", op.Creds, "--tls-ca", op.TLS.CA, "--tls-cert", op.TLS.Cert, "--tls-key", op.TLS.Key}
	if code, out := runCLI(append([]string{"status"}, opFlags...)...); code != 0 || !strings.Contains(out, "documents:") {
		t.Errorf("operator status: exit %d: %s", code, out)
	}
	if code, out := runCLI(append([]string{"dlq", "list"}, opFlags...)...); code != 0 || !strings.Contains(out, "fake.pdf") {
		t.Errorf("operator dlq list: exit %d: %s", code, out)
	}
	if code, out := runCLI(append([]string{"dlq", "redrive", "--reason", "pdf", "--keep"}, opFlags...)...); code != 0 || !strings.Contains(out, "redriven 1 of 1") {
		t.Errorf("operator dlq redrive: exit %d: %s", code, out)
	}
	if code, out := runCLI(append([]string{"dlq", "purge", "--all"}, opFlags...)...); code != 0 || !strings.Contains(out, "purged") {
		t.Errorf("operator dlq purge: exit %d: %s", code, out)
	}
	if v := violations(logs); v != "" {
		t.Errorf("permission violations of the operator's status and dlq:\n%s", v)
	}
}

// fakeArchive serves 38.901 version i10 (Release 18) as the 3GPP archive
// does, and returns its URL.
func fakeArchive(t *testing.T) string {
	t.Helper()
	spec := zipOf(t, "38901-i10.md", "# 3GPP TS 38.901\n\nThe parameter NRCellDU.specParam is described.\n\n"+feature(9))
	mux := http.NewServeMux()
	mux.HandleFunc("/archive/38_series/38.901/", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".zip") {
			w.Header().Set("Content-Length", fmt.Sprint(len(spec)))
			w.Write(spec) //nolint:errcheck // test server
			return
		}
		fmt.Fprint(w, `<html><body><pre><A HREF="/archive/38_series/">[To Parent Directory]</A><br><br>`+
			` 6/20/2024  9:00 AM        `+fmt.Sprint(len(spec))+` <A HREF="/archive/38_series/38.901/38901-i10.zip">38901-i10.zip</A><br>`+
			`</pre></body></html>`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + "/archive"
}

// waitFor polls cond until it holds, failing the test after 30 seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 30s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// refuses runs each action at once with a short deadline (a refused publish
// is a timeout for the client) and fails for each that succeeds.
func refuses(t *testing.T, ctx context.Context, user string, actions map[string]func(context.Context) error) {
	t.Helper()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, do := range actions {
		wg.Go(func() {
			sctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			defer cancel()
			if err := do(sctx); err == nil {
				mu.Lock()
				t.Errorf("%s may %s", user, name)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}

// runCLI runs the ranstream CLI with args and an empty environment.
func runCLI(args ...string) (int, string) {
	var out bytes.Buffer
	code := app.Main(app.Env{Args: args, Lookup: func(string) (string, bool) { return "", false }, Stdout: &out, Stderr: &out})
	return code, out.String()
}
