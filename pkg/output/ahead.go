package output

import (
	"runtime"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/results"
)

// Rendering is one writer, in document order, but most of its work is a
// document's own: reading its chunk records, building its dataset examples,
// hashing and encoding them. Workers do that for the next documents while the
// writer writes, so rendering uses every core; the writer keeps what must be
// in order (the files, the report, which example repeats an earlier one). A
// document of more than maxBuiltChunks chunks is left to the writer, which
// streams it one chunk at a time as before: what is built ahead is held in
// memory, at most window documents of at most maxBuiltChunks chunks each.
const maxBuiltChunks = 256

// builtDoc is one document built ahead of the writer.
type builtDoc struct {
	// merged is the merge of the chunks of a document still in work (its
	// record carries no merged extraction yet); nil for a complete one.
	merged *extraction.Result
	chunks []results.ChunkRecord
	// examples are the dataset candidates of each chunk, in order, then
	// those of the document's questions last.
	examples [][]candidate
	// counts are what building counted (see DatasetCounts.addBuilt).
	counts DatasetCounts
	// err is a failure to read the document's records; the writer skips
	// the document and reports it, as when it reads them itself.
	err error
}

// buildDoc reads the chunks of d and makes its dataset candidates, as
// writeDoc and the dataset would one chunk at a time.
func buildDoc(in Input, cfg DatasetConfig, d results.DocRecord) *builtDoc {
	b := &builtDoc{}
	b.err = in.EachChunk(d, func(c results.ChunkRecord) error {
		if c.Family == "" {
			c.Family = d.Family
		}
		b.chunks = append(b.chunks, c)
		return nil
	})
	if b.err != nil {
		return b
	}
	if !d.Complete() {
		_ = d.Merge(func(fn func(results.ChunkRecord) error) error { return visitChunks(b.chunks, fn) })
		b.merged = &d.Extraction
	}
	db := newDocBuilder(cfg, d, &b.counts)
	for _, c := range b.chunks {
		cs, err := newCandidates(db.addChunk(c))
		if err != nil {
			b.err = err
			return b
		}
		b.examples = append(b.examples, cs)
	}
	cs, err := newCandidates(db.questions())
	if err != nil {
		b.err = err
		return b
	}
	b.examples = append(b.examples, cs)
	return b
}

func visitChunks(chunks []results.ChunkRecord, fn func(results.ChunkRecord) error) error {
	for _, c := range chunks {
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

// ahead builds documents of in.Docs on workers, at most window of them ahead
// of the writer, which takes them in order with get.
type ahead struct {
	slots  []chan *builtDoc
	window chan struct{}
	done   chan struct{}
}

// buildAhead starts building the documents worth building ahead: those that
// are not superseded and have at most maxBuiltChunks chunks.
func buildAhead(in Input, cfg DatasetConfig, workers int) *ahead {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	a := &ahead{
		slots:  make([]chan *builtDoc, len(in.Docs)),
		window: make(chan struct{}, 2*workers),
		done:   make(chan struct{}),
	}
	if workers < 2 {
		return a // nothing to overlap: the writer reads every document itself
	}
	jobs := make(chan int)
	for i, d := range in.Docs {
		if in.Superseded[d.DocID] == "" && d.Total <= maxBuiltChunks {
			a.slots[i] = make(chan *builtDoc, 1)
		}
	}
	go func() {
		defer close(jobs)
		for i, slot := range a.slots {
			if slot == nil {
				continue
			}
			select {
			case a.window <- struct{}{}:
			case <-a.done:
				return
			}
			select {
			case jobs <- i:
			case <-a.done:
				return
			}
		}
	}()
	for range workers {
		go func() {
			for i := range jobs {
				a.slots[i] <- buildDoc(in, cfg, in.Docs[i])
			}
		}()
	}
	return a
}

// get returns document i built, or nil when the writer is to read it itself.
// Documents are taken in order.
func (a *ahead) get(i int) *builtDoc {
	if a.slots[i] == nil {
		return nil
	}
	b := <-a.slots[i]
	<-a.window
	return b
}

// stop ends the building; workers finish the document in hand.
func (a *ahead) stop() { close(a.done) }
