package app_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/ranstream/ranstream/pkg/app"
)

// run logs each document as it finishes (source, mode, quality, item counts),
// so a user sees results arrive without polling the output directory; the
// documents finished before a restart are not logged again.
func TestRun_logsEachFinishedDocument(t *testing.T) {
	data, inbox, out := t.TempDir(), t.TempDir(), t.TempDir()
	for _, name := range []string{"uplink-boost.md", "nested/sleep-mode.md"} {
		b, err := os.ReadFile(filepath.Join("testdata/docs", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(inbox, filepath.Base(name)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	runOnce := func(want int) []observer.LoggedEntry {
		core, logs := observer.New(zapcore.InfoLevel)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		cfg := app.RunConfig{Pipeline: testConfig(t, data), Out: out, Inbox: inbox, Settle: 200 * time.Millisecond, RenderEvery: 200 * time.Millisecond}
		go func() { done <- app.Run(ctx, cfg, zap.New(core)) }()
		deadline := time.Now().Add(time.Minute)
		for logs.FilterMessage("document done").Len() < want && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		time.Sleep(time.Second) // nothing more should come
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		return logs.FilterMessage("document done").All()
	}
	first := runOnce(2)
	if len(first) != 2 {
		t.Fatalf("%d 'document done' lines, want 2", len(first))
	}
	for _, e := range first {
		f := e.ContextMap()
		if f["source"] == "" || f["mode"] == "" || f["quality"] == nil || f["parameters"] == nil {
			t.Errorf("document done without its fields: %v", f)
		}
	}
	if again := runOnce(0); len(again) != 0 {
		t.Errorf("the restart logged %d documents finished before it", len(again))
	}
}
