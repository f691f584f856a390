package llmextract_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/llm"
	"github.com/ranstream/ranstream/pkg/llm/llmtest"
	"github.com/ranstream/ranstream/pkg/llmextract"
)

// The chunk names a parameter only in prose ("the zetaLevel attribute of the
// ZetaCellFDD MO"), which the rules cannot read as MoClass.attribute.
const chunkText = "# 3 Parameters\n\nThe boost is set by the zetaLevel attribute of the ZetaCellFDD MO. " +
	"The counter EUtranCellFDD.pmZetaBoosts counts boosts.\n"

// answer is a model's reply: one item the text grounds and the rules missed,
// one the rules found too, and one invented.
const answer = `<think>Let me look.</think>{"main_features":[],"parameters":[
 {"name":"ZetaCellFDD.zetaLevel","mo_class":"ZetaCellFDD","attribute":"zetaLevel","role":"","feature":""},
 {"name":"EUtranCellFDD.inventedParam","mo_class":"EUtranCellFDD","attribute":"inventedParam","role":"","feature":""}],
 "counters":[{"name":"EUtranCellFDD.pmZetaBoosts","mo_class":"EUtranCellFDD","feature":""}],
 "events":[],"related_features":[],"activation_procedures":[]}`

func chunk() event.Chunk {
	return event.Chunk{V: event.Version, Doc: event.Doc{ID: "sha256:aa", Source: "zeta.md"}, Format: "markdown",
		Index: 0, Total: 1, Headings: []string{"3 Parameters"}, Text: chunkText, Mode: extraction.ModeHybrid,
		ModesTried: []extraction.Mode{extraction.ModeBasic, extraction.ModeCmedit, extraction.ModeFeatureGrouped}}
}

func extract(t *testing.T, x *llmextract.Extractor) event.Extraction {
	t.Helper()
	out, err := x.Handle(context.Background(), chunk())
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 {
		t.Fatalf("%d outputs", len(out))
	}
	return out[0].(event.Extraction)
}

func names(r extraction.Result) []string {
	var out []string
	for _, p := range r.Parameters {
		out = append(out, p.Name)
	}
	for _, c := range r.Counters {
		out = append(out, c.Name)
	}
	return out
}

func TestHybrid_addsGroundedItemsAndCountsTheRest(t *testing.T) {
	for _, api := range []string{"ollama", "openai"} {
		t.Run(api, func(t *testing.T) {
			srv := llmtest.New(t, func(llmtest.Call) string { return answer })
			url := srv.URL
			if api == "openai" {
				url += "/v1"
			}
			client, err := llm.New(llm.Config{URL: url, Model: "qwen3"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			e := extract(t, llmextract.New(nil).WithLLM(client))
			got := strings.Join(names(e.Result), " ")
			if !strings.Contains(got, "ZetaCellFDD.zetaLevel") || strings.Contains(got, "inventedParam") ||
				!strings.Contains(got, "EUtranCellFDD.pmZetaBoosts") {
				t.Errorf("items %s: want the grounded parameter and counter, not the invented one", got)
			}
			if e.LLM == nil || *e.LLM != (extraction.LLMUse{Kept: 2, Dropped: 1, Added: 1}) {
				t.Errorf("LLM use %+v, want kept 2, dropped 1, added 1", e.LLM)
			}
			if e.Note != "" || e.Chunk.Mode != extraction.ModeHybrid || e.Chunk.ModesTried[len(e.Chunk.ModesTried)-1] != extraction.ModeHybrid {
				t.Errorf("note %q, chunk %+v", e.Note, e.Chunk)
			}
			// The question is the fine-tuning dataset's: same system prompt,
			// heading path then text.
			call := srv.Calls()[0]
			if call.System != extraction.Prompt || call.User != extraction.Ask()+"\n\nSection: 3 Parameters\n\n"+chunkText || call.Schema == nil {
				t.Errorf("question %+v", call)
			}
		})
	}
}

func TestHybrid_fallsBackToTheRules(t *testing.T) {
	rulesOnly := func(t *testing.T, e event.Extraction, note string) {
		t.Helper()
		if e.Note != note || e.LLM != nil {
			t.Errorf("note %q llm %+v, want %q and no LLM use", e.Note, e.LLM, note)
		}
		if got := strings.Join(names(e.Result), " "); got != "EUtranCellFDD.pmZetaBoosts" {
			t.Errorf("items %q, want the rules' counter only", got)
		}
	}
	t.Run("no LLM", func(t *testing.T) {
		rulesOnly(t, extract(t, llmextract.New(nil)), llmextract.NoteNoLLM)
	})
	t.Run("prose answer", func(t *testing.T) {
		srv := llmtest.New(t, func(llmtest.Call) string { return "I would rather not." })
		client, _ := llm.New(llm.Config{URL: srv.URL, Model: "m"}, nil)
		rulesOnly(t, extract(t, llmextract.New(nil).WithLLM(client)), llmextract.NoteLLMGarbled)
	})
	t.Run("failing server, then open breaker", func(t *testing.T) {
		srv := llmtest.New(t, nil)
		srv.Fail(true)
		client, _ := llm.New(llm.Config{URL: srv.URL, Model: "m", BreakerErrors: 2, BreakerCooldown: time.Hour}, nil)
		x := llmextract.New(nil).WithLLM(client)
		rulesOnly(t, extract(t, x), llmextract.NoteLLMFailed)
		rulesOnly(t, extract(t, x), llmextract.NoteLLMFailed)
		rulesOnly(t, extract(t, x), llmextract.NoteLLMOpen)
		if n := len(srv.Calls()); n != 2 {
			t.Errorf("server called %d times, want 2 (then the breaker opened)", n)
		}
	})
}
