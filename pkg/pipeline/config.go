// Package pipeline is the composition of ranstream: it connects to the broker
// (embedded or external), applies the topology of streams/, and runs the stages
// this process is asked to run. `ranstream run` and `process` run them all; each
// service in services/ runs one.
package pipeline

import (
	"errors"
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/llm"
	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/natsbus"
	"github.com/ranstream/ranstream/pkg/sizing"
	"github.com/ranstream/ranstream/pkg/specfetch"
	"github.com/ranstream/ranstream/streams"
)

// Config is the whole configuration of a ranstream process. RegisterFlags and
// ApplyEnv fill it from flags and the environment; the defaults are documented
// on the flags.
type Config struct {
	// NATS selects the broker: empty URL means embedded under DataDir.
	NATS natsbus.Config
	// Topology adjusts the stream definitions (retention age, replicas, ack wait).
	Topology streams.Options
	// ApplyTopology creates or updates streams, consumers and buckets at start;
	// off, the process only checks they exist (an operator applied them).
	ApplyTopology bool
	// TopologyWait bounds how long start-up retries applying or checking the
	// topology while a cluster settles.
	TopologyWait time.Duration
	// Stages to run in this process (Defaults: every consumer stage; none for a
	// process that only ingests).
	Stages []string
	// Workers and MaxAckPending override the sizing decision per stage.
	Workers, MaxAckPending map[string]int
	// ChunkTarget is the chunk size aimed at, in characters.
	ChunkTarget int
	// ChunkStreamAbove: texts larger than this many bytes are chunked as a
	// stream, read twice from the store instead of held; 0 means 8 MiB.
	ChunkStreamAbove int
	// MaxDocSize refuses larger documents at ingest, in bytes.
	MaxDocSize int64
	// Thresholds override the minimum quality per mode.
	Thresholds map[extraction.Mode]float64
	// StartMode is the mode chunks are first extracted in; empty: the
	// cheapest (basic), climbing from there. hybrid sends every chunk
	// through the LLM pass.
	StartMode extraction.Mode
	// MemoryFloor: below this much available RAM, stages slow their intake.
	MemoryFloor uint64
	// References are reference spreadsheets (CSV files or folders of them) of
	// parameters, counters and events that extraction validates names against.
	References []string
	// Specs configures the 3GPP spec fetcher of the ingest stage.
	Specs specfetch.Config
	// LLM is the server hybrid extraction asks; an empty URL leaves hybrid
	// unavailable (routing stops at feature_grouped and says so).
	LLM llm.Config
	// Resources, when set, replaces what is read from the machine (tests).
	Resources *sizing.Resources
	// Ingest bounds how ingest retries JetStream (defaults: IngestConfig).
	Ingest IngestConfig
	// Metrics, when set, is the address /metrics, /healthz and /readyz are
	// served on (any address: a cluster's Prometheus scrapes it).
	Metrics string
	// MetricsPoll is how often consumer backlogs are read for the metrics;
	// default 5s.
	MetricsPoll time.Duration
}

// Defaults returns the configuration of `ranstream run` on a laptop.
func Defaults() Config {
	return Config{
		NATS:          natsbus.Config{DataDir: "data"},
		Stages:        slices.Clone(names.Stages()),
		ApplyTopology: true,
		ChunkTarget:   4000,
		MaxDocSize:    512 << 20,
		MemoryFloor:   256 << 20,
		TopologyWait:  time.Minute,
	}
}

// Validate reports a configuration that cannot work.
func (c Config) Validate() error {
	for _, s := range c.Stages {
		if !slices.Contains(names.Stages(), s) {
			return fmt.Errorf("unknown stage %q (want one of %s)", s, strings.Join(names.Stages(), ", "))
		}
	}
	if c.LLM.Enabled() {
		if _, err := llm.New(c.LLM, nil); err != nil {
			return err
		}
	}
	if c.ChunkTarget < 200 {
		return errors.New("chunk target below 200 characters")
	}
	return c.NATS.Validate()
}

// ApplyEnv reads overrides from the environment through lookup (os.LookupEnv in
// a main); a flag given explicitly wins, so call it before flag parsing.
func (c *Config) ApplyEnv(lookup func(string) (string, bool)) error {
	ApplyNATSEnv(lookup, &c.NATS)
	if v, ok := lookup("RANSTREAM_METRICS"); ok && v != "" {
		c.Metrics = v
	}
	if v, ok := lookup("RANSTREAM_DATA"); ok && v != "" {
		c.NATS.DataDir = v
	}
	for name, field := range map[string]*string{"RANSTREAM_LLM_URL": &c.LLM.URL, "RANSTREAM_LLM_MODEL": &c.LLM.Model,
		"RANSTREAM_LLM_API": &c.LLM.API, "RANSTREAM_LLM_API_KEY": &c.LLM.APIKey} {
		if v, ok := lookup(name); ok && v != "" {
			*field = v
		}
	}
	if v, ok := lookup("RANSTREAM_WORKERS"); ok && v != "" {
		if err := parseIntMap(v, &c.Workers); err != nil {
			return fmt.Errorf("RANSTREAM_WORKERS: %w", err)
		}
	}
	return nil
}

// RegisterNATSFlags binds the credentials and TLS of the connections to an
// external NATS server to fs: RegisterFlags calls it, and so does a command
// that only connects (fetch-spec).
func RegisterNATSFlags(fs *flag.FlagSet, c *natsbus.Config) {
	fs.StringVar(&c.Creds, "creds", c.Creds, "credentials for --nats: a .creds file (user JWT and seed) or an nkey seed file, e.g. from ranstream gen-creds (env NATS_CREDS; NATS_USER and NATS_PASSWORD instead for a user and password)")
	fs.StringVar(&c.TLS.CA, "tls-ca", c.TLS.CA, "CA certificate (PEM) that signed the NATS server's: connect with TLS and verify the server (env NATS_TLS_CA)")
	fs.StringVar(&c.TLS.Cert, "tls-cert", c.TLS.Cert, "client certificate (PEM) for a NATS server that verifies its clients (env NATS_TLS_CERT)")
	fs.StringVar(&c.TLS.Key, "tls-key", c.TLS.Key, "key (PEM) of --tls-cert (env NATS_TLS_KEY)")
}

// ApplyNATSEnv reads the NATS server and how to authenticate to it from the
// environment through lookup: NATS_URL, NATS_CREDS, NATS_USER and
// NATS_PASSWORD (as the nats CLI reads them), NATS_TLS_CA, NATS_TLS_CERT and
// NATS_TLS_KEY. A flag given explicitly wins, so call it before flag parsing.
func ApplyNATSEnv(lookup func(string) (string, bool), c *natsbus.Config) {
	for name, field := range map[string]*string{"NATS_URL": &c.URL, "NATS_CREDS": &c.Creds,
		"NATS_USER": &c.User, "NATS_PASSWORD": &c.Password,
		"NATS_TLS_CA": &c.TLS.CA, "NATS_TLS_CERT": &c.TLS.Cert, "NATS_TLS_KEY": &c.TLS.Key} {
		if v, ok := lookup(name); ok && v != "" {
			*field = v
		}
	}
}

func parseIntMap(s string, m *map[string]int) error {
	if *m == nil {
		*m = map[string]int{}
	}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if !ok {
			return fmt.Errorf("%q: want stage=N", kv)
		}
		if !slices.Contains(names.Stages(), k) {
			return fmt.Errorf("%q: unknown stage %q (want one of %s)", kv, k, strings.Join(names.Stages(), ", "))
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return fmt.Errorf("%q: want a positive number", kv)
		}
		(*m)[k] = n
	}
	return nil
}

func parseThresholds(s string, m *map[extraction.Mode]float64) error {
	if *m == nil {
		*m = map[extraction.Mode]float64{}
	}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if !ok {
			return fmt.Errorf("%q: want mode=0.8", kv)
		}
		if !slices.Contains(extraction.Modes, extraction.Mode(k)) {
			names := make([]string, len(extraction.Modes))
			for i, m := range extraction.Modes {
				names[i] = string(m)
			}
			return fmt.Errorf("%q: unknown mode %q (want one of %s)", kv, k, strings.Join(names, ", "))
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 || f > 1 {
			return fmt.Errorf("%q: want a number in [0,1]", kv)
		}
		(*m)[extraction.Mode(k)] = f
	}
	return nil
}

// ackWait is the ack wait a stage gets: the topology override (short in tests) or its consumer definition's.
func ackWait(o streams.Options, consumer time.Duration) time.Duration {
	if o.AckWait > 0 {
		return o.AckWait
	}
	return consumer
}
