package watch

import "github.com/fsnotify/fsnotify"

// SetStarted sets the hook Run calls with its notifier once the tree is
// watched, for tests that lose events on purpose.
func (w *Watcher) SetStarted(f func(*fsnotify.Watcher)) { w.started = f }
