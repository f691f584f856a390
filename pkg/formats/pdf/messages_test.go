package pdf

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/formats"
)

// brokenXref is the sample PDF with every cross-reference entry damaged:
// MuPDF warns, repairs the file by scanning its objects, and reads it.
func brokenXref(t *testing.T) []byte {
	b := samplePDF(t)
	i := bytes.Index(b, []byte("xref\n"))
	return append(append([]byte{}, b[:i]...), bytes.ReplaceAll(b[i:], []byte(" 00000 n"), []byte(" 00000 x"))...)
}

// convertsInChild is set in the child process of
// TestConvert_mupdfMessagesStayOffStderr.
const convertsInChild = "RANSTREAM_PDF_TEST_CHILD"

// TestConvert_mupdfMessagesStayOffStderr converts a PDF that makes MuPDF
// warn in a child process (this test binary run again) and checks that
// the child's stderr stays empty and that the warnings are counted in
// Info.Meta.
func TestConvert_mupdfMessagesStayOffStderr(t *testing.T) {
	if os.Getenv(convertsInChild) != "" {
		_, info, err := convert(context.Background(), brokenXref(t), formats.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if err := json.NewEncoder(os.Stdout).Encode(info.Meta); err != nil {
			t.Fatal(err)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestConvert_mupdfMessagesStayOffStderr$", "-test.count=1")
	cmd.Env = append(os.Environ(), convertsInChild+"=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("child: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("MuPDF wrote to stderr:\n%s", stderr.String())
	}
	var meta map[string]string
	line, _, _ := strings.Cut(stdout.String(), "\n")
	if err := json.Unmarshal([]byte(line), &meta); err != nil {
		t.Fatalf("child output %q: %v", stdout.String(), err)
	}
	if n, _ := strconv.Atoi(meta["mupdf_warnings"]); n == 0 {
		t.Errorf("Meta[mupdf_warnings] = %q, want the repair's warnings counted; meta %v", meta["mupdf_warnings"], meta)
	}
	if !strings.Contains(meta["mupdf_messages"], "repair") {
		t.Errorf("Meta[mupdf_messages] = %q, want the repair named", meta["mupdf_messages"])
	}
	t.Logf("meta: mupdf_warnings=%s mupdf_errors=%s mupdf_messages=%q", meta["mupdf_warnings"], meta["mupdf_errors"], meta["mupdf_messages"])
}

func TestConvert_cleanPDFHasNoMupdfMessages(t *testing.T) {
	_, info, err := convert(context.Background(), samplePDF(t), formats.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if info.Meta["mupdf_warnings"] != "0" || info.Meta["mupdf_messages"] != "" {
		t.Errorf("meta = %v, want no MuPDF messages for a clean PDF", info.Meta)
	}
}
