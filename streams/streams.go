// Package streams holds every JetStream stream, consumer, KV and Object Store bucket
// of ranstream as JSON files that both this package and the nats CLI can apply
// (`nats stream add --config streams/DOCS.json`,
// `nats consumer add DOCS --config streams/consumers/DOCS.detect.json`), and the Go
// that applies them at start. Nothing else in ranstream creates streams: publishers
// and subscribers never provision on their own.
package streams

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

//go:embed *.json consumers/*.json buckets/*.json
var definitions embed.FS

// Consumer is a durable consumer definition and the stream it reads.
type Consumer struct {
	// Stream is the stream name, taken from the file name STREAM.durable.json.
	Stream string
	// Config is the consumer configuration as the nats CLI reads it.
	Config jetstream.ConsumerConfig
}

// Set is the whole topology: streams, consumers and buckets.
type Set struct {
	Streams   []jetstream.StreamConfig
	Consumers []Consumer
	KV        []jetstream.KeyValueConfig
	Objects   []jetstream.ObjectStoreConfig
}

// Load reads the embedded definitions.
func Load() (Set, error) {
	var s Set
	streamFiles, err := fs.Glob(definitions, "*.json")
	if err != nil {
		return s, fmt.Errorf("list stream definitions: %w", err)
	}
	for _, f := range streamFiles {
		var c jetstream.StreamConfig
		if err := readJSON(f, &c); err != nil {
			return s, err
		}
		s.Streams = append(s.Streams, c)
	}
	consumerFiles, err := fs.Glob(definitions, "consumers/*.json")
	if err != nil {
		return s, fmt.Errorf("list consumer definitions: %w", err)
	}
	for _, f := range consumerFiles {
		var c jetstream.ConsumerConfig
		if err := readJSON(f, &c); err != nil {
			return s, err
		}
		stream, _, ok := strings.Cut(path.Base(f), ".")
		if !ok || c.Durable == "" {
			return s, fmt.Errorf("consumer definition %s: want STREAM.durable.json with durable_name", f)
		}
		s.Consumers = append(s.Consumers, Consumer{Stream: stream, Config: c})
	}
	bucketFiles, err := fs.Glob(definitions, "buckets/*.json")
	if err != nil {
		return s, fmt.Errorf("list bucket definitions: %w", err)
	}
	sort.Strings(bucketFiles)
	for _, f := range bucketFiles {
		switch {
		case strings.HasSuffix(f, ".kv.json"):
			var c jetstream.KeyValueConfig
			if err := readJSON(f, &c); err != nil {
				return s, err
			}
			s.KV = append(s.KV, c)
		case strings.HasSuffix(f, ".obj.json"):
			var c jetstream.ObjectStoreConfig
			if err := readJSON(f, &c); err != nil {
				return s, err
			}
			s.Objects = append(s.Objects, c)
		default:
			return s, fmt.Errorf("bucket definition %s: want NAME.kv.json or NAME.obj.json", f)
		}
	}
	return s, nil
}

func readJSON(name string, v any) error {
	b, err := definitions.ReadFile(name)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("parse %s: %w", name, err)
	}
	return nil
}

// Consumer returns the definition of the durable consumer named durable.
func (s Set) Consumer(durable string) (Consumer, error) {
	for _, c := range s.Consumers {
		if c.Config.Durable == durable {
			return c, nil
		}
	}
	return Consumer{}, fmt.Errorf("no consumer %q in streams/consumers", durable)
}

// MetaHandlerTimeout is the consumer metadata key that bounds one handling of a
// message of that consumer (a Go duration). The ack wait itself stays short:
// a message in work has it renewed by in-progress acks, so the ack wait is only
// how soon a crashed worker's messages come back.
const MetaHandlerTimeout = "ranstream.handler_timeout"

// HandlerTimeout is the handling bound the consumer's definition states, or 0.
func (c Consumer) HandlerTimeout() (time.Duration, error) {
	v, ok := c.Config.Metadata[MetaHandlerTimeout]
	if !ok {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("consumer %s: metadata %s %q: want a positive duration", c.Config.Durable, MetaHandlerTimeout, v)
	}
	return d, nil
}

// Options adjust the definitions to a deployment.
type Options struct {
	// MaxAge overrides every stream's retention age when positive; history older
	// than this can no longer be replayed.
	MaxAge time.Duration
	// Replicas overrides the replica count of streams and buckets when positive (a
	// cluster of three wants 3).
	Replicas int
	// AckWait overrides every consumer's ack wait when positive (tests use seconds).
	AckWait time.Duration
}

// Apply creates or updates every stream, consumer and bucket. It is idempotent:
// applying to a server that already has them keeps their data and consumer state.
func Apply(ctx context.Context, js jetstream.JetStream, s Set, o Options) error {
	for _, c := range s.Streams {
		if o.MaxAge > 0 {
			c.MaxAge = o.MaxAge
		}
		if o.Replicas > 0 {
			c.Replicas = o.Replicas
		}
		if _, err := js.CreateOrUpdateStream(ctx, c); err != nil {
			return fmt.Errorf("apply stream %s: %w", c.Name, err)
		}
	}
	for _, c := range s.Consumers {
		cfg := c.Config
		if o.AckWait > 0 {
			cfg.AckWait = o.AckWait
		}
		if err := ApplyConsumer(ctx, js, c.Stream, cfg); err != nil {
			return err
		}
	}
	for _, c := range s.KV {
		if o.Replicas > 0 {
			c.Replicas = o.Replicas
		}
		if _, err := js.CreateOrUpdateKeyValue(ctx, c); err != nil {
			return fmt.Errorf("apply KV bucket %s: %w", c.Bucket, err)
		}
	}
	for _, c := range s.Objects {
		if o.Replicas > 0 {
			c.Replicas = o.Replicas
		}
		if _, err := js.CreateOrUpdateObjectStore(ctx, c); err != nil {
			return fmt.Errorf("apply object store %s: %w", c.Bucket, err)
		}
	}
	return nil
}

// ApplyConsumer creates or updates one durable consumer, keeping its delivery state.
func ApplyConsumer(ctx context.Context, js jetstream.JetStream, stream string, cfg jetstream.ConsumerConfig) error {
	if _, err := js.CreateOrUpdateConsumer(ctx, stream, cfg); err != nil {
		return fmt.Errorf("apply consumer %s on %s: %w", cfg.Durable, stream, err)
	}
	return nil
}

// ErrNotApplied is returned by Check when a definition is missing on the server.
var ErrNotApplied = errors.New("stream topology not applied")

// Check verifies that every stream and consumer exists, for services that join a
// cluster whose topology an operator applies with the nats CLI.
func Check(ctx context.Context, js jetstream.JetStream, s Set) error {
	for _, c := range s.Streams {
		if _, err := js.Stream(ctx, c.Name); err != nil {
			return fmt.Errorf("%w: stream %s: %v", ErrNotApplied, c.Name, err)
		}
	}
	for _, c := range s.Consumers {
		if _, err := js.Consumer(ctx, c.Stream, c.Config.Durable); err != nil {
			return fmt.Errorf("%w: consumer %s on %s: %v", ErrNotApplied, c.Config.Durable, c.Stream, err)
		}
	}
	return nil
}
