package results

import (
	"errors"
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

// IndexSeq walks the bit set in order across byte boundaries and stops when
// asked to.
func TestDocRecord_indexSeqInOrderAndStops(t *testing.T) {
	var d DocRecord
	want := []int{0, 7, 8, 15, 16, 63, 64, 299}
	for _, i := range []int{299, 8, 0, 64, 15, 7, 63, 16} {
		d.Add(ChunkRecord{DocID: "sha256:x", Index: i, Total: 300})
	}
	if got := slices.Collect(d.IndexSeq()); !slices.Equal(got, want) {
		t.Errorf("indexes %v, want %v", got, want)
	}
	var firstThree []int
	for i := range d.IndexSeq() {
		if len(firstThree) == 3 {
			break
		}
		firstThree = append(firstThree, i)
	}
	if !slices.Equal(firstThree, want[:3]) {
		t.Errorf("stopped after %v", firstThree)
	}
}

// Merge replaces whatever extraction the record held with the union of the
// visited chunks', in the order visited, and passes the visitor's error on.
func TestDocRecord_mergeFoldsVisitedChunks(t *testing.T) {
	d := DocRecord{Extraction: extraction.Result{Events: []extraction.Event{{Name: "STALE"}}}}
	err := d.Merge(func(fn func(ChunkRecord) error) error {
		for _, name := range []string{"A.pmX", "A.pmY", "A.pmX"} {
			if err := fn(ChunkRecord{Result: extraction.Result{Counters: []extraction.Counter{{Name: name, MOClass: "A"}}}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range d.Extraction.Counters {
		names = append(names, c.Name)
	}
	if len(d.Extraction.Events) != 0 || !slices.Equal(names, []string{"A.pmX", "A.pmY"}) {
		t.Errorf("events %v counters %v", d.Extraction.Events, names)
	}
	broken := errors.New("bucket gone")
	if err := d.Merge(func(func(ChunkRecord) error) error { return broken }); !errors.Is(err, broken) {
		t.Errorf("visitor error lost: %v", err)
	}
}

// A replay's chunks start the record afresh; chunks of the run it superseded,
// still in flight, change nothing.
func TestDocRecord_replayStartsAfreshAndIgnoresOlderRuns(t *testing.T) {
	var d DocRecord
	for i := range 3 {
		d.Add(ChunkRecord{DocID: "sha256:x", Index: i, Total: 3, Quality: 0.5, Mode: "basic"})
	}
	d.Add(ChunkRecord{DocID: "sha256:x", Replay: "0002", Index: 1, Total: 2, Quality: 1, Mode: "hybrid"})
	if d.Replay != "0002" || d.Count != 1 || d.Total != 2 || !d.Has(1) || d.Has(0) || d.ModeCounts["basic"] != 0 {
		t.Errorf("after the replay's first chunk: %+v", d)
	}
	d.Add(ChunkRecord{DocID: "sha256:x", Index: 0, Total: 3, Quality: 0.5, Mode: "basic"})
	d.Add(ChunkRecord{DocID: "sha256:x", Replay: "0001", Index: 0, Total: 3, Quality: 0.5, Mode: "basic"})
	if d.Count != 1 || d.Has(0) {
		t.Errorf("an older run's chunk was recorded: %+v", d)
	}
	d.Add(ChunkRecord{DocID: "sha256:x", Replay: "0002", Index: 0, Total: 2, Quality: 1, Mode: "hybrid"})
	if !d.Complete() || d.Quality() != 1 {
		t.Errorf("replay incomplete: %+v", d)
	}
}
