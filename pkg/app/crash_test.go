package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/app"
	"github.com/ranstream/ranstream/pkg/output"
	"github.com/ranstream/ranstream/pkg/pipeline"
	"github.com/ranstream/ranstream/pkg/sizing"
)

// crashChild is set in the environment of the `ranstream run` this test
// starts as a separate process, so that it can be killed with SIGKILL.
const crashChild = "RANSTREAM_TEST_CRASH_CHILD"

// runChild is the child: `ranstream run` on the directories the parent gives,
// with the consumers' real ack waits (no test override), until it is killed.
func runChild() {
	dir := os.Getenv(crashChild)
	cfg := pipeline.Defaults()
	cfg.NATS.DataDir = filepath.Join(dir, "data")
	cfg.Resources = &sizing.Resources{Cores: 2, TotalRAM: 8 << 30, AvailableRAM: 6 << 30}
	log, _ := zap.NewDevelopment()
	err := app.Run(context.Background(), app.RunConfig{Pipeline: cfg, Out: filepath.Join(dir, "out"),
		Inbox: filepath.Join(dir, "inbox"), Settle: 200 * time.Millisecond, RenderEvery: 300 * time.Millisecond}, log)
	fmt.Fprintln(os.Stderr, "run ended:", err)
	os.Exit(3)
}

func startChild(t *testing.T, dir, logName string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestRun_killedAndRestartedFinishesWithinAMinute$")
	cmd.Env = append(os.Environ(), crashChild+"="+dir)
	logf, err := os.Create(filepath.Join(dir, logName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logf.Close() })
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return cmd
}

// accepted reads the child's report: documents done, and pending.
func accepted(dir string) (done, pending int) {
	b, err := os.ReadFile(filepath.Join(dir, "out", "report.json"))
	if err != nil {
		return 0, -1
	}
	var rep output.Report
	if json.Unmarshal(b, &rep) != nil {
		return 0, -1
	}
	for k, v := range rep.Outcomes {
		if k != "pending" {
			done += v
		}
	}
	return done, rep.Outcomes["pending"]
}

// kill -9 of `ranstream run` in the middle of work, then a restart on the same
// data directory: every document finishes within a minute of the restart (the
// messages the dead process held come back after one ack wait, 30 s), once.
func TestRun_killedAndRestartedFinishesWithinAMinute(t *testing.T) {
	if os.Getenv(crashChild) != "" {
		runChild()
		return
	}
	if testing.Short() {
		t.Skip("starts and kills a process; slow")
	}
	dir := t.TempDir()
	inbox := filepath.Join(dir, "inbox")
	if err := os.MkdirAll(inbox, 0o755); err != nil {
		t.Fatal(err)
	}
	const n = 40
	for i := range n {
		var b strings.Builder
		fmt.Fprintf(&b, "# Feature %d\n\n| Feature Name | Feature %d |\n|---|---|\n| Feature Identity | FAJ 121 %04d |\n\n", i, i, 6000+i)
		for s := range 12 {
			fmt.Fprintf(&b, "## Section %d\n\nThe attribute EUtranCellFDD.param%dx%d tunes the cell; the counter EUtranCellFDD.pmCount%dx%d counts it. %s\n\n",
				s, i, s, i, s, strings.Repeat("Filler text that makes the section long enough to be a chunk of its own. ", 40))
		}
		if err := os.WriteFile(filepath.Join(inbox, fmt.Sprintf("doc-%02d.md", i)), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	first := startChild(t, dir, "first.log")
	deadline := time.Now().Add(2 * time.Minute)
	for {
		done, _ := accepted(dir)
		if done > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the first run finished no document in 2 minutes (log in %s)", filepath.Join(dir, "first.log"))
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	before, _ := accepted(dir)
	if before >= n {
		t.Skipf("the first run finished all %d documents before it was killed: nothing was in flight", n)
	}

	restarted := time.Now()
	startChild(t, dir, "second.log")
	for {
		done, pending := accepted(dir)
		if done >= n && pending == 0 {
			break
		}
		if time.Since(restarted) > time.Minute {
			t.Fatalf("a minute after the restart: %d of %d documents done, %d pending (killed at %d)", done, n, pending, before)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("killed with %d of %d done; all done %s after the restart", before, n, time.Since(restarted).Round(time.Millisecond))
	docs := readJSONL[output.ExtractionLine](t, filepath.Join(dir, "out", "extractions.jsonl"))
	seen := map[string]bool{}
	for _, d := range docs {
		if seen[d.DocID] {
			t.Errorf("%s twice in extractions.jsonl", d.Source)
		}
		seen[d.DocID] = true
		if !d.Complete {
			t.Errorf("%s incomplete", d.Source)
		}
	}
	if len(seen) != n {
		t.Errorf("%d documents in extractions.jsonl, want %d", len(seen), n)
	}
}
