package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/ingest"
	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/output"
	"github.com/ranstream/ranstream/pkg/pipeline"
	"github.com/ranstream/ranstream/pkg/results"
	"github.com/ranstream/ranstream/pkg/specfetch"
)

// ProcessConfig configures `ranstream process`.
type ProcessConfig struct {
	// Pipeline is the pipeline configuration. An empty data directory with the
	// embedded server means a temporary store removed at the end.
	Pipeline pipeline.Config
	// Out is the output directory.
	Out string
	// Dataset decides how the fine-tuning set is built.
	Dataset output.DatasetConfig
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
	var paths []string
	var refs []specfetch.Request
	for _, p := range cfg.Paths {
		if !strings.HasPrefix(p, "3gpp:") {
			paths = append(paths, p)
			continue
		}
		req, err := specfetch.ParseRef(p)
		if err != nil {
			return output.Report{}, err
		}
		refs = append(refs, req)
	}
	inputs, err := Collect(paths)
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

	prog := newProgress(cfg.Progress, log, tr.ChunkProgress)
	prog.expect(len(inputs) + len(refs))
	sources := map[string]bool{}
	for _, in := range inputs {
		sources[in.Source] = true
	}
	if err := ingestAll(ctx, p, tr, inputs, prog); err != nil {
		return output.Report{}, err
	}
	for _, req := range refs {
		ref := req.String()
		sources[ref] = true
		e := specRequest{ingest.SpecRequest{Request: req, Ticket: fmt.Sprintf("spec:%s:%d", ref, time.Now().UnixNano())}}
		tr.ExpectOrigin(ref, e.Ticket)
		if err := p.Publish(ctx, e); err != nil {
			return output.Report{}, fmt.Errorf("request %s: %w", ref, err)
		}
	}
	log.Info("inputs ingested", zap.Int("files", len(inputs)), zap.Int("spec_requests", len(refs)))
	if err := tr.Wait(ctx, prog.update); err != nil {
		return output.Report{}, err
	}
	prog.finish()

	return render(ctx, p, tr, renderInfo{out: cfg.Out, dataset: cfg.Dataset, sources: sources, started: started, inputs: len(inputs)}, log)
}

// renderInfo is what rendering the tracked documents needs beside them.
type renderInfo struct {
	out     string
	dataset output.DatasetConfig
	sources map[string]bool
	started time.Time
	inputs  int
}

// render writes the outputs of the documents tr followed, from their newest
// records, and the dead letters of those documents and sources.
func render(ctx context.Context, p *pipeline.Pipeline, tr *pipeline.Tracker, ri renderInfo, log *zap.Logger) (output.Report, error) {
	_, per := tr.Busy()
	in := output.Input{
		DeadLetters: tr.DeadLetters(ri.sources),
		About:       tr.Extracted(),
		Formats:     map[string]string{},
		Expanded:    map[string]string{},
		EachChunk: func(d results.DocRecord, fn func(results.ChunkRecord) error) error {
			return p.Results().EachChunk(ctx, d, fn)
		},
		Run:     output.RunInfo{Started: ri.started, Elapsed: time.Since(ri.started), Inputs: ri.inputs, PeakRSS: peakRSS(), DocSeconds: seconds(per), DocDone: tr.Finished()},
		Dataset: ri.dataset,
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
		// The tracker holds the newest record of each document, the one that
		// finished it: no need to read it again.
		if d := st.Accepted; d.DocID != "" {
			d.Source = st.Source
			in.Docs = append(in.Docs, d)
		}
	}
	for _, src := range tr.PendingSources() {
		in.PendingSources = append(in.PendingSources, output.Problem{Source: src.Source, Reason: src.Failed})
	}
	for ref, o := range tr.Origins() {
		if o.Fetched != nil && len(o.Fetched.Skipped) > 0 {
			log.Info("spec versions fetched before, not again", zap.String("request", ref), zap.Strings("skipped", o.Fetched.Skipped))
		}
		if o.Failed != "" {
			in.DeadLetters = append(in.DeadLetters, event.DeadLetter{Stage: names.StageIngest, Source: ref, Reason: o.Failed, Chunk: -1})
		}
	}
	rep, err := output.Write(ri.out, in)
	warnUnreadable(log, rep)
	if err != nil {
		return rep, err
	}
	log.Info("outputs written", zap.String("dir", ri.out), zap.Int("documents", rep.Documents),
		zap.Int("chunks", rep.Chunks), zap.Int("dead_letters", len(in.DeadLetters)))
	return rep, nil
}

// specRequest is a specs.download request as an event. Its message id, also its
// ticket, is unique per request made: asking again is deliberate, and the
// fetcher's own dedup keeps a version from being downloaded twice.
type specRequest struct {
	ingest.SpecRequest
}

func (e specRequest) Subject() string { return names.SubjectSpecs }
func (e specRequest) MsgID() string   { return e.Ticket }

// ingestWorkers is how many files are stored at once: storing a file is
// mostly waiting for JetStream's acknowledgements, not CPU.
const ingestWorkers = 4

// ingestAll stores the inputs with a few workers and announces them in input
// order as soon as each is stored, so that of two files with the same bytes the
// first in order names the document, as a sequential run would; the tracker
// expects each document. The first error stops it.
func ingestAll(ctx context.Context, p *pipeline.Pipeline, tr *pipeline.Tracker, inputs []Input, prog *progress) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	for _, in := range inputs {
		tr.Submit(in.Source)
	}
	stored := make([]chan pipeline.Stored, len(inputs))
	for i := range stored {
		stored[i] = make(chan pipeline.Stored, 1)
	}
	work := make(chan int)
	for range min(ingestWorkers, len(inputs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				stored[i] <- p.Store(ctx, inputs[i].Path, inputs[i].Source)
			}
		}()
	}
	go func() {
		defer close(work)
		for i := range inputs {
			select {
			case work <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for i, in := range inputs {
		var st pipeline.Stored
		select {
		case st = <-stored[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		id, err := p.Announce(ctx, st)
		switch {
		case errors.Is(err, pipeline.ErrDeadLettered):
			// Dead-lettered after its retries: the tracker sees the
			// dead letter, the report counts it, the others go on.
		case err != nil:
			// Neither ingested nor dead-lettered: JetStream is gone for
			// longer than every retry, and nothing could record it.
			return fmt.Errorf("ingest %s: %w", in.Source, err)
		case id != "":
			tr.Ingested(in.Source, id)
		}
		prog.update(tr.Progress())
	}
	return nil
}
