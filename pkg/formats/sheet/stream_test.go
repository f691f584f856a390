package sheet

import (
	"bytes"
	"context"
	"io"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ranstream/ranstream/pkg/formats"
)

// genCSV generates a parameter-sheet-like CSV of about size bytes on the fly,
// without holding it: a title row, a header, then records with a quoted
// multi-line description every fifth row.
type genCSV struct {
	size, n int64
	row     int
	buf     []byte // generated, not yet read from off
	off     int
}

func newGenCSV(size int64) *genCSV {
	g := &genCSV{size: size}
	g.buf = append(g.buf, "Parameter export,,,,,\n"...)
	g.buf = append(g.buf, "Model,MO Class Name,Parameter Name,Parameter Description,Data Type,Default Value\n"...)
	return g
}

func (g *genCSV) Read(p []byte) (int, error) {
	if g.off == len(g.buf) {
		if g.n >= g.size {
			return 0, io.EOF
		}
		g.buf, g.off = g.buf[:0], 0
		for len(g.buf) < 32<<10 {
			g.row++
			g.buf = append(g.buf, "Lrat,EUtranCellFDD,param"...)
			g.buf = strconv.AppendInt(g.buf, int64(g.row), 10)
			if g.row%5 == 0 {
				g.buf = append(g.buf, ",\"Holds the value, in dB,\nused by the \"\"cell\"\".\",int32,"...)
			} else {
				g.buf = append(g.buf, ",Holds the value used by the cell.,int32,"...)
			}
			g.buf = strconv.AppendInt(g.buf, int64(g.row%140), 10)
			g.buf = append(g.buf, '\n')
		}
	}
	n := copy(p, g.buf[g.off:])
	g.off += n
	g.n += int64(n)
	return n, nil
}

// heapSampler records the peak of HeapInuse while it runs.
type heapSampler struct {
	peak atomic.Uint64
	stop chan struct{}
	wg   sync.WaitGroup
}

func sampleHeap(every time.Duration) *heapSampler {
	s := &heapSampler{stop: make(chan struct{})}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapInuse > s.peak.Load() {
				s.peak.Store(m.HeapInuse)
			}
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *heapSampler) done() uint64 {
	close(s.stop)
	s.wg.Wait()
	return s.peak.Load()
}

// streamCSV converts a generated CSV of size bytes into io.Discard and returns
// the peak heap in use and the records written.
func streamCSV(t testing.TB, size int64) (peak uint64, records string, elapsed time.Duration) {
	runtime.GC()
	s := sampleHeap(20 * time.Millisecond)
	start := time.Now()
	info, err := ConvertCSV(context.Background(), newGenCSV(size), io.Discard, formats.Limits{MaxStreamedOutput: 4 * size}, Options{})
	elapsed = time.Since(start)
	peak = s.done()
	if err != nil {
		t.Fatal(err)
	}
	return peak, info.Meta["records"], elapsed
}

// TestCSV_streamsInFlatMemory streams a 20 MB and a 200 MB CSV through
// ConvertCSV: the peak heap must not grow with the file. The 200 MB run is
// left out under -short.
func TestCSV_streamsInFlatMemory(t *testing.T) {
	small, _, _ := streamCSV(t, 20<<20)
	t.Logf("20 MB: peak heap in use %.1f MiB", float64(small)/(1<<20))
	if small > 48<<20 {
		t.Errorf("peak heap %d bytes for a 20 MB file", small)
	}
	if testing.Short() {
		t.Skip("200 MB run skipped under -short")
	}
	big, records, elapsed := streamCSV(t, 200<<20)
	t.Logf("200 MB: %s records in %v (%.0f MB/s), peak heap in use %.1f MiB",
		records, elapsed.Round(time.Millisecond), 200/elapsed.Seconds()*(1<<20)/1e6, float64(big)/(1<<20))
	if big > small+16<<20 {
		t.Errorf("peak heap grew from %d to %d bytes with a 10x larger file", small, big)
	}
}

// BenchmarkCSV measures the conversion of an 8 MB parameter sheet held in
// memory.
func BenchmarkCSV(b *testing.B) {
	src, err := io.ReadAll(newGenCSV(8 << 20))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ConvertCSV(context.Background(), bytes.NewReader(src), io.Discard, formats.Limits{}, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCSV_200MB streams a generated 200 MB CSV and reports the peak heap
// in use next to the throughput.
func BenchmarkCSV_200MB(b *testing.B) {
	const size = 200 << 20
	b.SetBytes(size)
	var peak uint64
	for b.Loop() {
		p, _, _ := streamCSV(b, size)
		peak = max(peak, p)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// BenchmarkXLSX converts a generated workbook of 200,000 rows (written with
// excelize's stream writer, about 9 MB) and reports rows per second and the
// peak heap in use.
func BenchmarkXLSX(b *testing.B) {
	const rows = 200000
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	header := []any{"Model", "MO Class Name", "Parameter Name", "Parameter Description", "Data Type", "Default Value"}
	if err := sw.SetRow("A1", header); err != nil {
		b.Fatal(err)
	}
	for i := 2; i <= rows; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i)
		row := []any{"Lrat", "EUtranCellFDD", "param" + strconv.Itoa(i), "Holds the value used by the cell, in dB.", "int32", i % 140}
		if err := sw.SetRow(cell, row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		b.Fatal(err)
	}
	src := buf.Bytes()
	b.SetBytes(int64(len(src)))
	var peak uint64
	for b.Loop() {
		runtime.GC()
		s := sampleHeap(20 * time.Millisecond)
		info, err := ConvertXLSX(context.Background(), bytes.NewReader(src), int64(len(src)), io.Discard, formats.Limits{})
		peak = max(peak, s.done())
		if err != nil {
			b.Fatal(err)
		}
		if info.Meta["records"] != strconv.Itoa(rows-1) {
			b.Fatalf("records %s", info.Meta["records"])
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}
