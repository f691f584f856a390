package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"

	"github.com/ranstream/ranstream/pkg/app"
	"github.com/ranstream/ranstream/pkg/output"
	"github.com/ranstream/ranstream/pkg/pipeline"
)

// running is `ranstream run` in the background of a test.
type running struct {
	inbox, out string
	stop       func()
}

func startRun(t *testing.T, cfg app.RunConfig) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx, cfg, zaptest.NewLogger(t)) }()
	r := &running{inbox: cfg.Inbox, out: cfg.Out}
	var stopped bool
	r.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}
	t.Cleanup(r.stop)
	return r
}

// until polls the rendered outputs until ok accepts them or the deadline passes.
func (r *running) until(t *testing.T, within time.Duration, what string, ok func(lines []output.ExtractionLine) bool) []output.ExtractionLine {
	t.Helper()
	deadline := time.Now().Add(within)
	path := filepath.Join(r.out, "extractions.jsonl")
	for {
		var lines []output.ExtractionLine
		if _, err := os.Stat(path); err == nil {
			lines = readJSONL[output.ExtractionLine](t, path)
			if ok(lines) {
				return lines
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not rendered within %s; extractions.jsonl: %+v", what, within, lines)
		}
		time.Sleep(100 * time.Millisecond) // polling the rendered files
	}
}

func linesOf(lines []output.ExtractionLine, source string) []output.ExtractionLine {
	var out []output.ExtractionLine
	for _, l := range lines {
		if l.Source == source {
			out = append(out, l)
		}
	}
	return out
}

const pausedFirst = "# Paused Feature\n\n| Feature Name | Paused Feature |\n|---|---|\n| Feature Identity | FAJ 121 9970 |\n\n" +
	"The attribute NRCellDU.firstHalfParam is set before the pause.\n\n"
const pausedSecond = "## After the pause\n\nThe attribute NRCellDU.secondHalfParam is set after the pause. " +
	"The counter NRCellDU.pmSecondHalf counts it.\n"

// A file in the watched directory whose writer pauses 3 s with the file open
// (the settle period is 1 s) is one document, the complete one. Rewritten
// later, it is ingested again as a new version: the old document keeps its
// extractions.jsonl line, marked superseded_by the new one, and leaves
// chunks.jsonl and the dataset.
func TestRun_watchedFileWrittenWithAPauseIsOneCompleteDocument(t *testing.T) {
	dir := t.TempDir()
	r := startRun(t, app.RunConfig{Pipeline: testConfig(t, filepath.Join(dir, "data")), Out: filepath.Join(dir, "out"),
		Inbox: filepath.Join(dir, "inbox"), Settle: time.Second, RenderEvery: 200 * time.Millisecond})
	if err := os.MkdirAll(r.inbox, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(r.inbox, "paused.md"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(pausedFirst); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * time.Second) // the writer pauses, its file open
	if _, err := f.WriteString(pausedSecond); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	lines := r.until(t, time.Minute, "paused.md", func(lines []output.ExtractionLine) bool {
		l := linesOf(lines, "paused.md")
		return len(l) > 0 && l[0].Complete
	})
	// One more file settles after it, so a second document of paused.md
	// would have been rendered by then.
	if err := os.WriteFile(filepath.Join(r.inbox, "later.md"), []byte("# Later\n\nThe attribute NRCellDU.laterParam is set.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	lines = r.until(t, time.Minute, "later.md", func(lines []output.ExtractionLine) bool {
		l := linesOf(lines, "later.md")
		return len(l) > 0 && l[0].Complete
	})
	paused := linesOf(lines, "paused.md")
	if len(paused) != 1 {
		t.Fatalf("paused.md is %d documents, want one", len(paused))
	}
	first := paused[0]
	if !hasParam(first, "NRCellDU.secondHalfParam") || !hasParam(first, "NRCellDU.firstHalfParam") {
		t.Errorf("paused.md's document lacks a half: parameters %v", first.Extraction.Parameters)
	}

	// A new version of the file.
	v2 := strings.Replace(pausedFirst+pausedSecond, "secondHalfParam", "secondVersionParam", 1)
	if err := os.WriteFile(filepath.Join(r.inbox, "paused.md"), []byte(v2), 0o644); err != nil {
		t.Fatal(err)
	}
	lines = r.until(t, time.Minute, "the new version of paused.md", func(lines []output.ExtractionLine) bool {
		l := linesOf(lines, "paused.md")
		return len(l) == 2 && (l[0].SupersededBy != "" || l[1].SupersededBy != "") && l[0].Complete && l[1].Complete
	})
	var old, current output.ExtractionLine
	for _, l := range linesOf(lines, "paused.md") {
		if l.DocID == first.DocID {
			old = l
		} else {
			current = l
		}
	}
	if old.SupersededBy != current.DocID || current.SupersededBy != "" || !hasParam(current, "NRCellDU.secondVersionParam") {
		t.Errorf("old %s superseded by %q, new %s superseded by %q: want the old superseded by the new",
			old.DocID, old.SupersededBy, current.DocID, current.SupersededBy)
	}
	// The files of one rendering are renamed into place one after another:
	// poll until the dataset and the report of the rendering that superseded
	// the old version are in place too.
	deadline := time.Now().Add(30 * time.Second)
	for {
		problems := supersededProblems(t, r.out, old.DocID)
		if len(problems) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the superseded version is still rendered: %v", problems)
		}
		time.Sleep(100 * time.Millisecond) // polling the rendered files
	}
}

// supersededProblems lists where the superseded document doc still shows.
func supersededProblems(t *testing.T, out, doc string) []string {
	var problems []string
	for _, c := range readJSONL[output.ChunkLine](t, filepath.Join(out, "chunks.jsonl")) {
		if c.DocID == doc {
			problems = append(problems, "chunks.jsonl holds chunk "+c.ChunkID)
		}
	}
	for _, split := range []string{"train", "valid", "test"} {
		for _, ex := range readJSONL[output.Example](t, filepath.Join(out, "dataset", split+".jsonl")) {
			if strings.Contains(ex.Messages[1].Content, "secondHalfParam") {
				problems = append(problems, "dataset "+split+" holds an example of it")
			}
		}
	}
	var rep output.Report
	b, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil || json.Unmarshal(b, &rep) != nil {
		return append(problems, "report.json unreadable")
	}
	if rep.Outcomes["superseded"] != 1 || rep.Outcomes["accepted"] != 2 {
		problems = append(problems, fmt.Sprintf("outcomes %v, want 2 accepted and 1 superseded", rep.Outcomes))
	}
	return problems
}

func hasParam(l output.ExtractionLine, name string) bool {
	for _, p := range l.Extraction.Parameters {
		if p.Name == name {
			return true
		}
	}
	return false
}

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

// The operator's failover: files dropped into the watched directory while the
// NATS server is down fail to ingest, go back to waiting, and are ingested once
// the server is back; every file is a complete document, none pending.
func TestRun_filesDroppedWhileTheServerIsDownArriveOnceItIsBack(t *testing.T) {
	dir := t.TempDir()
	srv := newRestartable(t)
	cfg := testConfig(t, "")
	cfg.NATS.URL = srv.ns.ClientURL()
	cfg.Ingest = pipeline.IngestConfig{Attempts: 3, Backoff: 100 * time.Millisecond, CallTimeout: time.Second, PutTimeout: time.Second}
	retried := make(chan struct{}, 1)
	log := zaptest.NewLogger(t, zaptest.WrapOptions(zap.Hooks(func(e zapcore.Entry) error {
		if e.Message == "file not ingested, will try again" {
			select {
			case retried <- struct{}{}:
			default:
			}
		}
		return nil
	})))
	out, inbox := filepath.Join(dir, "out"), filepath.Join(dir, "inbox")
	if err := os.MkdirAll(inbox, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- app.Run(ctx, app.RunConfig{Pipeline: cfg, Out: out, Inbox: inbox, Settle: 300 * time.Millisecond, RenderEvery: 200 * time.Millisecond}, log)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	r := &running{inbox: inbox, out: out}
	drop := func(names ...string) {
		for _, name := range names {
			text := "# " + name + "\n\nThe attribute NRCellDU." + strings.TrimSuffix(name, ".md") + "Param is set.\n"
			if err := os.WriteFile(filepath.Join(inbox, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	complete := func(want int) func([]output.ExtractionLine) bool {
		return func(lines []output.ExtractionLine) bool {
			n := 0
			for _, l := range lines {
				if l.Complete {
					n++
				}
			}
			return n == want
		}
	}
	drop("before1.md", "before2.md")
	r.until(t, time.Minute, "the files dropped before the failure", complete(2))

	srv.stop()
	drop("during1.md", "during2.md", "during3.md")
	select {
	case <-retried:
	case <-time.After(time.Minute):
		t.Fatal("no ingest failed while the server was down")
	}
	srv.start()
	lines := r.until(t, 2*time.Minute, "the files dropped while the server was down", complete(5))
	if len(lines) != 5 {
		t.Errorf("%d documents, want 5", len(lines))
	}
	var rep output.Report
	deadline := time.Now().Add(30 * time.Second)
	for {
		b, err := os.ReadFile(filepath.Join(out, "report.json"))
		if err == nil && json.Unmarshal(b, &rep) == nil && rep.Outcomes["accepted"] == 5 && rep.Outcomes["pending"] == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("report: outcomes %v, pending sources %v; want 5 accepted, none pending", rep.Outcomes, rep.PendingSources)
		}
		time.Sleep(100 * time.Millisecond) // polling the rendered report
	}
}
