package sizing

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

// fakeMemory is a sampler whose reading the test sets; every sample is announced on
// sampled so the test knows Wait is polling.
type fakeMemory struct {
	available atomic.Uint64
	sampled   chan uint64
}

func newFakeMemory(available uint64) *fakeMemory {
	f := &fakeMemory{sampled: make(chan uint64, 100)}
	f.available.Store(available)
	return f
}

func (f *fakeMemory) sample(context.Context) (uint64, error) {
	v := f.available.Load()
	select {
	case f.sampled <- v:
	default:
	}
	return v, nil
}

func fastPressure(floor uint64, sample func(context.Context) (uint64, error)) *Pressure {
	p := NewPressure(floor, sample)
	p.minWait, p.maxWait = time.Millisecond, 4*time.Millisecond
	return p
}

// waitSample fails the test unless the sampler is called within the deadline.
func waitSample(t *testing.T, f *fakeMemory) uint64 {
	t.Helper()
	select {
	case v := <-f.sampled:
		return v
	case <-time.After(5 * time.Second):
		t.Fatal("Wait did not sample memory")
		return 0
	}
}

func TestPressure_blocksWhileLowAndResumesWhenMemoryRecovers(t *testing.T) {
	mem := newFakeMemory(100 * MiB)
	p := fastPressure(1*GiB, mem.sample)
	done := make(chan error, 1)
	go func() { done <- p.Wait(context.Background()) }()

	// Several low samples in a row: Wait is polling, not returning.
	for range 3 {
		waitSample(t, mem)
	}
	select {
	case err := <-done:
		t.Fatalf("Wait returned (%v) while memory was below the floor", err)
	default:
	}

	mem.available.Store(2 * GiB)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Wait after recovery: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Wait did not return after memory recovered")
	}
}

func TestPressure_returnsContextErrorWhenCancelled(t *testing.T) {
	mem := newFakeMemory(0)
	p := fastPressure(1*GiB, mem.sample)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Wait(ctx) }()
	waitSample(t, mem)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Wait = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Wait ignored the cancelled context")
	}
}

func TestPressure_deadline(t *testing.T) {
	p := NewPressure(1*GiB, newFakeMemory(0).sample) // default backoff: the deadline ends it
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := p.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait = %v, want context.DeadlineExceeded", err)
	}
}

func TestPressure_doesNotBlock(t *testing.T) {
	failing := func(context.Context) (uint64, error) { return 0, errors.New("no meminfo") }
	tests := []struct {
		name    string
		p       *Pressure
		wantErr bool
	}{
		{"memory above the floor", NewPressure(1*GiB, newFakeMemory(2*GiB).sample), false},
		{"memory exactly at the floor", NewPressure(1*GiB, newFakeMemory(1*GiB).sample), false},
		{"zero floor never samples", NewPressure(0, failing), false},
		{"nil pressure", nil, false},
		{"sampling error is returned", NewPressure(1*GiB, failing), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			err := tt.p.Wait(ctx)
			if (err != nil) != tt.wantErr || errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Wait = %v, want error: %v", err, tt.wantErr)
			}
		})
	}
}

func TestPressure_Low(t *testing.T) {
	p := NewPressure(1*GiB, newFakeMemory(512*MiB).sample)
	avail, low, err := p.Low(context.Background())
	if err != nil || !low || avail != 512*MiB {
		t.Fatalf("Low = %d, %v, %v; want 512 MiB, true, nil", avail, low, err)
	}
}
