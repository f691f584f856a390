package pipeline_test

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/ranstream/ranstream/pkg/names"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// sample returns the value of one series in a Prometheus text exposition, or -1.
func sample(text, series string) float64 {
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(text)
	if m == nil {
		return -1
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}

// With --metrics a run serves its stages' counters, latencies, consumer
// backlogs, sizing and quality in the Prometheus text format, and says it is
// alive and ready.
func TestPipeline_servesMetricsAndHealth(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := config(t)
	cfg.Metrics = "127.0.0.1:0"
	cfg.MetricsPoll = 100 * time.Millisecond
	p, tr := start(t, ctx, cfg, zaptest.NewLogger(t))
	base := "http://" + p.MetricsAddr()

	if code, _ := get(t, base+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz = %d", code)
	}
	if code, body := get(t, base+"/readyz"); code != http.StatusOK {
		t.Errorf("/readyz = %d %s", code, body)
	}
	ingestAll(t, ctx, p, tr, writeDocs(t, 2))
	if err := tr.Wait(ctx, nil); err != nil {
		t.Fatal(err)
	}
	_, text := get(t, base+"/metrics")
	for _, st := range []string{names.StageDetect, names.StageExtract, names.StageChunk, names.StageLLMExtract, names.StageQualityRoute} {
		if v := sample(text, `ranstream_messages_in_total{stage="`+st+`"}`); v < 2 {
			t.Errorf("messages in of %s = %v, want at least 2 (two documents)", st, v)
		}
		if v := sample(text, `ranstream_handler_duration_seconds_count{stage="`+st+`"}`); v < 2 {
			t.Errorf("handler latency count of %s = %v", st, v)
		}
		if v := sample(text, `ranstream_stage_workers{stage="`+st+`"}`); v < 1 {
			t.Errorf("workers of %s = %v", st, v)
		}
		if v := sample(text, `ranstream_messages_dead_lettered_total{stage="`+st+`"}`); v != 0 {
			t.Errorf("dead letters of %s = %v, want 0", st, v)
		}
	}
	if v := sample(text, `ranstream_messages_out_total{stage="chunk"}`); v < 4 {
		t.Errorf("chunks published = %v, want several per document", v)
	}
	if v := sample(text, `ranstream_quality_count{mode="basic"}`); v < 2 {
		t.Errorf("quality observations at basic = %v", v)
	}
	// The backlog is polled: once the documents are done, nothing is pending.
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, text = get(t, base+"/metrics")
		if sample(text, `ranstream_consumer_pending{stage="detect"}`) == 0 &&
			sample(text, `ranstream_consumer_ack_pending{stage="quality-route"}`) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("consumer backlog never reported:\n%s", text)
		}
		time.Sleep(100 * time.Millisecond)
	}

	// Once the broker is gone, /readyz says why.
	p.Bus().Close()
	if code, body := get(t, base+"/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz without NATS = %d %s, want 503", code, body)
	} else {
		t.Logf("/readyz without NATS: %s", body)
	}
}
