package extraction

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/internal/corpustest"
)

// identityContextWhole is IdentityContext as it was written first: parse
// the whole document, then take the first identity table outside the
// appendices.
func identityContextWhole(text string) string {
	var first []row
	for _, s := range parseChunk(Input{Text: text}).sections {
		if inAppendix(s.path) {
			continue
		}
		if blocks := identityBlocks(strings.Join(s.lines, "\n")); len(blocks) > 0 {
			first = blocks[0]
			break
		}
	}
	var b strings.Builder
	for _, r := range first {
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
	return b.String()
}

// TestIdentityContext_readsAsTheWholeParseDoes: reading section by section
// and stopping at the identity table gives what parsing the whole document
// gives, on written documents and on every document of corpus/elex.
func TestIdentityContext_readsAsTheWholeParseDoes(t *testing.T) {
	docs := []string{
		"# Zeta Boost\n\n| Feature Name | Zeta Boost |\n|---|---|\n| Feature Identity | FAJ 121 9901 |\n",
		"# Appendix A\n\n| Feature Identity | FAJ 121 9907 |\n\n# 1 Overview\n\nFeature Identity: FAJ 121 9901\n",
		"Feature Name: Zeta\nFeature Identity: FAJ 121 9901\n# Later\n| Feature Identity | FAJ 121 9902 |\n",
		"# A\n## Change History\n| Feature Identity | FAJ 121 9903 |\n# B\n| Feature Identity | FAJ\\_121 9904 &amp; |\n",
		"no identity at all\n",
	}
	if dir := corpustest.Path("elex"); dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "*.md"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			docs = append(docs, string(b))
		}
	}
	for i, d := range docs {
		if got, want := IdentityContext(d), identityContextWhole(d); got != want {
			t.Errorf("document %d: IdentityContext = %q, the whole parse gives %q", i, got, want)
		}
	}
}
