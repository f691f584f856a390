package app_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/ranstream/ranstream/pkg/app"
	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/natsbus/natstest"
	"github.com/ranstream/ranstream/pkg/pipeline"
	"github.com/ranstream/ranstream/pkg/sizing"
)

// status and dlq against a NATS server (a cluster, or run --listen): the
// table of stages, dead letters listed, filtered, shown and purged.
func TestStatusAndDLQ_againstNATS(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ns := natstest.Server(t)
	_, js := natstest.Connect(t, ns)
	natstest.Topology(t, js, 3*time.Second)
	url := ns.ClientURL()

	code, out, errOut := cli(t, "status", "--nats", url)
	if code != 0 {
		t.Fatalf("status: %d %s", code, errOut)
	}
	for _, want := range append(names.Stages(), "pending", "in flight", "dead-lettered", "documents: 0 of 0 done") {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}

	for i, st := range []string{names.StageDetect, names.StageDetect, names.StageExtract} {
		dl := event.DeadLetter{V: event.Version, Stage: st, Reason: []string{"not a PDF", "timeout", "not a PDF"}[i], Chunk: -1,
			Source: []string{"a.pdf", "b.md", "c.pdf"}[i], FailedSubject: names.SubjectReceived, OrigMsgID: string(rune('a' + i))}
		b, _ := json.Marshal(dl)
		if _, err := js.Publish(ctx, dl.Subject(), b); err != nil {
			t.Fatal(err)
		}
	}
	code, out, _ = cli(t, "status", "--nats", url)
	if code != 0 || !regexpLine(out, `detect\s+0\s+0\s+0\s+0\s+2\s+-`) {
		t.Errorf("status after two detect dead letters:\n%s", out)
	}

	code, out, errOut = cli(t, "dlq", "list", "--nats", url)
	if code != 0 || strings.Count(out, "\n") != 4 || !strings.Contains(out, "a.pdf") || !strings.Contains(out, "not a PDF") {
		t.Errorf("dlq list: %d\n%s%s", code, out, errOut)
	}
	code, out, _ = cli(t, "dlq", "list", "--stage", "detect", "--reason", "PDF", "--since", "1h", "--json", "--nats", url)
	var l struct {
		Seq    uint64 `json:"seq"`
		Source string `json:"source"`
	}
	if code != 0 || strings.Count(out, "\n") != 1 || json.Unmarshal([]byte(out), &l) != nil || l.Source != "a.pdf" {
		t.Fatalf("dlq list --stage detect --reason PDF --json: %d %q", code, out)
	}
	code, out, _ = cli(t, "dlq", "show", "--nats", url, "1")
	if code != 0 || !strings.Contains(out, `"reason": "not a PDF"`) {
		t.Errorf("dlq show 1: %d %s", code, out)
	}
	if code, _, errOut := cli(t, "dlq", "purge", "--nats", url); code != 2 || strings.Count(errOut, "\n") != 1 {
		t.Errorf("dlq purge without a selection: %d %q, want a one-line usage error", code, errOut)
	}
	if code, _, errOut := cli(t, "dlq", "list", "--stage", "detekt", "--nats", url); code != 2 {
		t.Errorf("dlq list --stage detekt: %d %q", code, errOut)
	}
	code, out, _ = cli(t, "dlq", "purge", "--reason", "not a pdf", "--nats", url)
	if code != 0 || !strings.Contains(out, "purged 2") {
		t.Errorf("dlq purge --reason: %d %s", code, out)
	}
	code, out, _ = cli(t, "dlq", "list", "--nats", url)
	if code != 0 || strings.Contains(out, "a.pdf") || !strings.Contains(out, "b.md") {
		t.Errorf("after purge: %s", out)
	}
	// A dead letter with no input message in a stream cannot be redriven: said, exit 1.
	if code, _, errOut := cli(t, "dlq", "redrive", "--all", "--nats", url); code != 1 || !strings.Contains(errOut, "b.md") {
		t.Errorf("redrive of a dead letter without its original: %d %q", code, errOut)
	}
}

// --data reads a stopped pipeline's store; while a pipeline runs on it, the
// command says so and points to --nats.
func TestStatus_dataOfRunningPipelineIsRefused(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cfg := pipeline.Defaults()
	cfg.NATS.DataDir = t.TempDir()
	cfg.Stages = nil
	cfg.Resources = &sizing.Resources{Cores: 2, TotalRAM: 8 << 30, AvailableRAM: 6 << 30}
	p, err := pipeline.Start(ctx, cfg, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	code, _, errOut := cli(t, "status", "--data", cfg.NATS.DataDir)
	if code != 1 || !strings.Contains(errOut, "--nats") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("status --data of a running pipeline: %d %q", code, errOut)
	}
	p.Close()

	// A stopped pipeline's store, after a run of two documents, one of them
	// dead-lettered at detect.
	docs := t.TempDir()
	if err := os.WriteFile(filepath.Join(docs, "fake.pdf"), []byte("not a PDF\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pcfg := cfg
	pcfg.Stages = names.Stages()
	if _, err := app.Process(ctx, app.ProcessConfig{Pipeline: pcfg, Out: t.TempDir(),
		Paths: []string{"testdata/docs/uplink-boost.md", docs}}, zaptest.NewLogger(t)); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := cli(t, "status", "--data", cfg.NATS.DataDir)
	if code != 0 || !strings.Contains(out, "documents: 1 of 1 done") || !regexpLine(out, `detect\s+0\s+0\s+0\s+2\s+1\s+-`) {
		t.Errorf("status --data of a stopped pipeline: %d\n%s%s", code, out, errOut)
	}
	code, out, _ = cli(t, "dlq", "list", "--data", cfg.NATS.DataDir)
	if code != 0 || !strings.Contains(out, "fake.pdf") {
		t.Errorf("dlq list --data: %d %s", code, out)
	}
	if code, _, _ := cli(t, "status"); code != 2 {
		t.Errorf("status without --nats or --data: %d, want 2", code)
	}
}

func regexpLine(text, pattern string) bool {
	return regexp.MustCompile(`(?m)^\s*` + pattern).MatchString(text)
}
