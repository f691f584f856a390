package output

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/results"
)

// Documents built ahead on workers give the files the writer gives reading
// every document itself, byte for byte: the same examples dropped as
// duplicates across documents, the same merge of a document in work, the same
// document skipped for records it cannot read, a superseded document and one
// too large to build ahead in their places.
func TestWrite_buildingAheadWritesWhatTheWriterWouldAlone(t *testing.T) {
	feature := []extraction.Feature{{Name: "Uplink Booster", FAJ: "FAJ 121 0001"}}
	chunk := func(doc string, i, total int, text string) results.ChunkRecord {
		return results.ChunkRecord{
			DocID: doc, Source: doc + ".md", Format: "markdown", Family: extraction.FamilyELEX,
			ChunkID: fmt.Sprintf("%s-%d", doc, i), Index: i, Total: total,
			Headings: []string{"Uplink Booster", "Parameters"}, Text: text, Mode: extraction.ModeBasic,
			ModesTried: []extraction.Mode{extraction.ModeBasic}, Quality: 0.9,
			Result: extraction.Result{
				MainFeatures: feature,
				Parameters:   []extraction.Parameter{{Name: fmt.Sprintf("EUtranCellFDD.ulBoost%d", i%7), MOClass: "EUtranCellFDD"}},
			},
		}
	}
	stored := map[string][]results.ChunkRecord{}
	var docs []results.DocRecord
	addDoc := func(doc string, total, every int, text func(i int) string) {
		d := results.DocRecord{}
		for i := 0; i < total; i += every {
			c := chunk(doc, i, total, text(i))
			stored[doc] = append(stored[doc], c)
			d.Add(c)
		}
		if d.Complete() {
			if err := d.Merge(func(fn func(results.ChunkRecord) error) error { return visitChunks(stored[doc], fn) }); err != nil {
				t.Fatal(err)
			}
		}
		docs = append(docs, d)
	}
	own := func(doc string) func(int) string {
		return func(i int) string {
			return fmt.Sprintf("Uplink Booster (FAJ 121 0001) in %s part %d sets EUtranCellFDD.ulBoost%d, "+
				"which raises the uplink power of cell edge users when the load allows it.", doc, i, i%7)
		}
	}
	same := func(i int) string {
		return fmt.Sprintf("Shared text %d: Uplink Booster (FAJ 121 0001) sets EUtranCellFDD.ulBoost%d for every cell.", i, i%7)
	}
	for n := range 12 {
		addDoc(fmt.Sprintf("sha256:%02d", n), 1+n%5, 1, own(fmt.Sprint(n)))
		if n == 3 {
			addDoc("sha256:big", maxBuiltChunks+20, 1, own("big")) // left to the writer
		}
	}
	addDoc("sha256:dup-a", 3, 1, same) // the same chunks twice: the second's examples are duplicates
	addDoc("sha256:dup-b", 3, 1, same)
	addDoc("sha256:work", 9, 2, own("work")) // in work: merged from its chunks
	addDoc("sha256:bad", 4, 1, own("bad"))   // its records cannot be read
	addDoc("sha256:old", 2, 1, own("old"))   // superseded
	// report.html says when it was made, to the second.
	generated := regexp.MustCompile(`Generated [0-9TZ:-]+`)
	each := func(d results.DocRecord, fn func(results.ChunkRecord) error) error {
		if d.DocID == "sha256:bad" {
			return errors.New("chunk 2 of sha256:bad: not found")
		}
		return visitChunks(stored[d.DocID], fn)
	}
	in := Input{Docs: docs, EachChunk: each, Superseded: map[string]string{"sha256:old": "sha256:00"}}

	write := func(workers int) (string, Report) {
		in.Workers = workers
		dir := t.TempDir()
		rep, err := Write(dir, in)
		if err != nil {
			t.Fatal(err)
		}
		return dir, rep
	}
	alone, repAlone := write(1)
	ahead, repAhead := write(4)
	if repAlone.Dataset.Duplicates == 0 || len(repAlone.Unreadable) != 1 || repAlone.Chunks == 0 {
		t.Fatalf("the fixture misses a case: %d duplicates, %d unreadable, %d chunks",
			repAlone.Dataset.Duplicates, len(repAlone.Unreadable), repAlone.Chunks)
	}
	if fmt.Sprint(repAlone) != fmt.Sprint(repAhead) {
		t.Errorf("reports differ:\nalone %+v\nahead %+v", repAlone, repAhead)
	}
	err := filepath.WalkDir(alone, func(path string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(alone, path)
		a, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(filepath.Join(ahead, rel))
		if err != nil {
			return err
		}
		if generated.ReplaceAllString(string(a), "") != generated.ReplaceAllString(string(b), "") {
			t.Errorf("%s differs built ahead (%d bytes, %d alone)", rel, len(b), len(a))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
