package output

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/results"
)

func record(doc string, i int, text string, r extraction.Result) results.ChunkRecord {
	return results.ChunkRecord{DocID: doc, Source: doc + ".md", ChunkID: fmt.Sprintf("%s-%d", doc, i), Index: i, Total: 2,
		Text: text, Mode: extraction.ModeBasic, ModesTried: []extraction.Mode{extraction.ModeBasic}, Quality: 0.9, Result: r}
}

func lines(t *testing.T, path string) []Example {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []Example
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var ex Example
		if err := json.Unmarshal(sc.Bytes(), &ex); err != nil {
			t.Fatal(err)
		}
		out = append(out, ex)
	}
	return out
}

func add(t *testing.T, ds *dataset, c results.ChunkRecord) {
	t.Helper()
	if err := ds.add(c); err != nil {
		t.Fatal(err)
	}
}

func TestDataset_splitsByDocumentDedupsAndDropsPlaceholders(t *testing.T) {
	dir := t.TempDir()
	ds, err := newDataset(dir, DatasetConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer ds.close()
	item := extraction.Result{Parameters: []extraction.Parameter{{Name: "A.b", MOClass: "A", Attribute: "b"}}}
	for d := range 20 {
		doc := fmt.Sprintf("doc%02d", d)
		add(t, ds, record(doc, 0, "text of "+doc+" names A.b", item))
		add(t, ds, record(doc, 1, "shared boilerplate on A.b", item)) // the same example in every document
	}
	add(t, ds, record("docx", 0, "has a placeholder <MO>.<attribute>", extraction.Result{Parameters: []extraction.Parameter{{Name: "<MO>.<attribute>"}}}))
	add(t, ds, record("docy", 0, "nothing telecom here", extraction.Result{}))
	counts, err := ds.write()
	if err != nil {
		t.Fatal(err)
	}
	if counts.Duplicates != 19 || counts.Placeholders != 1 || counts.Empty != 1 {
		t.Errorf("dropped: %+v", counts)
	}
	if counts.Train+counts.Valid+counts.Test+counts.NearDuplicates != 21 || counts.Valid == 0 || counts.Test == 0 {
		t.Errorf("split: %+v", counts)
	}
	// Outputs are for other tools: readable by all, not private temp files.
	if st, err := os.Stat(filepath.Join(dir, "train.jsonl")); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("train.jsonl mode %v (%v), want -rw-r--r--", st.Mode(), err)
	}
	// A document's examples all land in one split.
	where := map[string]string{}
	for _, split := range []string{"train", "valid", "test"} {
		for _, ex := range lines(t, filepath.Join(dir, split+".jsonl")) {
			user := ex.Messages[1].Content
			if prev, ok := where[user]; ok && prev != split {
				t.Errorf("%q in %s and %s", user, prev, split)
			}
			where[user] = split
			if ex.Messages[0].Role != "system" || ex.Messages[2].Role != "assistant" {
				t.Errorf("not MLX chat format: %+v", ex)
			}
		}
	}
	train, valid, test := ds.split()
	all := map[string]int{}
	for _, part := range [][]string{train, valid, test} {
		for _, d := range part {
			all[d]++
		}
	}
	for d, n := range all {
		if n != 1 {
			t.Errorf("%s in %d splits", d, n)
		}
	}
	// The split is stable: the same documents split the same way again.
	train2, _, _ := ds.split()
	if fmt.Sprint(train) != fmt.Sprint(train2) {
		t.Error("split not deterministic")
	}
}
