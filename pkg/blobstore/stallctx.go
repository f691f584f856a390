package blobstore

import (
	"context"
	"sync"
	"time"
)

// stallContext is a context whose deadline moves: d after the last progress
// (kick), never past its parent's. nats.go's object reader waits on a pipe
// until the context's deadline, read anew at each Read, and notices the
// context only then: with a handler's context a stalled read blocked for the
// handler's whole timeout (minutes), and closing the reader cannot interrupt
// it (Close waits for the lock the blocked Read holds). With this context a
// read without progress returns within d.
type stallContext struct {
	parent context.Context
	d      time.Duration

	mu       sync.Mutex
	deadline time.Time
	done     chan struct{}
	err      error
	stalled  bool
	timer    *time.Timer
	unhook   func() bool
}

func newStallContext(parent context.Context, d time.Duration) *stallContext {
	c := &stallContext{parent: parent, d: d, deadline: time.Now().Add(d), done: make(chan struct{})}
	c.timer = time.AfterFunc(d, func() { c.end(context.DeadlineExceeded, true) })
	c.unhook = context.AfterFunc(parent, func() { c.end(parent.Err(), false) })
	return c
}

// kick records progress: the deadline moves d ahead.
func (c *stallContext) kick() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == nil {
		c.deadline = time.Now().Add(c.d)
		c.timer.Reset(c.d)
	}
}

// stop ends the context once it is no longer needed.
func (c *stallContext) stop() {
	c.unhook()
	c.end(context.Canceled, false)
}

func (c *stallContext) end(err error, stalled bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return
	}
	c.timer.Stop()
	c.err, c.stalled = err, stalled
	close(c.done)
}

// Stalled reports whether the context ended for lack of progress.
func (c *stallContext) Stalled() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stalled
}

func (c *stallContext) Deadline() (time.Time, bool) {
	c.mu.Lock()
	dl := c.deadline
	c.mu.Unlock()
	if pd, ok := c.parent.Deadline(); ok && pd.Before(dl) {
		dl = pd
	}
	return dl, true
}

func (c *stallContext) Done() <-chan struct{} { return c.done }

func (c *stallContext) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

func (c *stallContext) Value(key any) any { return c.parent.Value(key) }
