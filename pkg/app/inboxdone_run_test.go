package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ranstream/ranstream/pkg/app"
	"github.com/ranstream/ranstream/pkg/output"
)

// By default a file of the inbox moves into inbox/.done/ once ingested, so
// a restart of run does not find it there again; the watcher leaves .done/
// alone.
func TestRun_ingestedInboxFilesMoveIntoDone(t *testing.T) {
	dir := t.TempDir()
	inbox := filepath.Join(dir, "inbox")
	cfg := app.RunConfig{Pipeline: testConfig(t, filepath.Join(dir, "data")), Out: filepath.Join(dir, "out"),
		Inbox: inbox, Settle: 300 * time.Millisecond, RenderEvery: 200 * time.Millisecond}
	r := startRun(t, cfg)
	if err := os.MkdirAll(filepath.Join(inbox, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(inbox, "sub", "moved.md"), []byte("# Moved\n\nThe attribute NRCellDU.movedParam is set.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r.until(t, time.Minute, "sub/moved.md", func(lines []output.ExtractionLine) bool {
		l := linesOf(lines, "sub/moved.md")
		return len(l) > 0 && l[0].Complete
	})
	if _, err := os.Stat(filepath.Join(inbox, ".done", "sub", "moved.md")); err != nil {
		t.Errorf("not moved into .done: %v", err)
	}
	if _, err := os.Stat(filepath.Join(inbox, "sub", "moved.md")); !os.IsNotExist(err) {
		t.Errorf("still in the inbox: %v", err)
	}
	r.stop()

	// --inbox-done keep leaves the file.
	cfg.InboxDone = app.InboxKeep
	r = startRun(t, cfg)
	if err := os.WriteFile(filepath.Join(inbox, "kept.md"), []byte("# Kept\n\nThe attribute NRCellDU.keptParam is set.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	lines := r.until(t, time.Minute, "kept.md", func(lines []output.ExtractionLine) bool {
		l := linesOf(lines, "kept.md")
		return len(l) > 0 && l[0].Complete
	})
	if _, err := os.Stat(filepath.Join(inbox, "kept.md")); err != nil {
		t.Errorf("--inbox-done keep: %v", err)
	}
	for _, l := range lines {
		if strings.HasPrefix(l.Source, ".done") {
			t.Errorf("a file of .done/ ingested: %s", l.Source)
		}
	}
}
