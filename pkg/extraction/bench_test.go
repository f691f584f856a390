package extraction_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ranstream/ranstream/pkg/chunk"
	"github.com/ranstream/ranstream/pkg/extraction"

	"github.com/ranstream/ranstream/pkg/internal/corpustest"
)

// benchChunks are the chunks of corpus/elex as the chunk stage cuts them
// (default size), with their document identity as context; loaded once.
var benchChunks = sync.OnceValues(func() ([]extraction.Input, error) {
	elex := corpustest.Path("elex")
	if fi, err := os.Stat(elex); elex == "" || err != nil || !fi.IsDir() {
		return nil, os.ErrNotExist
	}
	return loadChunks(elex)
})

func loadChunks(dir string) ([]extraction.Input, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		return nil, err
	}
	ch, err := chunk.New(chunk.Config{})
	if err != nil {
		return nil, err
	}
	var out []extraction.Input
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		ctx := extraction.IdentityContext(string(b))
		for _, p := range ch.Split(string(b)) {
			out = append(out, extraction.Input{Text: p.Text, Headings: p.Headings, Context: ctx})
		}
	}
	return out, nil
}

// generatedChunk is an invented chunk of the size the chunk stage aims at,
// holding every structure the rules read.
func generatedChunk() extraction.Input {
	var b strings.Builder
	b.WriteString("# 2 Dependencies of Zeta Boost\n\n| Feature | Relationship | Description |\n|---|---|---|\n")
	b.WriteString("| Zeta Prebooster (FAJ 121 9902) | Prerequisite | Needed first. |\n| Omega Sleep (FAJ 121 9903) | Conflicting | Not together. |\n")
	b.WriteString("\n# 5 Parameters for Zeta Boost\n\n| Parameter | Type | Description |\n|---|---|---|\n")
	b.WriteString("| ZetaCellFDD.boostLevel | Introduced | See MOM description. |\n| AlphaProfile.serviceType | Affecting | VoIP only. |\n")
	b.WriteString("\n# 6 Performance of Zeta Boost\n\n")
	for b.Len() < 3200 {
		b.WriteString("- ZetaCellFDD.pmBoostAttZetaCellFDD.pmBoostSucc\n- The INTERNAL_PROC_ZETA_BOOST event and ZetaCellTDD.boostMargin.\n")
	}
	b.WriteString("\n# 7 Activate Zeta Boost\n\nSteps\n\n1. Set the FeatureState.featureState attribute to ACTIVATED in the FeatureState=CXC4019901 MO instance.\n")
	b.WriteString("2. Set the ZetaCellFDD.administrativeState attribute to LOCKED.\n")
	ctx := "| Feature Name | Zeta Boost |\n| Feature Identity | FAJ 121 9901 |\n"
	return extraction.Input{Text: b.String(), Headings: []string{"Zeta Boost"}, Context: ctx}
}

// BenchmarkExtract measures chunks per second per mode: over the chunks of
// corpus/elex (skipped when the corpus is absent) and over one generated
// chunk.
func BenchmarkExtract(b *testing.B) {
	for _, mode := range extraction.Available() {
		b.Run("corpus/"+string(mode), func(b *testing.B) {
			chunks, err := benchChunks()
			if err != nil || len(chunks) == 0 {
				b.Skip("no corpus/elex above the package")
			}
			var bytes int64
			i := 0
			for b.Loop() {
				in := chunks[i%len(chunks)]
				bytes += int64(len(in.Text))
				if _, err := extraction.Extract(mode, in); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "chunks/s")
			b.ReportMetric(float64(bytes)/b.Elapsed().Seconds()/1e6, "MB/s")
		})
		b.Run("generated/"+string(mode), func(b *testing.B) {
			in := generatedChunk()
			b.SetBytes(int64(len(in.Text)))
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				if _, err := extraction.Extract(mode, in); err != nil {
					b.Fatal(err)
				}
				n++
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "chunks/s")
		})
	}
}
