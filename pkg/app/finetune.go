package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/output"
	"github.com/ranstream/ranstream/pkg/sizing"
)

// registerDatasetFlags adds the flags of the fine-tuning set to a command
// that renders outputs.
func registerDatasetFlags(fs *flag.FlagSet, c *output.DatasetConfig) {
	d := output.DefaultDatasetConfig()
	fs.IntVar(&c.MaxExampleTokens, "max-example-tokens", d.MaxExampleTokens, "cap on an example's estimated tokens; longer chunks are split into examples that stand on their own")
	fs.StringVar(&c.Seed, "dataset-seed", d.Seed, "seed of the dataset split and question phrasing (same seed, same files)")
	fs.Float64Var(&c.ValidRatio, "valid-ratio", d.ValidRatio, "share of documents in dataset/valid.jsonl")
	fs.Float64Var(&c.TestRatio, "test-ratio", d.TestRatio, "share of documents in dataset/test.jsonl")
	fs.Float64Var(&c.NearDuplicate, "near-duplicate", d.NearDuplicate, "estimated similarity (MinHash of word 4-shingles) above which an example is a near-duplicate and dropped")
	fs.IntVar(&c.MaxPerKind, "max-per-kind", d.MaxPerKind, "at most this many single-item questions (one IE, one timer...) per document and kind")
	fs.Var((*invertedBool)(&c.SkipDocs), "docs", "write OUT/docs/<name>.md (converted text) and <name>.json (title, meta, warnings, family, headings) per document; --docs=false skips them")
}

// invertedBool is a boolean flag that sets the negation of its variable:
// --docs=false sets SkipDocs.
type invertedBool bool

func (b *invertedBool) String() string {
	if b == nil {
		return "true"
	}
	return strconv.FormatBool(!bool(*b))
}

func (b *invertedBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("not a boolean: %q", s)
	}
	*b = invertedBool(!v)
	return nil
}

func (b *invertedBool) IsBoolFlag() bool { return true }

// DefaultModel is the model ranstream fine-tunes by default: Qwen3 8B,
// quantized for MLX.
const DefaultModel = "mlx-community/Qwen3-8B-4bit"

// LoRAPlan is an mlx_lm.lora configuration sized for a machine and a
// dataset.
type LoRAPlan struct {
	Model          string
	Data           string
	AdapterPath    string
	BatchSize      int
	GradAccum      int
	Rank           int
	Layers         int
	Iters          int
	MaxSeqLength   int
	ValBatches     int
	StepsPerEval   int
	LearningRate   float64
	GradCheckpoint bool
	// Why says how each number was chosen.
	Why []string
}

// modelSize reads the parameter count (billions) and weight bits from a
// model name such as mlx-community/Qwen3-8B-4bit; unknown parts default to
// 8 billion and 16 bits.
func modelSize(model string) (params float64, bits int) {
	params, bits = 8, 16
	if m := regexp.MustCompile(`(?i)(\d+(?:\.\d+)?)B\b`).FindStringSubmatch(model); m != nil {
		params, _ = strconv.ParseFloat(m[1], 64)
	}
	if m := regexp.MustCompile(`(?i)(\d+)-?bit`).FindStringSubmatch(model); m != nil {
		bits, _ = strconv.Atoi(m[1])
	}
	return params, bits
}

// PlanLoRA sizes LoRA training from the machine's memory (bytes), the model
// and the dataset's statistics: max_seq_length covers the 99th percentile
// of example lengths, the batch what memory leaves beside the weights,
// gradient accumulation an effective batch of 16, LoRA rank and layers the
// set's size and the memory, iterations two to three epochs.
func PlanLoRA(memBytes uint64, model, data string, train, valid int, tokensP99 int) LoRAPlan {
	p := LoRAPlan{Model: model, Data: data, AdapterPath: filepath.Join(filepath.Dir(filepath.Clean(data)), "adapters"), LearningRate: 1e-5}
	memGB := float64(memBytes) / (1 << 30)
	params, bits := modelSize(model)
	weightsGB := params * float64(bits) / 8
	// Metal may wire about three quarters of unified memory.
	freeGB := memGB*0.75 - weightsGB*1.1
	p.MaxSeqLength = min(8192, max(512, int(math.Ceil(float64(tokensP99)/256))*256))
	p.Why = append(p.Why, fmt.Sprintf("max_seq_length %d: the 99th percentile of example lengths is %d estimated tokens", p.MaxSeqLength, tokensP99))
	// Activations and LoRA state per sequence: a conservative 0.25 GB per
	// billion parameters per 2,048 tokens (MLX-LM's own examples train 7-8B
	// 4-bit models at batch 4 on 32 GB machines).
	perSeqGB := 0.25 * params * float64(p.MaxSeqLength) / 2048
	p.BatchSize = 1
	for p.BatchSize < 8 && float64(p.BatchSize*2)*perSeqGB <= freeGB*0.6 {
		p.BatchSize *= 2
	}
	// mlx_lm.lora refuses a split smaller than a batch.
	for p.BatchSize > 1 && (p.BatchSize > valid || p.BatchSize > train) {
		p.BatchSize /= 2
	}
	p.GradCheckpoint = float64(p.BatchSize)*perSeqGB*3 > freeGB
	p.Why = append(p.Why, fmt.Sprintf("batch_size %d: %.0f GB of memory, %.1f GB for %s weights, about %.1f GB per sequence", p.BatchSize, memGB, weightsGB, model, perSeqGB))
	p.GradAccum = max(1, 16/p.BatchSize)
	if train < 500 {
		p.GradAccum = max(1, 8/p.BatchSize)
	}
	switch {
	case train < 1000:
		p.Rank = 8
	case train < 20000:
		p.Rank = 16
	default:
		p.Rank = 32
	}
	switch {
	case freeGB < 8:
		p.Layers = 8
	case freeGB < 24:
		p.Layers = 16
	case freeGB < 48:
		p.Layers = 24
	default:
		p.Layers = -1 // every layer
	}
	p.Why = append(p.Why, fmt.Sprintf("LoRA rank %d for %d training examples, %d layers (-1: all) for %.0f GB left beside the weights", p.Rank, train, p.Layers, freeGB))
	epochs := 3.0
	if train >= 5000 {
		epochs = 2
	}
	p.Iters = min(20000, max(50, int(math.Ceil(epochs*float64(train)/float64(p.BatchSize)))))
	p.Why = append(p.Why, fmt.Sprintf("iters %d: %.0f epochs of %d examples in batches of %d (gradient accumulation %d: effective batch %d)", p.Iters, epochs, train, p.BatchSize, p.GradAccum, p.BatchSize*p.GradAccum))
	p.ValBatches = min(25, max(1, valid/p.BatchSize))
	p.StepsPerEval = max(50, p.Iters/10)
	return p
}

// YAML is the plan as an mlx_lm.lora --config file.
func (p LoRAPlan) YAML() string {
	var b strings.Builder
	b.WriteString("# mlx_lm.lora configuration written by ranstream finetune\n")
	for _, w := range p.Why {
		b.WriteString("# " + w + "\n")
	}
	fmt.Fprintf(&b, "model: %q\ntrain: true\nfine_tune_type: lora\ndata: %q\nadapter_path: %q\n", p.Model, p.Data, p.AdapterPath)
	fmt.Fprintf(&b, "batch_size: %d\ngrad_accumulation_steps: %d\niters: %d\nval_batches: %d\n", p.BatchSize, p.GradAccum, p.Iters, p.ValBatches)
	fmt.Fprintf(&b, "steps_per_report: 10\nsteps_per_eval: %d\nsave_every: %d\n", p.StepsPerEval, p.StepsPerEval)
	fmt.Fprintf(&b, "learning_rate: %g\nmax_seq_length: %d\ngrad_checkpoint: %t\nmask_prompt: true\nnum_layers: %d\nseed: 0\n", p.LearningRate, p.MaxSeqLength, p.GradCheckpoint, p.Layers)
	fmt.Fprintf(&b, "lora_parameters:\n  rank: %d\n  scale: 20.0\n  dropout: 0.0\n", p.Rank)
	return b.String()
}

// ErrDatasetNotTrainable is returned when the dataset fails its check or has
// no validation set, which mlx_lm.lora refuses.
var ErrDatasetNotTrainable = errors.New("dataset not trainable")

func finetuneCmd(env Env, args []string) int {
	c := common{}
	fs := flag.NewFlagSet("finetune", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	data := fs.String("data", "out/dataset", "the dataset directory ranstream wrote (OUT/dataset)")
	model := fs.String("model", DefaultModel, "the MLX model to fine-tune")
	config := fs.String("config", "", "where to write the mlx_lm.lora config (default DATA/../lora.yaml)")
	run := fs.Bool("run", true, "run mlx_lm.lora when it is installed")
	fs.StringVar(&c.log.Level, "log-level", "info", "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return fail(env, err)
	}
	ctx, cancel, log, err := setup(&c)
	if err != nil {
		return fail(env, err)
	}
	defer cancel()
	defer log.Sync() //nolint:errcheck // stderr
	if err := Finetune(ctx, FinetuneConfig{Data: *data, Model: *model, Config: *config, Run: *run, Out: env.Stdout}, log); err != nil {
		return fail(env, err)
	}
	return 0
}

// FinetuneConfig is what Finetune needs.
type FinetuneConfig struct {
	// Data is the dataset directory; chunks.jsonl beside it is what the
	// check grounds answers in.
	Data string
	// Model is the MLX model to fine-tune.
	Model string
	// Config is where the YAML goes; default lora.yaml beside Data.
	Config string
	// Run runs mlx_lm.lora when it is on the PATH.
	Run bool
	// Out receives the check, the config and the command.
	Out io.Writer
	// Memory overrides the detected memory (bytes), for tests.
	Memory uint64
}

// Finetune checks the dataset, writes an mlx_lm.lora config sized from the
// machine and the set, and runs mlx_lm.lora when installed; elsewhere it
// prints the command.
func Finetune(ctx context.Context, cfg FinetuneConfig, log *zap.Logger) error {
	if cfg.Model == "" {
		cfg.Model = DefaultModel
	}
	if cfg.Config == "" {
		cfg.Config = filepath.Join(filepath.Dir(filepath.Clean(cfg.Data)), "lora.yaml")
	}
	check, err := output.CheckDataset(cfg.Data, filepath.Join(filepath.Dir(filepath.Clean(cfg.Data)), "chunks.jsonl"))
	if err != nil {
		return fmt.Errorf("finetune: %w", err)
	}
	fmt.Fprint(cfg.Out, check.Text())
	if check.Examples["train"] == 0 || check.Examples["valid"] == 0 {
		return fmt.Errorf("%w: train has %d examples and valid %d; mlx_lm.lora needs both (process at least 3 documents)",
			ErrDatasetNotTrainable, check.Examples["train"], check.Examples["valid"])
	}
	mem := cfg.Memory
	if mem == 0 {
		res, err := sizing.Detect(ctx)
		if err != nil {
			log.Warn("machine resources partly unknown", zap.Error(err))
		}
		mem = res.TotalRAM
	}
	plan := PlanLoRA(mem, cfg.Model, cfg.Data, check.Examples["train"], check.Examples["valid"], check.Tokens.P99)
	log.Info("LoRA plan", zap.Int("batch_size", plan.BatchSize), zap.Int("grad_accumulation", plan.GradAccum),
		zap.Int("rank", plan.Rank), zap.Int("layers", plan.Layers), zap.Int("iters", plan.Iters), zap.Int("max_seq_length", plan.MaxSeqLength))
	if err := os.WriteFile(cfg.Config, []byte(plan.YAML()), 0o644); err != nil {
		return fmt.Errorf("finetune: write config: %w", err)
	}
	fmt.Fprintf(cfg.Out, "\nconfig written to %s:\n\n%s\n", cfg.Config, plan.YAML())
	if !check.OK() {
		return fmt.Errorf("%w: the check above fails; fix the dataset before training", ErrDatasetNotTrainable)
	}
	bin, lookErr := exec.LookPath("mlx_lm.lora")
	if !cfg.Run || lookErr != nil {
		fmt.Fprintf(cfg.Out, "mlx_lm.lora not run (%s); on Apple silicon:\n  pip install mlx-lm\n  mlx_lm.lora --config %s\n",
			notRunReason(cfg.Run, lookErr), cfg.Config)
		return nil
	}
	log.Info("running mlx_lm.lora", zap.String("config", cfg.Config))
	cmd := exec.CommandContext(ctx, bin, "--config", cfg.Config)
	cmd.Stdout, cmd.Stderr = cfg.Out, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("finetune: mlx_lm.lora: %w", err)
	}
	return nil
}

func notRunReason(run bool, lookErr error) string {
	if !run {
		return "--run=false"
	}
	return "not installed: " + lookErr.Error()
}
