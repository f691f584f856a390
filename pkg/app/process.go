package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/output"
	"github.com/ranstream/ranstream/pkg/pipeline"
	"github.com/ranstream/ranstream/pkg/results"
)

// ProcessConfig configures `ranstream process`.
type ProcessConfig struct {
	// Pipeline is the pipeline configuration. An empty data directory with the
	// embedded server means a temporary store removed at the end.
	Pipeline pipeline.Config
	// Out is the output directory.
	Out string
	// Paths are the files and folders to process.
	Paths []string
	// Progress receives the progress bar (a terminal) or nothing; logs go to the logger.
	Progress io.Writer
}

// Process ingests every input, waits until each document is finished or
// dead-lettered, and writes the output files. It fails only when the pipeline
// itself cannot run; bad documents end in dead-letters.jsonl.
func Process(ctx context.Context, cfg ProcessConfig, log *zap.Logger) (output.Report, error) {
	started := time.Now()
	inputs, err := Collect(cfg.Paths)
	if err != nil {
		return output.Report{}, err
	}
	pcfg := cfg.Pipeline
	if pcfg.NATS.URL == "" && pcfg.NATS.DataDir == "" {
		dir, err := os.MkdirTemp("", "ranstream-process-*")
		if err != nil {
			return output.Report{}, fmt.Errorf("temporary store: %w", err)
		}
		defer os.RemoveAll(dir)
		pcfg.NATS.DataDir = dir
	}
	p, err := pipeline.Start(ctx, pcfg, log)
	if err != nil {
		return output.Report{}, err
	}
	defer p.Close()
	tr, err := p.NewTracker(ctx)
	if err != nil {
		return output.Report{}, err
	}
	defer tr.Close()

	prog := newProgress(cfg.Progress, log)
	sources := map[string]bool{}
	for _, in := range inputs {
		sources[in.Source] = true
		id, err := p.Ingest(ctx, in.Path, in.Source)
		if err != nil {
			return output.Report{}, fmt.Errorf("ingest %s: %w", in.Source, err)
		}
		if id != "" {
			tr.Expect(id, in.Source)
		}
		prog.update(tr.Progress())
	}
	log.Info("inputs ingested", zap.Int("files", len(inputs)))
	if err := tr.Wait(ctx, prog.update); err != nil {
		return output.Report{}, err
	}
	prog.finish()

	in := output.Input{
		DeadLetters: tr.DeadLetters(sources),
		About:       tr.Extracted(),
		Formats:     map[string]string{},
		Expanded:    map[string]string{},
		Chunks: func(d results.DocRecord) ([]results.ChunkRecord, error) {
			return p.Results().Chunks(ctx, d)
		},
		Run: output.RunInfo{Started: started, Elapsed: time.Since(started), Inputs: len(inputs), PeakRSS: peakRSS()},
	}
	for _, st := range tr.Statuses() {
		in.Formats[st.ID] = st.Format
		if st.Expanded != nil {
			in.Expanded[st.ID] = st.Format
			continue
		}
		if st.DocFailed != "" {
			continue
		}
		d, found, err := p.Results().Doc(ctx, st.ID)
		if err != nil {
			return output.Report{}, err
		}
		if found {
			d.Source = st.Source
			in.Docs = append(in.Docs, d)
		}
	}
	rep, err := output.Write(cfg.Out, in)
	if err != nil {
		return rep, err
	}
	log.Info("outputs written", zap.String("dir", cfg.Out), zap.Int("documents", rep.Documents),
		zap.Int("chunks", rep.Chunks), zap.Int("dead_letters", len(in.DeadLetters)))
	return rep, nil
}
