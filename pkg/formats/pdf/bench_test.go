package pdf

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/ranstream/ranstream/pkg/formats"
)

// BenchmarkConvert converts each corpus PDF (skipped without the corpus) and
// reports pages per second; the text goes to io.Discard.
func BenchmarkConvert(b *testing.B) {
	for _, path := range corpusPDFs(b) {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(path), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			pages := 0
			for b.Loop() {
				info, err := Convert(context.Background(), bytes.NewReader(data), int64(len(data)), io.Discard, formats.Limits{})
				if err != nil {
					b.Fatal(err)
				}
				pages += info.Pages
			}
			b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}

// BenchmarkConvert_parallel converts the corpus PDFs in GOMAXPROCS
// goroutines at once, as the extract stage's workers do.
func BenchmarkConvert_parallel(b *testing.B) {
	var docs [][]byte
	for _, path := range corpusPDFs(b) {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, data)
	}
	var pages int64
	var mu = make(chan int64, 1)
	mu <- 0
	b.RunParallel(func(pb *testing.PB) {
		var n int64
		i := 0
		for pb.Next() {
			data := docs[i%len(docs)]
			i++
			info, err := Convert(context.Background(), bytes.NewReader(data), int64(len(data)), io.Discard, formats.Limits{})
			if err != nil {
				b.Error(err)
				return
			}
			n += int64(info.Pages)
		}
		mu <- <-mu + n
	})
	pages = <-mu
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
}
