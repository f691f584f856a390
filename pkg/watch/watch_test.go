package watch_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/ranstream/ranstream/pkg/watch"
)

type seen struct {
	mu    sync.Mutex
	sizes map[string][]int64
	ch    chan string
}

func (s *seen) found(path, rel string) {
	st, err := os.Stat(path)
	size := int64(-1)
	if err == nil {
		size = st.Size()
	}
	s.mu.Lock()
	s.sizes[rel] = append(s.sizes[rel], size)
	s.mu.Unlock()
	s.ch <- rel
}

func start(t *testing.T, dir string) *seen {
	t.Helper()
	s := &seen{sizes: map[string][]int64{}, ch: make(chan string, 64)}
	w, err := watch.New(watch.Config{Dir: dir, Settle: 300 * time.Millisecond, Skip: func(name string) bool {
		return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") || strings.HasSuffix(name, ".part")
	}}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, s.found) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return s
}

func (s *seen) wait(t *testing.T, want ...string) {
	t.Helper()
	deadline := time.After(15 * time.Second)
	missing := map[string]bool{}
	for _, w := range want {
		missing[w] = true
	}
	for len(missing) > 0 {
		select {
		case rel := <-s.ch:
			delete(missing, rel)
		case <-deadline:
			t.Fatalf("not reported: %v", missing)
		}
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWatcher_reportsCompleteFilesOnce(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "at-start.md"), "present before the watcher")
	write(t, filepath.Join(dir, "~$lock.docx"), "owner file")
	s := start(t, dir)
	s.wait(t, "at-start.md")

	// A file written slowly, in pieces closer together than the settle time, is
	// reported once, whole.
	slow := filepath.Join(dir, "slow.md")
	f, err := os.Create(slow)
	if err != nil {
		t.Fatal(err)
	}
	piece := strings.Repeat("x", 1000)
	for range 6 {
		if _, err := f.WriteString(piece); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond) // the slow writer, not a readiness wait
	}
	f.Close()

	// A new subfolder with a file in it, a file moved in, and ignored names.
	write(t, filepath.Join(dir, "sub", "deeper", "new.md"), "in a new folder")
	outside := filepath.Join(t.TempDir(), "moved.md")
	write(t, outside, "moved in")
	if err := os.Rename(outside, filepath.Join(dir, "moved.md")); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "download.part"), "partial")
	write(t, filepath.Join(dir, ".hidden"), "dotfile")
	s.wait(t, "slow.md", "sub/deeper/new.md", "moved.md")

	// One more file settles, so every earlier event has been seen.
	write(t, filepath.Join(dir, "last.md"), "last")
	s.wait(t, "last.md")
	s.mu.Lock()
	defer s.mu.Unlock()
	if got := s.sizes["slow.md"]; len(got) != 1 || got[0] != 6000 {
		t.Errorf("slow.md reported at sizes %v, want once at 6000", got)
	}
	for _, ignored := range []string{"~$lock.docx", "download.part", ".hidden"} {
		if _, ok := s.sizes[ignored]; ok {
			t.Errorf("%s reported", ignored)
		}
	}
	for rel, sizes := range s.sizes {
		if len(sizes) != 1 {
			t.Errorf("%s reported %d times", rel, len(sizes))
		}
	}
}
