package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"sort"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/blobstore"
	"github.com/ranstream/ranstream/pkg/chunk"
	"github.com/ranstream/ranstream/pkg/detect"
	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/extract"
	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/ingest"
	"github.com/ranstream/ranstream/pkg/llm"
	"github.com/ranstream/ranstream/pkg/llmextract"
	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/output"
	"github.com/ranstream/ranstream/pkg/results"
	"github.com/ranstream/ranstream/pkg/route"
)

// Direct does the work of Process in one process without any broker: the same
// stage logic called directly, documents spread over one worker per core. It is
// the baseline that measures what the bus costs (make bench-bus), and a quick
// way to process a few files where no durability is wanted.
func Direct(ctx context.Context, cfg ProcessConfig, log *zap.Logger) (output.Report, error) {
	started := time.Now()
	inputs, err := Collect(cfg.Paths)
	if err != nil {
		return output.Report{}, err
	}
	blobs := newMemBlobs()
	acc := newMemResults()
	ladder := extraction.Available()
	unavailable := map[extraction.Mode]string{extraction.ModeHybrid: "no LLM configured"}
	var model *llm.Client
	if cfg.Pipeline.LLM.Enabled() {
		if model, err = llm.New(cfg.Pipeline.LLM, nil); err != nil {
			return output.Report{}, err
		}
		ladder, unavailable = append(ladder, extraction.ModeHybrid), nil
	}
	rt, err := route.New(route.Config{Ladder: ladder, Thresholds: cfg.Pipeline.Thresholds, Unavailable: unavailable}, acc)
	if err != nil {
		return output.Report{}, err
	}
	start, err := rt.Start(cfg.Pipeline.StartMode)
	if err != nil {
		return output.Report{}, err
	}
	chunker, err := chunk.NewStage(chunk.Config{Target: cfg.Pipeline.ChunkTarget}, start, blobs)
	if err != nil {
		return output.Report{}, err
	}
	ing := ingest.New(ingest.Config{MaxSize: cfg.Pipeline.MaxDocSize}, blobs)
	ext, err := extract.New(extract.Config{MaxInput: cfg.Pipeline.MaxDocSize}, blobs)
	if err != nil {
		return output.Report{}, err
	}
	var dict extraction.Dictionary
	if len(cfg.Pipeline.References) > 0 {
		ref, err := extraction.LoadReference(cfg.Pipeline.References...)
		if err != nil {
			return output.Report{}, err
		}
		dict = ref
	}
	det, lx := detect.NewStage(blobs), llmextract.New(dict)
	if model != nil {
		lx.WithLLM(model)
	}

	handle := func(ctx context.Context, e event.Event) (string, []event.Event, error) {
		switch v := e.(type) {
		case event.Received:
			out, err := det.Handle(ctx, v)
			return names.StageDetect, out, err
		case event.Detected:
			out, err := ext.Handle(ctx, v)
			return names.StageExtract, out, err
		case event.Extracted:
			out, err := chunker.Handle(ctx, v)
			return names.StageChunk, out, err
		case event.Chunk:
			out, err := lx.Handle(ctx, v)
			return names.StageLLMExtract, out, err
		case event.Extraction:
			out, err := rt.Handle(ctx, v)
			return names.StageQualityRoute, out, err
		}
		return "", nil, nil
	}

	var (
		mu      sync.Mutex
		dead    []event.DeadLetter
		seen    = map[string]bool{}
		formats = map[string]string{}
	)
	work := make(chan Input)
	var wg sync.WaitGroup
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for in := range work {
				rec, err := ing.File(ctx, in.Path, in.Source)
				if err != nil {
					mu.Lock()
					dead = append(dead, event.DeadLetter{Stage: names.StageIngest, Reason: err.Error(), Source: in.Source, Chunk: -1})
					mu.Unlock()
					continue
				}
				mu.Lock()
				dup := seen[rec.Doc.ID]
				seen[rec.Doc.ID] = true
				mu.Unlock()
				if dup {
					continue
				}
				queue := []event.Event{rec}
				for len(queue) > 0 {
					e := queue[len(queue)-1]
					queue = queue[:len(queue)-1]
					switch v := e.(type) {
					case event.Detected:
						mu.Lock()
						formats[v.Doc.ID] = v.Format
						mu.Unlock()
					case event.DeadLetter: // refused archive members, failed spec downloads
						mu.Lock()
						dead = append(dead, v)
						mu.Unlock()
						continue
					}
					stage, out, err := handle(ctx, e)
					if err != nil {
						dl := event.DeadLetter{Stage: stage, Reason: err.Error(), Chunk: -1}
						if c, ok := e.(event.Chunk); ok {
							dl.Chunk = c.Index
						}
						dl.DocID, dl.Source = rec.Doc.ID, rec.Doc.Source
						mu.Lock()
						dead = append(dead, dl)
						mu.Unlock()
						continue
					}
					queue = append(queue, out...)
				}
			}
		}()
	}
	for _, in := range inputs {
		select {
		case work <- in:
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return output.Report{}, err
	}
	docs := acc.docs()
	rep, err := output.Write(cfg.Out, output.Input{
		Docs:        docs,
		EachChunk:   acc.eachChunk,
		DeadLetters: dead,
		Formats:     formats,
		Run:         output.RunInfo{Started: started, Elapsed: time.Since(started), Inputs: len(inputs), PeakRSS: peakRSS()},
		Dataset:     cfg.Dataset,
	})
	if err != nil {
		return rep, err
	}
	log.Info("outputs written (direct)", zap.String("dir", cfg.Out), zap.Int("documents", rep.Documents), zap.Int("chunks", rep.Chunks))
	return rep, nil
}

// memBlobs is the blobs bucket in memory, for Direct.
type memBlobs struct {
	mu sync.Mutex
	m  map[string][]byte
}

func newMemBlobs() *memBlobs { return &memBlobs{m: map[string][]byte{}} }

func (b *memBlobs) Put(_ context.Context, name string, r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("blob %s: %w", name, err)
	}
	return b.PutBytes(context.Background(), name, data)
}

func (b *memBlobs) PutBytes(_ context.Context, name string, data []byte) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.m[name]; !ok {
		b.m[name] = bytes.Clone(data)
	}
	return nil
}

func (b *memBlobs) Get(_ context.Context, name string) ([]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	data, ok := b.m[name]
	if !ok {
		return nil, fmt.Errorf("%w: %s", blobstore.ErrNotFound, name)
	}
	return data, nil
}

func (b *memBlobs) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	data, err := b.Get(ctx, name)
	if err != nil {
		return nil, err
	}
	return io.NopCloser(bytes.NewReader(data)), nil
}

func (b *memBlobs) Size(_ context.Context, name string) (int64, bool, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	data, ok := b.m[name]
	return int64(len(data)), ok, nil
}

func (b *memBlobs) Head(ctx context.Context, name string, n int) ([]byte, error) {
	data, err := b.Get(ctx, name)
	if err != nil {
		return nil, err
	}
	return data[:min(n, len(data))], nil
}

// memResults accepts chunk results in memory, for Direct.
type memResults struct {
	mu    sync.Mutex
	doc   map[string]*results.DocRecord
	chunk map[string][]results.ChunkRecord
}

func newMemResults() *memResults {
	return &memResults{doc: map[string]*results.DocRecord{}, chunk: map[string][]results.ChunkRecord{}}
}

func (m *memResults) Accept(_ context.Context, rec results.ChunkRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.doc[rec.DocID]
	if !ok {
		d = &results.DocRecord{}
		m.doc[rec.DocID] = d
	}
	d.Add(rec)
	m.chunk[rec.DocID] = append(m.chunk[rec.DocID], rec)
	if d.Complete() {
		// In index order, as the results bucket merges: chunks arrive in any
		// order, and activation steps keep the order of the document.
		c := m.chunk[rec.DocID]
		sort.Slice(c, func(i, j int) bool { return c[i].Index < c[j].Index })
		return d.Merge(func(fn func(results.ChunkRecord) error) error {
			return visitChunks(c, fn)
		})
	}
	return nil
}

func (m *memResults) docs() []results.DocRecord {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]results.DocRecord, 0, len(m.doc))
	for _, d := range m.doc {
		out = append(out, *d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Source < out[j].Source })
	return out
}

// eachChunk calls fn with the chunk records of d in index order.
func (m *memResults) eachChunk(d results.DocRecord, fn func(results.ChunkRecord) error) error {
	m.mu.Lock()
	c := m.chunk[d.DocID]
	sort.Slice(c, func(i, j int) bool { return c[i].Index < c[j].Index })
	m.mu.Unlock()
	return visitChunks(c, fn)
}

// visitChunks calls fn with each of chunks, stopping at its first error.
func visitChunks(chunks []results.ChunkRecord, fn func(results.ChunkRecord) error) error {
	for _, c := range chunks {
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}
