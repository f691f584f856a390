package sizing

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Backoff bounds of Pressure.Wait's polling.
const (
	pressureMinWait = 100 * time.Millisecond
	pressureMaxWait = 5 * time.Second
)

// Pressure lets a stage slow its intake while memory is short instead of failing
// (or being killed) in the middle of a document: before taking the next message, a
// worker waits until the available RAM is back above a floor.
type Pressure struct {
	floor   uint64
	sample  func(context.Context) (uint64, error)
	minWait time.Duration
	maxWait time.Duration
}

// NewPressure returns a Pressure that holds workers while sample reports less than
// floor bytes available. sample is normally AvailableRAM; a floor of 0 never holds.
func NewPressure(floor uint64, sample func(context.Context) (uint64, error)) *Pressure {
	return &Pressure{floor: floor, sample: sample, minWait: pressureMinWait, maxWait: pressureMaxWait}
}

// Low samples the available RAM once and reports whether it is below the floor.
func (p *Pressure) Low(ctx context.Context) (available uint64, low bool, err error) {
	available, err = p.sample(ctx)
	if err != nil {
		return 0, false, fmt.Errorf("sizing: sample available memory: %w", err)
	}
	return available, available < p.floor, nil
}

// Wait returns at once when memory is not short, and otherwise blocks, polling with
// a growing interval, until it is no longer short or ctx ends (the error then wraps
// ctx.Err()). A nil Pressure or a zero floor never blocks. A sampling error is
// returned; intake control is best effort, so callers log it and go on rather than
// fail the message.
func (p *Pressure) Wait(ctx context.Context) error {
	if p == nil || p.floor == 0 {
		return nil
	}
	delay := p.minWait
	for {
		available, low, err := p.Low(ctx)
		if err != nil {
			return err
		}
		if !low {
			return nil
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("sizing: waiting for memory (%s available, floor %s): %w",
				bytesString(available), bytesString(p.floor), ctx.Err())
		case <-t.C:
		}
		delay = min(2*delay, p.maxWait)
	}
}

// Cached wraps sample so that it reads the machine at most once per ttl; a stage
// asks before every message, and reading /proc/meminfo each time would cost more
// than the messages.
func Cached(sample func(context.Context) (uint64, error), ttl time.Duration) func(context.Context) (uint64, error) {
	var (
		mu   sync.Mutex
		at   time.Time
		last uint64
	)
	return func(ctx context.Context) (uint64, error) {
		mu.Lock()
		defer mu.Unlock()
		if !at.IsZero() && time.Since(at) < ttl {
			return last, nil
		}
		v, err := sample(ctx)
		if err != nil {
			return v, err
		}
		last, at = v, time.Now()
		return v, nil
	}
}
