package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/output"
)

// A file that cannot be ingested is dead-lettered with its reason and counted
// as such; the others are processed; every input is accounted for.
func TestProcess_accountsForEveryInput(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"fits.md":      "# Fits\n\nThe attribute NRCellDU.fitsParam is set.\n",
		"too-big.md":   strings.Repeat("The attribute NRCellDU.bigParam is set. ", 100),
		"copy/fits.md": "# Fits\n\nThe attribute NRCellDU.fitsParam is set.\n", // the same bytes: one document
	}
	for name, text := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := testConfig(t, t.TempDir())
	cfg.MaxDocSize = 1 << 10
	out := t.TempDir()
	rep := process(t, cfg, out, dir)
	dead := readJSONL[output.DeadLetterLine](t, filepath.Join(out, "dead-letters.jsonl"))
	if len(dead) != 1 || dead[0].Source != "too-big.md" || dead[0].Stage != "ingest" || !strings.Contains(dead[0].Reason, "size limit") {
		t.Errorf("dead letters %+v, want too-big.md's size limit", dead)
	}
	if rep.Outcomes["accepted"] != 1 || rep.Outcomes["dead_lettered"] != 1 || rep.Outcomes["pending"] != 0 || rep.Documents != 2 {
		t.Errorf("outcomes %v of %d documents, want 1 accepted and 1 dead-lettered", rep.Outcomes, rep.Documents)
	}
}
