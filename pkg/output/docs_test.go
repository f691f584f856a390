package output

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/results"
)

func docsInput() Input {
	texts := map[string][]string{
		"sha256:aaaa1111": {
			"# Feature X\n\nIntro naming EUtranCellFDD.a.\n\n## Parameters\n\n| name | value |\n|---|---|\n| a | 1 |",
			"```\n# not a heading\n```\n\n### Activation\n\nSteps.",
		},
		"sha256:bbbb2222": {"# Other\n\nBody."},
		"sha256:cccc3333": {"# Old"},
	}
	sources := map[string]string{"sha256:aaaa1111": "zips/a.zip/dir/x.md", "sha256:bbbb2222": "zips_a.zip_dir_x.md", "sha256:cccc3333": "old.md"}
	var docs []results.DocRecord
	chunks := map[string][]results.ChunkRecord{}
	for _, id := range []string{"sha256:aaaa1111", "sha256:bbbb2222", "sha256:cccc3333"} {
		var d results.DocRecord
		for i, t := range texts[id] {
			c := results.ChunkRecord{DocID: id, Source: sources[id], Format: "markdown", Index: i, Total: len(texts[id]),
				ChunkID: id + "-" + string(rune('0'+i)), Text: t, Mode: extraction.ModeBasic,
				ModesTried: []extraction.Mode{extraction.ModeBasic}, Quality: 0.8}
			d.Add(c)
			chunks[id] = append(chunks[id], c)
		}
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
		About: map[string]*event.Chunked{"sha256:aaaa1111": {Title: "Feature X", Meta: map[string]string{"release": "19"},
			Warnings: []string{"no table of contents"}, Family: extraction.FamilyELEX}},
		Superseded: map[string]string{"sha256:cccc3333": "sha256:bbbb2222"},
	}
}

func TestWrite_docsPerDocumentMarkdownAndJSON(t *testing.T) {
	dir := t.TempDir()
	if _, err := Write(dir, docsInput()); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Join(dir, "docs"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	// Separators replaced; the second source that maps to the same name gets
	// its doc id appended; the superseded document has no files.
	want := []string{"zips_a.zip_dir_x.md-bbbb2222.json", "zips_a.zip_dir_x.md-bbbb2222.md", "zips_a.zip_dir_x.md.json", "zips_a.zip_dir_x.md.md"}
	if !slices.Equal(names, want) {
		t.Fatalf("docs/ holds %q, want %q", names, want)
	}
	md, err := os.ReadFile(filepath.Join(dir, "docs", "zips_a.zip_dir_x.md.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"# Feature X\n", "## Parameters\n\n| name | value |\n|---|---|\n| a | 1 |\n\n```", "### Activation\n\nSteps.\n"} {
		if !strings.Contains(string(md), s) {
			t.Errorf("markdown lacks %q:\n%s", s, md)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "docs", "zips_a.zip_dir_x.md.json"))
	if err != nil {
		t.Fatal(err)
	}
	var j DocJSON
	if err := json.Unmarshal(b, &j); err != nil {
		t.Fatal(err)
	}
	wantHeadings := []Heading{{1, "Feature X"}, {2, "Parameters"}, {3, "Activation"}}
	if j.DocID != "sha256:aaaa1111" || j.Source != "zips/a.zip/dir/x.md" || j.Title != "Feature X" || j.Meta["release"] != "19" ||
		len(j.Warnings) != 1 || j.Family != extraction.FamilyELEX || !slices.Equal(j.Headings, wantHeadings) || j.Markdown != "zips_a.zip_dir_x.md.md" {
		t.Errorf("docs json: %+v", j)
	}
}

func TestWrite_skipDocsWritesNone(t *testing.T) {
	dir := t.TempDir()
	in := docsInput()
	in.Dataset.SkipDocs = true
	if _, err := Write(dir, in); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "docs")); !os.IsNotExist(err) {
		t.Errorf("docs/ written with SkipDocs: %v", err)
	}
}
