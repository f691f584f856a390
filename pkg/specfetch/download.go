package specfetch

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/ranstream/ranstream/pkg/fault"
)

// zipCheckFactor bounds how many decompressed bytes validation reads, as a
// multiple of MaxSize: enough for any real spec, short of a zip bomb. Entries
// past the budget are checked for structure only.
const zipCheckFactor = 4

// download fetches s into a temp file whose bytes are a verified zip, and
// returns it positioned at the start with its size. The caller closes and
// removes the file.
func (f *Fetcher) download(ctx context.Context, s Spec) (*os.File, int64, error) {
	var (
		file        *os.File
		size        int64
		zipFailures int
	)
	err := f.tr.get(ctx, s.URL, func(resp *http.Response, body io.Reader) error {
		max := f.cfg.MaxSize
		if resp.ContentLength > max {
			return fault.Permanent(fmt.Errorf("%s: %w: Content-Length %d bytes, cap %d", s.File, ErrTooLarge, resp.ContentLength, max))
		}
		tmp, err := os.CreateTemp(f.cfg.TempDir, "specfetch-*-"+s.File)
		if err != nil {
			return fmt.Errorf("spool %s: %w", s.File, err)
		}
		keep := false
		defer func() {
			if !keep {
				tmp.Close()
				os.Remove(tmp.Name())
			}
		}()
		src := io.LimitReader(body, max+1)
		if f.cfg.Progress != nil {
			total := resp.ContentLength
			if total < 0 {
				total = s.Size
			}
			src = &progressReader{r: src, spec: s, total: total, report: f.cfg.Progress}
		}
		n, err := io.Copy(tmp, src)
		switch {
		case err != nil:
			return fmt.Errorf("%s after %d bytes: %w", s.File, n, err)
		case n > max:
			return fault.Permanent(fmt.Errorf("%s: %w: body ran past %d bytes", s.File, ErrTooLarge, max))
		case resp.ContentLength >= 0 && n != resp.ContentLength:
			return fmt.Errorf("%s: %w: %d of %d bytes", s.File, ErrTruncated, n, resp.ContentLength)
		}
		if err := validateZip(tmp, n, zipCheckFactor*max); err != nil {
			zipFailures++
			if zipFailures >= 2 {
				return fault.Permanent(fmt.Errorf("%s: %w (twice): %v", s.File, ErrNotZip, err))
			}
			f.log.Debug("not a zip, retrying once")
			return fmt.Errorf("%s: %w (retrying once): %v", s.File, ErrNotZip, err)
		}
		if _, err := tmp.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("spool %s: %w", s.File, err)
		}
		file, size, keep = tmp, n, true
		return nil
	})
	if err != nil {
		return nil, 0, notFound(err, ErrNoSuchVersion, s.String())
	}
	return file, size, nil
}

// validateZip reads the archive's directory and every entry through, which
// checks each entry's CRC, within a budget of decompressed bytes.
func validateZip(r io.ReaderAt, size, budget int64) error {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return err
	}
	if len(zr.File) == 0 {
		return errors.New("empty archive")
	}
	for _, zf := range zr.File {
		if zf.FileInfo().IsDir() {
			continue
		}
		if int64(zf.UncompressedSize64) > budget {
			budget = 0
		}
		if budget <= 0 {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return fmt.Errorf("%s: %w", zf.Name, err)
		}
		n, err := io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", zf.Name, err)
		}
		budget -= n
	}
	return nil
}

// notFound turns a 404 or 410 into what was not found (permanent); other
// errors pass through.
func notFound(err, what error, name string) error {
	var se *StatusError
	if errors.As(err, &se) && (se.Code == http.StatusNotFound || se.Code == http.StatusGone) {
		return fault.Permanent(fmt.Errorf("%w: %s: %v", what, name, se))
	}
	return err
}

// progressReader reports bytes as they are read.
type progressReader struct {
	r      io.Reader
	spec   Spec
	done   int64
	total  int64
	report func(Spec, int64, int64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.done += int64(n)
		p.report(p.spec, p.done, p.total)
	}
	return n, err
}
