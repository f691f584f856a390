package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"syscall"
	"time"

	json "github.com/go-json-experiment/json/v1"
	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/eval"
	"github.com/ranstream/ranstream/pkg/ingest"
	"github.com/ranstream/ranstream/pkg/logging"
	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/natsbus"
	"github.com/ranstream/ranstream/pkg/output"
	"github.com/ranstream/ranstream/pkg/pipeline"
	"github.com/ranstream/ranstream/pkg/sizing"
	"github.com/ranstream/ranstream/pkg/specfetch"
)

const usage = `ranstream turns telecom documents into six-category extractions, retrieval
chunks and fine-tuning datasets, over NATS JetStream.

Usage:
  ranstream run     [flags]                 run every stage; watch --inbox, render into --out
  ranstream process [flags] --out DIR PATH...  process files and folders, wait, write outputs
  ranstream replay  [flags] [--from chunk|extract|detect] [--source PATTERN] [--since DUR]
                                            run documents of earlier runs (--data or --nats)
                                            through the pipeline again, write --out
  ranstream fetch-spec [--nats URL] SPEC [--release N | --version V] | --series S --release N
                                            ask a running pipeline to download 3GPP specs
  ranstream eval    --gold DIR [-v] [--min-f1 F] EXTRACTIONS.jsonl
                                            precision, recall, F1 per category against labels
  ranstream finetune --data OUT/dataset [--model M] [--run=false]
                                            check the dataset, write an mlx_lm.lora config sized
                                            from this machine and the set, run it when installed
  ranstream gen-creds [--out DIR] [--tls]   NATS users of a cluster: one nkey seed per service,
                                            the auth.conf (permissions) and tls.conf its nodes include
  ranstream apply-streams --nats URL [--creds ADMIN] [--replicas N]
                                            apply streams/ to a cluster (services then start
                                            with --apply-streams=false)
  ranstream status  [--nats URL | --data DIR] [--watch]
                                            per stage pending, in flight, redelivered, done,
                                            dead-lettered, rate; documents done of total
  ranstream dlq list|show|redrive|purge [--nats URL | --data DIR] [--stage S] [--reason PATTERN] [--since DUR]
                                            dead letters: list, show one, republish the inputs
                                            after a fix, remove
  ranstream version
  ranstream help

Run 'ranstream COMMAND -h' for the flags of a command.
`

// Env is what a main hands over from its process: arguments, environment and
// standard streams.
type Env struct {
	Args   []string
	Lookup func(string) (string, bool)
	Stdout io.Writer
	Stderr io.Writer
}

// Main runs the ranstream CLI and returns the exit code.
func Main(env Env) int {
	if len(env.Args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return 2
	}
	cmd, args := env.Args[0], env.Args[1:]
	switch cmd {
	case "run":
		return runCmd(env, args)
	case "replay":
		return replayCmd(env, args)
	case "process":
		return processCmd(env, args)
	case "fetch-spec":
		return fetchSpecCmd(env, args)
	case "eval":
		return evalCmd(env, args)
	case "finetune":
		return finetuneCmd(env, args)
	case "gen-creds":
		return genCredsCmd(env, args)
	case "apply-streams":
		return applyStreamsCmd(env, args)
	case "status":
		return statusCmd(env, args)
	case "dlq":
		return dlqCmd(env, args)
	case "help", "-h", "--help":
		fmt.Fprint(env.Stdout, usage)
		return 0
	case "version", "--version", "-version":
		fmt.Fprintln(env.Stdout, "ranstream", Version())
		return 0
	}
	fmt.Fprintf(env.Stderr, "unknown command %q\n\n%s", cmd, usage)
	return 2
}

// common holds the flags every command shares.
type common struct {
	pipeline   pipeline.Config
	dataset    output.DatasetConfig
	log        logging.Config
	cpuProfile string
	pprofAddr  string
	// flags files the command's flags under sections for -h.
	flags *pipeline.FlagSections
}

func newFlags(name string, env Env, c *common) (*flag.FlagSet, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	c.flags = pipeline.NewFlagSections(fs)
	describe(fs, name, c.flags)
	if err := c.pipeline.ApplyEnv(env.Lookup); err != nil {
		return nil, err
	}
	c.pipeline.RegisterFlagsIn(c.flags)
	c.flags.Section(pipeline.SectionDiagnostics, func(fs *flag.FlagSet) {
		fs.StringVar(&c.log.Level, "log-level", "info", "debug, info, warn or error")
		fs.BoolVar(&c.log.JSON, "log-json", false, "JSON logs even on a terminal")
		fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of the run to this file")
		fs.StringVar(&c.pprofAddr, "pprof", "", "serve Go's profiles (heap, goroutines, CPU) on this loopback address, e.g. 127.0.0.1:6060")
	})
	return fs, nil
}

// setup builds the logger and the signal context; the returned cancel also
// ends the CPU profile when one was asked for.
func setup(c *common) (context.Context, context.CancelFunc, *zap.Logger, error) {
	log, err := logging.New(c.log)
	if err != nil {
		return nil, nil, nil, err
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	setMemoryLimit(ctx, log)
	if c.pprofAddr != "" {
		if err := servePprof(ctx, c.pprofAddr, log); err != nil {
			cancel()
			return nil, nil, nil, err
		}
	}
	if c.cpuProfile == "" {
		return ctx, cancel, log, nil
	}
	f, err := os.Create(c.cpuProfile)
	if err != nil {
		cancel()
		return nil, nil, nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		cancel()
		f.Close()
		return nil, nil, nil, fmt.Errorf("cpu profile: %w", err)
	}
	return ctx, func() { pprof.StopCPUProfile(); f.Close(); cancel() }, log, nil
}

// setMemoryLimit sets Go's soft memory limit from the machine (or container)
// unless GOMEMLIMIT does; GOMEMLIMIT=256MiB keeps a laptop run small.
func setMemoryLimit(ctx context.Context, log *zap.Logger) {
	if v, ok := os.LookupEnv("GOMEMLIMIT"); ok {
		log.Debug("memory limit from GOMEMLIMIT", zap.String("limit", v))
		return
	}
	res, err := sizing.Detect(ctx)
	if err != nil || res.TotalRAM == 0 {
		log.Debug("no memory limit: machine memory unknown", zap.Error(err))
		return
	}
	limit := sizing.MemoryLimit(res)
	debug.SetMemoryLimit(limit)
	log.Debug("memory limit set", zap.Int64("bytes", limit))
}

// fail reports err on one line: exit status 2 for a usage mistake, 1 otherwise.
func fail(env Env, err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintln(env.Stderr, "ranstream:", err)
	var u usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

func runCmd(env Env, args []string) int {
	return serve(env, args, "run", nil, "out")
}

// serve runs stages (nil: all) with the watched directory and the inbox bucket
// until a signal: `ranstream run`, and the ingest service.
func serve(env Env, args []string, name string, stages []string, out string) int {
	c := common{pipeline: pipeline.Defaults()}
	if stages != nil {
		c.pipeline.Stages = stages
	}
	cfg := RunConfig{Out: out, Inbox: "inbox"}
	fs, err := newFlags(name, env, &c)
	if err != nil {
		return fail(env, err)
	}
	c.flags.Section(pipeline.SectionInputOutput, func(fs *flag.FlagSet) {
		fs.StringVar(&cfg.Out, "out", cfg.Out, "output directory, rendered again as results arrive (empty: none)")
		fs.StringVar(&cfg.Inbox, "inbox", cfg.Inbox, "watched directory; files dropped here are ingested (empty: none)")
		fs.DurationVar(&cfg.Settle, "settle", 0, "how long an inbox file must stay unchanged before ingestion (default 1s)")
		fs.BoolVar(&cfg.Bucket, "inbox-bucket", true, "also ingest objects put into the Object Store bucket inbox (nats object put inbox FILE)")
		fs.BoolVar(&cfg.BucketRemove, "inbox-remove", false, "delete inbox objects once ingested")
		fs.StringVar(&cfg.InboxDone, "inbox-done", InboxMove, "what becomes of an inbox file once its ingest is durable: move (into INBOX/.done/, so a restart does not ingest it again), keep or delete")
	})
	c.flags.Section(SectionDataset, func(fs *flag.FlagSet) { registerDatasetFlags(fs, &c.dataset) })
	if pos, err := parse(fs, args); err != nil {
		return fail(env, err)
	} else if len(pos) > 0 {
		return fail(env, usagef("%s: takes no arguments (got %q); files go into --inbox", name, pos[0]))
	}
	if err := checkOutDir(cfg.Out); err != nil {
		return fail(env, err)
	}
	if err := checkInboxDone(cfg.InboxDone); err != nil {
		return fail(env, err)
	}
	if err := c.dataset.Validate(); err != nil {
		return fail(env, err)
	}
	ctx, cancel, log, err := setup(&c)
	if err != nil {
		return fail(env, err)
	}
	defer cancel()
	defer log.Sync() //nolint:errcheck // stderr
	cfg.Pipeline, cfg.Dataset = c.pipeline, c.dataset
	if err := Run(ctx, cfg, log); err != nil {
		return fail(env, err)
	}
	return 0
}

func processCmd(env Env, args []string) int {
	c := common{pipeline: pipeline.Defaults()}
	c.pipeline.NATS.DataDir = ""
	cfg := ProcessConfig{Progress: env.Stderr}
	fs, err := newFlags("process", env, &c)
	if err != nil {
		return fail(env, err)
	}
	var direct bool
	c.flags.Section(pipeline.SectionInputOutput, func(fs *flag.FlagSet) {
		fs.StringVar(&cfg.Out, "out", "out", "output directory")
		fs.BoolVar(&direct, "direct", false, "run the stages in this process with the in-memory runner, without NATS (no durability; the baseline of make bench-bus)")
	})
	c.flags.Section(SectionDataset, func(fs *flag.FlagSet) { registerDatasetFlags(fs, &c.dataset) })
	paths, err := parse(fs, args)
	if err != nil {
		return fail(env, err)
	}
	if err := c.dataset.Validate(); err != nil {
		return fail(env, err)
	}
	if len(paths) == 0 {
		return fail(env, usagef("process: no input files or folders"))
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
	cfg.Pipeline, cfg.Paths, cfg.Dataset = c.pipeline, paths, c.dataset
	run := Process
	if direct {
		run = Direct
	}
	rep, err := run(ctx, cfg, log)
	if err != nil {
		return fail(env, err)
	}
	fmt.Fprint(env.Stdout, rep.Text())
	if err := nothingSucceeded(rep, cfg.Out); err != nil {
		return fail(env, err)
	}
	return 0
}

// nothingSucceeded is the error of a run in which no document came through:
// no input at all, or every one dead-lettered.
func nothingSucceeded(rep output.Report, out string) error {
	if rep.Outcomes["accepted"]+rep.Outcomes["partial"] > 0 {
		return nil
	}
	if rep.Documents == 0 && len(rep.DeadLetters) == 0 {
		return errors.New("no documents in the inputs (dotfiles, lock files and partial downloads are skipped)")
	}
	return fmt.Errorf("no document succeeded: every input was dead-lettered (reasons in %s)", filepath.Join(out, "dead-letters.jsonl"))
}

// StageMain runs one consumer stage as its own service against NATS (embedded
// when no URL is given, which is only useful for trying it out).
func StageMain(stage string, env Env) int {
	c := common{pipeline: pipeline.Defaults()}
	c.pipeline.Stages = []string{stage}
	fs, err := newFlags(stage, env, &c)
	if err != nil {
		return fail(env, err)
	}
	if pos, err := parse(fs, env.Args); err != nil {
		return fail(env, err)
	} else if len(pos) > 0 {
		return fail(env, usagef("%s: takes no arguments (got %q)", stage, pos[0]))
	}
	ctx, cancel, log, err := setup(&c)
	if err != nil {
		return fail(env, err)
	}
	defer cancel()
	defer log.Sync() //nolint:errcheck // stderr
	p, err := pipeline.Start(ctx, c.pipeline, log)
	if err != nil {
		return fail(env, err)
	}
	<-ctx.Done()
	log.Info("shutting down: finishing messages in work")
	p.Close()
	return 0
}

// IngestMain runs the ingest service: it watches a directory and the inbox
// bucket, serves specs.download requests, and publishes what arrives to the
// pipeline's other services.
func IngestMain(env Env) int {
	return serve(env, env.Args, names.StageIngest, []string{names.StageIngest}, "")
}

func evalCmd(env Env, args []string) int {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	gold := fs.String("gold", "", "folder of label files in the elex-gold format (required)")
	verbose := fs.Bool("v", false, "list every miss and extra per document")
	minF1 := fs.Float64("min-f1", 0, "exit 1 when a category's F1 is below this")
	pos, err := parse(fs, args)
	if err != nil {
		return fail(env, err)
	}
	if *gold == "" || len(pos) != 1 {
		return fail(env, usagef("usage: ranstream eval --gold DIR [-v] [--min-f1 F] EXTRACTIONS.jsonl"))
	}
	labels, err := eval.LoadGold(*gold)
	if err != nil {
		return fail(env, err)
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return fail(env, err)
	}
	defer f.Close()
	preds, err := eval.LoadPredictions(f)
	if err != nil {
		return fail(env, err)
	}
	rep := eval.Evaluate(labels, preds)
	fmt.Fprint(env.Stdout, rep.Text(*verbose))
	for _, c := range eval.Categories {
		if f1 := rep.Total[c].F1(); f1 < *minF1 {
			fmt.Fprintf(env.Stderr, "ranstream eval: %s F1 %.3f is below %.3f\n", c, f1, *minF1)
			return 1
		}
	}
	return 0
}

func fetchSpecCmd(env Env, args []string) int {
	fs := flag.NewFlagSet("fetch-spec", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	bus := natsbus.Config{Name: "ranstream"}
	pipeline.ApplyNATSEnv(env.Lookup, &bus)
	fs.StringVar(&bus.URL, "nats", bus.URL, "NATS server of the running pipeline (env NATS_URL; ranstream run --listen makes the embedded one reachable)")
	pipeline.RegisterNATSFlags(fs, &bus)
	release := fs.Int("release", 0, "3GPP release, e.g. 18: the latest version of that release")
	version := fs.String("version", "", "exact version code, e.g. i40, instead of a release")
	series := fs.String("series", "", "a whole series, e.g. 38 (needs --release)")
	wait := fs.Bool("wait", false, "wait for the outcome: exit 0 when every spec was fetched (or had been before), 1 when one failed or was dead-lettered")
	timeout := fs.Duration("timeout", 10*time.Minute, "with --wait, give up after this long (exit 1)")
	pos, err := parse(fs, args)
	if err != nil {
		return fail(env, err)
	}
	if len(pos) > 1 {
		return fail(env, usagef("fetch-spec: one spec at a time (got %q)", pos))
	}
	req := specfetch.Request{Series: *series}
	if len(pos) == 1 {
		req.Spec = pos[0]
	}
	req.Release, req.Version, req.Series = *release, *version, *series
	if err := req.Validate(); err != nil {
		return fail(env, err)
	}
	if bus.URL == "" {
		fmt.Fprintln(env.Stderr, "ranstream fetch-spec: needs --nats (or NATS_URL) of a running pipeline")
		return 2
	}
	log, err := logging.New(logging.Config{Level: "warn"})
	if err != nil {
		return fail(env, err)
	}
	b, err := natsbus.New(bus, log)
	if err != nil {
		return fail(env, err)
	}
	defer b.Close()
	_, js, err := b.JetStream("fetch-spec")
	if err != nil {
		return fail(env, err)
	}
	// A ticket names this request in its outcome: the specs.fetched summary
	// and the dead letters of the ingest stage carry it.
	ticket := fmt.Sprintf("fetch-spec-%d-%d", os.Getpid(), time.Now().UnixNano())
	payload, err := json.Marshal(ingest.SpecRequest{Request: req, Ticket: ticket})
	if err != nil {
		return fail(env, err)
	}
	var outcome *specOutcome
	if *wait {
		if outcome, err = watchSpecOutcome(js, ticket); err != nil {
			return fail(env, err)
		}
		defer outcome.stop()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ack, err := js.Publish(ctx, names.SubjectSpecs, payload)
	if err != nil {
		return fail(env, fmt.Errorf("publish %s: %w", names.SubjectSpecs, err))
	}
	fmt.Fprintf(env.Stdout, "requested %s (stream %s, sequence %d)\n", req.String(), ack.Stream, ack.Sequence)
	if outcome == nil {
		return 0
	}
	return outcome.wait(env, req.String(), *timeout)
}
