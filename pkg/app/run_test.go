package app_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/ranstream/ranstream/pkg/app"
	"github.com/ranstream/ranstream/pkg/output"
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
	for _, c := range readJSONL[output.ChunkLine](t, filepath.Join(r.out, "chunks.jsonl")) {
		if c.DocID == old.DocID {
			t.Errorf("chunks.jsonl holds chunk %s of the superseded version", c.ChunkID)
		}
	}
	for _, split := range []string{"train", "valid", "test"} {
		for _, ex := range readJSONL[output.Example](t, filepath.Join(r.out, "dataset", split+".jsonl")) {
			if strings.Contains(ex.Messages[1].Content, "secondHalfParam") {
				t.Errorf("dataset %s holds an example of the superseded version", split)
			}
		}
	}
	var rep output.Report
	b, err := os.ReadFile(filepath.Join(r.out, "report.json"))
	if err != nil || json.Unmarshal(b, &rep) != nil {
		t.Fatalf("report.json: %v", err)
	}
	if rep.Outcomes["superseded"] != 1 || rep.Outcomes["accepted"] != 2 {
		t.Errorf("outcomes %v, want 2 accepted and 1 superseded", rep.Outcomes)
	}
}

func hasParam(l output.ExtractionLine, name string) bool {
	for _, p := range l.Extraction.Parameters {
		if p.Name == name {
			return true
		}
	}
	return false
}
