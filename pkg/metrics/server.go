package metrics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.uber.org/zap"
)

// ReadyFunc reports why the process is not ready to work (nil: ready).
type ReadyFunc func(ctx context.Context) error

// ErrStarting is what /readyz says before the process has a ReadyFunc.
var ErrStarting = errors.New("starting")

// Server serves /metrics, /healthz and /readyz.
type Server struct {
	srv   *http.Server
	addr  net.Addr
	ready ReadyFunc
	log   *zap.Logger
	done  chan struct{}
}

// ReadyTimeout bounds one readiness check.
const ReadyTimeout = 3 * time.Second

// Serve listens on addr at once (so a taken port is an error now) and serves
// g's metrics until ctx ends or Close. ready may be nil until SetReady.
func Serve(ctx context.Context, addr string, g prometheus.Gatherer, ready ReadyFunc, log *zap.Logger) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--metrics %s: %w", addr, err)
	}
	s := &Server{addr: ln.Addr(), ready: ready, log: log, done: make(chan struct{})}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(g, promhttp.HandlerOpts{ErrorLog: zap.NewStdLog(log)}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", s.readyz)
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server", zap.Error(err))
		}
	}()
	go func() {
		select {
		case <-ctx.Done():
			s.Close()
		case <-s.done:
		}
	}()
	log.Info("serving metrics", zap.String("addr", s.addr.String()),
		zap.Strings("paths", []string{"/metrics", "/healthz", "/readyz"}))
	return s, nil
}

// Addr is the address served (the port chosen for ":0").
func (s *Server) Addr() string { return s.addr.String() }

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), ReadyTimeout)
	defer cancel()
	err := ErrStarting
	if s.ready != nil {
		err = s.ready(ctx)
	}
	if err != nil {
		http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ready")
}

// Close stops serving.
func (s *Server) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = s.srv.Shutdown(ctx)
}
