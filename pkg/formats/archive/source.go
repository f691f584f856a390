package archive

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/ranstream/ranstream/pkg/formats"
)

// source remembers the first failure of the underlying reader, so that a blob
// store that fails mid-read is told apart from a damaged archive: the first is
// worth a retry, the second never is.
type source struct {
	r   io.ReaderAt
	err error
}

// errOffset is a read the archive's own offsets asked for before its start.
var errOffset = errors.New("offset before the start of the archive")

func (s *source) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errOffset // the archive's fault, not the reader's
	}
	n, err := s.r.ReadAt(p, off)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && s.err == nil {
		s.err = err
	}
	return n, err
}

// ioError returns the reader's failure as a transient error, or nil.
func (s *source) ioError(what string) error {
	if s.err == nil {
		return nil
	}
	return fmt.Errorf("%s: reading %s: %w", format, what, s.err)
}

// open parses the central directory, after checking from the end record alone
// that the entry count is within bounds, so that a directory of millions of
// entries is refused before it is held in memory.
func open(src *source, size int64, cfg Config) (*zip.Reader, error) {
	if size <= 0 {
		return nil, formats.Bad(format, formats.ErrNotFormat, "empty file")
	}
	if n, ok := declaredEntries(src, size); ok && n > uint64(cfg.MaxEntries) {
		return nil, formats.Bad(format, formats.ErrTooLarge, "%d entries, over the limit of %d", n, cfg.MaxEntries)
	}
	zr, err := zip.NewReader(src, size)
	if errors.Is(err, zip.ErrInsecurePath) && zr != nil {
		err = nil // GODEBUG=zipinsecurepath=0: names are checked one by one below
	}
	if err == nil {
		if len(zr.File) > cfg.MaxEntries {
			return nil, formats.Bad(format, formats.ErrTooLarge, "%d entries, over the limit of %d", len(zr.File), cfg.MaxEntries)
		}
		return zr, nil
	}
	if ioErr := src.ioError("the archive"); ioErr != nil {
		return nil, ioErr
	}
	head := make([]byte, 4)
	n, _ := src.ReadAt(head, 0)
	if !bytes.HasPrefix(head[:n], []byte("PK")) {
		return nil, formats.Bad(format, formats.ErrNotFormat, "no zip signature (starts with %q, %d bytes)", head[:n], size)
	}
	switch {
	case errors.Is(err, zip.ErrFormat):
		return nil, formats.Bad(format, formats.ErrCorrupt,
			"no central directory in %d bytes: the zip was cut short (an interrupted download?) or damaged", size)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return nil, formats.Bad(format, formats.ErrCorrupt, "the central directory ends early in %d bytes: the zip was cut short", size)
	}
	return nil, formats.Bad(format, formats.ErrCorrupt, "damaged: %v", err)
}

const (
	endLen          = 22 // end of central directory record, without its comment
	end64LocatorLen = 20
	end64Len        = 56
)

// declaredEntries reads the entry count of the end of central directory record
// (or its zip64 twin). It reports false when the record cannot be found: the zip
// reader then says what is wrong.
func declaredEntries(r io.ReaderAt, size int64) (uint64, bool) {
	n := min(size, endLen+0xffff)
	if n < endLen {
		return 0, false
	}
	buf := make([]byte, n)
	if _, err := r.ReadAt(buf, size-n); err != nil && !errors.Is(err, io.EOF) {
		return 0, false
	}
	at := -1
	for i := len(buf) - endLen; i >= 0; i-- {
		if string(buf[i:i+4]) == "PK\x05\x06" &&
			i+endLen+int(binary.LittleEndian.Uint16(buf[i+20:])) <= len(buf) {
			at = i
			break
		}
	}
	if at < 0 {
		return 0, false
	}
	count := uint64(binary.LittleEndian.Uint16(buf[at+10:]))
	if count != 0xffff || at < end64LocatorLen {
		return count, true
	}
	loc := buf[at-end64LocatorLen : at]
	if string(loc[:4]) != "PK\x06\x07" {
		return count, true
	}
	off := binary.LittleEndian.Uint64(loc[8:])
	if size < end64Len || off > uint64(size-end64Len) {
		return 0, false
	}
	rec := make([]byte, end64Len)
	if _, err := r.ReadAt(rec, int64(off)); err != nil || string(rec[:4]) != "PK\x06\x06" {
		return 0, false
	}
	return binary.LittleEndian.Uint64(rec[32:]), true
}
