package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/output"
)

func TestPlanLoRA_sizesFromMemoryAndSet(t *testing.T) {
	for name, tc := range map[string]struct {
		memGB       uint64
		train, p99  int
		wantBatch   int
		wantRank    int
		wantSeq     int
		wantLayers  int
		wantItersAt int
	}{
		"laptop 16 GB, small set":     {memGB: 16, train: 300, p99: 900, wantBatch: 4, wantRank: 8, wantSeq: 1024, wantLayers: 8, wantItersAt: 225},
		"laptop 16 GB, long examples": {memGB: 16, train: 300, p99: 4000, wantBatch: 1, wantRank: 8, wantSeq: 4096, wantLayers: 8, wantItersAt: 900},
		"M3 Max 64 GB, large set":     {memGB: 64, train: 30000, p99: 1900, wantBatch: 8, wantRank: 32, wantSeq: 2048, wantLayers: 24, wantItersAt: 7500},
		"128 GB":                      {memGB: 128, train: 10000, p99: 3000, wantBatch: 8, wantRank: 16, wantSeq: 3072, wantLayers: -1, wantItersAt: 2500},
	} {
		t.Run(name, func(t *testing.T) {
			p := PlanLoRA(tc.memGB<<30, DefaultModel, "out/dataset", tc.train, tc.train/10, tc.p99)
			if p.BatchSize != tc.wantBatch || p.Rank != tc.wantRank || p.MaxSeqLength != tc.wantSeq || p.Layers != tc.wantLayers || p.Iters != tc.wantItersAt {
				t.Errorf("plan %+v", p)
			}
			if p.BatchSize*p.GradAccum < 8 {
				t.Errorf("effective batch %d", p.BatchSize*p.GradAccum)
			}
			y := p.YAML()
			for _, key := range []string{"model:", "data:", "batch_size:", "grad_accumulation_steps:", "iters:", "max_seq_length:", "num_layers:", "lora_parameters:", "  rank:"} {
				if !strings.Contains(y, "\n"+key) {
					t.Errorf("config lacks %s:\n%s", key, y)
				}
			}
		})
	}
}

// writeDataset writes a tiny dataset of n documents and its chunks.
func writeDataset(t *testing.T, docs int) string {
	t.Helper()
	out := t.TempDir()
	data := filepath.Join(out, "dataset")
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	var chunks bytes.Buffer
	files := map[string]*bytes.Buffer{"train": {}, "valid": {}, "test": {}}
	for d := range docs {
		split := []string{"train", "train", "train", "valid", "test"}[d%5]
		if docs < 3 {
			split = "train"
		}
		id := "sha256:" + string(rune('a'+d))
		cid := id + "-0"
		json.NewEncoder(&chunks).Encode(output.ChunkLine{DocID: id, ChunkID: cid, Text: "The counter EUtranCellFDD.pmTest counts."})
		json.NewEncoder(files[split]).Encode(output.Example{
			Messages: []output.Message{{Role: "system", Content: "s"}, {Role: "user", Content: string(rune('A'+d)) + " which counter counts?"}, {Role: "assistant", Content: "EUtranCellFDD.pmTest"}},
			Metadata: output.ExampleMeta{DocID: id, Source: "x.md", Kind: "k", ChunkIDs: []string{cid}, Family: "elex"},
		})
	}
	for s, b := range files {
		if err := os.WriteFile(filepath.Join(data, s+".jsonl"), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(out, "chunks.jsonl"), chunks.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return data
}

func TestPlanLoRA_batchNoLargerThanTheValidationSet(t *testing.T) {
	if p := PlanLoRA(128<<30, DefaultModel, "d", 4000, 5, 1000); p.BatchSize > 5 || p.ValBatches < 1 {
		t.Errorf("5 validation examples: batch %d, val_batches %d", p.BatchSize, p.ValBatches)
	}
}

func TestFinetune_writesConfigAndPrintsCommandWithoutMLX(t *testing.T) {
	data := writeDataset(t, 10)
	var out bytes.Buffer
	err := Finetune(context.Background(), FinetuneConfig{Data: data, Run: false, Out: &out, Memory: 32 << 30}, zap.NewNop())
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	cfg, err := os.ReadFile(filepath.Join(filepath.Dir(data), "lora.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(cfg), "mlx-community/Qwen3-8B-4bit") || !strings.Contains(out.String(), "mlx_lm.lora --config") {
		t.Errorf("config or command missing:\n%s", out.String())
	}
}

func TestFinetune_refusesAnEmptyValidationSet(t *testing.T) {
	data := writeDataset(t, 2)
	var out bytes.Buffer
	err := Finetune(context.Background(), FinetuneConfig{Data: data, Out: &out, Memory: 32 << 30}, zap.NewNop())
	if !errors.Is(err, ErrDatasetNotTrainable) {
		t.Errorf("err %v, want ErrDatasetNotTrainable", err)
	}
}
