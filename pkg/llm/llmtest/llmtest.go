// Package llmtest is a fake LLM server for tests: it speaks Ollama's /api/chat
// and the OpenAI-compatible /v1/chat/completions over real HTTP on 127.0.0.1,
// answering with what the test's function returns for each question.
package llmtest

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	json "github.com/go-json-experiment/json/v1"
)

// Call is one request the server received.
type Call struct {
	API          string // "ollama" or "openai"
	Model        string
	System, User string
	// Schema is the JSON schema the request asked the answer to follow.
	Schema      map[string]any
	Temperature *float64
	// Think is what the request said of thinking: Ollama's think, or
	// chat_template_kwargs.enable_thinking; nil when it said nothing.
	Think *bool
}

// Server is a running fake.
type Server struct {
	*httptest.Server
	mu    sync.Mutex
	calls []Call
	// Fail, while set, makes every request fail with HTTP 500.
	fail bool
}

// New starts a fake answering with answer(call); it stops with the test.
func New(t testing.TB, answer func(Call) string) *Server {
	s := &Server{}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/chat", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Model    string `json:"model"`
			Messages []struct {
				Role, Content string
			} `json:"messages"`
			Stream  *bool          `json:"stream"`
			Format  map[string]any `json:"format"`
			Options map[string]any `json:"options"`
			Think   *bool          `json:"think"`
		}
		if !s.decode(w, r, &req) {
			return
		}
		c := Call{API: "ollama", Model: req.Model, Schema: req.Format, Think: req.Think}
		for _, m := range req.Messages {
			c.set(m.Role, m.Content)
		}
		if t, ok := req.Options["temperature"].(float64); ok {
			c.Temperature = &t
		}
		if req.Stream == nil || *req.Stream {
			http.Error(w, "this fake only answers stream=false", http.StatusBadRequest)
			return
		}
		content := s.record(c, answer)
		writeJSON(w, map[string]any{"model": req.Model, "created_at": "2026-11-25T00:00:00Z",
			"message": map[string]any{"role": "assistant", "content": content}, "done": true, "done_reason": "stop"})
	})
	mux.HandleFunc("POST /v1/chat/completions", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Model    string `json:"model"`
			Messages []struct {
				Role, Content string
			} `json:"messages"`
			ResponseFormat struct {
				Type       string `json:"type"`
				JSONSchema struct {
					Name   string         `json:"name"`
					Schema map[string]any `json:"schema"`
				} `json:"json_schema"`
			} `json:"response_format"`
			Temperature        *float64 `json:"temperature"`
			ChatTemplateKwargs struct {
				EnableThinking *bool `json:"enable_thinking"`
			} `json:"chat_template_kwargs"`
		}
		if !s.decode(w, r, &req) {
			return
		}
		c := Call{API: "openai", Model: req.Model, Schema: req.ResponseFormat.JSONSchema.Schema, Temperature: req.Temperature,
			Think: req.ChatTemplateKwargs.EnableThinking}
		for _, m := range req.Messages {
			c.set(m.Role, m.Content)
		}
		content := s.record(c, answer)
		writeJSON(w, map[string]any{"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": req.Model,
			"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
				"message": map[string]any{"role": "assistant", "content": content}}}})
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func (c *Call) set(role, content string) {
	switch role {
	case "system":
		c.System = content
	case "user":
		c.User = content
	}
}

func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	s.mu.Lock()
	fail := s.fail
	s.mu.Unlock()
	if fail {
		s.record(Call{}, nil)
		http.Error(w, "model crashed", http.StatusInternalServerError)
		return false
	}
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return false
	}
	return true
}

func (s *Server) record(c Call, answer func(Call) string) string {
	s.mu.Lock()
	s.calls = append(s.calls, c)
	s.mu.Unlock()
	if answer == nil {
		return ""
	}
	return answer(c)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// Fail makes the server fail every request (true) or answer again (false).
func (s *Server) Fail(on bool) {
	s.mu.Lock()
	s.fail = on
	s.mu.Unlock()
}

// Calls returns the requests received so far (failed ones as empty calls).
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}
