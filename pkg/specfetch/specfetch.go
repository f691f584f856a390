// Package specfetch downloads 3GPP specifications from the 3GPP archive (or a
// mirror of it) for the specs.download source of ingest: it resolves a request
// ("38.331 in Rel-18", "38.331 V18.4.0", "the 38 series in Rel-18") to files
// through the archive's directory listings, downloads them with bounded
// concurrency, retries with backoff and a circuit breaker per host, refuses
// hosts off an allow-list and files over a size cap, checks that each file is a
// readable zip, and skips versions already fetched. Each zip is then handed to
// the caller, which ingests it like any other document.
//
// The package is pure logic and HTTP: it knows nothing of NATS; the dedup
// store is the Seen interface.
package specfetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"go.uber.org/zap"
)

// Fetcher resolves and downloads specs. It is safe for concurrent use; its
// circuit breakers are shared by all its calls.
type Fetcher struct {
	cfg      Config
	seen     Seen
	log      *zap.Logger
	tr       *transport
	inflight keyLocks
	// slots bounds the downloads and series listing reads in flight across
	// all calls, so concurrent requests cannot hammer the archive.
	slots chan struct{}
}

// Result says what a Fetch did with each resolved spec.
type Result struct {
	// Fetched were downloaded, validated and delivered.
	Fetched []Spec
	// Skipped were fetched before (the Seen store knew them).
	Skipped []Spec
	// Failed could not be fetched or delivered.
	Failed []Failure
}

// DeliverFunc receives one downloaded spec zip: body holds its size bytes,
// already validated and spooled to disk (body also implements io.ReaderAt and
// io.Seeker, which archive/zip wants). It is called from several goroutines at
// once (up to Config.Concurrency). A version counts as fetched only when
// deliver returns nil; its error keeps its fault class.
type DeliverFunc func(ctx context.Context, s Spec, body io.Reader, size int64) error

// New returns a Fetcher. seen may be nil for a fresh in-memory store, log nil
// for no logs.
func New(cfg Config, seen Seen, log *zap.Logger) (*Fetcher, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if seen == nil {
		seen = &MemorySeen{}
	}
	if log == nil {
		log = zap.NewNop()
	}
	log = log.Named("specfetch")
	log.Info("spec fetcher configured", zap.String("archive", cfg.ArchiveURL),
		zap.Strings("allow_hosts", cfg.AllowHosts), zap.Int("concurrency", cfg.Concurrency),
		zap.Int64("max_size", cfg.MaxSize), zap.Int("attempts", cfg.Attempts),
		zap.Int("breaker_errors", cfg.BreakerErrors), zap.Duration("timeout", cfg.Timeout))
	return &Fetcher{cfg: cfg, seen: seen, log: log, tr: newTransport(cfg, log),
		slots: make(chan struct{}, cfg.Concurrency)}, nil
}

// Resolve turns a request into the spec files it asks for, by reading the
// archive's listings: for a spec, the exact version asked, else the latest
// version of the release asked, else the latest version; for a series, every
// spec directory of <archive>/<series>_series/ with its latest version in the
// release (specs without one are left out), sorted by number. An invalid
// request, an unknown spec or series and a missing version are permanent
// errors; trouble reaching the archive is transient.
func (f *Fetcher) Resolve(ctx context.Context, req Request) ([]Spec, error) {
	r, err := req.normalize()
	if err != nil {
		return nil, err
	}
	if r.Spec != "" {
		s, err := f.resolveSpec(ctx, r.Spec, r.Release, r.Version)
		if err != nil {
			return nil, err
		}
		return []Spec{s}, nil
	}
	return f.resolveSeries(ctx, r.Series, r.Release)
}

// Fetch resolves req, then downloads and delivers each spec not fetched before,
// up to Config.Concurrency at a time (across all calls), and marks it fetched
// once delivered. One spec's failure does not stop the others. The error is
// nil when every spec was fetched or skipped; otherwise it lists the failures
// and is permanent only when all of them are, so a request with any transient
// failure is worth retrying (what was fetched is skipped then).
func (f *Fetcher) Fetch(ctx context.Context, req Request, deliver DeliverFunc) (Result, error) {
	if deliver == nil {
		return Result{}, errors.New("specfetch: Fetch needs a deliver function")
	}
	specs, err := f.Resolve(ctx, req)
	if err != nil {
		return Result{}, err
	}
	type outcome struct {
		ran, skipped bool
		err          error
	}
	outcomes := make([]outcome, len(specs))
	forEach(ctx, len(specs), f.slots, func(ctx context.Context, i int) {
		skipped, err := f.fetchOne(ctx, specs[i], deliver)
		outcomes[i] = outcome{true, skipped, err}
	})
	var res Result
	for i, o := range outcomes {
		if !o.ran { // ctx ended before its turn
			o.err = fmt.Errorf("%s: not started: %w", specs[i].File, ctx.Err())
		}
		switch {
		case o.err != nil:
			res.Failed = append(res.Failed, Failure{Spec: specs[i], Err: o.err})
		case o.skipped:
			res.Skipped = append(res.Skipped, specs[i])
		default:
			res.Fetched = append(res.Fetched, specs[i])
		}
	}
	if len(res.Failed) > 0 {
		return res, &fetchError{failures: res.Failed, total: len(specs)}
	}
	return res, nil
}

// fetchOne fetches one spec unless it was fetched before. Concurrent calls for
// the same version (from concurrent requests) run one after the other, so the
// second sees the first's mark.
func (f *Fetcher) fetchOne(ctx context.Context, s Spec, deliver DeliverFunc) (skipped bool, err error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	key := s.Key()
	unlock, err := f.inflight.lock(ctx, key)
	if err != nil {
		return false, err
	}
	defer unlock()
	seen, err := f.seen.Seen(ctx, key)
	if err != nil {
		return false, fmt.Errorf("dedup check %s: %w", key, err)
	}
	if seen {
		f.log.Debug("spec already fetched", zap.String("spec", s.File))
		return true, nil
	}
	file, size, err := f.download(ctx, s)
	if err != nil {
		return false, err
	}
	defer func() {
		file.Close()
		os.Remove(file.Name())
	}()
	if err := deliver(ctx, s, io.NewSectionReader(file, 0, size), size); err != nil {
		return false, fmt.Errorf("deliver %s: %w", s.File, err)
	}
	if err := f.seen.Mark(ctx, key); err != nil {
		// Delivered but not marked: a retry downloads and delivers it again,
		// which ingest's content addressing makes harmless.
		return false, fmt.Errorf("dedup mark %s: %w", key, err)
	}
	f.log.Debug("spec fetched", zap.String("spec", s.File), zap.Int64("bytes", size))
	return false, nil
}
