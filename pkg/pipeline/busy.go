package pipeline

import (
	"slices"
	"time"
)

// span is the time from the first to the last event seen of a document.
type span struct{ first, last time.Time }

// seen widens id's span to at; callers hold t.mu.
func (t *Tracker) seen(id string, at time.Time) {
	if id == "" || at.IsZero() {
		return
	}
	if t.spans == nil {
		t.spans = map[string]*span{}
	}
	s, ok := t.spans[id]
	if !ok {
		t.spans[id] = &span{first: at, last: at}
		return
	}
	if at.Before(s.first) {
		s.first = at
	}
	if at.After(s.last) {
		s.last = at
	}
}

// Busy returns the time the pipeline had a document in work: the union of
// the documents' spans, from the first event of each (received) to its last
// (its last chunk accepted or dead-lettered), so that time standing idle
// between documents does not count; and per document its span, for those
// finished. Timestamps are those of the stream messages and of the results
// records, so documents of an earlier run followed from the history count
// their time then.
func (t *Tracker) Busy() (time.Duration, map[string]time.Duration) {
	t.mu.Lock()
	spans := make([]span, 0, len(t.spans))
	per := map[string]time.Duration{}
	for id, s := range t.spans {
		spans = append(spans, *s)
		if d, ok := t.docs[id]; ok && d.Done() {
			per[id] = s.last.Sub(s.first)
		}
	}
	t.mu.Unlock()
	return unionLength(spans), per
}

// Finished returns, per finished document, when its last event was seen: the
// moment it was done, for report.html's throughput over time.
func (t *Tracker) Finished() map[string]time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := map[string]time.Time{}
	for id, s := range t.spans {
		if d, ok := t.docs[id]; ok && d.Done() {
			out[id] = s.last
		}
	}
	return out
}

// unionLength is the total length of the union of spans.
func unionLength(spans []span) time.Duration {
	slices.SortFunc(spans, func(a, b span) int { return a.first.Compare(b.first) })
	var total time.Duration
	var cur span
	for i, s := range spans {
		switch {
		case i == 0:
			cur = s
		case !s.first.After(cur.last):
			if s.last.After(cur.last) {
				cur.last = s.last
			}
		default:
			total += cur.last.Sub(cur.first)
			cur = s
		}
	}
	if len(spans) > 0 {
		total += cur.last.Sub(cur.first)
	}
	return total
}
