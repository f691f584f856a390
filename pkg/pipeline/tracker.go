package pipeline

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	json "github.com/go-json-experiment/json/v1"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/results"
	"github.com/ranstream/ranstream/pkg/resultstore"
)

// DocStatus is what the tracker knows of one document.
type DocStatus struct {
	ID     string
	Source string
	Format string
	// Total is the chunk count once chunked; 0 before.
	Total int
	// Accepted is the latest document record from the results bucket: which
	// chunks were accepted. Failed maps dead-lettered chunk indexes to reasons.
	Accepted results.DocRecord
	Failed   map[int]string
	// DocFailed is the reason the whole document was dead-lettered.
	DocFailed string
	// Expanded is set for an archive whose members went back to ingest.
	Expanded *event.Expanded
	// Chunked carries what extraction learned (title, metadata, warnings).
	Chunked *event.Chunked
}

// Done reports whether the document is finished: every chunk accepted or
// dead-lettered, or the document itself dead-lettered.
func (d *DocStatus) Done() bool {
	if d.DocFailed != "" || d.Expanded != nil {
		return true
	}
	if d.Total == 0 {
		return false
	}
	n := d.Accepted.Count
	for i := range d.Failed {
		if !d.Accepted.Has(i) {
			n++
		}
	}
	return n >= d.Total
}

// Tracker follows documents through the pipeline from the outside, by what the
// stages publish (docs.detected, docs.chunked, archive members on docs.received,
// dead letters) and what quality-route accepts into the results bucket, so that
// `ranstream process` knows when every document it ingested is finished.
type Tracker struct {
	mu   sync.Mutex
	docs map[string]*DocStatus
	// unreadable holds the results keys whose record could not be decoded.
	unreadable map[string]error
	dead       []event.DeadLetter
	version    uint64
	// origins are spec requests waited for, by reference, and whether done.
	origins map[string]*Origin
	// intakes are sources handed to ingest, by name: pending until ingested
	// or dead-lettered, so that none goes unaccounted.
	intakes map[string]*Intake
	// versions are, per intake and source, the documents a watched file or
	// inbox object was, oldest first (docs.version).
	versions map[[2]string][]string
	changed  chan struct{}
	stop     []func()
	// live is set once the results watch has delivered the history: records
	// completing after that are reported to onComplete.
	live       bool
	onComplete func(DocStatus)
	// spans are, per document, the times of the first and the last event
	// seen of it: the time the pipeline worked on it.
	spans map[string]*span
}

// OnComplete calls fn, outside the tracker's lock, with each document whose
// record completes from now on (not those complete before the tracker
// started). Set it before documents arrive.
func (t *Tracker) OnComplete(fn func(DocStatus)) {
	t.mu.Lock()
	t.onComplete = fn
	t.mu.Unlock()
}

// Intake is what became of a source handed to ingest.
type Intake struct {
	Source string
	// DocID is its document, once ingested.
	DocID string
	// DeadLetter is the reason it was dead-lettered at ingest.
	DeadLetter string
	// Failed is the last failure while its ingest is retried.
	Failed string
}

func (in *Intake) resolved() bool { return in.DocID != "" || in.DeadLetter != "" }

// NewTracker starts watching, history included. Call Expect for each document
// to wait for.
func (p *Pipeline) NewTracker(ctx context.Context) (*Tracker, error) {
	return p.newTracker(ctx, false)
}

// NewReplayTracker starts watching what happens from now on only: a replay
// waits for the new run of documents whose earlier runs are in the history.
func (p *Pipeline) NewReplayTracker(ctx context.Context) (*Tracker, error) {
	return p.newTracker(ctx, true)
}

func (p *Pipeline) newTracker(ctx context.Context, onlyNew bool) (*Tracker, error) {
	t := &Tracker{docs: map[string]*DocStatus{}, unreadable: map[string]error{}, origins: map[string]*Origin{}, intakes: map[string]*Intake{},
		versions: map[[2]string][]string{}, changed: make(chan struct{}, 1)}
	deliver := jetstream.DeliverAllPolicy
	var watchOpts []jetstream.WatchOpt
	if onlyNew {
		deliver = jetstream.DeliverNewPolicy
		watchOpts = append(watchOpts, jetstream.UpdatesOnly())
	}
	for stream, subjects := range map[string][]string{
		names.StreamDocs:  {names.SubjectReceived, names.SubjectDetected, names.SubjectChunked, names.SubjectExpanded, names.SubjectVersion},
		names.StreamDLQ:   {names.SubjectDLQPrefix + ">"},
		names.StreamSpecs: {names.SubjectFetched},
	} {
		cons, err := p.js.OrderedConsumer(ctx, stream, jetstream.OrderedConsumerConfig{FilterSubjects: subjects, DeliverPolicy: deliver})
		if err != nil {
			t.Close()
			return nil, fmt.Errorf("tracker: follow %s: %w", stream, err)
		}
		cc, err := cons.Consume(func(m jetstream.Msg) {
			at := time.Now()
			if md, err := m.Metadata(); err == nil && !md.Timestamp.IsZero() {
				at = md.Timestamp
			}
			t.onEvent(m.Subject(), m.Data(), at)
		})
		if err != nil {
			t.Close()
			return nil, fmt.Errorf("tracker: consume %s: %w", stream, err)
		}
		t.stop = append(t.stop, cc.Stop)
	}
	w, err := p.results.KV().Watch(ctx, "doc.*", watchOpts...)
	if err != nil {
		t.Close()
		return nil, fmt.Errorf("tracker: watch results: %w", err)
	}
	t.stop = append(t.stop, func() { _ = w.Stop() })
	go func() {
		for e := range w.Updates() {
			switch {
			case e == nil: // the history is delivered
				t.mu.Lock()
				t.live = true
				t.mu.Unlock()
			case e.Operation() == jetstream.KeyValuePut:
				err := t.onResult(e.Value(), e.Created())
				t.mu.Lock()
				if _, was := t.unreadable[e.Key()]; err != nil {
					t.unreadable[e.Key()] = err
					t.notify()
				} else if was {
					delete(t.unreadable, e.Key())
				}
				t.mu.Unlock()
			}
		}
	}()
	return t, nil
}

// DocRecords returns the newest record of every document the results
// bucket holds, as the watch delivered them (history included), sorted by
// source then id, and the records it could not read: what rendering needs,
// without listing the bucket. Listing creates a consumer on every
// rendering, and while a NATS node fails over that creation can hang for
// minutes, and rendering with it.
func (t *Tracker) DocRecords() ([]results.DocRecord, []resultstore.Unreadable) {
	t.mu.Lock()
	var out []results.DocRecord
	for _, d := range t.docs {
		if d.Accepted.DocID != "" {
			out = append(out, d.Accepted)
		}
	}
	var bad []resultstore.Unreadable
	for key, err := range t.unreadable {
		bad = append(bad, resultstore.Unreadable{DocID: resultstore.DocIDOfKey(key), Err: err})
	}
	t.mu.Unlock()
	sort.Slice(bad, func(i, j int) bool { return bad[i].DocID < bad[j].DocID })
	resultstore.SortDocs(out)
	return out, bad
}

// Close stops watching.
func (t *Tracker) Close() {
	for _, s := range t.stop {
		s()
	}
}

func (t *Tracker) status(id string) *DocStatus {
	d, ok := t.docs[id]
	if !ok {
		d = &DocStatus{ID: id, Failed: map[int]string{}}
		t.docs[id] = d
	}
	return d
}

// notify wakes a waiter; callers hold t.mu.
func (t *Tracker) notify() {
	t.version++
	select {
	case t.changed <- struct{}{}:
	default:
	}
}

// onEvent follows one event published at at.
func (t *Tracker) onEvent(subject string, data []byte, at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	defer t.notify()
	switch subject {
	case names.SubjectReceived:
		var e event.Received
		if json.Unmarshal(data, &e) != nil {
			return
		}
		t.seen(e.Doc.ID, at)
		if parent, ok := t.docs[e.Doc.Parent]; ok && e.Doc.Parent != "" && parent.wanted() {
			t.status(e.Doc.ID).want(e.Doc.Source)
		}
		if _, ok := t.origins[e.Doc.Origin]; ok && e.Doc.Origin != "" {
			t.status(e.Doc.ID).want(e.Doc.Source)
		}
	case names.SubjectFetched:
		var e event.Fetched
		if json.Unmarshal(data, &e) != nil {
			return
		}
		// A summary of an earlier request for the same reference is not ours.
		if o, ok := t.origins[e.Request]; ok && (e.Ticket == "" || e.Ticket == o.MsgID) {
			o.Done, o.Fetched = true, &e
			for _, d := range e.Docs {
				t.status(d.ID).want(d.Source)
			}
		}
	case names.SubjectDetected:
		var e event.Detected
		if json.Unmarshal(data, &e) == nil {
			t.status(e.Doc.ID).Format = e.Format
			t.seen(e.Doc.ID, at)
		}
	case names.SubjectExpanded:
		var e event.Expanded
		if json.Unmarshal(data, &e) == nil {
			d := t.status(e.Doc.ID)
			d.Expanded, d.Format = &e, e.Format
			t.seen(e.Doc.ID, at)
		}
	case names.SubjectVersion:
		var e event.SourceVersion
		if json.Unmarshal(data, &e) == nil && e.DocID != "" {
			key := [2]string{e.Intake, e.Source}
			if h := t.versions[key]; len(h) == 0 || h[len(h)-1] != e.DocID {
				t.versions[key] = append(h, e.DocID)
			}
		}
	case names.SubjectChunked:
		var e event.Chunked
		if json.Unmarshal(data, &e) == nil {
			d := t.status(e.Doc.ID)
			d.Total, d.Format, d.Chunked = e.Total, e.Format, &e
			t.seen(e.Doc.ID, at)
		}
	default:
		var e event.DeadLetter
		if json.Unmarshal(data, &e) != nil {
			return
		}
		if e.DocID == "" {
			t.dead = append(t.dead, e)
			if in, ok := t.intakes[e.Source]; ok && e.Stage == names.StageIngest && in.DocID == "" {
				in.DeadLetter = e.Reason
			}
			for _, o := range t.origins {
				if o.MsgID != "" && o.MsgID == e.OrigMsgID {
					o.Done, o.Failed = true, e.Reason
				}
			}
			return
		}
		t.dead = append(t.dead, e)
		t.seen(e.DocID, at)
		d := t.status(e.DocID)
		if e.Chunk < 0 {
			d.DocFailed = e.Stage + ": " + e.Reason
		} else {
			d.Failed[e.Chunk] = e.Stage + ": " + e.Reason
		}
	}
}

func (t *Tracker) onResult(value []byte, at time.Time) error {
	rec, err := results.DecodeDoc(value)
	if err != nil {
		return err
	}
	t.mu.Lock()
	var report func(DocStatus)
	var done DocStatus
	defer func() {
		t.mu.Unlock()
		if report != nil {
			report(done)
		}
	}()
	d := t.status(rec.DocID)
	t.seen(rec.DocID, at)
	if rec.Replay < d.Accepted.Replay {
		return nil // a record of a run a replay superseded
	}
	wasComplete := d.Accepted.Complete() && d.Accepted.Replay == rec.Replay
	d.Total = rec.Total
	if d.Format == "" {
		d.Format = rec.Format
	}
	// Records only grow within a run, and a replay's run is newer: keep the
	// newest, whatever order the watch delivers.
	if rec.Replay > d.Accepted.Replay || rec.Replay == d.Accepted.Replay && rec.Count >= d.Accepted.Count {
		d.Accepted = rec
	}
	if t.live && t.onComplete != nil && !wasComplete && d.Accepted.Complete() {
		report, done = t.onComplete, *d
	}
	t.notify()
	return nil
}

// wantedSource marks a document someone waits for; Source stays as first seen.
func (d *DocStatus) want(source string) {
	if d.Source == "" {
		d.Source = source
	}
}

func (d *DocStatus) wanted() bool { return d.Source != "" }

// Expect adds a document to wait for.
func (t *Tracker) Expect(docID, source string) {
	t.mu.Lock()
	t.status(docID).want(source)
	t.notify()
	t.mu.Unlock()
}

// Origin is a spec request waited for.
type Origin struct {
	// MsgID is the message id the request was published with.
	MsgID string
	Done  bool
	// Fetched is the ingest stage's summary; Failed the reason it failed.
	Fetched *event.Fetched
	Failed  string
}

// ExpectOrigin adds a spec request (by its reference, 3gpp:38.331@18) to wait
// for, published with msgID: its documents are then waited for too.
func (t *Tracker) ExpectOrigin(ref, msgID string) {
	t.mu.Lock()
	t.origins[ref] = &Origin{MsgID: msgID}
	t.notify()
	t.mu.Unlock()
}

// Origins returns the spec requests waited for.
func (t *Tracker) Origins() map[string]Origin {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := map[string]Origin{}
	for k, o := range t.origins {
		out[k] = *o
	}
	return out
}

// Progress counts the expected documents (and spec requests) and those finished.
func (t *Tracker) Progress() (done, total int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, o := range t.origins {
		total++
		if o.Done {
			done++
		}
	}
	for _, in := range t.intakes {
		if !in.resolved() {
			total++
		}
	}
	for _, d := range t.docs {
		if d.wanted() {
			total++
			if d.Done() {
				done++
			}
		}
	}
	return done, total
}

// ChunkProgress counts the chunks of the expected documents chunked so far
// and those finished (accepted or dead-lettered): the progress inside large
// documents, which finish only at their last chunk.
func (t *Tracker) ChunkProgress() (done, total int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, d := range t.docs {
		if !d.wanted() || d.Total == 0 {
			continue
		}
		total += d.Total
		n := d.Accepted.Count
		for i := range d.Failed {
			if !d.Accepted.Has(i) {
				n++
			}
		}
		done += min(n, d.Total)
	}
	return done, total
}

// waitEvery is the shortest time between two looks of Wait at the documents:
// changes come one per message, and each look walks every document.
const waitEvery = 20 * time.Millisecond

// Wait blocks until every expected document is finished, calling progress on
// each change, at most once per waitEvery.
func (t *Tracker) Wait(ctx context.Context, progress func(done, total int)) error {
	for {
		looked := time.Now()
		done, total := t.Progress()
		if progress != nil {
			progress(done, total)
		}
		if done == total {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %d of %d documents: %w", total-done, total, ctx.Err())
		case <-t.changed:
		}
		if rest := waitEvery - time.Since(looked); rest > 0 {
			select {
			case <-ctx.Done():
				return fmt.Errorf("waiting for %d of %d documents: %w", total-done, total, ctx.Err())
			case <-time.After(rest):
			}
		}
	}
}

// Statuses returns a copy of every expected document's status, by source.
func (t *Tracker) Statuses() []DocStatus {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []DocStatus
	for _, d := range t.docs {
		if d.wanted() {
			out = append(out, *d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Source < out[j].Source })
	return out
}

// DeadLetters returns the dead letters of the expected documents, and those
// that name no document (ingest failures) when sources lists their source.
func (t *Tracker) DeadLetters(sources map[string]bool) []event.DeadLetter {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []event.DeadLetter
	for _, dl := range t.dead {
		if t.ingestedSince(dl) {
			continue
		}
		if dl.DocID == "" {
			parent, ok := t.docs[dl.Parent]
			ref, _, _ := strings.Cut(dl.Source, "/")
			fromRequest := strings.HasPrefix(ref, "3gpp:") && sources[ref]
			if sources[dl.Source] || fromRequest || (ok && parent.wanted()) {
				out = append(out, dl)
			}
			continue
		}
		if d, ok := t.docs[dl.DocID]; ok && d.wanted() {
			if dl.Source == "" {
				dl.Source = d.Source
			}
			out = append(out, dl)
		}
	}
	return t.refusedMembers(out, (*DocStatus).wanted)
}

// refusedMembers adds to out the dead letters of the members archives
// refused that have not been seen yet, for the archives want selects. The
// extract stage publishes them to DLQ beside docs.expanded, but an archive is
// done on docs.expanded alone (a purged dead letter must not hold it
// pending), so a run may end before the DLQ subscription delivered them: they
// are made again from the archive's docs.expanded, as extract made them.
// Callers hold t.mu.
func (t *Tracker) refusedMembers(out []event.DeadLetter, want func(*DocStatus) bool) []event.DeadLetter {
	seen := map[[2]string]bool{}
	for _, dl := range out {
		if dl.Parent != "" {
			seen[[2]string{dl.Parent, dl.Source}] = true
		}
	}
	var missing []event.DeadLetter
	for _, d := range t.docs {
		if d.Expanded == nil || !want(d) {
			continue
		}
		for _, sk := range d.Expanded.Skipped {
			dl := event.RefusedMember(d.Expanded.Doc, sk)
			if !seen[[2]string{dl.Parent, dl.Source}] {
				missing = append(missing, dl)
			}
		}
	}
	sort.Slice(missing, func(i, j int) bool { return missing[i].Source < missing[j].Source })
	return append(out, missing...)
}

// Extracted returns, per document id, what extraction learned of it.
func (t *Tracker) Extracted() map[string]*event.Chunked {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := map[string]*event.Chunked{}
	for id, d := range t.docs {
		if d.Chunked != nil {
			out[id] = d.Chunked
		}
	}
	return out
}

// AllDeadLetters returns every dead letter seen, but those of ingest for a
// source that was ingested since (retried, or replaced by a good version).
func (t *Tracker) AllDeadLetters() []event.DeadLetter {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]event.DeadLetter, 0, len(t.dead))
	for _, dl := range t.dead {
		if !t.ingestedSince(dl) {
			out = append(out, dl)
		}
	}
	return t.refusedMembers(out, func(*DocStatus) bool { return true })
}

// ingestedSince reports an ingest dead letter whose source was ingested
// since; callers hold t.mu.
func (t *Tracker) ingestedSince(dl event.DeadLetter) bool {
	in, ok := t.intakes[dl.Source]
	return ok && dl.Stage == names.StageIngest && dl.DocID == "" && in.DocID != ""
}

// Submit adds a source handed to ingest: it counts as pending (Progress,
// PendingSources) until Ingested, or its dead letter is seen.
func (t *Tracker) Submit(source string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.intakes[source]; !ok {
		t.intakes[source] = &Intake{Source: source}
		t.notify()
	}
}

// Ingested records that source became the document docID, and expects it.
func (t *Tracker) Ingested(source, docID string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	in, ok := t.intakes[source]
	if !ok {
		in = &Intake{Source: source}
		t.intakes[source] = in
	}
	in.DocID, in.DeadLetter, in.Failed = docID, "", ""
	t.status(docID).want(source)
	t.notify()
}

// Retrying records the last failure of a source whose ingest is tried again.
func (t *Tracker) Retrying(source string, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	in, ok := t.intakes[source]
	if !ok {
		in = &Intake{Source: source}
		t.intakes[source] = in
	}
	in.Failed = err.Error()
	t.notify()
}

// PendingSources returns the sources handed to ingest that are neither
// ingested nor dead-lettered, sorted.
func (t *Tracker) PendingSources() []Intake {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []Intake
	for _, in := range t.intakes {
		if !in.resolved() {
			out = append(out, *in)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Source < out[j].Source })
	return out
}

// Superseded maps each document that a later version of its watched file or
// inbox object replaced to the document that replaced it. A document that is
// still the current version of some source is not superseded.
func (t *Tracker) Superseded() map[string]string {
	t.mu.Lock()
	defer t.mu.Unlock()
	current := map[string]bool{}
	for _, h := range t.versions {
		current[h[len(h)-1]] = true
	}
	out := map[string]string{}
	for _, h := range t.versions {
		for i := 0; i+1 < len(h); i++ {
			if !current[h[i]] {
				out[h[i]] = h[i+1]
			}
		}
	}
	return out
}

// Version changes whenever the tracker learns something; a renderer compares it
// to decide whether to render again.
func (t *Tracker) Version() uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.version
}
