// Package sizing sets a stage's consumer concurrency (workers and JetStream max ack
// pending) from the machine it runs on and the stage's cost profile, so the same
// binary uses a laptop and a large server well without tuning: CPU-bound work near the
// core count, memory-heavy work bounded by the RAM it may take, LLM calls bounded by
// what the LLM serves. Flags and environment (read by the mains) override it, and the
// decision is logged with its reason.
package sizing

import (
	"fmt"
	"math"
	"strings"

	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/names"
)

// Defaults for zero Profile fields.
const (
	DefaultMinWorkers          = 1
	DefaultAckPendingPerWorker = 4
	DefaultMemBudget           = 0.5
	DefaultCPUShare            = 1.0
)

// MiB and GiB are byte counts for readable profiles.
const (
	MiB uint64 = 1 << 20
	GiB uint64 = 1 << 30
)

// Resources is what the machine offers a stage.
type Resources struct {
	// Cores is the number of logical CPUs the process may use.
	Cores int
	// TotalRAM is the memory of the machine (or of the container's limit), bytes.
	TotalRAM uint64
	// AvailableRAM is the memory that can be taken without swapping, bytes.
	AvailableRAM uint64
}

// Profile is what one worker of a stage costs.
type Profile struct {
	// Stage is the stage name, as in logs and dead letters.
	Stage string
	// CPUShare is how many workers to run per core: 1.0 for CPU-bound work
	// (extraction), less for light work, more for I/O-bound work that mostly waits.
	// 0 means DefaultCPUShare.
	CPUShare float64
	// MemPerWorker is the RAM one worker may need at its peak, in bytes (a large PDF
	// or DOCX being parsed). Workers are bounded by
	// AvailableRAM * MemBudget / MemPerWorker; 0 means memory does not bound them.
	MemPerWorker uint64
	// MemBudget is the share of the available RAM the stage's workers may take
	// together, in (0, 1]; 0 means DefaultMemBudget.
	MemBudget float64
	// MaxWorkers is a hard cap, such as the number of requests the LLM serves at
	// once; 0 means none.
	MaxWorkers int
	// MinWorkers is the floor: a stage always makes progress, even when RAM is short
	// (it then slows its intake under Pressure instead). 0 means DefaultMinWorkers.
	// A MinWorkers above MaxWorkers is lowered to MaxWorkers.
	MinWorkers int
	// AckPendingPerWorker sets max ack pending to workers times this, so each worker
	// has messages ready without the consumer holding more than it can finish within
	// the ack wait. 0 means DefaultAckPendingPerWorker.
	AckPendingPerWorker int
}

// Override carries values set by flags or environment; zero fields are not
// overridden.
type Override struct {
	// Workers replaces the computed worker count, caps and floors included.
	Workers int
	// MaxAckPending replaces the computed max ack pending.
	MaxAckPending int
}

// Decision is the concurrency a stage runs with, and why.
type Decision struct {
	// Stage is the profile's stage name.
	Stage string
	// Workers is the number of messages the stage handles at once.
	Workers int
	// MaxAckPending is the JetStream consumer's MaxAckPending.
	MaxAckPending int
	// Reason explains the numbers, for the start-up log.
	Reason string
	// Resources are the machine figures the decision was made from.
	Resources Resources
}

// Decide computes a stage's concurrency: cores times CPUShare, bounded by the RAM
// budget over MemPerWorker, capped by MaxWorkers and floored by MinWorkers, unless o
// overrides it. It is pure: the resources are given, never read here.
func Decide(res Resources, p Profile, o Override) Decision {
	share := orFloat(p.CPUShare, DefaultCPUShare)
	budget := orFloat(p.MemBudget, DefaultMemBudget)
	minW := orInt(p.MinWorkers, DefaultMinWorkers)
	perWorker := orInt(p.AckPendingPerWorker, DefaultAckPendingPerWorker)
	if p.MaxWorkers > 0 && minW > p.MaxWorkers {
		minW = p.MaxWorkers
	}
	cores := max(res.Cores, 1)

	workers := max(int(math.Ceil(float64(cores)*share)), 1)
	limit := "cpu"
	why := []string{fmt.Sprintf("cpu %d cores x %.2g = %d", cores, share, workers)}

	if p.MemPerWorker > 0 && res.AvailableRAM > 0 {
		byMem := int(float64(res.AvailableRAM) * budget / float64(p.MemPerWorker))
		why = append(why, fmt.Sprintf("ram %s available x %.2g / %s per worker = %d",
			bytesString(res.AvailableRAM), budget, bytesString(p.MemPerWorker), byMem))
		if byMem < workers {
			workers, limit = byMem, "ram"
		}
	}
	if p.MaxWorkers > 0 {
		why = append(why, fmt.Sprintf("max %d", p.MaxWorkers))
		if workers > p.MaxWorkers {
			workers, limit = p.MaxWorkers, "max"
		}
	}
	if workers < minW {
		why = append(why, fmt.Sprintf("min %d", minW))
		workers, limit = minW, "min"
	}
	if o.Workers > 0 {
		why = append(why, fmt.Sprintf("override %d", o.Workers))
		workers, limit = o.Workers, "override"
	}

	ack := workers * perWorker
	ackWhy := fmt.Sprintf("max ack pending %d workers x %d", workers, perWorker)
	if o.MaxAckPending > 0 {
		ack, ackWhy = o.MaxAckPending, "max ack pending overridden"
	}
	return Decision{
		Stage:         p.Stage,
		Workers:       workers,
		MaxAckPending: ack,
		Reason: fmt.Sprintf("%d workers, bound by %s (%s); %s",
			workers, limit, strings.Join(why, "; "), ackWhy),
		Resources: res,
	}
}

// Fields returns the decision as structured log fields, for the Info log a stage
// writes at start ("sizing decision").
func (d Decision) Fields() []zap.Field {
	return []zap.Field{
		zap.String("stage", d.Stage),
		zap.Int("workers", d.Workers),
		zap.Int("max_ack_pending", d.MaxAckPending),
		zap.String("reason", d.Reason),
		zap.Int("cores", d.Resources.Cores),
		zap.Uint64("ram_total_bytes", d.Resources.TotalRAM),
		zap.Uint64("ram_available_bytes", d.Resources.AvailableRAM),
	}
}

// DefaultProfiles returns the cost profiles of the pipeline stages, keyed by stage
// name. Callers may adjust a copy before Decide.
func DefaultProfiles() map[string]Profile {
	return map[string]Profile{
		// ingest hashes and stores bytes: I/O bound, a document in memory at a time.
		names.StageIngest: {Stage: names.StageIngest, CPUShare: 2, MemPerWorker: 64 * MiB, MaxWorkers: 32},
		// detect reads a head and sniffs it: cheap, I/O bound.
		names.StageDetect: {Stage: names.StageDetect, CPUShare: 2, MemPerWorker: 16 * MiB, MaxWorkers: 32},
		// extract parses PDF/DOCX/XLSX: CPU bound, and a large document can take
		// hundreds of MiB while parsed.
		names.StageExtract: {Stage: names.StageExtract, CPUShare: 1, MemPerWorker: 512 * MiB},
		// chunk splits text already in memory (light CPU), then waits on the
		// publish acknowledgements of its chunks.
		names.StageChunk: {Stage: names.StageChunk, CPUShare: 1, MemPerWorker: 64 * MiB},
		// llm-extract mostly waits on the LLM, which serves a few requests at once;
		// few messages pending per worker, or they expire queued behind slow calls.
		names.StageLLMExtract: {Stage: names.StageLLMExtract, CPUShare: 2, MemPerWorker: 64 * MiB,
			MaxWorkers: 4, AckPendingPerWorker: 2},
		// quality-route scores (light CPU) and mostly waits on KV round trips;
		// workers on different documents do not contend, those on one document
		// retry their compare-and-set, so a few per core.
		names.StageQualityRoute: {Stage: names.StageQualityRoute, CPUShare: 2, MemPerWorker: 32 * MiB,
			MaxWorkers: 16},
	}
}

func orFloat(v, def float64) float64 {
	if v <= 0 {
		return def
	}
	return v
}

func orInt(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// bytesString prints a byte count in MiB or GiB.
func bytesString(n uint64) string {
	if n >= GiB {
		return fmt.Sprintf("%.1f GiB", float64(n)/float64(GiB))
	}
	return fmt.Sprintf("%d MiB", n/MiB)
}

// MemoryLimit is the soft limit a process sets on Go's heap: three quarters of
// the memory it has (the container's limit when there is one), so that the
// garbage collector works harder before the kernel's OOM killer would step in.
// GOMEMLIMIT, when set, wins (the caller checks).
func MemoryLimit(res Resources) int64 {
	return int64(res.TotalRAM / 4 * 3)
}
