package archive

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"

	"github.com/ranstream/ranstream/pkg/formats"
)

// errDone is what a member reader returns once fn has returned.
var errDone = errors.New("archive member read after its callback returned")

// member is the reader fn receives. It counts the bytes that really come out of
// the decompressor and refuses the first byte past the declared size: the
// declared sizes were checked against every limit before fn was called, so
// holding the member to them holds it to the limits, whatever the header says.
type member struct {
	ctx      context.Context
	src      *source
	name     string
	r        io.Reader
	declared int64
	wantCRC  uint32
	n        int64
	crc      hash.Hash32
	// err is sticky: what Read returns from now on.
	err error
	// fault is the member's own failure, set with reason: wrapping ErrTooLarge it
	// condemns the archive, wrapping ErrCorrupt it skips the member.
	fault  error
	reason string
}

func (m *member) Read(p []byte) (int, error) {
	if m.err != nil {
		return 0, m.err
	}
	if err := m.ctx.Err(); err != nil {
		m.err = err
		return 0, err
	}
	if len(p) == 0 {
		return 0, nil
	}
	if room := m.declared - m.n + 1; int64(len(p)) > room {
		p = p[:room] // one byte past the declared size is enough to catch a lie
	}
	n, err := m.r.Read(p)
	m.n += int64(n)
	if m.n > m.declared {
		m.refuse(formats.ErrTooLarge, fmt.Sprintf(
			"inflates past its declared size of %s (the archive lies about its sizes)", human(m.declared)))
		return 0, m.err
	}
	m.crc.Write(p[:n])
	switch {
	case err == nil:
		return n, nil
	case err == io.EOF:
		if m.n < m.declared {
			m.refuse(formats.ErrCorrupt, fmt.Sprintf("ends after %d of its declared %d bytes", m.n, m.declared))
			return n, m.err
		}
		if m.wantCRC != 0 && m.crc.Sum32() != m.wantCRC {
			m.refuse(formats.ErrCorrupt, "checksum mismatch")
			return n, m.err
		}
		m.err = io.EOF
		return n, io.EOF
	case m.src.err != nil:
		m.err = m.src.ioError(fmt.Sprintf("member %q", m.name))
		return n, m.err
	}
	m.refuse(formats.ErrCorrupt, fmt.Sprintf("damaged data (%v)", err))
	return n, m.err
}

// refuse records the member's own failure; Read returns it from now on.
func (m *member) refuse(cause error, reason string) {
	if errors.Is(cause, formats.ErrCorrupt) {
		reason = "corrupt: " + reason
	}
	m.reason = reason
	m.fault = formats.Bad(format, cause, "member %q %s", m.name, reason)
	m.err = m.fault
}

// decoders keeps one buffered reader and one inflater per walk, reset for each
// member, so that an archive of many small members does not allocate for each.
type decoders struct {
	buf     *bufio.Reader
	inflate io.ReadCloser
}

// open returns the decompressed stream of f, whose method was checked to be
// stored or deflated.
func (d *decoders) open(f *zip.File) (io.Reader, error) {
	raw, err := f.OpenRaw()
	if err != nil {
		return nil, err
	}
	if f.Method == zip.Store {
		return raw, nil
	}
	if d.buf == nil {
		d.buf = bufio.NewReaderSize(raw, 64<<10)
		d.inflate = flate.NewReader(d.buf)
		return d.inflate, nil
	}
	d.buf.Reset(raw)
	if err := d.inflate.(flate.Resetter).Reset(d.buf, nil); err != nil {
		return nil, err
	}
	return d.inflate, nil
}

// human writes a byte count the way a person reads it in a dead-letter reason.
func human(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

func newMember(ctx context.Context, src *source, name string, f *zip.File, r io.Reader) *member {
	return &member{
		ctx: ctx, src: src, name: name, r: r,
		declared: int64(f.UncompressedSize64), wantCRC: f.CRC32, crc: crc32.NewIEEE(),
	}
}
