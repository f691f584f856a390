package pipeline

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/results"
)

// Three documents done within a few seconds each, an hour of idle time
// between the first and the others: busy time is their spans' union, and
// each finished document gets its own span.
func TestTracker_busyCountsDocumentsInWorkNotIdleTime(t *testing.T) {
	tr := &Tracker{docs: map[string]*DocStatus{}, origins: map[string]*Origin{}, intakes: map[string]*Intake{},
		versions: map[[2]string][]string{}, changed: make(chan struct{}, 1)}
	t0 := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	doc := func(id string, start, end time.Duration) {
		chunked, _ := json.Marshal(event.Chunked{Doc: event.Doc{ID: id, Source: id + ".md"}, Format: "markdown", Total: 1})
		tr.onEvent(names.SubjectChunked, chunked, t0.Add(start))
		var rec results.DocRecord
		rec.Add(results.ChunkRecord{DocID: id, Source: id + ".md", Index: 0, Total: 1, Mode: extraction.ModeBasic})
		b, _ := json.Marshal(rec)
		tr.onResult(b, t0.Add(end))
	}
	doc("a", 0, 4*time.Second)
	doc("b", time.Hour, time.Hour+3*time.Second)
	doc("c", time.Hour+time.Second, time.Hour+5*time.Second) // overlaps b
	// A document in work: chunked, nothing accepted yet.
	chunked, _ := json.Marshal(event.Chunked{Doc: event.Doc{ID: "d"}, Total: 2})
	tr.onEvent(names.SubjectChunked, chunked, t0.Add(time.Hour+5*time.Second))

	busy, per := tr.Busy()
	if busy != 9*time.Second {
		t.Errorf("busy %v, want 9s (4s, then 5s of overlapping work; the idle hour left out)", busy)
	}
	if per["a"] != 4*time.Second || per["b"] != 3*time.Second || per["c"] != 4*time.Second {
		t.Errorf("per document %v", per)
	}
	if _, ok := per["d"]; ok {
		t.Errorf("a document in work has a duration: %v", per)
	}
	done := tr.Finished()
	if len(done) != 3 || !done["a"].Equal(t0.Add(4*time.Second)) || !done["c"].Equal(t0.Add(time.Hour+5*time.Second)) {
		t.Errorf("done times %v, want a at +4s, b and c at their last result, d absent", done)
	}
}

func TestUnionLength(t *testing.T) {
	at := func(s int) time.Time { return time.Unix(int64(s), 0) }
	for _, tc := range []struct {
		spans []span
		want  time.Duration
	}{
		{nil, 0},
		{[]span{{at(0), at(10)}}, 10 * time.Second},
		{[]span{{at(5), at(8)}, {at(0), at(10)}}, 10 * time.Second},
		{[]span{{at(0), at(2)}, {at(2), at(3)}, {at(100), at(101)}}, 4 * time.Second},
	} {
		if got := unionLength(tc.spans); got != tc.want {
			t.Errorf("%v: %v, want %v", tc.spans, got, tc.want)
		}
	}
}

// An archive is done on docs.expanded alone; the dead letters of the members
// it refused travel on DLQ and may not have arrived when a run renders. The
// tracker reports each refused member once: the letter it saw, or one made
// again from docs.expanded, as extract makes it.
func TestTracker_refusedMembersReportedBeforeTheirDeadLettersArrive(t *testing.T) {
	tr := &Tracker{docs: map[string]*DocStatus{}, origins: map[string]*Origin{}, intakes: map[string]*Intake{},
		versions: map[[2]string][]string{}, changed: make(chan struct{}, 1)}
	at := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	archive := event.Doc{ID: "sha256:arch", Source: "lib.zip"}
	tr.Expect(archive.ID, archive.Source)
	skipped := []event.Skipped{{Name: "../a.md", Reason: "path escapes the archive (..)"}, {Name: "secret.md", Reason: "encrypted"}}
	exp, _ := json.Marshal(event.Expanded{V: event.Version, Doc: archive, Format: "zip", Skipped: skipped})
	tr.onEvent(names.SubjectExpanded, exp, at)
	// Only the first member's letter has arrived.
	seen := event.RefusedMember(archive, skipped[0])
	b, _ := json.Marshal(seen)
	tr.onEvent(seen.Subject(), b, at)

	if d := tr.docs[archive.ID]; !d.Done() {
		t.Fatal("the archive is not done on docs.expanded")
	}
	for name, got := range map[string][]event.DeadLetter{
		"DeadLetters":    tr.DeadLetters(map[string]bool{"lib.zip": true}),
		"AllDeadLetters": tr.AllDeadLetters(),
	} {
		if len(got) != 2 || got[0] != seen || got[1] != event.RefusedMember(archive, skipped[1]) {
			t.Errorf("%s: %+v, want the letter seen and one made for secret.md", name, got)
		}
		if got[1].MsgID() != event.RefusedMember(archive, skipped[1]).MsgID() {
			t.Errorf("%s: the made letter's id differs from extract's", name)
		}
	}
}
