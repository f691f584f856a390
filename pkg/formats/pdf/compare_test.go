//go:build pdfbench

package pdf

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ranstream/ranstream/pkg/formats"
)

// TestCompareWithMutool prints, per corpus PDF, the pages, our pages/s
// against `mutool draw -F txt` pages/s and the word recall of our text
// against mutool's. Both sides convert the file `rounds` times: mutool in
// one process (the file named rounds times, so its start-up is paid once),
// Convert in this process from the bytes read from disk each time. Run it
// with scripts/bench-pdf.sh or `go test -tags pdfbench -run
// CompareWithMutool -v ./pkg/formats/pdf/`.
func TestCompareWithMutool(t *testing.T) {
	if _, err := exec.LookPath("mutool"); err != nil {
		t.Skip("mutool is not installed (apt-get install mupdf-tools)")
	}
	const rounds = 5
	fmt.Printf("%-44s %6s %11s %13s %7s %8s %8s\n", "file", "pages", "ours p/s", "mutool p/s", "ratio", "recall", "quality")
	var worstRecall = 1.0
	var ourTotal, muTotal time.Duration
	var pagesTotal int
	for _, path := range corpusPDFs(t) {
		ref, _, err := mutoolText(path)
		if err != nil {
			t.Fatalf("%s: mutool: %v", path, err)
		}
		args := []string{"draw", "-q", "-F", "txt", "-o", os.DevNull}
		for range rounds {
			args = append(args, path)
		}
		mu := best(3, func() {
			if out, err := exec.Command("mutool", args...).CombinedOutput(); err != nil {
				t.Fatalf("mutool: %v: %s", err, out)
			}
		})
		var text string
		var info formats.Info
		ours := best(3, func() {
			for range rounds {
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				var out bytes.Buffer
				info, err = Convert(context.Background(), bytes.NewReader(data), int64(len(data)), &out, formats.Limits{})
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				text = out.String()
			}
		})
		pages := float64(info.Pages * rounds)
		recall := wordRecall(ref, text)
		bodyRecall := wordRecall(ref, body(text))
		worstRecall = min(worstRecall, recall)
		ourTotal += ours
		muTotal += mu
		pagesTotal += info.Pages * rounds
		fmt.Printf("%-44s %6d %11.0f %13.0f %6.2fx %8.4f %8s   (body only, without running headers: recall %.4f)\n",
			filepath.Base(path), info.Pages, pages/ours.Seconds(), pages/mu.Seconds(), ours.Seconds()/mu.Seconds(), recall, info.Meta["text_quality"], bodyRecall)
		if recall < 0.98 {
			t.Errorf("%s: word recall %.4f < 0.98", path, recall)
		}
	}
	fmt.Printf("%-44s %6d %11.0f %13.0f %6.2fx %8.4f (worst)\n", "all", pagesTotal/rounds,
		float64(pagesTotal)/ourTotal.Seconds(), float64(pagesTotal)/muTotal.Seconds(), ourTotal.Seconds()/muTotal.Seconds(), worstRecall)
	if r := ourTotal.Seconds() / muTotal.Seconds(); r > 1.5 {
		t.Errorf("ours takes %.2fx mutool's time, want within 1.5x", r)
	}
}

// best runs f n times and returns the shortest wall time.
func best(n int, f func()) time.Duration {
	var d []time.Duration
	for range n {
		start := time.Now()
		f()
		d = append(d, time.Since(start))
	}
	return slices.Min(d)
}
