package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/output"
	"github.com/ranstream/ranstream/pkg/pipeline"
)

// ReplayConfig configures `ranstream replay`.
type ReplayConfig struct {
	// Pipeline is the pipeline configuration: a store that holds earlier runs
	// (--data) or a NATS server (--nats).
	Pipeline pipeline.Config
	// Replay chooses the first stage and the documents.
	Replay pipeline.ReplayConfig
	// Out is the output directory, written for the replayed documents.
	Out string
	// Dataset decides how the fine-tuning set is built.
	Dataset output.DatasetConfig
	// Progress receives the progress bar (a terminal) or nothing.
	Progress io.Writer
}

// ErrNothingToReplay is returned when the history holds no document the
// replay selects.
var ErrNothingToReplay = errors.New("nothing to replay: no document in the stream history matches")

// Replay runs documents of earlier runs through the pipeline again, from the
// stage cfg names, waits for the new run, and writes its outputs. The new
// results replace the old in the results bucket.
func Replay(ctx context.Context, cfg ReplayConfig, log *zap.Logger) (output.Report, error) {
	started := time.Now()
	p, err := pipeline.Start(ctx, cfg.Pipeline, log)
	if err != nil {
		return output.Report{}, err
	}
	defer p.Close()
	// Only what happens from now on: the history holds the earlier runs.
	tr, err := p.NewReplayTracker(ctx)
	if err != nil {
		return output.Report{}, err
	}
	defer tr.Close()
	docs, err := p.Replay(ctx, cfg.Replay)
	if err != nil {
		return output.Report{}, err
	}
	if len(docs) == 0 {
		return output.Report{}, ErrNothingToReplay
	}
	sources := map[string]bool{}
	for _, d := range docs {
		tr.Expect(d.ID, d.Source)
		sources[d.Source] = true
	}
	prog := newProgress(cfg.Progress, log, tr.ChunkProgress)
	if err := tr.Wait(ctx, prog.update); err != nil {
		return output.Report{}, err
	}
	prog.finish()
	return render(ctx, p, tr, renderInfo{out: cfg.Out, dataset: cfg.Dataset, sources: sources, started: started, inputs: len(docs)}, log)
}

func replayCmd(env Env, args []string) int {
	c := common{pipeline: pipeline.Defaults()}
	cfg := ReplayConfig{Progress: env.Stderr}
	fs, err := newFlags("replay", env, &c)
	if err != nil {
		return fail(env, err)
	}
	var since time.Duration
	var stages bool
	c.flags.Section(pipeline.SectionInputOutput, func(fs *flag.FlagSet) {
		fs.StringVar(&cfg.Out, "out", "out", "output directory for the replayed documents")
		fs.StringVar(&cfg.Replay.From, "from", names.StageChunk, "first stage to run again: detect, extract or chunk")
		fs.StringVar(&cfg.Replay.Source, "source", "", "only documents whose source matches this pattern, e.g. '38331*' or '*/*.docx'")
		fs.DurationVar(&since, "since", 0, "only documents whose event is at most this old, e.g. 24h (0: all)")
		fs.BoolVar(&stages, "stages", true, "run the stages in this process too; false against a cluster whose services run them (publish, wait, render only)")
	})
	c.flags.Section(SectionDataset, func(fs *flag.FlagSet) { registerDatasetFlags(fs, &c.dataset) })
	pos, err := parse(fs, args)
	if err != nil {
		return fail(env, err)
	}
	if err := c.dataset.Validate(); err != nil {
		return fail(env, err)
	}
	if len(pos) > 0 {
		return fail(env, usagef("replay: takes no arguments (got %q); choose documents with --source and --since", pos[0]))
	}
	if err := checkOutDir(cfg.Out); err != nil {
		return fail(env, err)
	}
	ctx, cancel, log, err := setup(&c)
	if err != nil {
		return fail(env, err)
	}
	defer cancel()
	defer log.Sync() //nolint:errcheck // stderr
	cfg.Pipeline, cfg.Dataset = c.pipeline, c.dataset
	if !stages {
		cfg.Pipeline.Stages = []string{}
	}
	if since > 0 {
		cfg.Replay.Since = time.Now().Add(-since)
	}
	rep, err := Replay(ctx, cfg, log)
	if err != nil {
		return fail(env, err)
	}
	fmt.Fprint(env.Stdout, rep.Text())
	return 0
}
