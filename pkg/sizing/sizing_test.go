package sizing

import (
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/ranstream/ranstream/pkg/names"
)

var (
	bigServer = Resources{Cores: 16, TotalRAM: 128 * GiB, AvailableRAM: 110 * GiB}
	smallVM   = Resources{Cores: 2, TotalRAM: 8 * GiB, AvailableRAM: 5 * GiB}
)

func TestDecide_followsTheMachine(t *testing.T) {
	profiles := DefaultProfiles()
	tests := []struct {
		stage              string
		bigWant, smallWant int
	}{
		{names.StageExtract, 16, 2},
		{names.StageChunk, 16, 2},
		{names.StageIngest, 32, 4},
		{names.StageDetect, 32, 4},
		{names.StageLLMExtract, 4, 4},    // the LLM's capacity, not the cores, bounds it
		{names.StageQualityRoute, 16, 4}, // KV round trips, capped
	}
	for _, tt := range tests {
		t.Run(tt.stage, func(t *testing.T) {
			big := Decide(bigServer, profiles[tt.stage], Override{})
			small := Decide(smallVM, profiles[tt.stage], Override{})
			if big.Workers != tt.bigWant || small.Workers != tt.smallWant {
				t.Errorf("workers: 16-core/128 GiB = %d, 2-core/8 GiB = %d; want %d and %d\nbig: %s\nsmall: %s",
					big.Workers, small.Workers, tt.bigWant, tt.smallWant, big.Reason, small.Reason)
			}
			if big.Stage != tt.stage || big.Resources != bigServer {
				t.Errorf("decision does not carry its stage and resources: %+v", big)
			}
		})
	}
}

func TestDecide_ramBoundsMemoryHeavyProfile(t *testing.T) {
	extract := DefaultProfiles()[names.StageExtract] // 512 MiB per worker, half the RAM
	tests := []struct {
		name string
		res  Resources
		want int
	}{
		{"plenty of RAM: cores decide", Resources{Cores: 16, AvailableRAM: 64 * GiB}, 16},
		{"2 GiB available: 2 workers of 512 MiB in half of it", Resources{Cores: 16, AvailableRAM: 2 * GiB}, 2},
		{"5 GiB available: 5 workers", Resources{Cores: 16, AvailableRAM: 5 * GiB}, 5},
		{"unknown RAM does not bound", Resources{Cores: 8}, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Decide(tt.res, extract, Override{})
			if d.Workers != tt.want {
				t.Fatalf("workers = %d, want %d (%s)", d.Workers, tt.want, d.Reason)
			}
			if tt.want < tt.res.Cores && !strings.Contains(d.Reason, "bound by ram") {
				t.Errorf("reason does not name RAM as the bound: %s", d.Reason)
			}
		})
	}
	budget := extract
	budget.MemBudget = 1
	if d := Decide(Resources{Cores: 16, AvailableRAM: 2 * GiB}, budget, Override{}); d.Workers != 4 {
		t.Errorf("MemBudget 1 with 2 GiB: workers = %d, want 4 (%s)", d.Workers, d.Reason)
	}
}

func TestDecide_minAndMax(t *testing.T) {
	tests := []struct {
		name string
		res  Resources
		p    Profile
		want int
	}{
		{"min floors when RAM allows none",
			Resources{Cores: 8, AvailableRAM: 256 * MiB}, Profile{MemPerWorker: 512 * MiB}, 1},
		{"explicit min floors",
			Resources{Cores: 1}, Profile{MinWorkers: 3}, 3},
		{"max caps cores (LLM capacity)",
			Resources{Cores: 64}, Profile{CPUShare: 1, MaxWorkers: 4}, 4},
		{"min above max is lowered to max",
			Resources{Cores: 1}, Profile{MinWorkers: 8, MaxWorkers: 2}, 2},
		{"fractional share rounds up",
			Resources{Cores: 3}, Profile{CPUShare: 0.5}, 2},
		{"zero cores read as one",
			Resources{}, Profile{CPUShare: 2}, 2},
		{"zero share means one per core",
			Resources{Cores: 6}, Profile{}, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := Decide(tt.res, tt.p, Override{}); d.Workers != tt.want {
				t.Errorf("workers = %d, want %d (%s)", d.Workers, tt.want, d.Reason)
			}
		})
	}
}

func TestDecide_overridesWin(t *testing.T) {
	llm := DefaultProfiles()[names.StageLLMExtract]
	tests := []struct {
		name           string
		o              Override
		wantW, wantAck int
		reasonMentions string
	}{
		{"none: capped at LLM capacity, 2 pending each", Override{}, 4, 8, "bound by max"},
		{"workers above the cap", Override{Workers: 12}, 12, 24, "override 12"},
		{"workers below computed", Override{Workers: 1}, 1, 2, "bound by override"},
		{"max ack pending only", Override{MaxAckPending: 100}, 4, 100, "overridden"},
		{"both", Override{Workers: 3, MaxAckPending: 7}, 3, 7, "override 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Decide(bigServer, llm, tt.o)
			if d.Workers != tt.wantW || d.MaxAckPending != tt.wantAck {
				t.Errorf("got %d workers, %d max ack pending; want %d, %d (%s)",
					d.Workers, d.MaxAckPending, tt.wantW, tt.wantAck, d.Reason)
			}
			if !strings.Contains(d.Reason, tt.reasonMentions) {
				t.Errorf("reason %q does not mention %q", d.Reason, tt.reasonMentions)
			}
		})
	}
}

func TestDecide_maxAckPendingDefaultsToFourPerWorker(t *testing.T) {
	d := Decide(Resources{Cores: 6}, Profile{Stage: "x"}, Override{})
	if d.Workers != 6 || d.MaxAckPending != 24 {
		t.Errorf("got %d workers, %d max ack pending; want 6, 24", d.Workers, d.MaxAckPending)
	}
}

func TestDefaultProfiles_coverEveryStage(t *testing.T) {
	profiles := DefaultProfiles()
	for _, stage := range []string{names.StageIngest, names.StageDetect, names.StageExtract, names.StageChunk, names.StageLLMExtract, names.StageQualityRoute} {
		p, ok := profiles[stage]
		if !ok {
			t.Errorf("no profile for %s", stage)
			continue
		}
		if p.Stage != stage {
			t.Errorf("profile %s names itself %q", stage, p.Stage)
		}
	}
	if len(profiles) != 6 {
		t.Errorf("%d profiles, want 6", len(profiles))
	}
	profiles[names.StageExtract] = Profile{}
	if DefaultProfiles()[names.StageExtract].MemPerWorker == 0 {
		t.Error("DefaultProfiles returns shared state: a caller's change leaked")
	}
}

func TestDecision_Fields(t *testing.T) {
	d := Decide(smallVM, DefaultProfiles()[names.StageExtract], Override{})
	core, logs := observer.New(zap.InfoLevel)
	zap.New(core).Info("sizing decision", d.Fields()...)
	got := logs.All()[0].ContextMap()
	want := map[string]any{
		"stage": "extract", "workers": int64(2), "max_ack_pending": int64(8), "cores": int64(2),
		"ram_total_bytes": uint64(8 * GiB), "ram_available_bytes": uint64(5 * GiB),
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("field %s = %v (%T), want %v (%T)", k, got[k], got[k], v, v)
		}
	}
	if r, _ := got["reason"].(string); !strings.Contains(r, "2 workers, bound by cpu") {
		t.Errorf("reason field = %q", r)
	}
}

func TestMemoryLimit(t *testing.T) {
	if got := MemoryLimit(Resources{TotalRAM: 8 << 30}); got != 6<<30 {
		t.Errorf("limit for 8 GiB: %d, want 6 GiB", got)
	}
}
