package output

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/results"
)

// refDataset is the dataset as it was before spooling: every example kept in
// memory per document and encoded at write time. The spooled dataset must
// produce the same bytes.
type refDataset struct {
	byDoc  map[string][]Example
	seen   map[[32]byte]bool
	counts DatasetCounts
}

func (d *refDataset) add(c results.ChunkRecord) {
	if c.Result.Items() == 0 {
		d.counts.Empty++
		return
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(c.Result); err != nil {
		return
	}
	answer := bytes.TrimSpace(buf.Bytes())
	user := c.Text
	if len(c.Headings) > 0 {
		user = "Section: " + strings.Join(c.Headings, " > ") + "\n\n" + c.Text
	}
	if placeholder.Match(answer) {
		d.counts.Placeholders++
		return
	}
	key := sha256.Sum256([]byte(user + "\x00" + string(answer)))
	if d.seen[key] {
		d.counts.Duplicates++
		return
	}
	d.seen[key] = true
	d.byDoc[c.DocID] = append(d.byDoc[c.DocID], Example{Messages: []Message{
		{Role: "system", Content: SystemPrompt},
		{Role: "user", Content: user},
		{Role: "assistant", Content: string(answer)},
	}, Metadata: ExampleMeta{DocID: c.DocID, Source: c.Source, Kind: "extraction", ChunkIDs: []string{c.ChunkID}, Family: c.Family}})
}

// files renders the three split files as the old write did.
func (d *refDataset) files(t *testing.T) map[string]string {
	t.Helper()
	docs := slices.Collect(maps.Keys(d.byDoc))
	slices.SortFunc(docs, func(a, b string) int {
		ha, hb := sha256.Sum256([]byte("split:"+a)), sha256.Sum256([]byte("split:"+b))
		return strings.Compare(string(ha[:]), string(hb[:]))
	})
	n := len(docs)
	nValid, nTest := n/10, n/10
	if n >= 3 {
		nValid, nTest = max(nValid, 1), max(nTest, 1)
	}
	nTrain := n - nValid - nTest
	out := map[string]string{}
	for name, part := range map[string][]string{
		"train": docs[:nTrain], "valid": docs[nTrain : nTrain+nValid], "test": docs[nTrain+nValid:],
	} {
		slices.Sort(part)
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		for _, doc := range part {
			for _, ex := range d.byDoc[doc] {
				if err := enc.Encode(ex); err != nil {
					t.Fatal(err)
				}
			}
		}
		out[name] = b.String()
	}
	return out
}

// datasetInput is a mixed input: documents of several examples, an example
// repeated across documents, placeholders, empty results, headings and text
// the encoder could escape.
func datasetInput() []results.ChunkRecord {
	var out []results.ChunkRecord
	for d := range 23 {
		doc := fmt.Sprintf("sha256:%02x", d*7)
		for i := range 2 + d%4 {
			r := extraction.Result{Counters: []extraction.Counter{{Name: fmt.Sprintf("EUtranCellFDD.pmX%d", i%3), MOClass: "EUtranCellFDD"}}}
			text := fmt.Sprintf("chunk %d of %s: a < b && c > d, \"quoted\", ü", i, doc)
			c := record(doc, i, text, r)
			switch {
			case i == 0 && d%5 == 0:
				c.Text, c.Headings = "Shared boilerplate", []string{"Legal", "Trademarks"}
			case i == 1 && d%6 == 0:
				c.Result = extraction.Result{Parameters: []extraction.Parameter{{Name: "<MO>.<attribute>"}}}
			case i == 1 && d%7 == 0:
				c.Result = extraction.Result{}
			case i%2 == 1:
				c.Headings = []string{"Feature", fmt.Sprintf("Section %d", i)}
			}
			out = append(out, c)
		}
	}
	// A document whose every chunk is dropped has no example and no split slot.
	out = append(out, record("sha256:ff", 0, "TODO", extraction.Result{Events: []extraction.Event{{Name: "TBD"}}}))
	return out
}

// The spooled dataset writes the same bytes as the in-memory one did, whether
// a document's chunks arrive together (as Write adds them) or interleaved.
func TestDataset_matchesInMemoryReference(t *testing.T) {
	in := datasetInput()
	interleaved := slices.Clone(in)
	slices.SortStableFunc(interleaved, func(a, b results.ChunkRecord) int { return a.Index - b.Index })
	for name, order := range map[string][]results.ChunkRecord{"by document": in, "interleaved": interleaved} {
		t.Run(name, func(t *testing.T) {
			ref := &refDataset{byDoc: map[string][]Example{}, seen: map[[32]byte]bool{}}
			dir := t.TempDir()
			ds, err := newDataset(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range order {
				ref.add(c)
				add(t, ds, c)
			}
			counts, err := ds.write()
			if err != nil {
				t.Fatal(err)
			}
			ds.close()
			want := ref.files(t)
			for _, split := range []string{"train", "valid", "test"} {
				got, err := os.ReadFile(filepath.Join(dir, split+".jsonl"))
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != want[split] {
					t.Errorf("%s.jsonl differs from the in-memory dataset:\n got %q\nwant %q", split, got, want[split])
				}
				if want[split] == "" {
					t.Errorf("%s.jsonl is empty: the input does not exercise it", split)
				}
			}
			ref.counts.Train = strings.Count(want["train"], "\n")
			ref.counts.Valid = strings.Count(want["valid"], "\n")
			ref.counts.Test = strings.Count(want["test"], "\n")
			if counts != ref.counts {
				t.Errorf("counts %+v, want %+v", counts, ref.counts)
			}
			if counts.Duplicates == 0 || counts.Placeholders == 0 || counts.Empty == 0 {
				t.Errorf("input drops nothing of some kind: %+v", counts)
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 3 {
				t.Errorf("dataset dir holds %d entries, want the 3 splits (spool left behind?)", len(entries))
			}
		})
	}
}
