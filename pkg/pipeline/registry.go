package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"

	"github.com/nats-io/nats.go"
	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/chunk"
	"github.com/ranstream/ranstream/pkg/detect"
	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/extract"
	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/ingest"
	"github.com/ranstream/ranstream/pkg/llm"
	"github.com/ranstream/ranstream/pkg/llmextract"
	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/route"
	"github.com/ranstream/ranstream/pkg/specfetch"
	"github.com/ranstream/ranstream/pkg/stage"
)

// Blobs is the blob store the stages share: the Object Store bucket through
// JetStream, or the in-memory runner's store.
type Blobs interface {
	Get(ctx context.Context, name string) ([]byte, error)
	Head(ctx context.Context, name string, n int) ([]byte, error)
	Open(ctx context.Context, name string) (io.ReadCloser, error)
	Put(ctx context.Context, name string, r io.Reader) error
	PutBytes(ctx context.Context, name string, b []byte) error
	Size(ctx context.Context, name string) (int64, bool, error)
}

// Deps are what the stages are built from, made once per process by
// NewDeps whichever runner runs them.
type Deps struct {
	Config   Config
	Log      *zap.Logger
	Blobs    Blobs
	Ingester *ingest.Ingester
	Router   *route.Router
	LLM      *llmextract.Extractor
	// SpecsSeen remembers the spec versions fetched; nil where no spec
	// requests are taken (the in-memory runner).
	SpecsSeen specfetch.Seen
}

// DepsOptions are what a runner adds to the configuration: its stores and,
// with metrics, their observers.
type DepsOptions struct {
	Blobs     Blobs
	Results   route.Acceptor
	SpecsSeen specfetch.Seen
	// LLMObserver and RouteObserver, when set, are told of LLM calls and
	// routing decisions (metrics).
	LLMObserver   llm.Observer
	RouteObserver route.Observer
}

// NewDeps builds what the stages share: the reference dictionary, the LLM
// client and the routing ladder it allows, the ingester and the router.
func NewDeps(cfg Config, o DepsOptions, log *zap.Logger) (*Deps, error) {
	d := &Deps{Config: cfg, Log: log, Blobs: o.Blobs, SpecsSeen: o.SpecsSeen}
	var dict extraction.Dictionary
	if len(cfg.References) > 0 {
		ref, err := extraction.LoadReference(cfg.References...)
		if err != nil {
			return nil, err
		}
		classes, params, counters, events := ref.Counts()
		log.Info("reference dictionary loaded", zap.Strings("paths", cfg.References), zap.Int("mo_classes", classes),
			zap.Int("parameters", params), zap.Int("counters", counters), zap.Int("events", events))
		dict = ref
	}
	d.LLM = llmextract.New(dict)
	ladder := extraction.Available()
	unavailable := map[extraction.Mode]string{}
	for _, m := range extraction.Modes {
		if !slices.Contains(ladder, m) && m != extraction.ModeHybrid {
			unavailable[m] = "not implemented in this build"
		}
	}
	if cfg.LLM.Enabled() {
		client, err := llm.New(cfg.LLM, nil)
		if err != nil {
			return nil, err
		}
		if o.LLMObserver != nil {
			client.Observe(o.LLMObserver)
		}
		d.LLM.WithLLM(client)
		ladder = append(ladder, extraction.ModeHybrid)
		log.Info("hybrid mode on", zap.Stringer("llm", client))
	} else {
		unavailable[extraction.ModeHybrid] = "no LLM configured"
	}
	d.Ingester = ingest.New(ingest.Config{MaxSize: cfg.MaxDocSize, PutTimeout: cfg.Ingest.PutTimeout, PutRate: cfg.Ingest.PutRate}, o.Blobs)
	rcfg := route.Config{Ladder: ladder, Thresholds: cfg.Thresholds, Unavailable: unavailable, Observer: o.RouteObserver}
	var err error
	if d.Router, err = route.New(rcfg, o.Results); err != nil {
		return nil, err
	}
	return d, nil
}

// Handler is one stage's logic bound to its input type, in the two forms the
// runners call it in.
type Handler struct {
	// Stage adapts the logic to the stage's durable consumer (JetStream runner).
	Stage func(cfg stage.Config, sub, pub *nats.Conn, log *zap.Logger) (*stage.Stage, error)
	// Call hands one input, already decoded, to the logic (in-memory runner);
	// an input of another type is an error.
	Call func(ctx context.Context, in any, emit stage.Emit) error
}

// bind makes the Handler of logic h reading In.
func bind[In any](name string, h stage.StreamHandler[In]) Handler {
	return Handler{
		Stage: func(cfg stage.Config, sub, pub *nats.Conn, log *zap.Logger) (*stage.Stage, error) {
			return stage.NewStreaming(cfg, sub, pub, h, log)
		},
		Call: func(ctx context.Context, in any, emit stage.Emit) error {
			v, ok := in.(In)
			if !ok {
				return fmt.Errorf("stage %s: input %T, want %T", name, in, v)
			}
			return h(ctx, v, emit)
		},
	}
}

// Spec is one stage of the pipeline: everything a runner needs to run it.
type Spec struct {
	// Name is the stage name (names.Stage*).
	Name string
	// Consumer is the durable consumer it reads (streams/consumers).
	Consumer string
	// Input is the type of the messages it reads.
	Input reflect.Type
	// Build makes its logic from the shared dependencies.
	Build func(ctx context.Context, d *Deps) (Handler, error)
	// Flags are the configuration flags it takes beyond the common ones
	// (connection, streams, concurrency, metrics): those of the Config fields
	// Build reads.
	Flags []string
}

// Registry returns every consumer stage, in pipeline order.
func Registry() []Spec {
	return []Spec{
		{
			Name: names.StageIngest, Consumer: names.Consumer(names.StageIngest),
			Flags: []string{FlagMaxDocSize, FlagArchiveURL},
			Input: reflect.TypeFor[ingest.SpecRequest](),
			Build: func(_ context.Context, d *Deps) (Handler, error) {
				if d.SpecsSeen == nil {
					return Handler{}, errors.New("stage ingest: no store of the spec versions fetched")
				}
				f, err := specfetch.New(d.Config.Specs, d.SpecsSeen, d.Log.With(zap.String("stage", names.StageIngest)))
				if err != nil {
					return Handler{}, err
				}
				return bind(names.StageIngest, stage.Streaming(ingest.NewSpecs(f, d.Ingester).Handle)), nil
			},
		},
		{
			Name: names.StageDetect, Consumer: names.Consumer(names.StageDetect),
			Flags: nil,
			Input: reflect.TypeFor[event.Received](),
			Build: func(_ context.Context, d *Deps) (Handler, error) {
				return bind(names.StageDetect, stage.Streaming(detect.NewStage(d.Blobs).Handle)), nil
			},
		},
		{
			Name: names.StageExtract, Consumer: names.Consumer(names.StageExtract),
			Flags: []string{FlagMaxDocSize},
			Input: reflect.TypeFor[event.Detected](),
			Build: func(_ context.Context, d *Deps) (Handler, error) {
				x, err := extract.New(extract.Config{MaxInput: d.Config.MaxDocSize, Log: d.Log.With(zap.String("stage", names.StageExtract))}, d.Blobs)
				if err != nil {
					return Handler{}, err
				}
				return bind(names.StageExtract, stage.Streaming(x.Handle)), nil
			},
		},
		{
			Name: names.StageChunk, Consumer: names.Consumer(names.StageChunk),
			Flags: append([]string{FlagChunkSize, FlagChunkStreamAbove, FlagMode}, llmFlags()...),
			Input: reflect.TypeFor[event.Extracted](),
			Build: func(_ context.Context, d *Deps) (Handler, error) {
				start, err := d.Router.Start(d.Config.StartMode)
				if err != nil {
					return Handler{}, err
				}
				h, err := chunk.NewStage(chunk.Config{Target: d.Config.ChunkTarget}, start, d.Blobs)
				if err != nil {
					return Handler{}, err
				}
				h.StreamAbove(d.Config.ChunkStreamAbove)
				if d.Config.StartMode == "" {
					h.StartFor(d.Router.StartFor) // each chunk where its classification says; --mode wins
				}
				return bind(names.StageChunk, h.Stream), nil
			},
		},
		{
			Name: names.StageLLMExtract, Consumer: names.Consumer(names.StageLLMExtract),
			Flags: append([]string{FlagReference}, llmFlags()...),
			Input: reflect.TypeFor[event.Chunk](),
			Build: func(_ context.Context, d *Deps) (Handler, error) {
				return bind(names.StageLLMExtract, stage.Streaming(d.LLM.Handle)), nil
			},
		},
		{
			Name: names.StageQualityRoute, Consumer: names.Consumer(names.StageQualityRoute),
			Flags: append([]string{FlagThreshold}, llmFlags()...),
			Input: reflect.TypeFor[event.Extraction](),
			Build: func(_ context.Context, d *Deps) (Handler, error) {
				return bind(names.StageQualityRoute, stage.Streaming(d.Router.Handle)), nil
			},
		},
	}
}

// Lookup returns the spec of the named stage.
func Lookup(name string) (Spec, error) {
	for _, s := range Registry() {
		if s.Name == name {
			return s, nil
		}
	}
	return Spec{}, fmt.Errorf("unknown stage %q", name)
}
