// Package watch follows a directory tree (fsnotify, recursive) and reports each
// file once it is complete: its size and modification time have stayed the same
// for a settle period, so a file still being copied is never read half-written.
// Files present at start, files moved in and new subfolders are all seen;
// temporary and lock files are ignored.
package watch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
}

func (c *Config) setDefaults() {
	if c.Settle <= 0 {
		c.Settle = time.Second
	}
	if c.Skip == nil {
		c.Skip = func(string) bool { return false }
	}
}

// Watcher reports complete files under a directory.
type Watcher struct {
	cfg Config
	log *zap.Logger
}

// New returns a watcher for cfg.Dir.
func New(cfg Config, log *zap.Logger) (*Watcher, error) {
	cfg.setDefaults()
	if cfg.Dir == "" {
		return nil, errors.New("watch: no directory")
	}
	return &Watcher{cfg: cfg, log: log}, nil
}

type pending struct {
	size    int64
	mod     time.Time
	checked time.Time
}

type seen struct {
	size int64
	mod  time.Time
}

// Run reports every complete file to found (path, and the path relative to the
// directory) until ctx ends. A file is reported again only after it changes.
func (w *Watcher) Run(ctx context.Context, found func(path, rel string)) error {
	if err := os.MkdirAll(w.cfg.Dir, 0o755); err != nil {
		return fmt.Errorf("watch %s: %w", w.cfg.Dir, err)
	}
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch %s: %w", w.cfg.Dir, err)
	}
	defer fw.Close()
	waiting := map[string]*pending{}
	done := map[string]seen{}
	consider := func(path string) {
		if w.cfg.Skip(filepath.Base(path)) {
			return
		}
		if _, ok := waiting[path]; !ok {
			waiting[path] = &pending{size: -1}
		}
	}
	var addTree func(dir string)
	addTree = func(dir string) {
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
				consider(path)
			}
			return nil
		})
	}
	addTree(w.cfg.Dir)
	w.log.Info("watching directory", zap.String("dir", w.cfg.Dir), zap.Int("files_at_start", len(waiting)))

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
			w.log.Warn("watch error", zap.Error(err))
		case ev, ok := <-fw.Events:
			if !ok {
				return nil
			}
			if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
				delete(waiting, ev.Name)
				delete(done, ev.Name)
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
				consider(ev.Name)
			}
		case now := <-tick.C:
			for path, p := range waiting {
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
				delete(waiting, path)
				if prev, ok := done[path]; ok && prev.size == p.size && prev.mod.Equal(p.mod) {
					continue
				}
				done[path] = seen{size: p.size, mod: p.mod}
				rel, err := filepath.Rel(w.cfg.Dir, path)
				if err != nil {
					rel = filepath.Base(path)
				}
				found(path, filepath.ToSlash(rel))
			}
		}
	}
}
