// Package watch follows a directory tree (fsnotify, recursive) and hands over
// each file once it is complete: its size and modification time have stayed the
// same for a settle period (a write event starts the period again) and, where
// the platform tells, no process holds it open for writing. On Linux that is
// read from /proc/<pid>/fd and fdinfo, so a writer that pauses longer than the
// settle period (a download stalling, a copy waiting on a slow disk) is waited
// for, whatever the length of the pause; elsewhere, and for writers this
// process cannot see (other users' processes without privileges, other
// machines writing over a network file system), the settle period alone
// decides. A file is done only once the handler says so: a handler error puts
// the file back to waiting, tried again with a growing delay, so a failure
// downstream never loses it. Files present at start, files moved in and new
// subfolders are all seen; temporary and lock files are ignored.
package watch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
	"go.uber.org/zap"
)

// Config configures a watcher.
type Config struct {
	// Dir is the directory to watch; it is created when missing.
	Dir string
	// Settle is how long a file must stay unchanged to count as complete. Default 1s.
	Settle time.Duration
	// Skip reports names to ignore (lock files, partial downloads, dotfiles).
	Skip func(name string) bool
	// Workers is how many files are handed over at once. Default 4.
	Workers int
	// Retry is the wait before a file whose handing over failed is tried
	// again; it doubles with each failure in a row, up to MaxRetry, with
	// jitter. Defaults 1s and 2m.
	Retry, MaxRetry time.Duration
}

func (c *Config) setDefaults() {
	if c.Settle <= 0 {
		c.Settle = time.Second
	}
	if c.Skip == nil {
		c.Skip = func(string) bool { return false }
	}
	if c.Workers <= 0 {
		c.Workers = 4
	}
	if c.Retry <= 0 {
		c.Retry = time.Second
	}
	if c.MaxRetry < c.Retry {
		c.MaxRetry = max(2*time.Minute, c.Retry)
	}
}

// Watcher reports complete files under a directory.
type Watcher struct {
	cfg Config
	log *zap.Logger
	// held reports which of the paths a process holds open for writing, with
	// a description of the holder; nil where the platform cannot tell.
	held func(paths []string) map[string]string
	// started, when set (tests), is called with the notifier once the tree
	// is watched.
	started func(*fsnotify.Watcher)
}

// New returns a watcher for cfg.Dir.
func New(cfg Config, log *zap.Logger) (*Watcher, error) {
	cfg.setDefaults()
	if cfg.Dir == "" {
		return nil, errors.New("watch: no directory")
	}
	return &Watcher{cfg: cfg, log: log, held: heldForWriting}, nil
}

// version is what tells one content of a file from the next.
type version struct {
	size int64
	mod  time.Time
}

type pending struct {
	version
	// checked is when the version was first seen: the settle period runs from it.
	checked time.Time
	// notBefore holds a retried or held file back until then.
	notBefore time.Time
	// heldBy is the writer last seen holding the file, logged once.
	heldBy string
}

type result struct {
	path string
	v    version
	err  error
}

// Run hands every complete file to found (its path, and the path relative to
// the directory) until ctx ends, then waits for the calls in progress. found
// returns nil once the file is taken care of for good; an error puts the file
// back to waiting, tried again after a delay that grows with each failure. A
// file is handed over again only after it changes. found is called from
// several goroutines (Config.Workers), never twice at once for one file.
func (w *Watcher) Run(ctx context.Context, found func(path, rel string) error) error {
	if err := os.MkdirAll(w.cfg.Dir, 0o755); err != nil {
		return fmt.Errorf("watch %s: %w", w.cfg.Dir, err)
	}
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch %s: %w", w.cfg.Dir, err)
	}
	defer fw.Close()
	waiting := map[string]*pending{}
	done := map[string]version{}
	busy := map[string]bool{}
	failures := map[string]int{}
	results := make(chan result)
	slots := make(chan struct{}, w.cfg.Workers)
	var calls sync.WaitGroup
	defer calls.Wait()

	consider := func(path string, now time.Time) {
		if w.cfg.Skip(filepath.Base(path)) {
			return
		}
		if p, ok := waiting[path]; ok {
			p.checked = now // written to again: the settle period starts over
			return
		}
		waiting[path] = &pending{version: version{size: -1}}
	}
	var addTree func(dir string)
	addTree = func(dir string) {
		now := time.Now()
		_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if path != dir && w.cfg.Skip(d.Name()) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if err := fw.Add(path); err != nil {
					w.log.Warn("cannot watch folder", zap.String("dir", path), zap.Error(err))
				}
				return nil
			}
			if d.Type().IsRegular() {
				consider(path, now)
			}
			return nil
		})
	}
	hand := func(path string, v version) {
		rel, err := filepath.Rel(w.cfg.Dir, path)
		if err != nil {
			rel = filepath.Base(path)
		}
		busy[path] = true
		calls.Add(1)
		go func() {
			defer calls.Done()
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			err := found(path, filepath.ToSlash(rel))
			<-slots
			select {
			case results <- result{path: path, v: v, err: err}:
			case <-ctx.Done():
			}
		}()
	}
	addTree(w.cfg.Dir)
	w.log.Info("watching directory", zap.String("dir", w.cfg.Dir), zap.Int("files_at_start", len(waiting)))
	if w.started != nil {
		w.started(fw)
	}

	tick := time.NewTicker(w.cfg.Settle / 2)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err, ok := <-fw.Errors:
			if !ok {
				return nil
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				// The kernel's queue overflowed: events are lost, and with
				// them, maybe, files that arrived. The tree is read again;
				// files already handed over are not handed again unchanged.
				w.log.Warn("watch events lost; reading the directory again", zap.String("dir", w.cfg.Dir), zap.Error(err))
				addTree(w.cfg.Dir)
				continue
			}
			w.log.Warn("watch error", zap.Error(err))
		case ev, ok := <-fw.Events:
			if !ok {
				return nil
			}
			if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
				delete(waiting, ev.Name)
				delete(done, ev.Name)
				delete(failures, ev.Name)
				continue
			}
			st, err := os.Stat(ev.Name)
			if err != nil {
				continue
			}
			if st.IsDir() {
				if ev.Has(fsnotify.Create) && !w.cfg.Skip(filepath.Base(ev.Name)) {
					addTree(ev.Name)
				}
				continue
			}
			if st.Mode().IsRegular() {
				consider(ev.Name, time.Now())
			}
		case r := <-results:
			delete(busy, r.path)
			if r.err == nil {
				done[r.path] = r.v
				delete(failures, r.path)
				continue
			}
			failures[r.path]++
			delay := w.backoff(failures[r.path])
			p, ok := waiting[r.path]
			if !ok {
				p = &pending{version: version{size: -1}}
				waiting[r.path] = p
			}
			p.notBefore = time.Now().Add(delay)
			w.log.Warn("file not ingested, will try again", zap.String("path", r.path),
				zap.Int("failures", failures[r.path]), zap.Duration("retry_in", delay), zap.Error(r.err))
		case now := <-tick.C:
			var ready []string
			for path, p := range waiting {
				if busy[path] || now.Before(p.notBefore) {
					continue
				}
				st, err := os.Stat(path)
				if err != nil {
					delete(waiting, path)
					continue
				}
				if st.Size() != p.size || !st.ModTime().Equal(p.mod) {
					p.size, p.mod, p.checked = st.Size(), st.ModTime(), now
					continue
				}
				if now.Sub(p.checked) < w.cfg.Settle {
					continue
				}
				if prev, ok := done[path]; ok && prev == p.version {
					delete(waiting, path)
					continue
				}
				ready = append(ready, path)
			}
			if len(ready) == 0 {
				continue
			}
			var held map[string]string
			if w.held != nil {
				held = w.held(ready)
			}
			for _, path := range ready {
				p := waiting[path]
				if by, ok := held[path]; ok {
					if by != p.heldBy {
						w.log.Info("file still open for writing; waiting for the writer to close it",
							zap.String("path", path), zap.String("writer", by))
						p.heldBy = by
					}
					p.notBefore = now.Add(w.cfg.Settle / 2)
					continue
				}
				// The writer may have written and closed while the
				// holders were looked for: the version must still be
				// the one that settled.
				if st, err := os.Stat(path); err != nil || st.Size() != p.size || !st.ModTime().Equal(p.mod) {
					p.size, p.checked = -1, now
					continue
				}
				delete(waiting, path)
				hand(path, p.version)
			}
		}
	}
}

// backoff is the wait after n failures in a row: Retry doubled n-1 times, at
// most MaxRetry, give or take a fifth so that files failed together do not
// all come back at the same moment.
func (w *Watcher) backoff(n int) time.Duration {
	d := w.cfg.Retry
	for i := 1; i < n && d < w.cfg.MaxRetry; i++ {
		d *= 2
	}
	d = min(d, w.cfg.MaxRetry)
	return d + time.Duration((rand.Float64()*0.4-0.2)*float64(d))
}
