package metrics_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap/zaptest"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/llm"
	"github.com/ranstream/ranstream/pkg/metrics"
)

// exercised returns the metric names of a registry on which every metric has
// a series.
func exercised(t *testing.T) (map[string]bool, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	m.Stages("detect")
	m.Received("detect", true)
	m.Handled("detect", time.Millisecond, 1, errors.New("x"))
	m.DeadLettered("detect")
	m.Consumer("detect", 1, 2, 3)
	m.Sized("detect", 2, 8)
	m.Scored(extraction.ModeBasic, 0.5)
	m.Hopped(extraction.ModeBasic, extraction.ModeCmedit)
	m.Accepted(extraction.ModeCmedit)
	m.LLMItems(3, 1)
	m.Called(time.Second, nil)
	m.Called(0, llm.ErrUnavailable)
	m.Breaker(true)
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range families {
		names[f.GetName()] = true
	}
	return names, reg
}

// Every metric the Grafana dashboard queries exists, with the ranstream_
// prefix: a renamed metric breaks this test, not the dashboard in silence.
func TestDashboard_queriesOnlyMetricsThatExist(t *testing.T) {
	names, _ := exercised(t)
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "deploy", "grafana", "ranstream.json"))
	if err != nil {
		t.Fatal(err)
	}
	used := regexp.MustCompile(`ranstream_[a-z_]+`).FindAllString(string(b), -1)
	if len(used) < 10 {
		t.Fatalf("dashboard queries %d metrics", len(used))
	}
	seen := map[string]bool{}
	for _, u := range used {
		base := u
		for _, suffix := range []string{"_bucket", "_count", "_sum"} {
			base = strings.TrimSuffix(base, suffix)
		}
		if !names[base] {
			t.Errorf("dashboard queries %s: no such metric", u)
		}
		seen[base] = true
	}
	for n := range names {
		if strings.HasPrefix(n, "ranstream_") && !seen[n] {
			t.Errorf("metric %s is on no dashboard panel", n)
		}
	}
}

func TestServer_servesMetricsHealthAndReadiness(t *testing.T) {
	_, reg := exercised(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var ready atomic.Bool
	srv, err := metrics.Serve(ctx, "127.0.0.1:0", reg, func(context.Context) error {
		if !ready.Load() {
			return errors.New("NATS connection CLOSED")
		}
		return nil
	}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + srv.Addr() + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/metrics"); code != 200 || !strings.Contains(body, `ranstream_messages_dead_lettered_total{stage="detect"} 1`) ||
		!strings.Contains(body, "# TYPE ranstream_handler_duration_seconds histogram") {
		t.Errorf("/metrics: %d\n%s", code, body)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("/healthz: %d", code)
	}
	if code, body := get("/readyz"); code != 503 || !strings.Contains(body, "NATS connection CLOSED") {
		t.Errorf("/readyz while not ready: %d %q", code, body)
	}
	ready.Store(true)
	if code, _ := get("/readyz"); code != 200 {
		t.Errorf("/readyz when ready: %d", code)
	}
	if _, err := metrics.Serve(ctx, srv.Addr(), reg, nil, zaptest.NewLogger(t)); err == nil {
		t.Error("a second server on a taken address started")
	}
}

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.work above the test")
		}
		dir = parent
	}
}
