package output

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/results"
)

// htmlInput is two documents accepted in different modes, one superseded
// version of the first and a dead-lettered file.
func htmlInput() Input {
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	chunks := map[string][]results.ChunkRecord{}
	var docs []results.DocRecord
	for _, spec := range []struct {
		id, source string
		mode       extraction.Mode
		q          []float64
	}{
		{"doc-a", "features/a <b>.md", extraction.ModeBasic, []float64{0.95, 0.85, 0.35}},
		{"doc-b", "specs/38331.docx", extraction.ModeFeatureGrouped, []float64{0.55, 0.75}},
		{"doc-a0", "features/a <b>.md", extraction.ModeBasic, []float64{0.9}},
	} {
		var d results.DocRecord
		for i, q := range spec.q {
			c := results.ChunkRecord{DocID: spec.id, Source: spec.source, Format: "markdown", Family: extraction.FamilyELEX,
				ChunkID: fmt.Sprintf("%s-%d", spec.id, i), Index: i, Total: len(spec.q),
				Text: fmt.Sprintf("chunk %d names EUtranCellFDD.param%d", i, i), Mode: spec.mode,
				ModesTried: []extraction.Mode{extraction.ModeBasic, spec.mode}[:1+min(i, 1)], Quality: q,
				Result: extraction.Result{Parameters: []extraction.Parameter{{Name: fmt.Sprintf("EUtranCellFDD.param%d", i)}}}}
			d.Add(c)
			chunks[spec.id] = append(chunks[spec.id], c)
		}
		d.Merge(func(fn func(results.ChunkRecord) error) error {
			for _, c := range chunks[spec.id] {
				fn(c)
			}
			return nil
		})
		docs = append(docs, d)
	}
	return Input{
		Docs: docs,
		EachChunk: func(d results.DocRecord, fn func(results.ChunkRecord) error) error {
			for _, c := range chunks[d.DocID] {
				if err := fn(c); err != nil {
					return err
				}
			}
			return nil
		},
		DeadLetters: []event.DeadLetter{{Stage: "extract", Reason: "not a pdf: <junk>", Source: "broken.pdf", DocID: "doc-x", Chunk: -1}},
		Formats:     map[string]string{"doc-x": "pdf"},
		Superseded:  map[string]string{"doc-a0": "doc-a"},
		Run: RunInfo{DocSeconds: map[string]float64{"doc-a": 1.5, "doc-b": 4.25},
			DocDone: map[string]time.Time{"doc-a": t0.Add(2 * time.Second), "doc-b": t0.Add(5 * time.Second)}},
	}
}

func TestWrite_reportHTMLParsesWithChartsAndRows(t *testing.T) {
	dir := t.TempDir()
	if _, err := Write(dir, htmlInput()); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	root, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("report.html does not parse: %v", err)
	}
	count := map[string]int{}
	var docRows []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			count[n.Data]++
			for _, a := range n.Attr {
				if n.Data == "tr" && a.Key == "class" && strings.HasPrefix(a.Val, "doc") {
					docRows = append(docRows, text(n))
				}
				if (a.Key == "src" || a.Key == "href") && strings.Contains(a.Val, "//") {
					t.Errorf("<%s %s=%q>: an asset from the network", n.Data, a.Key, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	if count["script"] > 0 || count["link"] > 0 {
		t.Errorf("report.html has scripts or links: %v", count)
	}
	// One histogram per accepted mode, one rect per tenth, and the
	// throughput chart.
	if count["svg"] != 3 || count["rect"] != 2*qualityBuckets+timelineBars || count["polyline"] != 1 {
		t.Errorf("svg %d rect %d polyline %d, want 3, %d and 1", count["svg"], count["rect"], count["polyline"], 2*qualityBuckets+timelineBars)
	}
	if len(docRows) != 3 {
		t.Fatalf("document rows %q, want 3", docRows)
	}
	page := string(b)
	for _, want := range []string{
		"features/a &lt;b&gt;.md", "specs/38331.docx", "feature_grouped", "superseded", "doc-a</td>",
		"not a pdf: &lt;junk&gt;", "broken.pdf", "Slowest documents", "4.25", "Routing hops", "Documents with no items",
		"2 documents done over 4.5 s",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}

// The throughput chart counts each document with a done time once, in the
// interval it was done, from the start of the first document.
func TestTimeline_countsEachDoneDocumentInItsInterval(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	var rows []docRow
	for i := range 100 {
		// One document done every 100 ms after the first started at t0; a
		// tenth of them not timed.
		r := docRow{DocID: fmt.Sprint(i), Seconds: 0.05}
		if i%10 != 5 {
			r.Done = t0.Add(time.Duration(i+1) * 100 * time.Millisecond)
		}
		rows = append(rows, r)
	}
	rows[0].Seconds = 0.1 // the first started at t0
	tl := timeline(rows)
	if tl == nil {
		t.Fatal("no timeline")
	}
	if tl.Docs != 90 {
		t.Errorf("docs %d, want 90", tl.Docs)
	}
	sum := 0
	for _, b := range tl.Bars {
		var n int
		fmt.Sscan(b.Count, &n)
		sum += n
	}
	if sum != 90 || len(tl.Bars) != timelineBars {
		t.Errorf("bars %d counting %d documents, want %d and 90", len(tl.Bars), sum, timelineBars)
	}
	if tl.Span != 10 {
		t.Errorf("span %.3f s, want 10 (t0 to the last done)", tl.Span)
	}
	// 0.25 s per interval holds 2 or 3 documents; the peak rate is 12 docs/s.
	if tl.Peak != 12 {
		t.Errorf("peak %.2f docs/s, want 12", tl.Peak)
	}
	pts := strings.Fields(tl.Line)
	if len(pts) != timelineBars || !strings.HasSuffix(pts[len(pts)-1], fmt.Sprintf(",%.1f", 16.0)) {
		t.Errorf("cumulative line %q does not end at the top", tl.Line)
	}
	if timeline([]docRow{{DocID: "x"}}) != nil {
		t.Error("a timeline without any done time")
	}
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// Debian's chromium renders report.html offline into a screenshot that is
// not blank.
func TestWrite_reportHTMLRendersInHeadlessChromium(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		if _, serr := os.Stat("/usr/bin/chromium"); serr != nil {
			t.Skip("chromium is not installed (apt-get install chromium): no screenshot")
		}
		chromium = "/usr/bin/chromium"
	}
	dir := t.TempDir()
	if _, err := Write(dir, htmlInput()); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "shot.png")
	cmd := exec.Command(chromium, "--headless", "--disable-gpu", "--no-sandbox", "--disable-dev-shm-usage",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--screenshot="+shot, "--window-size=1200,900",
		"file://"+filepath.Join(dir, "report.html"))
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 600 || b.Dy() < 400 {
		t.Fatalf("screenshot %v, too small", b)
	}
	if n := colours(img, 3); n < 3 {
		t.Errorf("screenshot has %d colours: blank", n)
	}
}

// colours counts the distinct colours of img, stopping at limit.
func colours(img image.Image, limit int) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
			if len(seen) >= limit {
				return len(seen)
			}
		}
	}
	return len(seen)
}
