//go:build pdfbench

package pdf

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/ranstream/ranstream/pkg/formats"
	"github.com/ranstream/ranstream/pkg/formats/pdf/internal/mupdf"
)

// TestCompareWithMutool prints, per corpus PDF, the pages, our pages/s
// against `mutool draw -F txt` pages/s, by wall time and by CPU time (user
// and system), and the word recall of our text against mutool's. It also
// splits our CPU time in two: MuPDF's reading of the pages alone (opening
// the document and reading every page's lines and rules, as Convert does,
// and nothing else) against mutool's, and the whole conversion against that
// reading, which is what the layout and the writing add. Both ratios are
// steadier than the times on a shared machine. Both sides
// convert the file `rounds` times per trial: mutool in one process (the
// file named rounds times, so its start-up is paid once), Convert in this
// process from the bytes read from disk each time. The trials alternate
// between the two sides, so that a slow spell of a shared machine falls on
// both, and each side keeps its fastest trial (noise only adds time). Run
// it with scripts/bench-pdf.sh or `go test -tags pdfbench -run
// CompareWithMutool -v ./pkg/formats/pdf/`.
func TestCompareWithMutool(t *testing.T) {
	if _, err := exec.LookPath("mutool"); err != nil {
		t.Skip("mutool is not installed (apt-get install mupdf-tools)")
	}
	const rounds, trials = 5, 7
	fmt.Printf("%-44s %6s %9s %9s %7s %9s %9s %7s %8s %8s %8s %8s\n", "file", "pages", "ours p/s", "mutool", "wall", "ours p/s", "mutool", "CPU", "reading", "whole/", "recall", "quality")
	fmt.Printf("%-44s %6s %9s %9s %7s %9s %9s %7s %8s %8s\n", "", "", "(wall)", "(wall)", "ratio", "(CPU)", "(CPU)", "ratio", "/mutool", "reading")
	var worstRecall = 1.0
	var ours, mu, reading cost
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
		var text string
		var info formats.Info
		fileMu, fileOurs, fileReading := cost{wall: time.Hour, cpu: time.Hour}, cost{wall: time.Hour, cpu: time.Hour}, cost{wall: time.Hour, cpu: time.Hour}
		for range trials {
			start := time.Now()
			cmd := exec.Command("mutool", args...)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("mutool: %v: %s", err, out)
			}
			fileMu = fileMu.best(cost{wall: time.Since(start), cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()})
			start, cpu := time.Now(), selfCPU(t)
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
			fileOurs = fileOurs.best(cost{wall: time.Since(start), cpu: selfCPU(t) - cpu})
			start, cpu = time.Now(), selfCPU(t)
			for range rounds {
				readPages(t, path)
			}
			fileReading = fileReading.best(cost{wall: time.Since(start), cpu: selfCPU(t) - cpu})
		}
		pages := float64(info.Pages * rounds)
		recall := wordRecall(ref, text)
		bodyRecall := wordRecall(ref, body(text))
		worstRecall = min(worstRecall, recall)
		ours, mu, reading = ours.add(fileOurs), mu.add(fileMu), reading.add(fileReading)
		pagesTotal += info.Pages * rounds
		fmt.Printf("%-44s %6d %9.0f %9.0f %6.2fx %9.0f %9.0f %6.2fx %7.2fx %7.2fx %8.4f %8s   (body only, without running headers: recall %.4f)\n",
			filepath.Base(path), info.Pages,
			pages/fileOurs.wall.Seconds(), pages/fileMu.wall.Seconds(), fileOurs.wall.Seconds()/fileMu.wall.Seconds(),
			pages/fileOurs.cpu.Seconds(), pages/fileMu.cpu.Seconds(), fileOurs.cpu.Seconds()/fileMu.cpu.Seconds(),
			fileReading.cpu.Seconds()/fileMu.cpu.Seconds(), fileOurs.cpu.Seconds()/fileReading.cpu.Seconds(),
			recall, info.Meta["text_quality"], bodyRecall)
		if recall < 0.98 {
			t.Errorf("%s: word recall %.4f < 0.98", path, recall)
		}
	}
	p := float64(pagesTotal)
	fmt.Printf("%-44s %6d %9.0f %9.0f %6.2fx %9.0f %9.0f %6.2fx %7.2fx %7.2fx %8.4f (worst)\n", "all", pagesTotal/rounds,
		p/ours.wall.Seconds(), p/mu.wall.Seconds(), ours.wall.Seconds()/mu.wall.Seconds(),
		p/ours.cpu.Seconds(), p/mu.cpu.Seconds(), ours.cpu.Seconds()/mu.cpu.Seconds(),
		reading.cpu.Seconds()/mu.cpu.Seconds(), ours.cpu.Seconds()/reading.cpu.Seconds(), worstRecall)
	if r := ours.wall.Seconds() / mu.wall.Seconds(); r > 1.5 {
		t.Errorf("ours takes %.2fx mutool's time, want within 1.5x", r)
	}
}

// readPages reads every page of the PDF at path as Convert has MuPDF read
// them (the file read, held outside the Go heap, opened, every page's lines
// and rules), and does nothing with them.
func readPages(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	buf, err := mupdf.NewBuffer(len(data))
	if err != nil {
		t.Fatal(err)
	}
	defer buf.Free()
	copy(buf.Bytes(), data)
	doc, err := mupdf.Open(buf.Bytes())
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer doc.Close()
	n, err := doc.Pages()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for i := range n {
		if _, err := doc.Page(i); err != nil {
			t.Fatalf("%s: page %d: %v", path, i+1, err)
		}
	}
}

// cost is the wall and CPU time of a trial.
type cost struct{ wall, cpu time.Duration }

// best keeps the shorter of each time.
func (c cost) best(o cost) cost { return cost{wall: min(c.wall, o.wall), cpu: min(c.cpu, o.cpu)} }

func (c cost) add(o cost) cost { return cost{wall: c.wall + o.wall, cpu: c.cpu + o.cpu} }

// selfCPU is the CPU time (user and system) this process has used.
func selfCPU(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
