package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/pipeline"
)

// fetch-spec --wait against a running pipeline reports the outcome of its own
// request: exit 0 with what was fetched, exit 1 with the reason when the
// request was dead-lettered.
func TestFetchSpec_waitReportsTheOutcome(t *testing.T) {
	spec := zipOf(t, map[string][]byte{"38901-i10.md": []byte("# 3GPP TS 38.901\n\n" + memberDoc)})
	mux := http.NewServeMux()
	mux.HandleFunc("/archive/38_series/38.901/", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".zip") {
			w.Header().Set("Content-Length", fmt.Sprint(len(spec)))
			w.Write(spec) //nolint:errcheck // test server
			return
		}
		fmt.Fprint(w, `<html><body><pre>`+
			` 6/20/2024  9:00 AM        `+fmt.Sprint(len(spec))+` <A HREF="/archive/38_series/38.901/38901-i10.zip">38901-i10.zip</A><br>`+
			`</pre></body></html>`)
	})
	mux.HandleFunc("/", http.NotFound)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	cfg := testConfig(t, t.TempDir())
	cfg.NATS.Listen = "127.0.0.1:0"
	cfg.Stages = []string{names.StageIngest}
	cfg.Specs.ArchiveURL = srv.URL + "/archive"
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p, err := pipeline.Start(ctx, cfg, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	url := p.Bus().ClientURL()

	code, stdout, stderr := cli(t, "fetch-spec", "--nats", url, "38.901", "--release", "18", "--wait", "--timeout", "60s")
	if code != 0 || !strings.Contains(stdout, "fetched 38901-i10.zip") || !strings.Contains(stdout, "done: 3gpp:38.901@18") {
		t.Errorf("fetch-spec 38.901: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	code, stdout, stderr = cli(t, "fetch-spec", "--nats", url, "38.999", "--release", "18", "--wait", "--timeout", "60s")
	if code != 1 || !strings.Contains(stderr, "38.999") {
		t.Errorf("fetch-spec of a spec the archive lacks: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
}
