package archive

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"io/fs"
	"sync"
	"testing"
)

// entry describes one entry of a generated archive. With raw set, the bytes are
// written as they are, under the declared sizes and checksum given, which is how
// the tests make archives that lie.
type entry struct {
	name    string
	body    []byte
	method  uint16 // zip.Deflate unless store is set
	store   bool
	flags   uint16
	mode    fs.FileMode
	nonUTF8 bool
	extra   []byte

	raw          []byte
	usize, csize uint64
	crc          uint32
}

// zipOf builds an archive of the entries, in order.
func zipOf(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		fh := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Flags: e.flags, NonUTF8: e.nonUTF8, Extra: e.extra}
		if e.store {
			fh.Method = zip.Store
		}
		if e.method != 0 {
			fh.Method = e.method
		}
		if e.mode != 0 {
			fh.SetMode(e.mode)
		}
		if e.raw != nil {
			fh.UncompressedSize64, fh.CompressedSize64, fh.CRC32 = e.usize, e.csize, e.crc
			fw, err := w.CreateRaw(fh)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := fw.Write(e.raw); err != nil {
				t.Fatal(err)
			}
			continue
		}
		fw, err := w.CreateHeader(fh)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(e.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// deflated compresses b as a zip member would be.
func deflated(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var zeros = struct {
	once sync.Once
	n    int64
	z    []byte
	crc  uint32
}{n: 100 << 20}

// deflatedZeros returns 100 MiB of zeros deflated (about 125 KiB) and their
// checksum, made once, in memory, without ever holding the 100 MiB.
func deflatedZeros(t testing.TB) ([]byte, uint32) {
	t.Helper()
	zeros.once.Do(func() {
		var buf bytes.Buffer
		w, _ := flate.NewWriter(&buf, flate.BestSpeed)
		h := crc32.NewIEEE()
		block := make([]byte, 1<<20)
		for range zeros.n / int64(len(block)) {
			w.Write(block)
			h.Write(block)
		}
		w.Close()
		zeros.z, zeros.crc = buf.Bytes(), h.Sum32()
	})
	return zeros.z, zeros.crc
}

// text makes n bytes of spec-like text that deflates about 3:1.
func text(n int) []byte {
	words := []string{"the ", "UE ", "shall ", "RRC ", "gNB-DU ", "measurement ", "report ", "clause ",
		"5.3.5 ", "SIB1 ", "ASN1START ", "if ", "configured ", "PDCCH ", "according ", "to "}
	b := make([]byte, 0, n+16)
	x := uint32(2463534242)
	for len(b) < n {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b = append(b, words[x%uint32(len(words))]...)
		if x%11 == 0 {
			b = append(b, '\n')
		}
	}
	return b[:n]
}

// unicodePathField builds an Info-ZIP Unicode Path extra field for raw.
func unicodePathField(raw, utf string) []byte {
	f := []byte{0x75, 0x70, 0, 0, 1, 0, 0, 0, 0}
	binary.LittleEndian.PutUint16(f[2:], uint16(5+len(utf)))
	binary.LittleEndian.PutUint32(f[5:], crc32.ChecksumIEEE([]byte(raw)))
	return append(f, utf...)
}

// got is what a walk handed over.
type got struct {
	names  []string
	sizes  []int64
	bodies map[string][]byte
}

// walkAll walks b reading every member to its end, as the extract stage does.
func walkAll(t testing.TB, b []byte, depth int, cfg Config) (got, Report, error) {
	t.Helper()
	g := got{bodies: map[string][]byte{}}
	rep, err := Walk(context.Background(), bytes.NewReader(b), int64(len(b)), depth, cfg, func(m Member, rd io.Reader) error {
		body, err := io.ReadAll(rd)
		if err != nil {
			return err
		}
		g.names = append(g.names, m.Name)
		g.sizes = append(g.sizes, m.Size)
		g.bodies[m.Name] = body
		return nil
	})
	return g, rep, err
}

// failingAt is a reader whose reads at or past an offset fail, like a blob
// store that drops the connection.
type failingAt struct {
	r   io.ReaderAt
	off int64
	err error
}

func (f failingAt) ReadAt(p []byte, off int64) (int, error) {
	if off+int64(len(p)) > f.off {
		return 0, f.err
	}
	return f.r.ReadAt(p, off)
}

var errStore = errors.New("blob store: connection reset")
