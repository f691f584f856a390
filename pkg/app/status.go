package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/ranstream/ranstream/pkg/dlq"
	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/resultstore"
	"github.com/ranstream/ranstream/streams"
)

// StageStatus is one stage's consumer as JetStream reports it.
type StageStatus struct {
	Stage string `json:"stage"`
	// Pending are messages not yet delivered; InFlight delivered, not yet acked.
	Pending  uint64 `json:"pending"`
	InFlight int    `json:"in_flight"`
	// Redelivered are messages in flight delivered more than once.
	Redelivered int `json:"redelivered"`
	// Done are the messages of the consumer's subjects handled (acked),
	// dead-lettered ones included.
	Done uint64 `json:"done"`
	// Dead are the dead letters of the stage in the DLQ stream.
	Dead int `json:"dead_lettered"`
}

// Status is a sample of the whole pipeline.
type Status struct {
	At     time.Time     `json:"at"`
	Stages []StageStatus `json:"stages"`
	// DocsDone of DocsTotal documents in the results bucket have every chunk.
	DocsDone  int `json:"docs_done"`
	DocsTotal int `json:"docs_total"`
}

// SampleStatus reads the consumers of every stage, the dead letters and the
// results bucket; every call is bounded.
func SampleStatus(ctx context.Context, js jetstream.JetStream) (Status, error) {
	set, err := streams.Load()
	if err != nil {
		return Status{}, err
	}
	st := Status{At: time.Now()}
	dead, err := dlq.New(js).Count(ctx)
	if err != nil {
		return Status{}, err
	}
	for _, name := range names.Stages() {
		c, err := set.Consumer(name)
		if err != nil {
			return Status{}, err
		}
		s := StageStatus{Stage: name, Dead: dead[name]}
		cctx, cancel := context.WithTimeout(ctx, dlq.CallTimeout)
		cons, err := js.Consumer(cctx, c.Stream, c.Config.Durable)
		if err != nil {
			cancel()
			if errors.Is(err, jetstream.ErrConsumerNotFound) || errors.Is(err, jetstream.ErrStreamNotFound) {
				return Status{}, fmt.Errorf("consumer %s on %s: %w (no pipeline ran on this server or store)", c.Config.Durable, c.Stream, err)
			}
			return Status{}, fmt.Errorf("consumer %s: %w", c.Config.Durable, err)
		}
		info := cons.CachedInfo()
		s.Pending, s.InFlight, s.Redelivered = info.NumPending, info.NumAckPending, info.NumRedelivered
		total, err := subjectCount(cctx, js, c.Stream, info.Config)
		cancel()
		if err != nil {
			return Status{}, err
		}
		if used := s.Pending + uint64(s.InFlight); total > used {
			s.Done = total - used
		}
		st.Stages = append(st.Stages, s)
	}
	rs, err := resultstore.Open(ctx, js, names.BucketResults)
	if err != nil {
		return Status{}, err
	}
	docs, bad, err := rs.Docs(ctx)
	if err != nil {
		return Status{}, err
	}
	st.DocsTotal = len(docs) + len(bad)
	for _, d := range docs {
		if d.Complete() {
			st.DocsDone++
		}
	}
	return st, nil
}

// subjectCount is how many messages stream holds on the consumer's subjects.
func subjectCount(ctx context.Context, js jetstream.JetStream, stream string, cfg jetstream.ConsumerConfig) (uint64, error) {
	filters := cfg.FilterSubjects
	if cfg.FilterSubject != "" {
		filters = append(filters, cfg.FilterSubject)
	}
	s, err := js.Stream(ctx, stream)
	if err != nil {
		return 0, fmt.Errorf("stream %s: %w", stream, err)
	}
	if len(filters) == 0 {
		return s.CachedInfo().State.Msgs, nil
	}
	var n uint64
	for _, f := range filters {
		info, err := s.Info(ctx, jetstream.WithSubjectFilter(f))
		if err != nil {
			return 0, fmt.Errorf("stream %s: %w", stream, err)
		}
		for _, c := range info.State.Subjects {
			n += c
		}
	}
	return n, nil
}

// WriteStatus prints st as a table; prev, when given, adds the rate of done
// messages per second since it.
func WriteStatus(w io.Writer, st Status, prev *Status) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "stage\tpending\tin flight\tredelivered\tdone\tdead-lettered\trate/s\t")
	for i, s := range st.Stages {
		rate := "-"
		if prev != nil && i < len(prev.Stages) {
			if dt := st.At.Sub(prev.At).Seconds(); dt > 0 {
				rate = fmt.Sprintf("%.1f", float64(s.Done-min(s.Done, prev.Stages[i].Done))/dt)
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%s\t\n", s.Stage, s.Pending, s.InFlight, s.Redelivered, s.Done, s.Dead, rate)
	}
	tw.Flush()
	fmt.Fprintf(w, "documents: %d of %d done\n", st.DocsDone, st.DocsTotal)
}

func statusCmd(env Env, args []string) int {
	fs := newOpsFlags("status", env)
	fs.Usage = func() {
		fmt.Fprint(env.Stderr, `usage: ranstream status [--nats URL | --data DIR] [--watch [--interval DUR]]
per stage: pending, in flight (ack pending), redelivered, done, dead-lettered, rate/s (--watch);
documents done of total. Examples:
  ranstream status --nats nats://127.0.0.1:4222 --watch      (ranstream run --listen 127.0.0.1:4222)
  ranstream status --data data                                (a stopped run)

`)
		fs.PrintDefaults()
	}
	var target opsTarget
	target.register(fs, env)
	watch := fs.Bool("watch", false, "sample again every --interval until interrupted, with rates")
	interval := fs.Duration("interval", 2*time.Second, "time between samples with --watch")
	pos, err := parse(fs, args)
	if err != nil {
		return fail(env, err)
	}
	if len(pos) > 0 {
		return fail(env, usagef("status: takes no arguments (got %q)", pos[0]))
	}
	if *interval <= 0 {
		return fail(env, usagef("status: --interval must be positive"))
	}
	b, js, err := target.connect("status")
	if err != nil {
		return fail(env, err)
	}
	defer b.Close()
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	var prev *Status
	for {
		st, err := SampleStatus(ctx, js)
		if err != nil {
			if ctx.Err() != nil && prev != nil {
				return 0
			}
			return fail(env, err)
		}
		if prev != nil {
			fmt.Fprintln(env.Stdout)
		}
		WriteStatus(env.Stdout, st, prev)
		if !*watch {
			return 0
		}
		prev = &st
		select {
		case <-ctx.Done():
			return 0
		case <-time.After(*interval):
		}
	}
}
