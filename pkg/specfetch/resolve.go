package specfetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"go.uber.org/zap"

	"github.com/ranstream/ranstream/pkg/fault"
)

// seriesURL is the listing of a series: <archive>/38_series/.
func (f *Fetcher) seriesURL(series string) string {
	return f.cfg.ArchiveURL + "/" + series + "_series/"
}

// specURL is the listing of a spec: <archive>/38_series/38.331/.
func (f *Fetcher) specURL(number string) string {
	return f.seriesURL(number[:2]) + url.PathEscape(number) + "/"
}

// listing reads and parses one directory listing; a 404 is notFound.
func (f *Fetcher) listing(ctx context.Context, dirURL string, notFoundErr error, name string) ([]entry, error) {
	dir, err := url.Parse(dirURL)
	if err != nil {
		return nil, fault.Permanent(fmt.Errorf("%w: listing url %q: %v", ErrBadRequest, dirURL, err))
	}
	var entries []entry
	err = f.tr.get(ctx, dirURL, func(resp *http.Response, body io.Reader) error {
		page, err := io.ReadAll(io.LimitReader(body, listingMaxSize+1))
		if err != nil {
			return fmt.Errorf("listing %s: %w", dirURL, err)
		}
		if len(page) > listingMaxSize {
			return fault.Permanent(fmt.Errorf("listing %s: %w: over %d bytes", dirURL, ErrTooLarge, listingMaxSize))
		}
		if resp.ContentLength >= 0 && int64(len(page)) != resp.ContentLength {
			return fmt.Errorf("listing %s: %w: %d of %d bytes", dirURL, ErrTruncated, len(page), resp.ContentLength)
		}
		entries = parseListing(page, dir)
		return nil
	})
	if err != nil {
		return nil, notFound(err, notFoundErr, name)
	}
	return entries, nil
}

// resolveSpec picks one file of a spec's directory: version if given, else
// the latest of release if given, else the latest.
func (f *Fetcher) resolveSpec(ctx context.Context, number string, release int, version string) (Spec, error) {
	dirURL := f.specURL(number)
	entries, err := f.listing(ctx, dirURL, ErrNoSuchSpec, "TS "+number)
	if err != nil {
		return Spec{}, err
	}
	var (
		best, latest       Spec
		bestV, latestV     [3]int
		found, foundLatest bool
	)
	for _, e := range entries {
		if e.Dir {
			continue
		}
		s, v, ok := specFile(e.Name)
		if !ok || s.Number != number {
			continue
		}
		s.URL, s.Size = dirURL+url.PathEscape(e.Name), e.Size
		if !foundLatest || newer(v, latestV) {
			latest, latestV, foundLatest = s, v, true
		}
		switch {
		case version != "":
			if s.Version != version {
				continue
			}
		case release != 0:
			if s.Release != release {
				continue
			}
		}
		if !found || newer(v, bestV) {
			best, bestV, found = s, v, true
		}
	}
	if found {
		f.log.Debug("resolved", zap.String("spec", number), zap.Int("release", release),
			zap.String("version", version), zap.String("file", best.File))
		return best, nil
	}
	want := "version"
	switch {
	case version != "":
		want = "version " + version
	case release != 0:
		want = fmt.Sprintf("version in release %d", release)
	}
	if !foundLatest {
		return Spec{}, fault.Permanent(fmt.Errorf("%w: TS %s has no files in %s", ErrNoSuchVersion, number, dirURL))
	}
	return Spec{}, fault.Permanent(fmt.Errorf("%w: TS %s has no %s (latest is %s, release %d)",
		ErrNoSuchVersion, number, want, latest.Version, latest.Release))
}

// resolveSeries lists a series and resolves each spec in it for release.
func (f *Fetcher) resolveSeries(ctx context.Context, series string, release int) ([]Spec, error) {
	entries, err := f.listing(ctx, f.seriesURL(series), ErrNoSuchSpec, "series "+series)
	if err != nil {
		return nil, err
	}
	var numbers []string
	dup := make(map[string]bool)
	for _, e := range entries {
		n, ok := NormalizeNumber(e.Name)
		if !ok || n != strings.ToLower(e.Name) || !strings.HasPrefix(n, series+".") || dup[n] {
			continue
		}
		dup[n] = true
		numbers = append(numbers, n)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		mu    sync.Mutex
		specs []Spec
	)
	forEach(ctx, len(numbers), f.slots, func(ctx context.Context, i int) {
		s, err := f.resolveSpec(ctx, numbers[i], release, "")
		switch {
		case err == nil:
			mu.Lock()
			specs = append(specs, s)
			mu.Unlock()
		case errors.Is(err, ErrNoSuchVersion), errors.Is(err, ErrNoSuchSpec):
			f.log.Debug("series member skipped", zap.String("spec", numbers[i]), zap.Error(err))
		default:
			cancel(fmt.Errorf("resolve series %s: TS %s: %w", series, numbers[i], err))
		}
	})
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	if len(specs) == 0 {
		return nil, fault.Permanent(fmt.Errorf("%w: series %s has no spec with a version in release %d (%d specs listed)",
			ErrNoSuchVersion, series, release, len(numbers)))
	}
	sort.Slice(specs, func(i, j int) bool { return specs[i].Number < specs[j].Number })
	return specs, nil
}
