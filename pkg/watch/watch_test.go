package watch_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
	"go.uber.org/zap/zaptest"

	"github.com/ranstream/ranstream/pkg/watch"
)

type seen struct {
	mu    sync.Mutex
	sizes map[string][]int64
	ch    chan string
	// fail, when set, decides the handler's answer for each call.
	fail func(rel string, call int) error
}

func (s *seen) found(path, rel string) error {
	st, err := os.Stat(path)
	size := int64(-1)
	if err == nil {
		size = st.Size()
	}
	s.mu.Lock()
	s.sizes[rel] = append(s.sizes[rel], size)
	call := len(s.sizes[rel])
	s.mu.Unlock()
	s.ch <- rel
	if s.fail != nil {
		return s.fail(rel, call)
	}
	return nil
}

func start(t *testing.T, dir string) *seen {
	t.Helper()
	return startWith(t, dir, nil)
}

func startWith(t *testing.T, dir string, fail func(rel string, call int) error) *seen {
	t.Helper()
	s := &seen{sizes: map[string][]int64{}, ch: make(chan string, 64), fail: fail}
	w, err := watch.New(watch.Config{Dir: dir, Settle: 300 * time.Millisecond, Retry: 100 * time.Millisecond, Skip: func(name string) bool {
		return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") || strings.HasSuffix(name, ".part")
	}}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	run(t, w, s)
	return s
}

// run runs w, reporting to s, until the test ends.
func run(t *testing.T, w *watch.Watcher, s *seen) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, s.found) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
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

// A file whose handler fails goes back to waiting and is handed over again
// (after a growing delay) until the handler takes it; then never again.
func TestWatcher_retriesAFileUntilTheHandlerTakesIt(t *testing.T) {
	dir := t.TempDir()
	s := startWith(t, dir, func(rel string, call int) error {
		if rel == "flaky.md" && call <= 2 {
			return errors.New("nats: no response from stream")
		}
		return nil
	})
	write(t, filepath.Join(dir, "flaky.md"), "needs three tries")
	s.wait(t, "flaky.md")
	s.wait(t, "flaky.md")
	s.wait(t, "flaky.md")
	// Another file settles after the third try was taken: had the watcher
	// handed flaky.md over once more, it would be seen first.
	write(t, filepath.Join(dir, "after.md"), "after")
	s.wait(t, "after.md")
	s.mu.Lock()
	defer s.mu.Unlock()
	if got := s.sizes["flaky.md"]; len(got) != 3 {
		t.Errorf("flaky.md handed over %d times, want 3 (two failures, then taken)", len(got))
	}
}

// A writer that keeps the file open and pauses far longer than the settle
// period: the file is handed over once, whole, after the writer closes it.
func TestWatcher_waitsForAWriterThatPausesWithTheFileOpen(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("open files are read from /proc on Linux only")
	}
	dir := t.TempDir()
	s := start(t, dir)
	f, err := os.Create(filepath.Join(dir, "paused.md"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(strings.Repeat("first half ", 100)); err != nil {
		t.Fatal(err)
	}
	// The writer pauses five settle periods with the file open.
	select {
	case rel := <-s.ch:
		t.Fatalf("%s handed over while its writer held it open", rel)
	case <-time.After(1500 * time.Millisecond):
	}
	if _, err := f.WriteString(strings.Repeat("second half ", 100)); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	s.wait(t, "paused.md")
	write(t, filepath.Join(dir, "last.md"), "last")
	s.wait(t, "last.md")
	s.mu.Lock()
	defer s.mu.Unlock()
	if got := s.sizes["paused.md"]; len(got) != 1 || got[0] != 2300 {
		t.Errorf("paused.md handed over at sizes %v, want once at 2300", got)
	}
}

// TestWatcher_readsTheTreeAgainWhenEventsAreLost: when the kernel's event
// queue overflows, the files whose events were lost are found by reading the
// directory again; a file handed over before is not handed again. Here the
// directory's watch is dropped, so a new file makes no event at all, and the
// overflow is reported as fsnotify reports it.
func TestWatcher_readsTheTreeAgainWhenEventsAreLost(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "before.md"), "present before the watcher")
	s := &seen{sizes: map[string][]int64{}, ch: make(chan string, 64)}
	w, err := watch.New(watch.Config{Dir: dir, Settle: 300 * time.Millisecond}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	notifier := make(chan *fsnotify.Watcher, 1)
	w.SetStarted(func(fw *fsnotify.Watcher) { notifier <- fw })
	run(t, w, s)
	fw := <-notifier
	s.wait(t, "before.md")
	if err := fw.Remove(dir); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "unseen.md"), "arrived while events were lost")
	select {
	case rel := <-s.ch:
		t.Fatalf("%s reported with no event and no overflow", rel)
	case <-time.After(time.Second):
	}
	fw.Errors <- fsnotify.ErrEventOverflow
	s.wait(t, "unseen.md")
	time.Sleep(time.Second) // a second reading would hand before.md over by now
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := len(s.sizes["before.md"]); n != 1 {
		t.Errorf("before.md handed over %d times, want once", n)
	}
}
