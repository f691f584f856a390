package extract_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/ranstream/ranstream/pkg/detect"
	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/extract"
)

// brokenXrefPDF is a one-page PDF whose startxref points nowhere: MuPDF
// reads it after repairing the cross-reference table, with a warning.
func brokenXrefPDF() []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		"", // the content stream, below
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	content := "BT /F1 12 Tf 20 150 Td (Sets EUtranCellFDD.zetaLevel.) Tj ET"
	objs[3] = fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content)
	for i, o := range objs {
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	b.WriteString("trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n99999\n%%EOF\n")
	return b.Bytes()
}

// What MuPDF says while converting goes to the stage's log at debug, with
// the source; nothing of it is printed (the pdf package checks stderr).
func TestHandle_logsMuPDFMessagesAtDebug(t *testing.T) {
	data := brokenXrefPDF()
	store := &blobs{m: map[string][]byte{"doc-p": data}}
	core, logs := observer.New(zapcore.DebugLevel)
	x, err := extract.New(extract.Config{NoOCR: true, Log: zap.New(core)}, store)
	if err != nil {
		t.Fatal(err)
	}
	in := event.Detected{V: event.Version, Doc: event.Doc{ID: "sha256:cd34", Source: "repaired.pdf", Blob: "doc-p", Size: int64(len(data))},
		Format: detect.FormatPDF}
	out, err := x.Handle(context.Background(), in)
	if err != nil || len(out) != 1 {
		t.Fatalf("%v %v", out, err)
	}
	ex := out[0].(event.Extracted)
	if ex.Meta["mupdf_warnings"] == "" || ex.Meta["mupdf_warnings"] == "0" {
		t.Fatalf("MuPDF repaired the file without a warning counted: %v", ex.Meta)
	}
	entries := logs.FilterMessage("converter messages").All()
	if len(entries) != 1 || entries[0].Level != zapcore.DebugLevel {
		t.Fatalf("logged %v, want one debug entry", logs.All())
	}
	f := entries[0].ContextMap()
	if f["source"] != "repaired.pdf" || !strings.Contains(fmt.Sprint(f["messages"]), "xref") {
		t.Errorf("log fields %v: want the source and MuPDF's message", f)
	}
}
