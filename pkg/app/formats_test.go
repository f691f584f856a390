package app_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/output"
)

// Every format through the whole pipeline: converted documents come out with
// their text, broken ones are dead-lettered with a reason a user understands,
// and a stub of text under a document's name is refused as what it is.
func TestProcess_everyFormat(t *testing.T) {
	out := t.TempDir()
	rep := process(t, testConfig(t, t.TempDir()), out, "testdata/formats")

	docs := readJSONL[output.ExtractionLine](t, filepath.Join(out, "extractions.jsonl"))
	formats := map[string]string{}
	for _, d := range docs {
		formats[d.Source] = d.Format
	}
	for src, want := range map[string]string{
		"spec.pdf": "pdf", "report.DOCX": "docx", "legacy.doc": "doc", "page.html": "html",
		"params.csv": "csv",
	} {
		if formats[src] != want {
			t.Errorf("%s: format %q, want %q (all: %v)", src, formats[src], want, formats)
		}
	}
	text := map[string]string{}
	for _, c := range readJSONL[output.ChunkLine](t, filepath.Join(out, "chunks.jsonl")) {
		text[c.Source] += c.Text + "\n"
	}
	for src, want := range map[string][]string{
		"page.html":  {"# Cell tuning", "| EUtranCellFDD.qRxLevMin | Introduced |", "minimum level é"},
		"params.csv": {"MO Class: EUtranCellFDD | Parameter Name: qRxLevMin", "Parameter Name: ssbPeriodicity"},
		"spec.pdf":   {"<!-- page 2 -->"},
	} {
		for _, w := range want {
			if !strings.Contains(text[src], w) {
				t.Errorf("%s: chunk text lacks %q:\n%s", src, w, text[src])
			}
		}
	}
	for _, bad := range []string{"var x=1", "menu"} {
		if strings.Contains(text["page.html"], bad) {
			t.Errorf("page.html: boilerplate %q kept", bad)
		}
	}

	dead := map[string]output.DeadLetterLine{}
	for _, d := range readJSONL[output.DeadLetterLine](t, filepath.Join(out, "dead-letters.jsonl")) {
		dead[d.Source] = d
	}
	for src, want := range map[string][2]string{
		"locked.pdf":    {"extract", "encrypted"},
		"truncated.pdf": {"extract", "truncated"},
		"fake.docx":     {"detect", "plain text, not a DOCX"},
	} {
		if dl, ok := dead[src]; !ok || dl.Stage != want[0] || !strings.Contains(dl.Reason, want[1]) {
			t.Errorf("%s: dead letter %+v, want stage %s and a reason mentioning %q", src, dl, want[0], want[1])
		}
	}
	if rep.Outcomes["dead_lettered"] != 3 || rep.Outcomes["accepted"] != 5 {
		t.Errorf("outcomes %v", rep.Outcomes)
	}
}
