package output

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/results"
)

// synthetic is a document whose chunk records are made as they are visited, so
// that the input holds none of them: whatever memory rendering takes is its own.
type synthetic struct {
	doc  results.DocRecord
	text string
	// visits counts the EachChunk calls.
	visits int
	// onChunk, when set, is called before each chunk is handed out.
	onChunk func(n int)
}

// newSynthetic makes a document of total chunks of textBytes of text each; with
// every > 1 only every every-th chunk is accepted, as for a document in work.
func newSynthetic(id string, total, textBytes, every int) *synthetic {
	s := &synthetic{text: strings.Repeat("EUtranCellFDD pdcchTargetBler counts ", textBytes/37+1)[:textBytes]}
	for i := 0; i < total; i += every {
		s.doc.Add(s.chunk(id, i, total))
	}
	if s.doc.Complete() {
		s.doc.Extraction = extraction.Result{Events: []extraction.Event{{Name: "MERGED_WHEN_COMPLETE"}}}
	}
	return s
}

func (s *synthetic) chunk(id string, i, total int) results.ChunkRecord {
	prefix := fmt.Sprintf("chunk %d of %s: EUtranCellFDD.pmC%d ", i, id, i%50)
	return results.ChunkRecord{
		DocID: id, Source: "big.csv", Format: "csv", ChunkID: fmt.Sprintf("%s-%d", id, i), Index: i, Total: total,
		Headings: []string{"Table", fmt.Sprintf("Rows %d", i*100)}, Text: prefix + s.text[len(prefix):],
		Mode: extraction.ModeBasic, ModesTried: []extraction.Mode{extraction.ModeBasic}, Quality: 0.75,
		Result: extraction.Result{Counters: []extraction.Counter{{Name: fmt.Sprintf("EUtranCellFDD.pmC%d", i%50), MOClass: "EUtranCellFDD"}}},
	}
}

func (s *synthetic) eachChunk(d results.DocRecord, fn func(results.ChunkRecord) error) error {
	s.visits++
	n := 0
	for i := range d.IndexSeq() {
		if s.onChunk != nil {
			s.onChunk(n)
		}
		n++
		if err := fn(s.chunk(d.DocID, i, d.Total)); err != nil {
			return err
		}
	}
	return nil
}

// readLines decodes every line of a JSONL file into T.
func readLines[T any](t *testing.T, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// A document of thousands of chunks renders every chunk line in order, and a
// document still in work gets the merge of its accepted chunks; the complete
// one is read once, the one in work twice (merge, then lines).
func TestWrite_rendersEveryChunkOfLargeDocuments(t *testing.T) {
	big := newSynthetic("sha256:b16", 6000, 300, 1)
	work := newSynthetic("sha256:0a0", 3000, 300, 2)
	each := func(d results.DocRecord, fn func(results.ChunkRecord) error) error {
		if d.DocID == big.doc.DocID {
			return big.eachChunk(d, fn)
		}
		return work.eachChunk(d, fn)
	}
	dir := t.TempDir()
	rep, err := Write(dir, Input{Docs: []results.DocRecord{big.doc, work.doc}, EachChunk: each})
	if err != nil {
		t.Fatal(err)
	}
	if big.visits != 1 || work.visits != 2 {
		t.Errorf("complete document read %d times, document in work %d times; want 1 and 2", big.visits, work.visits)
	}
	chunks := readLines[ChunkLine](t, filepath.Join(dir, "chunks.jsonl"))
	if len(chunks) != 6000+1500 || rep.Chunks != len(chunks) {
		t.Fatalf("%d chunk lines, report says %d; want 7500", len(chunks), rep.Chunks)
	}
	for n, c := range chunks {
		want, doc := n, big.doc.DocID
		if n >= 6000 {
			want, doc = (n-6000)*2, work.doc.DocID
		}
		if c.Index != want || c.DocID != doc || !strings.HasPrefix(c.Text, fmt.Sprintf("chunk %d of %s: ", want, doc)) {
			t.Fatalf("line %d: chunk %d of %s, want %d of %s", n, c.Index, c.DocID, want, doc)
		}
	}
	docs := readLines[ExtractionLine](t, filepath.Join(dir, "extractions.jsonl"))
	if len(docs) != 2 {
		t.Fatalf("%d extraction lines", len(docs))
	}
	if x := docs[0].Extraction; !docs[0].Complete || len(x.Events) != 1 || len(x.Counters) != 0 {
		t.Errorf("complete document: the record's merged extraction not kept: %+v", x)
	}
	if x := docs[1].Extraction; docs[1].Complete || len(x.Counters) != 25 || x.Counters[0].Name != "EUtranCellFDD.pmC0" {
		t.Errorf("document in work: %d counters merged, want the 25 of its even chunks", len(x.Counters))
	}
	// Two documents: every example in train; the repeated synthetic text
	// makes near-duplicates, which are counted, never lost silently.
	ds := rep.Dataset
	if n := len(readLines[Example](t, filepath.Join(dir, "dataset", "train.jsonl"))); ds.Train != n || n+ds.Duplicates+ds.NearDuplicates != 7500 || n == 0 {
		t.Errorf("%d training examples, report %+v; want 7500 kept or counted as duplicates", n, ds)
	}
}

// Rendering a document holds one chunk at a time: its peak heap stays far
// below the text it writes (32 MB here).
func TestWrite_largeDocumentMemoryDoesNotGrowWithChunks(t *testing.T) {
	const total, textBytes = 8000, 4096
	s := newSynthetic("sha256:b16", total, textBytes, 1)
	peak := samplePeakHeap(s)
	if _, err := Write(t.TempDir(), Input{Docs: []results.DocRecord{s.doc}, EachChunk: s.eachChunk}); err != nil {
		t.Fatal(err)
	}
	if limit := uint64(total * textBytes / 2); *peak > limit {
		t.Errorf("peak live heap %.1f MB rendering %d MB of text: chunks held in memory?", float64(*peak)/(1<<20), total*textBytes>>20)
	}
	t.Logf("peak live heap %.1f MB rendering %d MB of text", float64(*peak)/(1<<20), total*textBytes>>20)
}

// samplePeakHeap makes s record the largest live heap, sampled after a
// collection every 1000 chunks handed out: what the writer holds, not the
// garbage a collection has not yet reclaimed (which depends on GC timing and
// made the bound flaky on a loaded machine).
func samplePeakHeap(s *synthetic) *uint64 {
	var peak uint64
	var ms runtime.MemStats
	s.onChunk = func(n int) {
		if n%1000 == 999 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	return &peak
}

// BenchmarkWriteLargeDocument renders one document of 20,000 chunks of 4 KB
// (what a 200 MB CSV becomes, at a fifth of the size) and reports the peak heap.
func BenchmarkWriteLargeDocument(b *testing.B) {
	const total, textBytes = 20000, 4096
	dir := b.TempDir()
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		s := newSynthetic("sha256:b16", total, textBytes, 1)
		p := samplePeakHeap(s)
		if _, err := Write(dir, Input{Docs: []results.DocRecord{s.doc}, EachChunk: s.eachChunk}); err != nil {
			b.Fatal(err)
		}
		peak = max(peak, *p)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}
