package textnorm_test

import (
	"io/fs"
	"os"
	"path"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/saintfish/chardet"

	"github.com/ranstream/ranstream/pkg/detect"
	"github.com/ranstream/ranstream/pkg/textnorm"

	"github.com/ranstream/ranstream/pkg/internal/corpustest"
)

// corpusDir is the shared test corpus, outside the repository; tests that need it
// skip when it is absent.
var corpusDir = corpustest.Root()

func corpusFS(t *testing.T) fs.FS {
	t.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	return os.DirFS(corpusDir)
}

// encodingFamily maps the encoding a corpus file name states to the names Detect may
// answer for it: a superset (windows-1252 for ISO-8859-1) reads the text the same.
func encodingFamily(file string) []string {
	prefix, _, _ := strings.Cut(file, "__")
	for _, suffix := range []string{"_bom", "_nobom", "-polish", "-russian", "-greek", "-arabic"} {
		prefix, _, _ = strings.Cut(prefix, suffix)
	}
	switch prefix {
	case "cp932", "shift_jis":
		return []string{"Shift_JIS"}
	case "gb2312":
		return []string{"GBK", "GB18030"}
	case "iso-8859-1":
		return []string{"windows-1252", "ISO-8859-1"}
	case "iso-8859-7":
		return []string{"ISO-8859-7", "windows-1253"}
	case "windows-1250":
		return []string{"windows-1250", "ISO-8859-2"}
	case "utf-8-sig":
		return []string{"UTF-8"}
	}
	_, canonical, err := textnorm.Lookup(prefix)
	if err != nil {
		return nil
	}
	return []string{canonical}
}

func TestDetectDecode_encodingsCorpus(t *testing.T) {
	fsys := corpusFS(t)
	entries, err := fs.ReadDir(fsys, "encodings")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		t.Fatal("no files in corpus/encodings")
	}
	for _, e := range entries {
		t.Run(e.Name(), func(t *testing.T) {
			raw, err := fs.ReadFile(fsys, path.Join("encodings", e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			family := encodingFamily(e.Name())
			if family == nil {
				t.Fatalf("file name states no encoding known here: %s", e.Name())
			}
			res := detect.Detect(e.Name(), raw)
			if !contains(family, res.Encoding) {
				t.Errorf("detected %s, file name says %v", res.Encoding, family)
			}
			// What chardet alone would have said, for the report.
			if best, err := chardet.NewTextDetector().DetectBest(raw); err == nil {
				t.Logf("detected %s (%s); chardet alone: %s (%s, confidence %d)",
					res.Encoding, res.Format, best.Charset, best.Language, best.Confidence)
			}
			text, err := textnorm.Decode(raw, res.Encoding)
			if err != nil {
				t.Fatalf("Decode(%s): %v", res.Encoding, err)
			}
			if !utf8.ValidString(text) {
				t.Fatal("Decode returned invalid UTF-8")
			}
			if n := strings.Count(text, "\uFFFD"); n > 0 {
				t.Errorf("%d replacement characters after decoding as %s", n, res.Encoding)
			}
			if norm := textnorm.Normalize(text); !utf8.ValidString(norm) || len(norm) == 0 {
				t.Errorf("Normalize gave %d bytes, valid %v", len(norm), utf8.ValidString(norm))
			}
		})
	}
}

// TestDecodeNormalize_textCorpus decodes every text file of the corpus in the
// encoding Detect names from its head; when the whole file proves that wrong (bytes
// invalid in it beyond the head), detect.Charset on the whole file must fix it.
func TestDecodeNormalize_textCorpus(t *testing.T) {
	fsys := corpusFS(t)
	files := 0
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		res := detect.Detect(path.Base(name), raw)
		if !res.IsText() {
			return nil
		}
		files++
		text, err := textnorm.Decode(raw, res.Encoding)
		if err != nil {
			t.Errorf("%s: Decode(%s): %v", name, res.Encoding, err)
			return nil
		}
		if bad := strings.Count(text, "\uFFFD"); bad > 0 && res.Encoding == "UTF-8" && !utf8.Valid(raw) {
			again := detect.Charset(raw, res.Format)
			text, err = textnorm.Decode(raw, again)
			if err != nil {
				t.Errorf("%s: Decode(%s): %v", name, again, err)
				return nil
			}
			t.Logf("%s: head said UTF-8, whole file holds %d invalid sequences; Charset says %s, leaving %d replacement characters",
				name, bad, again, strings.Count(text, "\uFFFD"))
		}
		if n := strings.Count(text, "\uFFFD") - strings.Count(string(raw), "\uFFFD"); n > 0 && !strings.HasPrefix(name, "encodings/") {
			t.Errorf("%s: %d replacement characters after decoding as %s", name, n, res.Encoding)
		}
		norm := textnorm.Normalize(text)
		if !utf8.ValidString(norm) {
			t.Errorf("%s: Normalize returned invalid UTF-8", name)
		}
		if strings.ContainsAny(norm, "\r\u00a0\u200b\ufeff") {
			t.Errorf("%s: Normalize left CR, NBSP, ZWSP or BOM", name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d text files decoded and normalized", files)
}
