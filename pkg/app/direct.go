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
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for in := range work {
				mem.File(ctx, in.Path, in.Source)
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
	rep, err := output.Write(cfg.Out, output.Input{
		Docs:        mem.Results().Docs(),
		EachChunk:   mem.Results().EachChunk,
		DeadLetters: mem.DeadLetters(),
		Formats:     mem.Formats(),
		Run:         output.RunInfo{Started: started, Elapsed: time.Since(started), Inputs: len(inputs), PeakRSS: peakRSS()},
		Dataset:     cfg.Dataset,
	})
	if err != nil {
		return rep, err
	}
	log.Info("outputs written (direct)", zap.String("dir", cfg.Out), zap.Int("documents", rep.Documents), zap.Int("chunks", rep.Chunks))
	return rep, nil
}
