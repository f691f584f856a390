package pipeline

import (
	"context"
	"testing"
	"time"
)

// Wait looks at the documents at most once per waitEvery however many changes
// come: each look walks every document, and a change comes per message, so
// looking on each change made waiting quadratic in the size of a run.
func TestTracker_waitLooksAtMostOncePerInterval(t *testing.T) {
	tr := &Tracker{docs: map[string]*DocStatus{}, origins: map[string]*Origin{}, intakes: map[string]*Intake{},
		versions: map[[2]string][]string{}, changed: make(chan struct{}, 1)}
	tr.Expect("sha256:a", "a.md")
	const changes = 300
	go func() {
		for range changes {
			tr.mu.Lock()
			tr.notify()
			tr.mu.Unlock()
			time.Sleep(50 * time.Microsecond) // a change per message, over a while
		}
		tr.mu.Lock()
		tr.status("sha256:a").DocFailed = "done"
		tr.notify()
		tr.mu.Unlock()
	}()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start, looks := time.Now(), 0
	if err := tr.Wait(ctx, func(done, total int) { looks++ }); err != nil {
		t.Fatal(err)
	}
	if most := int(time.Since(start)/waitEvery) + 2; looks > most {
		t.Errorf("%d looks at the documents for %d changes in %s; want at most %d", looks, changes, time.Since(start), most)
	}
}
