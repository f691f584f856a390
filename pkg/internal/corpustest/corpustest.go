// Package corpustest finds the shared corpus of real documents
// (../shared/corpus beside the repository) for the tests that read it. Those
// tests skip where the corpus is absent, as on a fresh CI machine.
package corpustest

import (
	"os"
	"path/filepath"
	"testing"
)

// Env names a corpus elsewhere: RANSTREAM_CORPUS=/data/corpus go test ./...
const Env = "RANSTREAM_CORPUS"

// Root is the corpus: $RANSTREAM_CORPUS when set, else the first
// shared/corpus in the working directory or a parent of it; "" when there is
// none.
func Root() string {
	if dir := os.Getenv(Env); dir != "" {
		return dir
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, "shared", "corpus")
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Path is Root joined with parts, or "" without a corpus.
func Path(parts ...string) string {
	root := Root()
	if root == "" {
		return ""
	}
	return filepath.Join(append([]string{root}, parts...)...)
}

// Dir is Path(parts...), skipping t when it does not exist.
func Dir(t testing.TB, parts ...string) string {
	t.Helper()
	p := Path(parts...)
	if p == "" {
		t.Skipf("no shared/corpus above %s (set %s to use one elsewhere)", wd(), Env)
	}
	if _, err := os.Stat(p); err != nil {
		t.Skipf("corpus: %v", err)
	}
	return p
}

func wd() string {
	d, _ := os.Getwd()
	return d
}
