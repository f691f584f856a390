package app_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/ranstream/ranstream/pkg/app"
	"github.com/ranstream/ranstream/pkg/output"
)

func zipOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const memberDoc = "# Member Feature\n\n| Feature Name | Member Feature |\n|---|---|\n| Feature Identity | FAJ 121 9950 |\n\nThe attribute NRCellCU.memberParam is set.\n"

// Archives fan out their members as documents of their own (nested ones too,
// to a bounded depth); path traversal is refused, a bomb dead-letters the
// archive, and every refusal has a reason.
func TestProcess_archives(t *testing.T) {
	dir := t.TempDir()
	inner := zipOf(t, map[string][]byte{"inner/deep.md": []byte(strings.Replace(memberDoc, "9950", "9951", 1))})
	lib := zipOf(t, map[string][]byte{
		"docs/member.md":  []byte(memberDoc),
		"../escape.md":    []byte("# Escape\n\nSomething outside.\n"),
		"nested.zip":      inner,
		"__MACOSX/._junk": []byte("junk"),
	})
	bomb := zipOf(t, map[string][]byte{"zeros.txt": bytes.Repeat([]byte{0}, 64<<20)})
	for name, data := range map[string][]byte{"library.zip": lib, "bomb.zip": bomb} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	rep := process(t, testConfig(t, t.TempDir()), out, dir)

	docs := map[string]output.ExtractionLine{}
	for _, d := range readJSONL[output.ExtractionLine](t, filepath.Join(out, "extractions.jsonl")) {
		docs[d.Source] = d
	}
	for _, src := range []string{"library.zip/docs/member.md", "library.zip/nested.zip/inner/deep.md"} {
		d, ok := docs[src]
		if !ok {
			t.Errorf("member %s missing; documents: %v", src, keys(docs))
			continue
		}
		if d.Parent == "" || !d.Complete {
			t.Errorf("%s: parent %q complete %v", src, d.Parent, d.Complete)
		}
	}
	if len(docs) != 2 {
		t.Errorf("documents %v, want the two members", keys(docs))
	}
	dead := map[string]output.DeadLetterLine{}
	for _, d := range readJSONL[output.DeadLetterLine](t, filepath.Join(out, "dead-letters.jsonl")) {
		dead[d.Source] = d
	}
	if dl, ok := dead["bomb.zip"]; !ok || !strings.Contains(dl.Reason, "limit") && !strings.Contains(dl.Reason, "ratio") {
		t.Errorf("zip bomb: dead letter %+v", dl)
	}
	var traversal bool
	for src, dl := range dead {
		if strings.HasPrefix(src, "library.zip/") && strings.Contains(dl.Reason, "refused") {
			traversal = true
		}
	}
	if !traversal {
		t.Errorf("path traversal member not dead-lettered: %v", dead)
	}
	if rep.Outcomes["expanded"] != 2 {
		t.Errorf("outcomes %v, want the library and its nested archive expanded", rep.Outcomes)
	}
}

// `ranstream process 3gpp:38.901@18` fetches the spec from the archive (here a
// mirror on 127.0.0.1), expands the zip and processes its member.
func TestProcess_specReference(t *testing.T) {
	spec := zipOf(t, map[string][]byte{"38901-i10.md": []byte("# 3GPP TS 38.901\n\nThe parameter NRCellDU.specParam is described. " + memberDoc)})
	mux := http.NewServeMux()
	mux.HandleFunc("/archive/38_series/38.901/", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".zip") {
			w.Header().Set("Content-Length", fmt.Sprint(len(spec)))
			w.Write(spec) //nolint:errcheck // test server
			return
		}
		fmt.Fprint(w, `<html><body><pre><A HREF="/archive/38_series/">[To Parent Directory]</A><br><br>`+
			` 3/10/2024  9:00 AM        `+fmt.Sprint(len(spec))+` <A HREF="/archive/38_series/38.901/38901-i00.zip">38901-i00.zip</A><br>`+
			` 6/20/2024  9:00 AM        `+fmt.Sprint(len(spec))+` <A HREF="/archive/38_series/38.901/38901-i10.zip">38901-i10.zip</A><br>`+
			`</pre></body></html>`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	cfg := testConfig(t, t.TempDir())
	cfg.Specs.ArchiveURL = srv.URL + "/archive"
	out := t.TempDir()
	process(t, cfg, out, "3gpp:38.901@18")
	docs := readJSONL[output.ExtractionLine](t, filepath.Join(out, "extractions.jsonl"))
	if len(docs) != 1 || docs[0].Source != "38901-i10.zip/38901-i10.md" {
		t.Fatalf("documents %+v, want the member of 38901-i10.zip", docs)
	}
}

// Refused members of two archives, refused for the same reason, are each a
// dead letter of their own: their message ids differ by archive and member, so
// JetStream's duplicate window keeps them all.
func TestProcess_sameReasonDeadLettersOfTwoArchivesAreAllKept(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"first.zip", "second.zip"} {
		data := zipOf(t, map[string][]byte{
			"docs/" + name + ".md": []byte(memberDoc),
			"../a.md":              []byte("# A\n\nOutside.\n"),
			"../b.md":              []byte("# B\n\nOutside.\n"),
			"../c.md":              []byte("# C\n\nOutside.\n"),
		})
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	rep := process(t, testConfig(t, t.TempDir()), out, dir)
	refused := map[string]string{}
	for _, d := range readJSONL[output.DeadLetterLine](t, filepath.Join(out, "dead-letters.jsonl")) {
		refused[d.Source] = d.Reason
	}
	reasons := map[string]bool{}
	for _, archive := range []string{"first.zip", "second.zip"} {
		for _, member := range []string{"a.md", "b.md", "c.md"} {
			reason, ok := refused[archive+"/../"+member]
			if !ok {
				t.Errorf("%s/../%s: no dead letter; dead letters: %v", archive, member, refused)
			}
			reasons[reason] = true
		}
	}
	if len(reasons) != 1 {
		t.Errorf("reasons %v: the test wants one reason for every refused member", reasons)
	}
	if len(refused) != 6 || rep.DeadLetters["extract"] != 6 {
		t.Errorf("%d dead-letter lines, report %v: want the 6 refused members", len(refused), rep.DeadLetters)
	}
}

// A --direct run times its documents as the bus path does, archive members
// by their archive: report.html charts them.
func TestDirect_reportTimesDocumentsAndArchiveMembers(t *testing.T) {
	dir := t.TempDir()
	lib := zipOf(t, map[string][]byte{"docs/member.md": []byte(memberDoc)})
	if err := os.WriteFile(filepath.Join(dir, "library.zip"), lib, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "plain.md"), []byte(strings.Replace(memberDoc, "9950", "9951", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := app.Direct(ctx, app.ProcessConfig{Pipeline: testConfig(t, ""), Out: out, Paths: []string{dir}}, zaptest.NewLogger(t))
	if err != nil || rep.Documents != 2 {
		t.Fatalf("direct: %d documents, %v", rep.Documents, err)
	}
	page, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	// The chart counts the documents with a done time: both, the archive
	// member by its archive. (The slowest list leaves out documents whose
	// seconds round to 0, as these may.)
	if !strings.Contains(string(page), "2 documents done over") {
		t.Error("report.html does not chart both documents")
	}
}

// A --direct run dead-letters a broken archive member under its own name, as
// the bus path does, not under the archive's.
func TestDirect_deadLettersNameTheArchiveMember(t *testing.T) {
	dir := t.TempDir()
	lib := zipOf(t, map[string][]byte{
		"docs/member.md": []byte(memberDoc),
		"docs/bad.pdf":   []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nnothing else\n"),
	})
	if err := os.WriteFile(filepath.Join(dir, "library.zip"), lib, 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := app.Direct(ctx, app.ProcessConfig{Pipeline: testConfig(t, ""), Out: out, Paths: []string{dir}}, zaptest.NewLogger(t)); err != nil {
		t.Fatal(err)
	}
	dead := readJSONL[output.DeadLetterLine](t, filepath.Join(out, "dead-letters.jsonl"))
	if len(dead) != 1 || dead[0].Source != "library.zip/docs/bad.pdf" || dead[0].Stage != "extract" {
		t.Fatalf("dead letters %+v, want one from extract for library.zip/docs/bad.pdf", dead)
	}
}
