package specfetch

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/ranstream/ranstream/pkg/fault"
)

var rel18 = Request{Spec: "38.331", Release: 18}

const i40 = "38331-i40.zip"

// resetConn drops the connection under a response with a TCP reset.
func resetConn(t *testing.T, w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		t.Error(err)
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
}

// wait blocks a handler for d, or until the client gives up.
func wait(r *http.Request, d time.Duration) {
	select {
	case <-time.After(d):
	case <-r.Context().Done():
	}
}

func mustFetchOne(t *testing.T, f *Fetcher, d *deliveries) {
	t.Helper()
	res, err := f.Fetch(context.Background(), rel18, d.deliver)
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if len(res.Fetched) != 1 || res.Fetched[0].File != i40 {
		t.Fatalf("fetched %+v, want %s", res.Fetched, i40)
	}
	d.mustDeliverExactly(t, i40)
}

func TestFetch_retriesAfter503(t *testing.T) {
	a := newFakeArchive(t)
	a.fault(i40, func(w http.ResponseWriter, r *http.Request, hit int) bool {
		if hit == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return true
		}
		return false
	})
	var d deliveries
	mustFetchOne(t, newTestFetcher(t, testConfig(t, a), nil), &d)
	if n := a.hitCount(i40); n != 2 {
		t.Errorf("%d requests for the zip, want 2 (503, then 200)", n)
	}
}

func TestFetch_connectionReset(t *testing.T) {
	t.Run("reset twice then served", func(t *testing.T) {
		a := newFakeArchive(t)
		a.fault(i40, func(w http.ResponseWriter, r *http.Request, hit int) bool {
			if hit <= 2 {
				resetConn(t, w)
				return true
			}
			return false
		})
		var d deliveries
		mustFetchOne(t, newTestFetcher(t, testConfig(t, a), nil), &d)
		if n := a.hitCount(i40); n != 3 {
			t.Errorf("%d requests for the zip, want 3", n)
		}
	})
	t.Run("reset every time is transient", func(t *testing.T) {
		a := newFakeArchive(t)
		a.fault(i40, func(w http.ResponseWriter, r *http.Request, hit int) bool {
			resetConn(t, w)
			return true
		})
		var d deliveries
		res, err := newTestFetcher(t, testConfig(t, a), nil).Fetch(context.Background(), rel18, d.deliver)
		if err == nil || fault.IsPermanent(err) || len(res.Failed) != 1 {
			t.Fatalf("Fetch = %+v, %v; want one transient failure", res, err)
		}
		if len(d.names()) != 0 {
			t.Errorf("delivered %v from a server that never answered", d.names())
		}
	})
}

func TestFetch_slowResponseTimesOut(t *testing.T) {
	t.Run("slow headers, then stalled body, then served", func(t *testing.T) {
		a := newFakeArchive(t)
		a.fault(i40, func(w http.ResponseWriter, r *http.Request, hit int) bool {
			switch hit {
			case 1: // no headers in time
				wait(r, 5*time.Second)
				return true
			case 2: // headers and half the body, then nothing
				body := specZip(t, i40)
				w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				w.Write(body[:len(body)/2])
				w.(http.Flusher).Flush()
				wait(r, 5*time.Second)
				return true
			}
			return false
		})
		cfg := testConfig(t, a)
		cfg.Timeout = 150 * time.Millisecond
		var d deliveries
		start := time.Now()
		mustFetchOne(t, newTestFetcher(t, cfg, nil), &d)
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("took %s: the per-request timeout did not cut the slow attempts short", took)
		}
		if n := a.hitCount(i40); n != 3 {
			t.Errorf("%d requests for the zip, want 3 (slow headers, stalled body, served)", n)
		}
	})
	t.Run("slow but steady body is not cut off", func(t *testing.T) {
		a := newFakeArchive(t)
		a.fault(i40, func(w http.ResponseWriter, r *http.Request, hit int) bool {
			body := specZip(t, i40)
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			const pieces = 8 // 8 x 50ms: longer than the timeout, no gap near it
			for i := 0; i < pieces; i++ {
				w.Write(body[i*len(body)/pieces : (i+1)*len(body)/pieces])
				w.(http.Flusher).Flush()
				wait(r, 50*time.Millisecond)
			}
			return true
		})
		cfg := testConfig(t, a)
		cfg.Timeout = 250 * time.Millisecond
		var d deliveries
		mustFetchOne(t, newTestFetcher(t, cfg, nil), &d)
		if n := a.hitCount(i40); n != 1 {
			t.Errorf("%d requests for the zip, want 1: a download that keeps making progress is not stalled", n)
		}
	})
}

func TestFetch_truncatedBodyRetried(t *testing.T) {
	a := newFakeArchive(t)
	a.fault(i40, func(w http.ResponseWriter, r *http.Request, hit int) bool {
		if hit == 1 {
			body := specZip(t, i40)
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.Write(body[:len(body)-40])
			return true
		}
		return false
	})
	var d deliveries
	mustFetchOne(t, newTestFetcher(t, testConfig(t, a), nil), &d)
	if n := a.hitCount(i40); n != 2 {
		t.Errorf("%d requests for the zip, want 2 (truncated, then whole)", n)
	}
}

func TestFetch_redirectOffAllowListRefused(t *testing.T) {
	var offsiteHits int
	var mu sync.Mutex
	offsite := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		offsiteHits++
		mu.Unlock()
		w.Write(specZip(t, i40))
	}))
	t.Cleanup(offsite.Close)
	_, port, _ := net.SplitHostPort(offsite.Listener.Addr().String())

	t.Run("off the list", func(t *testing.T) {
		a := newFakeArchive(t)
		a.fault(i40, func(w http.ResponseWriter, r *http.Request, hit int) bool {
			http.Redirect(w, r, "http://localhost:"+port+"/"+i40, http.StatusFound)
			return true
		})
		var d deliveries
		res, err := newTestFetcher(t, testConfig(t, a), nil).Fetch(context.Background(), rel18, d.deliver)
		if !errors.Is(err, ErrHostNotAllowed) || !fault.IsPermanent(err) || !strings.Contains(err.Error(), "localhost") {
			t.Fatalf("Fetch = %+v, %v; want a permanent ErrHostNotAllowed naming localhost", res, err)
		}
		mu.Lock()
		defer mu.Unlock()
		if offsiteHits != 0 || a.hitCount(i40) != 1 || len(d.names()) != 0 {
			t.Errorf("offsite hits %d, archive hits %d, delivered %v; want 0, 1 (no retry), none",
				offsiteHits, a.hitCount(i40), d.names())
		}
	})
	t.Run("on the list", func(t *testing.T) {
		a := newFakeArchive(t)
		a.fault(i40, func(w http.ResponseWriter, r *http.Request, hit int) bool {
			if hit == 1 {
				http.Redirect(w, r, r.URL.Path+"?mirror=1", http.StatusFound)
				return true
			}
			return false
		})
		var d deliveries
		mustFetchOne(t, newTestFetcher(t, testConfig(t, a), nil), &d)
	})
}

func TestFetch_sizeCapRefused(t *testing.T) {
	big := strings.Repeat("x", 64<<10)
	cases := []struct {
		name  string
		serve faultFunc
	}{
		{"content-length over the cap", func(w http.ResponseWriter, r *http.Request, hit int) bool {
			w.Header().Set("Content-Length", strconv.Itoa(len(big)))
			w.Write([]byte(big))
			return true
		}},
		{"no content-length, body runs past the cap", func(w http.ResponseWriter, r *http.Request, hit int) bool {
			for i := 0; i < 16; i++ {
				io.WriteString(w, big[:4096])
				w.(http.Flusher).Flush()
			}
			return true
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newFakeArchive(t)
			a.fault(i40, tc.serve)
			cfg := testConfig(t, a)
			cfg.MaxSize = 8 << 10
			var d deliveries
			res, err := newTestFetcher(t, cfg, nil).Fetch(context.Background(), rel18, d.deliver)
			if !errors.Is(err, ErrTooLarge) || !fault.IsPermanent(err) {
				t.Fatalf("Fetch = %+v, %v; want a permanent ErrTooLarge", res, err)
			}
			if n := a.hitCount(i40); n != 1 || len(d.names()) != 0 {
				t.Errorf("%d requests, delivered %v; want 1 request (no retry) and nothing delivered", n, d.names())
			}
		})
	}
}

func TestFetch_notAZipRefused(t *testing.T) {
	t.Run("never a zip", func(t *testing.T) {
		a := newFakeArchive(t)
		a.fault(i40, func(w http.ResponseWriter, r *http.Request, hit int) bool {
			io.WriteString(w, "<html><body>Please log in to download</body></html>")
			return true
		})
		var d deliveries
		res, err := newTestFetcher(t, testConfig(t, a), nil).Fetch(context.Background(), rel18, d.deliver)
		if !errors.Is(err, ErrNotZip) || !fault.IsPermanent(err) {
			t.Fatalf("Fetch = %+v, %v; want a permanent ErrNotZip", res, err)
		}
		if n := a.hitCount(i40); n != 2 || len(d.names()) != 0 {
			t.Errorf("%d requests, delivered %v; want 2 (retried once) and nothing delivered", n, d.names())
		}
	})
	t.Run("corrupt once, then whole", func(t *testing.T) {
		a := newFakeArchive(t)
		a.fault(i40, func(w http.ResponseWriter, r *http.Request, hit int) bool {
			if hit > 1 {
				return false
			}
			body := specZip(t, i40)
			// A byte of the compressed member, past its 30-byte local header
			// and name: inflating fails or the CRC does not match.
			body[30+len("38331-i40.docx")+8] ^= 0xff
			w.Write(body)
			return true
		})
		var d deliveries
		mustFetchOne(t, newTestFetcher(t, testConfig(t, a), nil), &d)
		if n := a.hitCount(i40); n != 2 {
			t.Errorf("%d requests, want 2", n)
		}
	})
}

func TestFetch_dedupSkipsFetchedVersion(t *testing.T) {
	t.Run("fetched once, then skipped", func(t *testing.T) {
		a := newFakeArchive(t)
		seen := &MemorySeen{}
		f := newTestFetcher(t, testConfig(t, a), seen)
		var d deliveries
		mustFetchOne(t, f, &d)
		calls := 0
		res, err := f.Fetch(context.Background(), Request{Spec: "38331", Version: "i40"},
			func(context.Context, Spec, io.Reader, int64) error { calls++; return nil })
		if err != nil || len(res.Skipped) != 1 || res.Skipped[0].File != i40 || len(res.Fetched) != 0 {
			t.Fatalf("second Fetch = %+v, %v; want %s skipped", res, err, i40)
		}
		if calls != 0 || a.hitCount(i40) != 1 {
			t.Errorf("deliver called %d times, %d downloads; want 0 and 1", calls, a.hitCount(i40))
		}
		if ok, _ := seen.Seen(context.Background(), "3gpp/38331-i40"); !ok {
			t.Error("the store was not marked under 3gpp/38331-i40")
		}
	})
	t.Run("failed delivery is not marked", func(t *testing.T) {
		a := newFakeArchive(t)
		f := newTestFetcher(t, testConfig(t, a), &MemorySeen{})
		_, err := f.Fetch(context.Background(), rel18, func(context.Context, Spec, io.Reader, int64) error {
			return errors.New("blob store down")
		})
		if err == nil || fault.IsPermanent(err) {
			t.Fatalf("Fetch with failing deliver = %v, want a transient error", err)
		}
		var d deliveries
		mustFetchOne(t, f, &d)
	})
	t.Run("concurrent requests download once", func(t *testing.T) {
		a := newFakeArchive(t)
		f := newTestFetcher(t, testConfig(t, a), &MemorySeen{})
		var d deliveries
		results := make([]Result, 4)
		var wg sync.WaitGroup
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := f.Fetch(context.Background(), rel18, d.deliver)
				if err != nil {
					t.Error(err)
				}
				results[i] = res
			}()
		}
		wg.Wait()
		fetched := 0
		for _, r := range results {
			fetched += len(r.Fetched)
		}
		if fetched != 1 || a.hitCount(i40) != 1 {
			t.Errorf("%d fetched, %d downloads; want 1 and 1", fetched, a.hitCount(i40))
		}
	})
}

func TestFetch_breakerOpensAfterRepeatedFailures(t *testing.T) {
	a := newFakeArchive(t)
	a.fault(i40, func(w http.ResponseWriter, r *http.Request, hit int) bool {
		http.Error(w, "backend down", http.StatusBadGateway)
		return true
	})
	cfg := testConfig(t, a)
	cfg.Attempts = 6
	cfg.BreakerErrors = 3
	core, logs := observer.New(zapcore.InfoLevel)
	f, err := New(cfg, nil, zap.New(core))
	if err != nil {
		t.Fatal(err)
	}
	var d deliveries
	_, err = f.Fetch(context.Background(), rel18, d.deliver)
	if !errors.Is(err, ErrBreakerOpen) || fault.IsPermanent(err) {
		t.Fatalf("Fetch = %v, want a transient ErrBreakerOpen", err)
	}
	// The open breaker says what opened it, not only that it is open.
	if !strings.Contains(err.Error(), "502") && !strings.Contains(err.Error(), "Bad Gateway") {
		t.Errorf("Fetch = %v, want the root cause (the 502) in the error", err)
	}
	if n := a.hitCount(i40); n != 3 {
		t.Errorf("%d requests reached the host, want 3: the breaker should stop the rest", n)
	}
	opened := logs.FilterMessage("circuit breaker state changed").FilterField(zap.String("to", "open"))
	if opened.Len() != 1 {
		t.Errorf("logged %d breaker openings at Info, want 1: %v", opened.Len(), logs.All())
	}

	// While open, the next request fails fast without reaching the host.
	listings := a.hitCount("38.331")
	_, err = f.Fetch(context.Background(), rel18, d.deliver)
	if !errors.Is(err, ErrBreakerOpen) || fault.IsPermanent(err) {
		t.Fatalf("Fetch while open = %v, want a transient ErrBreakerOpen", err)
	}
	if a.hitCount("38.331") != listings || a.hitCount(i40) != 3 {
		t.Errorf("requests reached the host while its breaker was open")
	}
}

func TestFetch_errorIsPermanentOnlyWhenEveryFailureIs(t *testing.T) {
	series := Request{Series: "38", Release: 18}
	notFound := func(w http.ResponseWriter, r *http.Request, hit int) bool { http.NotFound(w, r); return true }
	unavailable := func(w http.ResponseWriter, r *http.Request, hit int) bool {
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return true
	}
	cases := []struct {
		name      string
		faults    map[string]faultFunc
		permanent bool
	}{
		{"one missing, one unavailable", map[string]faultFunc{"38300-i10.zip": notFound, "38101-1-i50.zip": unavailable}, false},
		{"both missing", map[string]faultFunc{"38300-i10.zip": notFound, "38101-1-i50.zip": notFound}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newFakeArchive(t)
			for name, f := range tc.faults {
				a.fault(name, f)
			}
			var d deliveries
			res, err := newTestFetcher(t, testConfig(t, a), nil).Fetch(context.Background(), series, d.deliver)
			if err == nil || fault.IsPermanent(err) != tc.permanent {
				t.Fatalf("Fetch = %v, want permanent=%v", err, tc.permanent)
			}
			if len(res.Failed) != 2 || len(res.Fetched) != 1 || res.Fetched[0].File != i40 {
				t.Fatalf("result %+v: want 38.331 fetched despite the two failures", res)
			}
			var missing int
			for _, fl := range res.Failed {
				if errors.Is(fl.Err, ErrNoSuchVersion) {
					missing++
				}
			}
			if missing != len(tc.faults)-map[bool]int{false: 1, true: 0}[tc.permanent] {
				t.Errorf("failures %+v: 404s not reported as ErrNoSuchVersion", res.Failed)
			}
		})
	}
}

func TestFetch_boundsConcurrencyAndReportsProgress(t *testing.T) {
	a := newFakeArchive(t)
	var mu sync.Mutex
	inFlight, peak := 0, 0
	slow := func(w http.ResponseWriter, r *http.Request, hit int) bool {
		mu.Lock()
		inFlight++
		peak = max(peak, inFlight)
		mu.Unlock()
		wait(r, 30*time.Millisecond) // long enough for unbounded downloads to overlap
		mu.Lock()
		inFlight--
		mu.Unlock()
		return false
	}
	for _, name := range []string{"38101-1-i50.zip", "38300-i10.zip", i40} {
		a.fault(name, slow)
	}
	cfg := testConfig(t, a)
	cfg.Concurrency = 2
	var pmu sync.Mutex
	progress := make(map[string][2]int64)
	cfg.Progress = func(s Spec, done, total int64) {
		pmu.Lock()
		defer pmu.Unlock()
		progress[s.File] = [2]int64{done, total}
	}
	var d deliveries
	res, err := newTestFetcher(t, cfg, nil).Fetch(context.Background(), Request{Series: "38", Release: 18}, d.deliver)
	if err != nil || len(res.Fetched) != 3 {
		t.Fatalf("Fetch = %+v, %v; want 3 fetched", res, err)
	}
	if peak > 2 {
		t.Errorf("%d downloads at once, want at most 2", peak)
	}
	for _, s := range res.Fetched {
		want := int64(len(specZip(t, s.File)))
		if got := progress[s.File]; got != [2]int64{want, want} {
			t.Errorf("last progress for %s = %v, want [%d %d]", s.File, got, want, want)
		}
	}
}

func TestFetch_clientTimeoutIsRetried(t *testing.T) {
	a := newFakeArchive(t)
	a.fault(i40, func(w http.ResponseWriter, r *http.Request, hit int) bool {
		if hit == 1 {
			wait(r, 5*time.Second)
			return true
		}
		return false
	})
	cfg := testConfig(t, a)
	cfg.Client = &http.Client{Timeout: 200 * time.Millisecond}
	var d deliveries
	mustFetchOne(t, newTestFetcher(t, cfg, nil), &d)
	if n := a.hitCount(i40); n != 2 {
		t.Errorf("%d requests, want 2: a timeout of the caller's client is retried like any other", n)
	}
}
