package chunk

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/ranstream/ranstream/pkg/internal/corpustest"
)

// streamAll collects what Stream emits.
func streamAll(t testing.TB, c *Chunker, r io.Reader, window int) []Piece {
	t.Helper()
	var out []Piece
	if err := c.Stream(r, window, func(p Piece) error {
		out = append(out, p)
		return nil
	}); err != nil {
		t.Fatalf("Stream: %v", err)
	}
	return out
}

func assertSame(t *testing.T, got, want []Piece) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("Stream gave %d pieces, Split %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("piece %d differs:\nStream: %q %q\nSplit:  %q %q", i, got[i].Headings, got[i].Text, want[i].Headings, want[i].Text)
		}
	}
}

func TestStream_sameAsSplit(t *testing.T) {
	// Small windows force a cut at nearly every blank line, and a window smaller
	// than a block makes Stream read on; one-byte reads make every Read short.
	windows := []int{1, 7, 64, 4096, 0}
	for seed := uint64(1); seed <= 12; seed++ {
		rng := rand.New(rand.NewPCG(seed, 99))
		in := genDoc(rng, 2000+rng.IntN(40000), seed%2 == 0)
		if seed%3 == 0 {
			in = "\uFEFF---\ntitle: x\nconverted_at: y\n---\n" + in
		}
		for _, cfg := range []Config{{Target: 200, Max: 300}, {}} {
			c := mustNew(t, cfg)
			want := c.Split(in)
			for _, w := range windows {
				t.Run(fmt.Sprintf("seed=%d/target=%d/window=%d", seed, c.Config().Target, w), func(t *testing.T) {
					assertSame(t, streamAll(t, c, strings.NewReader(in), w), want)
					if w == 7 {
						assertSame(t, streamAll(t, c, iotest.OneByteReader(strings.NewReader(in)), w), want)
					}
				})
			}
		}
	}
}

func TestStream_fencesAndBlankLines(t *testing.T) {
	// A blank line inside a code fence is no place to cut: the fence would close
	// early and the rest would become paragraphs.
	in := "# Code\n\nIntro.\n\n```\nline 1\n\n\nline 2\n  \n~~~ not a close\n```\n\nAfter.\n\n~~~~\nx\n\n~~~~\n\n- a\n- b\n\n| h |\n|---|\n| 1 |\n\n" +
		"```\nunclosed\n\nto the end"
	c := mustNew(t, Config{Target: 20, Max: 40})
	want := c.Split(in)
	for w := 1; w <= len(in)+1; w++ {
		assertSame(t, streamAll(t, c, strings.NewReader(in), w), want)
	}
}

func TestStream_corpusSameAsSplit(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpustest.Root(), "elex", "*.md"))
	more, _ := filepath.Glob(filepath.Join(corpustest.Root(), "3gpp", "markdown", "*.md"))
	files = append(files[:min(len(files), 60)], more...)
	if len(files) == 0 {
		t.Skip("shared corpus not present")
	}
	c := mustNew(t, Config{})
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		in := string(data)
		t.Run(filepath.Base(f), func(t *testing.T) {
			assertSame(t, streamAll(t, c, strings.NewReader(in), 16<<10), c.Split(in))
		})
	}
}

func TestStream_errors(t *testing.T) {
	c := mustNew(t, Config{Target: 20})
	in := strings.Repeat("A paragraph of some words.\n\n", 50)
	stop := errors.New("consumer gone")
	n := 0
	err := c.Stream(strings.NewReader(in), 64, func(Piece) error {
		n++
		if n == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 3 {
		t.Errorf("emit error: got %v after %d pieces, want %v after 3", err, n, stop)
	}
	broken := io.MultiReader(strings.NewReader(in), iotest.ErrReader(io.ErrUnexpectedEOF))
	err = c.Stream(broken, 64, func(Piece) error { return nil })
	if !errors.Is(err, io.ErrUnexpectedEOF) || !strings.Contains(err.Error(), "read text") {
		t.Errorf("read error: got %v, want a wrapped %v", err, io.ErrUnexpectedEOF)
	}
}

// records is a reader of n bytes of CSV-like record paragraphs, made on the fly
// so that the input itself takes no memory.
type records struct {
	left int
	i    int
	cur  string
}

func (r *records) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && r.left > 0 {
		if r.cur == "" {
			r.i++
			r.cur = fmt.Sprintf("MO Class: EUtranCellFDD | Parameter: qRxLevMin%d | Default: -140 | Range: -140..-44 | Description: minimum required receive level in the cell, record %d.\n\n", r.i%5000, r.i)
		}
		k := copy(p[n:min(len(p), n+r.left)], r.cur)
		r.cur, n, r.left = r.cur[k:], n+k, r.left-k
	}
	return n, nil
}

// BenchmarkChunker_Stream chunks 64 MB of records read on the fly and reports
// the peak heap in use, which must stay near the window, not the input size.
func BenchmarkChunker_Stream(b *testing.B) {
	const size = 64 << 20
	c := mustNew(b, Config{})
	b.SetBytes(size)
	b.ReportAllocs()
	var peak uint64
	var ms runtime.MemStats
	for b.Loop() {
		n := 0
		err := c.Stream(&records{left: size}, 0, func(Piece) error {
			if n++; n%2000 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}
