package output_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/natsbus/natstest"
	"github.com/ranstream/ranstream/pkg/output"
	"github.com/ranstream/ranstream/pkg/results"
	"github.com/ranstream/ranstream/pkg/resultstore"
)

func chunkOf(doc, source string, i, total int) results.ChunkRecord {
	return results.ChunkRecord{
		DocID: doc, Source: source, Format: "markdown", ChunkID: fmt.Sprintf("%s-%d", doc, i), Index: i, Total: total,
		Text: fmt.Sprintf("chunk %d of %s names EUtranCellFDD.param%d", i, source, i), Mode: extraction.ModeBasic,
		ModesTried: []extraction.Mode{extraction.ModeBasic}, Quality: 0.9,
		Result: extraction.Result{Parameters: []extraction.Parameter{{Name: fmt.Sprintf("EUtranCellFDD.param%d", i)}}},
	}
}

func jsonLines[T any](t *testing.T, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, v)
	}
	return out
}

// A document record whose chunk records are missing, one that does not decode
// and one in work whose chunks cannot be merged sit in the results bucket
// beside good documents: the good ones are rendered whole, the bad ones are
// left out of every file and reported with the reason.
func TestWrite_skipsRecordsItCannotRead(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ns := natstest.Server(t)
	_, js := natstest.Connect(t, ns)
	natstest.Topology(t, js, 0)
	st, err := resultstore.Open(ctx, js, "results")
	if err != nil {
		t.Fatal(err)
	}
	accept := func(c results.ChunkRecord) {
		t.Helper()
		if err := st.Accept(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	put := func(key string, v []byte) {
		t.Helper()
		if _, err := st.KV().Put(ctx, key, v); err != nil {
			t.Fatal(err)
		}
	}
	for _, doc := range []struct{ id, source string }{{"sha256:aa", "a.md"}, {"sha256:cc", "c.md"}} {
		for i := range 3 {
			accept(chunkOf(doc.id, doc.source, i, 3))
		}
	}
	// b.md, between the good ones: its record says complete, but only chunk 0
	// of 3 is stored (rendering writes it, then finds chunk 1 missing).
	accept(chunkOf("sha256:bb", "b.md", 0, 3))
	var broken results.DocRecord
	for i := range 3 {
		broken.Add(chunkOf("sha256:bb", "b.md", i, 3))
	}
	b, err := json.Marshal(broken)
	if err != nil {
		t.Fatal(err)
	}
	put(resultstore.DocKey("sha256:bb"), b)
	// d.md: a record that does not decode.
	put(resultstore.DocKey("sha256:dd"), []byte(`{"doc_id": "sha256:dd", "total": "three"`))
	// e.md: in work (1 of 2 accepted), its one chunk record lost.
	var inWork results.DocRecord
	inWork.Add(chunkOf("sha256:ee", "e.md", 1, 2))
	if b, err = json.Marshal(inWork); err != nil {
		t.Fatal(err)
	}
	put(resultstore.DocKey("sha256:ee"), b)

	docs, bad, err := st.Docs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	in := output.Input{
		Docs: docs,
		EachChunk: func(d results.DocRecord, fn func(results.ChunkRecord) error) error {
			return st.EachChunk(ctx, d, fn)
		},
	}
	for _, u := range bad {
		in.Unreadable = append(in.Unreadable, output.Problem{DocID: u.DocID, Reason: u.Err.Error()})
	}
	out := t.TempDir()
	rep, err := output.Write(out, in)
	if err != nil {
		t.Fatalf("one bad record failed the whole rendering: %v", err)
	}

	var rendered []string
	for _, l := range jsonLines[output.ExtractionLine](t, filepath.Join(out, "extractions.jsonl")) {
		rendered = append(rendered, l.Source)
	}
	if !slices.Equal(rendered, []string{"a.md", "c.md"}) {
		t.Errorf("extractions.jsonl has %v, want a.md and c.md", rendered)
	}
	chunks := map[string][]int{}
	for _, c := range jsonLines[output.ChunkLine](t, filepath.Join(out, "chunks.jsonl")) {
		chunks[c.Source] = append(chunks[c.Source], c.Index)
	}
	if len(chunks) != 2 || !slices.Equal(chunks["a.md"], []int{0, 1, 2}) || !slices.Equal(chunks["c.md"], []int{0, 1, 2}) {
		t.Errorf("chunks.jsonl: %v, want chunks 0-2 of a.md and c.md only", chunks)
	}
	var examples int
	for _, split := range []string{"train", "valid", "test"} {
		for _, ex := range jsonLines[output.Example](t, filepath.Join(out, "dataset", split+".jsonl")) {
			examples++
			if strings.Contains(ex.Messages[1].Content, "b.md") {
				t.Errorf("dataset holds an example of the unreadable b.md: %q", ex.Messages[1].Content)
			}
		}
	}
	if examples != 6 || rep.Chunks != 6 {
		t.Errorf("%d examples, %d chunks in the report: want the 6 chunks of a.md and c.md", examples, rep.Chunks)
	}
	reasons := map[string]string{}
	for _, p := range rep.Unreadable {
		reasons[p.DocID] = p.Reason
	}
	for id, want := range map[string]string{"sha256:bb": "read chunk 1", "sha256:dd": "decode", "sha256:ee": "read chunk 1"} {
		if !strings.Contains(reasons[id], want) {
			t.Errorf("%s: reported %q, want a reason with %q (all: %v)", id, reasons[id], want, reasons)
		}
	}
	if rep.Outcomes["unreadable"] != 3 || rep.Outcomes["accepted"] != 2 || rep.Documents != 5 {
		t.Errorf("outcomes %v of %d documents, want 2 accepted and 3 unreadable", rep.Outcomes, rep.Documents)
	}
	var onDisk output.Report
	b, err = os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil || json.Unmarshal(b, &onDisk) != nil || len(onDisk.Unreadable) != 3 {
		t.Errorf("report.json lists %d unreadable documents (%v)", len(onDisk.Unreadable), err)
	}
	if txt, err := os.ReadFile(filepath.Join(out, "report.txt")); err != nil || !strings.Contains(string(txt), "sha256:bb") {
		t.Errorf("report.txt does not name the unreadable b.md (%v)", err)
	}
}
