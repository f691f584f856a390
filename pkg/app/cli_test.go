package app_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/app"
)

func cli(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = app.Main(app.Env{Args: args, Lookup: func(string) (string, bool) { return "", false }, Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

// Mistakes on the command line get one clear line and exit status 2, before
// any work; a run in which nothing succeeded exits 1.
func TestMain_refusesMistakes(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a-file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	for _, tc := range []struct {
		args     []string
		code     int
		stderrIs string // a substring of the one line
	}{
		{[]string{"process", "--bogus", "testdata/docs"}, 2, "flag provided but not defined: -bogus"},
		{[]string{"run", "--inbox-done", "archive"}, 2, `--inbox-done "archive": want keep, move or delete`},
		{[]string{"process", "--threshold", "bsic=0.5", "testdata/docs"}, 2, `unknown mode "bsic"`},
		{[]string{"process", "--threshold", "cmedit=2", "testdata/docs"}, 2, "want a number in [0,1]"},
		{[]string{"run", "--workers", "extrat=3"}, 2, `unknown stage "extrat"`},
		{[]string{"process", "--out", file, "testdata/docs"}, 2, "not a directory"},
		{[]string{"run", "--out", file}, 2, "not a directory"},
		{[]string{"process", "--out", out}, 2, "no input files or folders"},
		{[]string{"replay", "stray"}, 2, "takes no arguments"},
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"process", "--log-level", "warn", empty, "--out", out}, 1, "no documents in the inputs"},
		{[]string{"process", "--log-level", "error", "testdata/docs/blob.bin", "--out", out}, 1, "every input was dead-lettered"},
	} {
		code, _, stderr := cli(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.stderrIs) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, tc.code, tc.stderrIs)
		}
		if tc.code == 2 && strings.Count(strings.TrimSpace(stderr), "\n") > 0 && tc.args[0] != "frobnicate" {
			t.Errorf("%v: %d lines on stderr, want one:\n%s", tc.args, strings.Count(stderr, "\n"), stderr)
		}
	}
}

func TestMain_versionAndFlagsAfterPaths(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, stdout, _ := cli(t, args...)
		if code != 0 || !strings.HasPrefix(stdout, "ranstream ") {
			t.Errorf("%v: exit %d, %q", args, code, stdout)
		}
	}
	out := t.TempDir()
	code, _, stderr := cli(t, "process", "testdata/docs/nested", "--log-level", "warn", "--out", out)
	if code != 0 {
		t.Fatalf("flags after the paths: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "extractions.jsonl")); err != nil {
		t.Errorf("no output where --out (after the path) said: %v", err)
	}
}

func TestMain_helpShowsSynopsisExamplesAndFlags(t *testing.T) {
	code, _, stderr := cli(t, "process", "-h")
	if code != 0 || !strings.Contains(stderr, "ranstream process --out out docs/") || !strings.Contains(stderr, "-threshold") {
		t.Errorf("process -h: exit %d:\n%s", code, stderr)
	}
}

// A stage's service shows and takes its own flags and the common ones only:
// another stage's flag is a one-line usage error, exit 2.
func TestStageMain_takesOnlyItsFlags(t *testing.T) {
	stage := func(name string, args ...string) (int, string) {
		var out, errb bytes.Buffer
		code := app.StageMain(name, app.Env{Args: args, Lookup: func(string) (string, bool) { return "", false }, Stdout: &out, Stderr: &errb})
		return code, errb.String()
	}
	code, help := stage("detect", "-h")
	if code != 0 || !strings.Contains(help, "\nconnection:\n") || !strings.Contains(help, "  -nats ") || !strings.Contains(help, "  -log-level ") {
		t.Errorf("detect -h: exit %d, no grouped common flags:\n%s", code, help)
	}
	for _, other := range []string{"-llm-url", "-chunk-size", "-threshold", "-out"} {
		if strings.Contains(help, "  "+other+" ") {
			t.Errorf("detect -h offers %s", other)
		}
	}
	code, stderr := stage("detect", "--chunk-size", "100")
	if code != 2 || !strings.Contains(stderr, "flag provided but not defined: -chunk-size") || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
		t.Errorf("detect --chunk-size: exit %d, %q; want exit 2 on one line", code, stderr)
	}
	if !strings.Contains(stderr, "(detect -h lists the flags)") {
		t.Errorf("detect --chunk-size: %q does not point at the detect binary's -h", stderr)
	}
	if code, help := stage("chunk", "-h"); code != 0 || !strings.Contains(help, "  -chunk-size ") || !strings.Contains(help, "\nlimits:\n") {
		t.Errorf("chunk -h: exit %d, lacks --chunk-size under limits:\n%s", code, help)
	}
}
