package specfetch

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ranstream/ranstream/pkg/fault"
)

// Errors a fetch can end with, compared with errors.Is. The permanent ones
// (a bad request, an unknown spec or version, a refused host, an oversized or
// corrupt file) are also fault.Permanent; the rest are transient.
var (
	// ErrBadRequest: the request names no valid spec, series, release or version.
	ErrBadRequest = errors.New("bad spec request")
	// ErrNoSuchSpec: the archive has no such spec or series directory.
	ErrNoSuchSpec = errors.New("no such spec")
	// ErrNoSuchVersion: the spec has no version matching the request.
	ErrNoSuchVersion = errors.New("no such spec version")
	// ErrHostNotAllowed: a URL or redirect leads to a host off the allow-list.
	ErrHostNotAllowed = errors.New("host not on the allow-list")
	// ErrTooLarge: the file is over Config.MaxSize.
	ErrTooLarge = errors.New("over the size cap")
	// ErrNotZip: the body is not a readable zip archive, twice in a row.
	ErrNotZip = errors.New("not a readable zip")
	// ErrTruncated: the body ended before its Content-Length (retried).
	ErrTruncated = errors.New("truncated body")
	// ErrStalled: no response or no body bytes within Config.Timeout (retried).
	ErrStalled = errors.New("request stalled")
	// ErrBreakerOpen: the host's circuit breaker is open after repeated
	// failures; the request was not sent. Transient: try again later.
	ErrBreakerOpen = errors.New("circuit breaker open")
)

// StatusError is an HTTP response status other than 200.
type StatusError struct {
	URL  string
	Code int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("GET %s: HTTP %d", e.URL, e.Code)
}

// hostFault marks an error that says the host is unwell (5xx, network errors,
// timeouts, truncated bodies): it counts against the host's breaker. Client
// errors (404, a refused redirect, a file too large) say nothing about the
// host's health and do not.
type hostFault struct{ err error }

func (h hostFault) Error() string { return h.err.Error() }
func (h hostFault) Unwrap() error { return h.err }

// Failure is one spec that a Fetch could not fetch.
type Failure struct {
	Spec Spec
	Err  error
}

// fetchError reports the failed specs of a Fetch. It is permanent only when
// every failure is: one transient failure makes the whole request worth
// retrying (the specs already fetched are skipped by dedup then).
type fetchError struct {
	failures []Failure
	total    int
}

func (e *fetchError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d specs failed", len(e.failures), e.total)
	for i, f := range e.failures {
		if i == 5 {
			fmt.Fprintf(&b, "; and %d more", len(e.failures)-i)
			break
		}
		fmt.Fprintf(&b, "; %s: %v", f.Spec.File, f.Err)
	}
	return b.String()
}

// Unwrap returns the transient failures if there are any, else all of them, so
// that fault.IsPermanent is true only when retrying cannot help any spec.
func (e *fetchError) Unwrap() []error {
	var transient, all []error
	for _, f := range e.failures {
		all = append(all, f.Err)
		if !fault.IsPermanent(f.Err) {
			transient = append(transient, f.Err)
		}
	}
	if len(transient) > 0 {
		return transient
	}
	return all
}
