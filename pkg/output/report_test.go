package output

import (
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/extraction"
)

// TestReport_startModes: the report says, per start mode, how many chunks
// were accepted there and how many climbed on.
func TestReport_startModes(t *testing.T) {
	r := newReport(Input{})
	basic, cmedit, fg := extraction.ModeBasic, extraction.ModeCmedit, extraction.ModeFeatureGrouped
	for i, tried := range [][]extraction.Mode{{basic}, {basic, cmedit}, {basic, cmedit, fg}, {fg}, {fg}, {cmedit, fg}} {
		c := record("a", i, "text", extraction.Result{})
		c.ModesTried, c.Mode = tried, tried[len(tried)-1]
		r.addChunk(c)
	}
	want := map[extraction.Mode]StartOutcome{
		basic:  {Chunks: 3, Held: 1, Climbed: 2},
		cmedit: {Chunks: 1, Held: 0, Climbed: 1},
		fg:     {Chunks: 2, Held: 2, Climbed: 0},
	}
	for m, w := range want {
		if got := r.StartModes[m]; got != w {
			t.Errorf("start mode %s: %+v, want %+v", m, got, w)
		}
	}
	if txt := r.Text(); !strings.Contains(txt, "feature_grouped       2 chunks  held 2  climbed 0") {
		t.Errorf("report.txt does not say how the feature_grouped starts held:\n%s", txt)
	}
}
