package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/output"
	"github.com/ranstream/ranstream/pkg/pipeline"
	"github.com/ranstream/ranstream/pkg/results"
	"github.com/ranstream/ranstream/pkg/watch"
)

// RunConfig configures `ranstream run`.
type RunConfig struct {
	Pipeline pipeline.Config
	// Out is where the output files are rendered, again whenever results change.
	Out string
	// Dataset decides how the fine-tuning set is built.
	Dataset output.DatasetConfig
	// Inbox is the watched directory; empty watches nothing.
	Inbox string
	// RenderEvery is the shortest interval between two renderings. Default 2s.
	RenderEvery time.Duration
	// Settle is how long an inbox file must stay unchanged before it is ingested.
	Settle time.Duration
	// Bucket watches the Object Store bucket `inbox` too.
	Bucket bool
	// BucketRemove deletes inbox objects once ingested.
	BucketRemove bool
	// InboxDone is what becomes of an inbox file once its ingest is
	// durable: InboxMove (the default, into inbox/.done/), InboxKeep or
	// InboxDelete.
	InboxDone string
}

// Run runs the pipeline until ctx ends: it ingests files dropped into the inbox,
// renders the outputs as results arrive, and on shutdown lets messages in work
// finish (or stay unacked for redelivery) before a last rendering.
func Run(ctx context.Context, cfg RunConfig, log *zap.Logger) error {
	if cfg.RenderEvery <= 0 {
		cfg.RenderEvery = 2 * time.Second
	}
	if cfg.InboxDone == "" {
		cfg.InboxDone = InboxMove
	}
	if err := checkInboxDone(cfg.InboxDone); err != nil {
		return err
	}
	started := time.Now()
	p, err := pipeline.Start(ctx, cfg.Pipeline, log)
	if err != nil {
		return err
	}
	defer p.Close()
	tr, err := p.NewTracker(ctx)
	if err != nil {
		return err
	}
	defer tr.Close()
	tr.OnComplete(func(d pipeline.DocStatus) {
		rec := d.Accepted
		x := rec.Extraction
		source := d.Source
		if source == "" {
			source = rec.Source
		}
		log.Info("document done", zap.String("source", source), zap.String("doc_id", d.ID),
			zap.String("mode", string(rec.Mode())), zap.Float64("quality", rec.Quality()), zap.Int("chunks", rec.Total),
			zap.Int("main_features", len(x.MainFeatures)), zap.Int("parameters", len(x.Parameters)),
			zap.Int("counters", len(x.Counters)), zap.Int("events", len(x.Events)),
			zap.Int("related_features", len(x.RelatedFeatures)), zap.Int("activation_procedures", len(x.ActivationProcedures)))
	})

	watchErr := make(chan error, 1)
	if cfg.Inbox != "" {
		w, err := watch.New(watch.Config{Dir: cfg.Inbox, Settle: cfg.Settle, Skip: Skippable}, log)
		if err != nil {
			return err
		}
		go func() {
			// A file is done for the watcher once its ingest is durable
			// (bytes stored, docs.received acknowledged) or it failed for
			// good and its dead letter is; anything else is retried.
			watchErr <- w.Run(ctx, func(path, rel string) error {
				tr.Submit(rel)
				id, err := p.IngestWatched(ctx, path, rel)
				switch {
				case err != nil:
					tr.Retrying(rel, err)
					return err
				case id != "":
					tr.Ingested(rel, id)
					log.Info("ingested", zap.String("source", rel), zap.String("doc_id", id))
					// The ingest is durable: the file can leave the inbox,
					// so that a restart does not ingest it again. A failure
					// to move it is no failure of the ingest.
					if to, err := finishInbox(cfg.InboxDone, cfg.Inbox, path, rel); err != nil {
						log.Warn("ingested file left in the inbox", zap.String("source", rel), zap.Error(err))
					} else if to != "" {
						log.Debug("ingested file moved", zap.String("source", rel), zap.String("to", to))
					}
				}
				return nil
			})
		}()
	}
	if cfg.Bucket {
		go func() {
			err := p.WatchInbox(ctx, pipeline.InboxConfig{Remove: cfg.BucketRemove}, func(id, source string) {
				tr.Ingested(source, id)
				log.Info("ingested", zap.String("source", "inbox:"+source), zap.String("doc_id", id))
			})
			if err != nil {
				log.Error("inbox bucket", zap.Error(err))
			}
		}()
	}
	if url := p.Bus().ClientURL(); url != "" {
		log.Info("NATS clients can connect", zap.String("url", url))
	}
	log.Info("ranstream running", zap.String("inbox", cfg.Inbox), zap.String("out", cfg.Out))

	render := func(rctx context.Context) error {
		if cfg.Out == "" {
			return nil
		}
		docs, bad := tr.DocRecords()
		done, total := tr.Progress()
		// Throughput counts busy time: from documents' arrival to their
		// completion, not the time run stood idle waiting for files.
		busy, per := tr.Busy()
		in := output.Input{
			Docs:        docs,
			DeadLetters: tr.AllDeadLetters(),
			About:       tr.Extracted(),
			Pending:     total - done,
			Run:         output.RunInfo{Started: started, Elapsed: busy, PeakRSS: peakRSS(), DocSeconds: seconds(per), DocDone: tr.Finished()},
			Dataset:     cfg.Dataset,
			EachChunk: func(d results.DocRecord, fn func(results.ChunkRecord) error) error {
				return p.Results().EachChunk(rctx, d, fn)
			},
		}
		for _, u := range bad {
			in.Unreadable = append(in.Unreadable, output.Problem{DocID: u.DocID, Reason: u.Err.Error()})
		}
		for _, src := range tr.PendingSources() {
			in.PendingSources = append(in.PendingSources, output.Problem{Source: src.Source, Reason: src.Failed})
		}
		in.Pending -= len(in.PendingSources) // counted by the report from the list
		in.Superseded = tr.Superseded()
		rep, err := output.Write(cfg.Out, in)
		warnUnreadable(log, rep)
		return err
	}
	// Rendering rewrites every file from the results bucket, which takes longer
	// as the corpus grows: the next one waits at least renderSpacing times as
	// long as the last took, so rendering never takes more than a fifth of the time.
	const renderSpacing = 5
	next := time.NewTimer(cfg.RenderEvery)
	defer next.Stop()
	var rendered uint64
	for {
		select {
		case err := <-watchErr:
			if err != nil {
				return fmt.Errorf("inbox: %w", err)
			}
			watchErr = nil
		case <-next.C:
			wait := cfg.RenderEvery
			if v := tr.Version(); v != rendered {
				began := time.Now()
				if err := render(ctx); err != nil && !errors.Is(err, context.Canceled) {
					log.Error("render outputs", zap.Error(err))
				} else {
					rendered = v
				}
				wait = max(wait, renderSpacing*time.Since(began))
			}
			next.Reset(wait)
		case <-ctx.Done():
			log.Info("shutting down: finishing messages in work")
			p.StopStages()
			// The run's context is over; the last rendering gets a short one of its own.
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			defer cancel()
			if err := render(rctx); err != nil {
				return fmt.Errorf("final rendering: %w", err)
			}
			log.Info("outputs written", zap.String("dir", cfg.Out))
			return nil
		}
	}
}

// warnUnreadable logs the documents rendering left out because their records
// could not be read (they are listed in report.json and report.txt too).
func warnUnreadable(log *zap.Logger, rep output.Report) {
	for _, u := range rep.Unreadable {
		log.Warn("document left out of the outputs: its records cannot be read",
			zap.String("doc_id", u.DocID), zap.String("source", u.Source), zap.String("reason", u.Reason))
	}
}

// seconds converts per-document durations for the report.
func seconds(per map[string]time.Duration) map[string]float64 {
	out := make(map[string]float64, len(per))
	for id, d := range per {
		out[id] = d.Seconds()
	}
	return out
}
