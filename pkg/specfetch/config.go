package specfetch

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// Defaults of Config.
const (
	DefaultArchiveURL     = "https://www.3gpp.org/ftp/Specs/archive"
	DefaultMaxSize        = 1 << 30
	DefaultConcurrency    = 4
	DefaultAttempts       = 4
	DefaultBackoff        = time.Second
	DefaultBreakerErrors  = 5
	DefaultBreakerTimeout = 30 * time.Second
	DefaultTimeout        = 30 * time.Second
)

// listingMaxSize caps a directory listing page; the largest 3GPP listings are
// a few hundred kilobytes.
const listingMaxSize = 16 << 20

// Config configures a Fetcher. The zero value fetches from the 3GPP archive.
type Config struct {
	// ArchiveURL is the root of the spec archive, laid out as 3GPP lays it out:
	// <ArchiveURL>/38_series/38.331/38331-i40.zip. Point it at a mirror to fetch
	// from there; its host is allowed. Default DefaultArchiveURL.
	ArchiveURL string
	// AllowHosts are the hosts requests and redirects may reach; an entry allows
	// the host and its subdomains. Default "3gpp.org"; ArchiveURL's host is
	// always added.
	AllowHosts []string
	// MaxSize is the largest spec zip accepted, in bytes: a larger
	// Content-Length is refused before reading, and a body that runs past it is
	// cut off and refused. Default 1 GiB.
	MaxSize int64
	// Concurrency bounds the downloads (and series listing reads) in flight
	// across all calls of a Fetcher. Default 4.
	Concurrency int
	// Attempts is how many times one request is tried before its error is
	// returned (1 means no retry). Default 4.
	Attempts int
	// Backoff is the wait before the first retry; it doubles per retry, with
	// jitter of a quarter either way. Default 1s.
	Backoff time.Duration
	// BreakerErrors is how many host failures (5xx, timeouts, resets, truncated
	// bodies), each within BreakerTimeout of the one before, open the host's
	// circuit breaker; while open, requests to the host fail fast with
	// ErrBreakerOpen. Client errors (404, a refused redirect) do not count.
	// Default 5.
	BreakerErrors int
	// BreakerTimeout is how long a breaker stays open before letting a trial
	// request through (its success closes the breaker, its failure reopens
	// it), and how long without failures forgets earlier ones. Default 30s.
	BreakerTimeout time.Duration
	// Timeout bounds one request's wait for response headers and any stall
	// while reading its body (no bytes for this long), not the whole download,
	// so large specs on slow links still complete. Default 30s.
	Timeout time.Duration
	// TempDir is where downloads are spooled before validation. Default
	// os.TempDir().
	TempDir string
	// Client sends the requests. Its CheckRedirect is replaced by the
	// allow-list check (on a copy; the caller's client is left alone); its
	// Timeout, if any, still applies. Default: a client over a clone of
	// http.DefaultTransport.
	Client *http.Client
	// Progress, if set, is called as bytes of a spec arrive, with the bytes so
	// far and the expected total (-1 when the server does not say). Called
	// from the download goroutines, possibly concurrently.
	Progress func(s Spec, done, total int64)
}

func (c *Config) setDefaults() {
	if c.ArchiveURL == "" {
		c.ArchiveURL = DefaultArchiveURL
	}
	c.ArchiveURL = strings.TrimRight(c.ArchiveURL, "/")
	if len(c.AllowHosts) == 0 {
		c.AllowHosts = []string{"3gpp.org"}
	}
	hosts := make([]string, 0, len(c.AllowHosts)+1)
	for _, h := range c.AllowHosts {
		if h = strings.Trim(strings.ToLower(strings.TrimSpace(h)), "."); h != "" {
			hosts = append(hosts, h)
		}
	}
	if u, err := url.Parse(c.ArchiveURL); err == nil && u.Hostname() != "" {
		hosts = append(hosts, strings.ToLower(u.Hostname()))
	}
	c.AllowHosts = hosts
	if c.MaxSize == 0 {
		c.MaxSize = DefaultMaxSize
	}
	if c.Concurrency == 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.Attempts == 0 {
		c.Attempts = DefaultAttempts
	}
	if c.Backoff == 0 {
		c.Backoff = DefaultBackoff
	}
	if c.BreakerErrors == 0 {
		c.BreakerErrors = DefaultBreakerErrors
	}
	if c.BreakerTimeout == 0 {
		c.BreakerTimeout = DefaultBreakerTimeout
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.TempDir == "" {
		c.TempDir = os.TempDir()
	}
}

// Validate reports every invalid field at once.
func (c *Config) Validate() error {
	var errs []error
	if u, err := url.Parse(c.ArchiveURL); err != nil {
		errs = append(errs, fmt.Errorf("archive url %q: %w", c.ArchiveURL, err))
	} else if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("archive url %q: want an http or https URL with a host", c.ArchiveURL))
	}
	if c.MaxSize < 0 {
		errs = append(errs, fmt.Errorf("max size %d: must be positive", c.MaxSize))
	}
	if c.Concurrency < 0 {
		errs = append(errs, fmt.Errorf("concurrency %d: must be positive", c.Concurrency))
	}
	if c.Attempts < 0 {
		errs = append(errs, fmt.Errorf("attempts %d: must be positive", c.Attempts))
	}
	if c.Backoff < 0 {
		errs = append(errs, fmt.Errorf("backoff %s: must be positive", c.Backoff))
	}
	if c.BreakerErrors < 0 {
		errs = append(errs, fmt.Errorf("breaker errors %d: must be positive", c.BreakerErrors))
	}
	if c.BreakerTimeout < 0 {
		errs = append(errs, fmt.Errorf("breaker timeout %s: must be positive", c.BreakerTimeout))
	}
	if c.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout %s: must be positive", c.Timeout))
	}
	if len(errs) > 0 {
		return fmt.Errorf("specfetch config: %w", errors.Join(errs...))
	}
	return nil
}
