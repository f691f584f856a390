package llm_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ranstream/ranstream/pkg/llm"
	"github.com/ranstream/ranstream/pkg/llm/llmtest"
)

var schema = map[string]any{"type": "object", "properties": map[string]any{"names": map[string]any{"type": "array"}},
	"required": []any{"names"}}

func TestComplete_speaksBothAPIs(t *testing.T) {
	srv := llmtest.New(t, func(c llmtest.Call) string { return `{"names":["` + c.API + `"]}` })
	for _, tt := range []struct{ url, api string }{
		{srv.URL, "ollama"},
		{srv.URL + "/v1", "openai"},
	} {
		t.Run(tt.api, func(t *testing.T) {
			c, err := llm.New(llm.Config{URL: tt.url, Model: "qwen3:8b"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.Complete(context.Background(), llm.Request{System: "be exact", User: "the chunk", SchemaName: "x", Schema: schema})
			if err != nil {
				t.Fatal(err)
			}
			if want := `{"names":["` + tt.api + `"]}`; got != want {
				t.Errorf("answer %q, want %q", got, want)
			}
			calls := srv.Calls()
			last := calls[len(calls)-1]
			if last.API != tt.api || last.Model != "qwen3:8b" || last.System != "be exact" || last.User != "the chunk" {
				t.Errorf("request %+v", last)
			}
			if last.Schema["type"] != "object" || last.Temperature == nil || *last.Temperature != 0 {
				t.Errorf("request lacks the schema or temperature 0: %+v", last)
			}
			if last.Think == nil || *last.Think {
				t.Errorf("request did not turn thinking off: %+v", last.Think)
			}
		})
	}
}

func TestComplete_breakerOpensAndRecovers(t *testing.T) {
	srv := llmtest.New(t, func(llmtest.Call) string { return `{"names":[]}` })
	c, err := llm.New(llm.Config{URL: srv.URL, Model: "m", BreakerErrors: 3, BreakerCooldown: 200 * time.Millisecond}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	srv.Fail(true)
	for i := range 3 {
		if _, err := c.Complete(ctx, llm.Request{Schema: schema}); err == nil || errors.Is(err, llm.ErrUnavailable) {
			t.Fatalf("call %d: %v, want the server's error", i, err)
		}
	}
	if c.Available() {
		t.Error("available after 3 failures in a row")
	}
	before := len(srv.Calls())
	if _, err := c.Complete(ctx, llm.Request{Schema: schema}); !errors.Is(err, llm.ErrUnavailable) {
		t.Errorf("open breaker: %v, want ErrUnavailable", err)
	}
	if len(srv.Calls()) != before {
		t.Error("the open breaker still called the server")
	}
	srv.Fail(false)
	time.Sleep(250 * time.Millisecond)
	if _, err := c.Complete(ctx, llm.Request{Schema: schema}); err != nil {
		t.Errorf("after the cool-down: %v", err)
	}
	if !c.Available() {
		t.Error("still unavailable after a success")
	}
}

func TestConfig_validates(t *testing.T) {
	for _, cfg := range []llm.Config{
		{URL: "127.0.0.1:11434", Model: "m"},
		{URL: "http://127.0.0.1:11434"},
		{URL: "http://127.0.0.1:11434", Model: "m", API: "grpc"},
	} {
		if _, err := llm.New(cfg, nil); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
}
