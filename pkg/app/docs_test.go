package app_test

import (
	"os"
	"path/filepath"
	"testing"
)

// process writes OUT/docs/<name>.md and .json per document unless
// --docs=false.
func TestProcess_docsFlag(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := cli(t, "process", "--log-level", "warn", "--out", out, "testdata/docs/nested")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, ext := range []string{".md", ".json"} {
		matches, _ := filepath.Glob(filepath.Join(out, "docs", "*sleep-mode.md"+ext))
		if len(matches) != 1 {
			t.Errorf("docs/*sleep-mode.md%s: %q", ext, matches)
		}
	}
	out = t.TempDir()
	code, _, stderr = cli(t, "process", "--log-level", "warn", "--docs=false", "--out", out, "testdata/docs/nested")
	if code != 0 {
		t.Fatalf("--docs=false: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "docs")); !os.IsNotExist(err) {
		t.Errorf("--docs=false wrote docs/: %v", err)
	}
}
