package app

import (
	"context"
	"fmt"
	"time"

	json "github.com/go-json-experiment/json/v1"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/names"
)

// specOutcome follows what became of one spec request, by its ticket: the
// specs.fetched summary, or a dead letter of the ingest stage.
type specOutcome struct {
	done  chan string // the failure, or "" on success
	stops []func()
	lines chan string
}

// watchSpecOutcome starts following the SPECS and DLQ streams from now on,
// before the request is published, so its outcome cannot be missed.
func watchSpecOutcome(js jetstream.JetStream, ticket string) (*specOutcome, error) {
	o := &specOutcome{done: make(chan string, 1), lines: make(chan string, 64)}
	finish := func(reason string) {
		select {
		case o.done <- reason:
		default:
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for stream, subject := range map[string]string{names.StreamSpecs: names.SubjectFetched, names.StreamDLQ: names.SubjectDLQ(names.StageIngest)} {
		cons, err := js.OrderedConsumer(ctx, stream, jetstream.OrderedConsumerConfig{
			FilterSubjects: []string{subject}, DeliverPolicy: jetstream.DeliverNewPolicy})
		if err != nil {
			o.stop()
			return nil, fmt.Errorf("fetch-spec --wait: follow %s: %w", stream, err)
		}
		cc, err := cons.Consume(func(m jetstream.Msg) {
			if m.Subject() == names.SubjectFetched {
				var f event.Fetched
				if json.Unmarshal(m.Data(), &f) != nil || f.Ticket != ticket {
					return
				}
				for _, d := range f.Docs {
					o.lines <- "fetched " + d.Source
				}
				for _, s := range f.Skipped {
					o.lines <- "fetched before " + s
				}
				if len(f.Failed) > 0 {
					finish(fmt.Sprintf("%d failed: %s: %s", len(f.Failed), f.Failed[0].Name, f.Failed[0].Reason))
					return
				}
				finish("")
				return
			}
			var dl event.DeadLetter
			if json.Unmarshal(m.Data(), &dl) == nil && dl.Input == ticket {
				finish("dead-lettered: " + dl.Reason)
			}
		})
		if err != nil {
			o.stop()
			return nil, fmt.Errorf("fetch-spec --wait: follow %s: %w", stream, err)
		}
		o.stops = append(o.stops, cc.Stop)
	}
	return o, nil
}

func (o *specOutcome) stop() {
	for _, s := range o.stops {
		s()
	}
}

// wait prints progress until the outcome arrives or timeout passes, and
// returns the exit status.
func (o *specOutcome) wait(env Env, ref string, timeout time.Duration) int {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		select {
		case l := <-o.lines:
			fmt.Fprintln(env.Stdout, l)
		case reason := <-o.done:
			for len(o.lines) > 0 {
				fmt.Fprintln(env.Stdout, <-o.lines)
			}
			if reason != "" {
				fmt.Fprintf(env.Stderr, "ranstream: fetch-spec %s: %s\n", ref, reason)
				return 1
			}
			fmt.Fprintf(env.Stdout, "done: %s\n", ref)
			return 0
		case <-deadline.C:
			fmt.Fprintf(env.Stderr, "ranstream: fetch-spec %s: no outcome after %s (is a pipeline with the ingest stage running?)\n", ref, timeout)
			return 1
		}
	}
}
