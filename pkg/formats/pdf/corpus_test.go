package pdf

import (
	"errors"
	"flag"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/fault"
	"github.com/ranstream/ranstream/pkg/formats"

	"github.com/ranstream/ranstream/pkg/internal/corpustest"
)

// corpusDir holds the shared corpus of real documents; the tests that need
// it skip when it is not there.
var corpusDir = flag.String("corpus", corpustest.Root(), "directory of the shared document corpus")

func corpusPDFs(t testing.TB) []string {
	files, _ := filepath.Glob(filepath.Join(*corpusDir, "pdf", "*.pdf"))
	if len(files) == 0 {
		t.Skip("no corpus PDFs in " + *corpusDir)
	}
	return files
}

func TestConvert_corpus(t *testing.T) {
	for _, path := range corpusPDFs(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			text, info, err := convertFile(path)
			if err != nil {
				t.Fatalf("Convert: %v", err)
			}
			if info.Pages == 0 || len(pageMarker.FindAllString(text, -1)) != info.Pages {
				t.Errorf("%d page markers for %d pages", len(pageMarker.FindAllString(text, -1)), info.Pages)
			}
			if n := len(words(text)); n < 200*info.Pages/10 {
				t.Errorf("only %d words in %d pages", n, info.Pages)
			}
			if info.Meta["text_quality"] == "" {
				t.Errorf("no text_quality in Meta: %v", info.Meta)
			}
			t.Logf("title %q, quality %s, meta %v, warnings %v", info.Title, info.Meta["text_quality"], info.Meta, info.Warnings)
			ref, ok, err := mutoolText(path)
			if !ok {
				return
			}
			if err != nil {
				t.Fatalf("mutool: %v", err)
			}
			if r := wordRecall(ref, text); r < 0.98 {
				t.Errorf("word recall vs mutool %.4f, want >= 0.98", r)
			} else {
				t.Logf("word recall vs mutool %.4f", r)
			}
		})
	}
}

func TestConvert_corpusBrokenPDFs(t *testing.T) {
	tests := []struct {
		file   string
		cause  error
		reason string
	}{
		{"truncated_ETSI_TS_138101-2_v19.03.00.pdf", formats.ErrCorrupt, "truncated"},
		{"placeholder_TS_24.301_v18_R18.pdf", formats.ErrNotFormat, `no %PDF- header: the file starts with "# Placeholder for PDF file"`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join(*corpusDir, "bad", tt.file)
			_, _, err := convertFile(path)
			if errors.Is(err, fs.ErrNotExist) {
				t.Skip("not in the corpus")
			}
			if !errors.Is(err, tt.cause) || !fault.IsPermanent(err) {
				t.Fatalf("err = %v, want permanent %v", err, tt.cause)
			}
			if !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("err = %q, want the reason %q", err, tt.reason)
			}
			t.Logf("%v", err)
		})
	}
}
