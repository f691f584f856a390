package specfetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eapache/go-resiliency/breaker"
	"github.com/eapache/go-resiliency/retrier"
	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/fault"
)

// jitter spreads each backoff by up to a quarter either way, so that workers
// failing together do not retry together.
const jitter = 0.25

// maxRedirects bounds a redirect chain, as net/http does by default.
const maxRedirects = 10

// errStalled is the cause set on a request's context when its stall timer fires.
var errStalled = errors.New("stall timer fired")

// consumeFunc reads a 200 response's body. body enforces the stall timeout;
// read it instead of resp.Body.
type consumeFunc func(resp *http.Response, body io.Reader) error

// hostBreaker is one host's circuit breaker and the state last logged for it.
type hostBreaker struct {
	host string
	b    *breaker.Breaker
	last atomic.Uint32
	// cause is the last failure that counted against the host: what an open
	// breaker reports as its root cause (no such host, a stall, a 503).
	cause atomic.Pointer[string]
}

// openError is the error of a request the open breaker refused, with the
// failure that opened it.
func (hb *hostBreaker) openError(u *url.URL) error {
	if c := hb.cause.Load(); c != nil {
		return fmt.Errorf("GET %s: %w for host %s after repeated failures, the last: %s", u.Redacted(), ErrBreakerOpen, hb.host, *c)
	}
	return fmt.Errorf("GET %s: %w for host %s", u.Redacted(), ErrBreakerOpen, hb.host)
}

// transport sends GETs with the allow-list, the per-host breakers and the
// retrier. It is safe for concurrent use.
type transport struct {
	cfg     Config
	log     *zap.Logger
	client  *http.Client
	retrier *retrier.Retrier

	mu       sync.Mutex
	breakers map[string]*hostBreaker
}

func newTransport(cfg Config, log *zap.Logger) *transport {
	t := &transport{cfg: cfg, log: log, breakers: make(map[string]*hostBreaker)}
	if cfg.Client != nil {
		c := *cfg.Client
		t.client = &c
	} else {
		t.client = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	t.client.CheckRedirect = t.checkRedirect
	t.retrier = retrier.New(retrier.ExponentialBackoff(cfg.Attempts-1, cfg.Backoff), classifier{})
	t.retrier.SetJitter(jitter)
	return t
}

// classifier retries what may heal: everything but permanent errors, an open
// breaker (retrying into it only burns attempts; the message-level retry comes
// back later) and the caller's own cancellation.
type classifier struct{}

func (classifier) Classify(err error) retrier.Action {
	var hf hostFault
	switch {
	case err == nil:
		return retrier.Succeed
	case fault.IsPermanent(err), errors.Is(err, ErrBreakerOpen):
		return retrier.Fail
	case errors.As(err, &hf): // including a Client.Timeout, which wraps DeadlineExceeded
		return retrier.Retry
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return retrier.Fail
	}
	return retrier.Retry
}

// allowed reports whether u may be requested: http(s), and a host on the
// allow-list or a subdomain of one.
func (t *transport) allowed(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fault.Permanent(fmt.Errorf("%w: %s: scheme %q", ErrHostNotAllowed, u.Redacted(), u.Scheme))
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	for _, a := range t.cfg.AllowHosts {
		if host == a || strings.HasSuffix(host, "."+a) {
			return nil
		}
	}
	return fault.Permanent(fmt.Errorf("%w: %s (allowed: %s)", ErrHostNotAllowed, host, strings.Join(t.cfg.AllowHosts, ", ")))
}

func (t *transport) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fault.Permanentf("stopped after %d redirects", len(via))
	}
	if err := t.allowed(req.URL); err != nil {
		t.log.Info("redirect refused", zap.String("from", via[len(via)-1].URL.Redacted()),
			zap.String("to", req.URL.Redacted()))
		return fmt.Errorf("redirect refused: %w", err)
	}
	t.log.Debug("redirect", zap.String("to", req.URL.Redacted()))
	return nil
}

func (t *transport) breakerFor(host string) *hostBreaker {
	t.mu.Lock()
	defer t.mu.Unlock()
	hb, ok := t.breakers[host]
	if !ok {
		hb = &hostBreaker{host: host, b: breaker.New(t.cfg.BreakerErrors, 1, t.cfg.BreakerTimeout)}
		t.breakers[host] = hb
	}
	return hb
}

// noteState logs a breaker's state change since it was last looked at. The
// breaker moves from open to half-open on its own timer, so that change is
// seen (and logged) at the next request.
func (t *transport) noteState(hb *hostBreaker) {
	now := hb.b.GetState()
	if prev := breaker.State(hb.last.Swap(uint32(now))); prev != now {
		t.log.Info("circuit breaker state changed", zap.String("host", hb.host),
			zap.String("from", stateName(prev)), zap.String("to", stateName(now)),
			zap.Int("errors_to_open", t.cfg.BreakerErrors), zap.Duration("open_for", t.cfg.BreakerTimeout))
	}
}

func stateName(s breaker.State) string {
	switch s {
	case breaker.Closed:
		return "closed"
	case breaker.Open:
		return "open"
	case breaker.HalfOpen:
		return "half-open"
	}
	return "unknown"
}

// get fetches rawURL, retrying transient failures with backoff through the
// host's breaker, and hands a 200 response to consume, which is called once
// per attempt that gets that far.
func (t *transport) get(ctx context.Context, rawURL string, consume consumeFunc) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return fault.Permanent(fmt.Errorf("%w: url %q: %v", ErrBadRequest, rawURL, err))
	}
	if err := t.allowed(u); err != nil {
		return err
	}
	hb := t.breakerFor(u.Host)
	return t.retrier.RunFn(ctx, func(ctx context.Context, retries int) error {
		t.noteState(hb)
		var outcome error
		start := time.Now()
		berr := hb.b.Run(func() error {
			outcome = t.attempt(ctx, u, consume)
			var hf hostFault
			if errors.As(outcome, &hf) {
				msg := outcome.Error()
				hb.cause.Store(&msg)
				return outcome
			}
			return nil
		})
		t.noteState(hb)
		if errors.Is(berr, breaker.ErrBreakerOpen) {
			t.log.Debug("request not sent: breaker open", zap.String("url", u.Redacted()))
			return hb.openError(u)
		}
		t.log.Debug("request", zap.String("url", u.Redacted()), zap.Int("attempt", retries+1),
			zap.Duration("took", time.Since(start)), zap.Error(outcome))
		return outcome
	})
}

// attempt is one GET. A stall timer cancels it when headers, or the next body
// bytes, take longer than Config.Timeout.
func (t *transport) attempt(ctx context.Context, u *url.URL, consume consumeFunc) error {
	actx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stall := time.AfterFunc(t.cfg.Timeout, func() { cancel(errStalled) })
	defer stall.Stop()

	req, err := http.NewRequestWithContext(actx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fault.Permanent(fmt.Errorf("%w: %v", ErrBadRequest, err))
	}
	req.Header.Set("User-Agent", "ranstream-specfetch/1")
	resp, err := t.client.Do(req)
	if err != nil {
		return t.failure(ctx, actx, u, err)
	}
	defer resp.Body.Close()
	if err := statusError(u, resp.StatusCode); err != nil {
		return err
	}
	body := &stallReader{r: resp.Body, timer: stall, d: t.cfg.Timeout}
	if err := consume(resp, body); err != nil {
		return t.failure(ctx, actx, u, err)
	}
	return nil
}

// failure classifies an attempt's error: the caller's cancellation as is, a
// stall as ErrStalled, a permanent error as is, a truncated body as
// ErrTruncated; all but the first and the permanent ones count against the host.
func (t *transport) failure(ctx, actx context.Context, u *url.URL, err error) error {
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(context.Cause(actx), errStalled):
		return hostFault{fmt.Errorf("GET %s: %w: nothing for %s", u.Redacted(), ErrStalled, t.cfg.Timeout)}
	case fault.IsPermanent(err):
		return err
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, ErrTruncated):
		if !errors.Is(err, ErrTruncated) {
			err = fmt.Errorf("%w: %v", ErrTruncated, err)
		}
		return hostFault{fmt.Errorf("GET %s: %w", u.Redacted(), err)}
	}
	var hf hostFault
	if errors.As(err, &hf) {
		return err
	}
	var ue *url.Error
	var re readError
	if errors.As(err, &ue) || errors.As(err, &re) {
		return hostFault{err}
	}
	// Errors of consume's own making (a temp file that cannot be written, a zip
	// to retry) are transient but say nothing about the host.
	return fmt.Errorf("GET %s: %w", u.Redacted(), err)
}

// statusError classifies a non-200 status: 404 and 410 as not found, other 4xx
// (but 408 and 429) as permanent, 5xx, 408 and 429 as host faults.
func statusError(u *url.URL, code int) error {
	if code == http.StatusOK {
		return nil
	}
	se := &StatusError{URL: u.Redacted(), Code: code}
	switch {
	case code == http.StatusRequestTimeout, code == http.StatusTooManyRequests, code >= 500:
		return hostFault{se}
	default:
		return fault.Permanent(se)
	}
}

// stallReader re-arms the stall timer whenever bytes arrive, and marks read
// errors (a reset connection, a short body) as the network's, not consume's.
type stallReader struct {
	r     io.Reader
	timer *time.Timer
	d     time.Duration
}

func (s *stallReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if n > 0 {
		s.timer.Reset(s.d)
	}
	if err != nil && err != io.EOF {
		err = readError{err}
	}
	return n, err
}

// readError is an error reading a response body.
type readError struct{ err error }

func (r readError) Error() string { return "read body: " + r.err.Error() }
func (r readError) Unwrap() error { return r.err }
