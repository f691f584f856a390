package results

import (
	"slices"
	"testing"

	"github.com/ranstream/ranstream/pkg/extraction"
)

func TestDocRecord_addIsIdempotentAndSmall(t *testing.T) {
	var d DocRecord
	add := func(i int, q float64, m extraction.Mode, tried ...extraction.Mode) {
		d.Add(ChunkRecord{DocID: "sha256:x", Source: "x.md", Index: i, Total: 20, Quality: q, Mode: m, ModesTried: tried})
	}
	add(0, 0.9, extraction.ModeBasic, extraction.ModeBasic)
	add(13, 0.7, extraction.ModeFeatureGrouped, extraction.ModeBasic, extraction.ModeCmedit, extraction.ModeFeatureGrouped)
	add(13, 0.1, extraction.ModeBasic, extraction.ModeBasic) // a redelivery: ignored
	if d.Count != 2 || !d.Has(0) || !d.Has(13) || d.Has(1) || d.Complete() {
		t.Fatalf("record %+v", d)
	}
	if q := d.Quality(); q < 0.799 || q > 0.801 {
		t.Errorf("quality %.3f, want 0.8", q)
	}
	if d.Mode() != extraction.ModeFeatureGrouped || !slices.Equal(d.ModesTried(), []extraction.Mode{extraction.ModeBasic, extraction.ModeCmedit, extraction.ModeFeatureGrouped}) {
		t.Errorf("mode %q tried %v", d.Mode(), d.ModesTried())
	}
	if !slices.Equal(d.Indexes(), []int{0, 13}) || len(d.Accepted) != 2 {
		t.Errorf("indexes %v in %d bytes", d.Indexes(), len(d.Accepted))
	}
	for i := range 20 {
		add(i, 1, extraction.ModeBasic)
	}
	if !d.Complete() || d.Count != 20 {
		t.Errorf("complete %v count %d", d.Complete(), d.Count)
	}
}
