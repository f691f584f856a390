// Package llm asks a local LLM server for JSON that follows a schema, for the
// hybrid extraction mode: Ollama's native API (the official Go client), or any
// OpenAI-compatible server such as MLX-LM's mlx_lm.server, LM Studio, vLLM or
// llama.cpp (the official OpenAI Go client). A circuit breaker stops calling a
// server that keeps failing, so that extraction falls back to the rules at once
// instead of waiting for timeouts, and tries again after a cool-down.
package llm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/eapache/go-resiliency/breaker"
	json "github.com/go-json-experiment/json/v1"
	ollama "github.com/ollama/ollama/api"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"
)

// APIs the client speaks.
const (
	APIOllama = "ollama"
	APIOpenAI = "openai"
)

// DefaultConcurrency is how many calls are in flight when Config.Concurrency
// is zero: a local server runs one or two generations at a time.
const DefaultConcurrency = 2

// ErrUnavailable is returned while the circuit breaker is open.
var ErrUnavailable = errors.New("LLM unavailable: circuit breaker open after repeated failures")

// Config says which server and model to use.
type Config struct {
	// URL is the server's base URL: http://127.0.0.1:11434 for Ollama,
	// http://127.0.0.1:8080/v1 for mlx_lm.server and other OpenAI-compatible ones.
	URL string
	// API is APIOllama or APIOpenAI; empty guesses from URL: a path ending in
	// /v1 is OpenAI-compatible, anything else Ollama.
	API string
	// Model is the model name the server knows (qwen3:8b,
	// mlx-community/Qwen3-8B-4bit...).
	Model string
	// APIKey is sent as a bearer token to OpenAI-compatible servers that want one.
	APIKey string
	// Timeout bounds one call. Default 2 minutes (a local model on a laptop).
	Timeout time.Duration
	// Concurrency bounds the calls in flight: a local server runs one or two
	// generations at a time and queues the rest. Default 2.
	Concurrency int
	// Think lets a reasoning model (Qwen3) think before it answers. Off by
	// default: an extraction answer does not need it, and thinking multiplies
	// the time of every call. Off is sent as Ollama's think=false and as
	// chat_template_kwargs.enable_thinking=false to OpenAI-compatible servers
	// (mlx_lm.server, vLLM; others ignore it).
	Think bool
	// BreakerErrors consecutive failures open the breaker; it half-opens after
	// BreakerCooldown. Defaults 5 and 30s.
	BreakerErrors   int
	BreakerCooldown time.Duration
}

// Enabled reports whether an LLM is configured.
func (c Config) Enabled() bool { return c.URL != "" }

func (c *Config) setDefaults() {
	if c.API == "" {
		c.API = APIOllama
		if strings.HasSuffix(strings.TrimRight(c.URL, "/"), "/v1") {
			c.API = APIOpenAI
		}
	}
	if c.Timeout <= 0 {
		c.Timeout = 2 * time.Minute
	}
	if c.Concurrency <= 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.BreakerErrors <= 0 {
		c.BreakerErrors = 5
	}
	if c.BreakerCooldown <= 0 {
		c.BreakerCooldown = 30 * time.Second
	}
}

// Validate reports a configuration that cannot work.
func (c Config) Validate() error {
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("llm: URL %q is not an http(s) URL", c.URL)
	}
	if c.API != APIOllama && c.API != APIOpenAI {
		return fmt.Errorf("llm: API %q: want %s or %s", c.API, APIOllama, APIOpenAI)
	}
	if c.Model == "" {
		return errors.New("llm: a model name is required")
	}
	return nil
}

// Request is one question: system and user messages, and the JSON schema the
// answer must follow.
type Request struct {
	System, User string
	// SchemaName names the schema for OpenAI-compatible servers.
	SchemaName string
	Schema     map[string]any
}

// Observer is told of every call, for metrics; nil observes nothing.
type Observer interface {
	// Called is told how long a call took (the wait for a slot excluded) and
	// its error: nil, ErrUnavailable (refused by the open breaker) or a failure.
	Called(took time.Duration, err error)
	// Breaker is told whether the breaker is open after each call.
	Breaker(open bool)
}

type nopObserver struct{}

func (nopObserver) Called(time.Duration, error) {}
func (nopObserver) Breaker(bool)                {}

// Client calls the server.
type Client struct {
	cfg  Config
	chat func(ctx context.Context, req Request) (string, error)
	sem  chan struct{}
	br   *breaker.Breaker
	obs  Observer
}

// Observe makes o be told of every call and of the breaker's state.
func (c *Client) Observe(o Observer) *Client {
	if o == nil {
		o = nopObserver{}
	}
	c.obs = o
	o.Breaker(!c.Available())
	return c
}

// New returns a client for cfg; hc may be nil (http.DefaultClient's settings).
func New(cfg Config, hc *http.Client) (*Client, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if hc == nil {
		hc = &http.Client{}
	}
	c := &Client{cfg: cfg, sem: make(chan struct{}, cfg.Concurrency),
		br: breaker.New(cfg.BreakerErrors, 1, cfg.BreakerCooldown), obs: nopObserver{}}
	switch cfg.API {
	case APIOllama:
		base, _ := url.Parse(strings.TrimRight(cfg.URL, "/"))
		c.chat = ollamaChat(ollama.NewClient(base, hc), cfg.Model, cfg.Think)
	case APIOpenAI:
		opts := []option.RequestOption{option.WithBaseURL(strings.TrimRight(cfg.URL, "/") + "/"),
			option.WithHTTPClient(hc), option.WithMaxRetries(1)}
		// The OpenAI client wants a key; local servers ignore it.
		key := cfg.APIKey
		if key == "" {
			key = "local"
		}
		opts = append(opts, option.WithAPIKey(key))
		if !cfg.Think {
			opts = append(opts, option.WithJSONSet("chat_template_kwargs", map[string]any{"enable_thinking": false}))
		}
		c.chat = openaiChat(openai.NewClient(opts...), cfg.Model)
	}
	return c, nil
}

// String describes the client for logs: "openai mlx-community/Qwen3-8B-4bit at http://...".
func (c *Client) String() string { return c.cfg.API + " " + c.cfg.Model + " at " + c.cfg.URL }

// Available reports whether calls are let through (the breaker is not open).
func (c *Client) Available() bool { return c.br.GetState() != breaker.Open }

// Complete asks req and returns the answer's text, which the server was told to
// make JSON following req.Schema. It waits for a free slot, then calls through
// the breaker with the configured timeout.
func (c *Client) Complete(ctx context.Context, req Request) (string, error) {
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-c.sem }()
	var out string
	start := time.Now()
	err := c.br.Run(func() error {
		cctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
		defer cancel()
		var err error
		out, err = c.chat(cctx, req)
		if err == nil && strings.TrimSpace(out) == "" {
			err = errors.New("empty answer")
		}
		return err
	})
	if errors.Is(err, breaker.ErrBreakerOpen) {
		err = ErrUnavailable
	}
	c.obs.Called(time.Since(start), err)
	c.obs.Breaker(!c.Available())
	if errors.Is(err, ErrUnavailable) {
		return "", ErrUnavailable
	}
	if err != nil {
		return "", fmt.Errorf("llm %s: %w", c, err)
	}
	return out, nil
}

func ollamaChat(cl *ollama.Client, model string, think bool) func(context.Context, Request) (string, error) {
	return func(ctx context.Context, req Request) (string, error) {
		schema, err := json.Marshal(req.Schema)
		if err != nil {
			return "", fmt.Errorf("encode schema: %w", err)
		}
		stream := false
		var sb strings.Builder
		err = cl.Chat(ctx, &ollama.ChatRequest{
			Model:    model,
			Messages: []ollama.Message{{Role: "system", Content: req.System}, {Role: "user", Content: req.User}},
			Stream:   &stream,
			Format:   schema,
			Options:  map[string]any{"temperature": 0},
			Think:    &ollama.ThinkValue{Value: think},
		}, func(r ollama.ChatResponse) error {
			sb.WriteString(r.Message.Content)
			return nil
		})
		return sb.String(), err
	}
}

func openaiChat(cl openai.Client, model string) func(context.Context, Request) (string, error) {
	return func(ctx context.Context, req Request) (string, error) {
		name := req.SchemaName
		if name == "" {
			name = "answer"
		}
		resp, err := cl.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
			Model:    model,
			Messages: []openai.ChatCompletionMessageParamUnion{openai.SystemMessage(req.System), openai.UserMessage(req.User)},
			ResponseFormat: openai.ChatCompletionNewParamsResponseFormatUnion{
				OfJSONSchema: &shared.ResponseFormatJSONSchemaParam{
					JSONSchema: shared.ResponseFormatJSONSchemaJSONSchemaParam{Name: name, Schema: req.Schema, Strict: openai.Bool(true)},
				},
			},
			Temperature: openai.Float(0),
		})
		if err != nil {
			return "", err
		}
		if len(resp.Choices) == 0 {
			return "", errors.New("no choices in the answer")
		}
		return resp.Choices[0].Message.Content, nil
	}
}
