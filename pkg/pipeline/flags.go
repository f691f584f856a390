package pipeline

import (
	"flag"
	"fmt"
	"io"
	"slices"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/specfetch"
)

// Sections of the flags, in the order -h shows them.
const (
	SectionConnection  = "connection"
	SectionStreams     = "streams"
	SectionInputOutput = "input/output"
	SectionRouting     = "routing"
	SectionLLM         = "LLM"
	SectionLimits      = "limits"
	SectionConcurrency = "concurrency"
	SectionDiagnostics = "logs, metrics and profiles"
)

// Sections returns every section, in the order -h shows them.
func Sections() []string {
	return []string{SectionConnection, SectionStreams, SectionInputOutput, SectionRouting, SectionLLM,
		SectionLimits, SectionConcurrency, SectionDiagnostics}
}

// flagDef is one flag of the configuration: its section and how it binds.
type flagDef struct {
	name, section string
	bind          func(fs *flag.FlagSet, c *Config)
}

// Flag names a stage takes beyond the common ones (Spec.Flags).
const (
	FlagMaxDocSize       = "max-doc-size"
	FlagArchiveURL       = "archive-url"
	FlagChunkSize        = "chunk-size"
	FlagChunkStreamAbove = "chunk-stream-above"
	FlagMode             = "mode"
	FlagThreshold        = "threshold"
	FlagReference        = "reference"
)

// llmFlags are the flags of the LLM section: the stages whose work depends on
// whether hybrid is available (chunk for --mode hybrid, llm-extract,
// quality-route for the ladder) take them all.
func llmFlags() []string {
	return []string{"llm-url", "llm-model", "llm-api", "llm-timeout", "llm-think", "llm-concurrency"}
}

// commonFlags are the flags every process takes.
func commonFlags() []string {
	return []string{"nats", "data", "listen", "listen-auth", "creds",
		"retention", "apply-streams", "replicas", "workers", "max-ack-pending", "metrics"}
}

// flagDefs returns every flag of the configuration, in -h order within a section.
func flagDefs() []flagDef {
	return []flagDef{
		{"nats", SectionConnection, func(fs *flag.FlagSet, c *Config) {
			fs.StringVar(&c.NATS.URL, "nats", c.NATS.URL, "NATS server URL; empty starts an embedded server (env NATS_URL)")
		}},
		{"data", SectionConnection, func(fs *flag.FlagSet, c *Config) {
			fs.StringVar(&c.NATS.DataDir, "data", c.NATS.DataDir, "data directory of the embedded server's JetStream store")
		}},
		{"listen", SectionConnection, func(fs *flag.FlagSet, c *Config) {
			fs.StringVar(&c.NATS.Listen, "listen", c.NATS.Listen, "let the embedded server accept clients on this address, e.g. 127.0.0.1:4222, so the nats CLI can look inside; beyond loopback only with --listen-auth")
		}},
		{"listen-auth", SectionConnection, func(fs *flag.FlagSet, c *Config) {
			fs.StringVar(&c.NATS.ListenAuth, "listen-auth", c.NATS.ListenAuth, "nats-server config file (authorization or accounts with users, nkeys or a token; tls) the listening embedded server authenticates clients with, e.g. the auth.conf of ranstream gen-creds")
		}},
		// creds: --creds and the TLS flags, which RegisterNATSFlags binds together.
		{"creds", SectionConnection, func(fs *flag.FlagSet, c *Config) { RegisterNATSFlags(fs, &c.NATS) }},
		{"retention", SectionStreams, func(fs *flag.FlagSet, c *Config) {
			fs.DurationVar(&c.Topology.MaxAge, "retention", c.Topology.MaxAge, "stream history kept for replay (default from streams/: 720h)")
		}},
		{"apply-streams", SectionStreams, func(fs *flag.FlagSet, c *Config) {
			fs.BoolVar(&c.ApplyTopology, "apply-streams", c.ApplyTopology, "create or update streams, consumers and buckets at start")
		}},
		{"replicas", SectionStreams, func(fs *flag.FlagSet, c *Config) {
			fs.IntVar(&c.Topology.Replicas, "replicas", c.Topology.Replicas, "replicas of streams and buckets when applying them (3 on a three-node cluster)")
		}},
		{FlagArchiveURL, SectionInputOutput, func(fs *flag.FlagSet, c *Config) {
			fs.StringVar(&c.Specs.ArchiveURL, FlagArchiveURL, c.Specs.ArchiveURL, "3GPP archive (or a mirror: its host is allowed) for spec downloads (default "+specfetch.DefaultArchiveURL+")")
		}},
		{FlagReference, SectionInputOutput, func(fs *flag.FlagSet, c *Config) {
			fs.Func(FlagReference, "a reference CSV (or folder of them) of parameters, counters and events to validate names against; repeatable", func(s string) error {
				c.References = append(c.References, s)
				return nil
			})
		}},
		{FlagMode, SectionRouting, func(fs *flag.FlagSet, c *Config) {
			fs.Func(FlagMode, "start mode of every chunk: basic, cmedit, feature_grouped or hybrid (hybrid: every chunk through the LLM; needs --llm-url); default: the cheapest, climbing by quality", func(s string) error {
				if !slices.Contains(extraction.Modes, extraction.Mode(s)) {
					return fmt.Errorf("unknown mode %q", s)
				}
				c.StartMode = extraction.Mode(s)
				return nil
			})
		}},
		{FlagThreshold, SectionRouting, func(fs *flag.FlagSet, c *Config) {
			fs.Func(FlagThreshold, "override the quality threshold per mode: mode=0.8[,mode=0.7]", func(s string) error {
				return parseThresholds(s, &c.Thresholds)
			})
		}},
		{"llm-url", SectionLLM, func(fs *flag.FlagSet, c *Config) {
			fs.StringVar(&c.LLM.URL, "llm-url", c.LLM.URL, "LLM server for the hybrid mode: http://127.0.0.1:11434 (Ollama) or http://127.0.0.1:8080/v1 (mlx_lm.server, LM Studio, vLLM, llama.cpp) (env RANSTREAM_LLM_URL)")
		}},
		{"llm-model", SectionLLM, func(fs *flag.FlagSet, c *Config) {
			fs.StringVar(&c.LLM.Model, "llm-model", c.LLM.Model, "model the LLM server serves, e.g. qwen3:8b or mlx-community/Qwen3-8B-4bit (env RANSTREAM_LLM_MODEL)")
		}},
		{"llm-api", SectionLLM, func(fs *flag.FlagSet, c *Config) {
			fs.StringVar(&c.LLM.API, "llm-api", c.LLM.API, "ollama or openai; empty: openai when the URL ends in /v1 (env RANSTREAM_LLM_API)")
		}},
		{"llm-timeout", SectionLLM, func(fs *flag.FlagSet, c *Config) {
			fs.DurationVar(&c.LLM.Timeout, "llm-timeout", c.LLM.Timeout, "longest LLM call (default 2m)")
		}},
		{"llm-think", SectionLLM, func(fs *flag.FlagSet, c *Config) {
			fs.BoolVar(&c.LLM.Think, "llm-think", c.LLM.Think, "let a reasoning model (Qwen3) think before answering; off by default, it multiplies the time per call")
		}},
		{"llm-concurrency", SectionLLM, func(fs *flag.FlagSet, c *Config) {
			fs.IntVar(&c.LLM.Concurrency, "llm-concurrency", c.LLM.Concurrency, "LLM calls at once (default 2)")
		}},
		{FlagMaxDocSize, SectionLimits, func(fs *flag.FlagSet, c *Config) {
			fs.Int64Var(&c.MaxDocSize, FlagMaxDocSize, c.MaxDocSize, "largest document accepted, in bytes")
		}},
		{FlagChunkSize, SectionLimits, func(fs *flag.FlagSet, c *Config) {
			fs.IntVar(&c.ChunkTarget, FlagChunkSize, c.ChunkTarget, "chunk target size in characters")
		}},
		{FlagChunkStreamAbove, SectionLimits, func(fs *flag.FlagSet, c *Config) {
			fs.IntVar(&c.ChunkStreamAbove, FlagChunkStreamAbove, c.ChunkStreamAbove, "chunk texts larger than this many bytes as a stream, never held whole (0: 8 MiB)")
		}},
		{"workers", SectionConcurrency, func(fs *flag.FlagSet, c *Config) {
			fs.Func("workers", "override workers per stage: stage=N[,stage=N] (env RANSTREAM_WORKERS)", func(s string) error {
				return parseIntMap(s, &c.Workers)
			})
		}},
		{"max-ack-pending", SectionConcurrency, func(fs *flag.FlagSet, c *Config) {
			fs.Func("max-ack-pending", "override max ack pending per stage: stage=N[,stage=N]", func(s string) error {
				return parseIntMap(s, &c.MaxAckPending)
			})
		}},
		{"metrics", SectionDiagnostics, func(fs *flag.FlagSet, c *Config) {
			fs.StringVar(&c.Metrics, "metrics", c.Metrics, "serve Prometheus /metrics, /healthz and /readyz on this address, e.g. 127.0.0.1:9464 or :9464 (env RANSTREAM_METRICS)")
		}},
	}
}

// StageFlags returns the flags a process running stages takes: the common
// ones and those of each stage's Spec.
func StageFlags(stages []string) []string {
	want := commonFlags()
	for _, s := range Registry() {
		if slices.Contains(stages, s.Name) {
			want = append(want, s.Flags...)
		}
	}
	return want
}

// RegisterFlags binds to fs the flags of the stages c runs (Stages): the
// common ones (connection, streams, concurrency, metrics) and each stage's
// own. A single stage's service takes only its own; `run` and `process`, all.
func (c *Config) RegisterFlags(fs *flag.FlagSet) { c.RegisterFlagsIn(NewFlagSections(fs)) }

// RegisterFlagsIn is RegisterFlags recording the sections in s.
func (c *Config) RegisterFlagsIn(s *FlagSections) {
	want := StageFlags(c.Stages)
	for _, d := range flagDefs() {
		if !slices.Contains(want, d.name) {
			continue
		}
		s.Section(d.section, func(fs *flag.FlagSet) { d.bind(fs, c) })
	}
}

// FlagSections records which section each flag of a set belongs to, so that
// -h lists them grouped.
type FlagSections struct {
	fs *flag.FlagSet
	of map[string]string
	// extra are sections beyond Sections, in the order first used.
	extra []string
}

// NewFlagSections groups the flags of fs.
func NewFlagSections(fs *flag.FlagSet) *FlagSections {
	return &FlagSections{fs: fs, of: map[string]string{}}
}

// Section registers flags with register and files those it adds under
// section; a section beyond Sections is listed after them.
func (s *FlagSections) Section(section string, register func(fs *flag.FlagSet)) {
	if !slices.Contains(Sections(), section) && !slices.Contains(s.extra, section) {
		s.extra = append(s.extra, section)
	}
	register(s.fs)
	s.fs.VisitAll(func(f *flag.Flag) {
		if _, ok := s.of[f.Name]; !ok {
			s.of[f.Name] = section
		}
	})
}

// PrintDefaults writes the flags to w as flag.PrintDefaults does, grouped by
// section: those of Sections in order, then the others; flags registered
// outside any section come last, under "other".
func (s *FlagSections) PrintDefaults(w io.Writer) {
	for _, section := range append(append(Sections(), s.extra...), "") {
		sub := flag.NewFlagSet(s.fs.Name(), flag.ContinueOnError)
		sub.SetOutput(w)
		n := 0
		s.fs.VisitAll(func(f *flag.Flag) {
			if s.of[f.Name] != section {
				return
			}
			sub.Var(f.Value, f.Name, f.Usage)
			sub.Lookup(f.Name).DefValue = f.DefValue
			n++
		})
		if n == 0 {
			continue
		}
		title := section
		if title == "" {
			title = "other"
		}
		fmt.Fprintf(w, "\n%s:\n", title)
		sub.PrintDefaults()
	}
}
