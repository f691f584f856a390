package app

import (
	"context"
	"runtime"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/output"
	"github.com/ranstream/ranstream/pkg/pipeline"
)

// Direct does the work of Process in one process without any broker: the
// pipeline's in-memory runner (the same stages, built the same way), documents
// spread over one worker per core. It is the baseline that measures what the
// bus costs (make bench-bus), and a quick way to process a few files where no
// durability is wanted.
func Direct(ctx context.Context, cfg ProcessConfig, log *zap.Logger) (output.Report, error) {
	started := time.Now()
	inputs, err := Collect(cfg.Paths)
	if err != nil {
		return output.Report{}, err
	}
	mem, err := pipeline.NewMemory(ctx, cfg.Pipeline, log)
	if err != nil {
		return output.Report{}, err
	}
	work := make(chan Input)
	var wg sync.WaitGroup
	var timesMu sync.Mutex
	times := map[string]span{} // per input source, for report.html
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for in := range work {
				start := time.Now()
				mem.File(ctx, in.Path, in.Source)
				timesMu.Lock()
				times[in.Source] = span{start, time.Now()}
				timesMu.Unlock()
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
	docs := mem.Results().Docs()
	run := output.RunInfo{Started: started, Elapsed: time.Since(started), Inputs: len(inputs), PeakRSS: peakRSS(),
		DocSeconds: map[string]float64{}, DocDone: map[string]time.Time{}}
	for _, d := range docs {
		// A document is done when its input is: an archive's members when
		// the archive is.
		src := d.Source
		t, ok := times[src]
		for i := len(src) - 1; !ok && i > 0; i-- {
			if src[i] == '/' {
				t, ok = times[src[:i]]
			}
		}
		if ok {
			run.DocSeconds[d.DocID], run.DocDone[d.DocID] = t.end.Sub(t.start).Seconds(), t.end
		}
	}
	rep, err := output.Write(cfg.Out, output.Input{
		Docs:        docs,
		EachChunk:   mem.Results().EachChunk,
		DeadLetters: mem.DeadLetters(),
		Formats:     mem.Formats(),
		Run:         run,
		Dataset:     cfg.Dataset,
	})
	if err != nil {
		return rep, err
	}
	log.Info("outputs written (direct)", zap.String("dir", cfg.Out), zap.Int("documents", rep.Documents), zap.Int("chunks", rep.Chunks))
	return rep, nil
}

// span is when the work on one input started and ended.
type span struct{ start, end time.Time }
