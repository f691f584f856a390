package app_test

import (
	"path/filepath"
	"testing"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/llm/llmtest"
	"github.com/ranstream/ranstream/pkg/output"
)

// --mode sets the mode every chunk starts in: feature_grouped skips the
// climb, hybrid sends every chunk through the LLM pass.
func TestProcess_startMode(t *testing.T) {
	srv := llmtest.New(t, func(llmtest.Call) string { return `{"parameters": []}` })
	for _, mode := range []extraction.Mode{extraction.ModeFeatureGrouped, extraction.ModeHybrid} {
		t.Run(string(mode), func(t *testing.T) {
			cfg := testConfig(t, t.TempDir())
			cfg.StartMode = mode
			if mode == extraction.ModeHybrid {
				cfg.LLM.URL, cfg.LLM.Model = srv.URL, "qwen3:8b"
			}
			out := t.TempDir()
			before := len(srv.Calls())
			process(t, cfg, out, "testdata/docs/nested")
			chunks := 0
			for _, d := range readJSONL[output.ExtractionLine](t, filepath.Join(out, "extractions.jsonl")) {
				if len(d.ModesTried) == 0 || d.ModesTried[0] != mode {
					t.Errorf("%s: modes tried %v, want a start in %s", d.Source, d.ModesTried, mode)
				}
				chunks += d.Chunks
			}
			if chunks == 0 {
				t.Fatal("no chunks")
			}
			if calls := len(srv.Calls()) - before; mode == extraction.ModeHybrid && calls != chunks {
				t.Errorf("%d LLM calls for %d chunks, want one each", calls, chunks)
			}
		})
	}
}
