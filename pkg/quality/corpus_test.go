package quality_test

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/chunk"
	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/quality"

	"github.com/ranstream/ranstream/pkg/internal/corpustest"
)

// corpusDir returns shared/corpus above the package, or skips.
func corpusDir(t *testing.T) string {
	t.Helper()
	corpustest.Dir(t, "elex")
	return corpustest.Root()
}

// ladder is the routing of quality-route over the rule modes.
var ladder = []extraction.Mode{extraction.ModeBasic, extraction.ModeCmedit, extraction.ModeFeatureGrouped}

// route extracts in with the cheapest mode whose result reaches its
// threshold (or the richest), as quality-route does, and returns the scores
// of every mode tried.
func route(t *testing.T, in extraction.Input) []quality.Scorecard {
	t.Helper()
	th := quality.DefaultThresholds()
	var out []quality.Scorecard
	for _, m := range ladder {
		r, err := extraction.Extract(m, in)
		if err != nil {
			t.Fatal(err)
		}
		s := quality.Score(in, r)
		out = append(out, s)
		if s.Value >= th[m] {
			break
		}
	}
	return out
}

// docQuality is the mean routed chunk quality of a document, as
// extractions.jsonl reports it.
func docQuality(t *testing.T, ch *chunk.Chunker, doc string) float64 {
	t.Helper()
	ctx := extraction.IdentityContext(doc)
	pieces := ch.Split(doc)
	var sum float64
	for _, p := range pieces {
		s := route(t, extraction.Input{Text: p.Text, Headings: p.Headings, Context: ctx})
		sum += s[len(s)-1].Value
	}
	return sum / float64(len(pieces))
}

var (
	relationshipRow = regexp.MustCompile(`FAJ\s*\d{3}\s*\d{3,4}[^\n]*?\|\s*(?:Prerequisite|Related|Conflicting)\s*\|`)
	roleRow         = regexp.MustCompile(`(?m)^\|\s*[A-Z][A-Za-z0-9]+\.[a-z][A-Za-z0-9]+[^|\n]*\|\s*(?:Introduced|Affecting|Affected)\.?\s*\|`)
)

type share struct{ n, basicBelow, groupedPass int }

func (s share) rates() (float64, float64) {
	return float64(s.basicBelow) / float64(s.n), float64(s.groupedPass) / float64(s.n)
}

// TestScore_corpusStructuredChunksClimb checks on the chunks of corpus/elex
// that hold a dependencies table row with a relationship or a parameters
// row with a role: basic results score below the basic threshold (so the
// chunk climbs) and feature_grouped results reach the feature_grouped
// threshold; on the labelled documents of elex-gold without exception.
func TestScore_corpusStructuredChunksClimb(t *testing.T) {
	dir := corpusDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "elex", "*.md"))
	goldDocs := map[string]bool{}
	labels, _ := filepath.Glob(filepath.Join(dir, "elex-gold", "*.json"))
	for _, l := range labels {
		goldDocs[strings.TrimSuffix(filepath.Base(l), ".json")+".md"] = true
	}
	ch, err := chunk.New(chunk.Config{})
	if err != nil {
		t.Fatal(err)
	}
	th := quality.DefaultThresholds()
	all, gold := map[string]*share{}, map[string]*share{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ctx := extraction.IdentityContext(string(b))
		for _, p := range ch.Split(string(b)) {
			var kinds []string
			if relationshipRow.MatchString(p.Text) {
				kinds = append(kinds, "dependencies")
			}
			if roleRow.MatchString(p.Text) {
				kinds = append(kinds, "parameters")
			}
			if len(kinds) == 0 {
				continue
			}
			in := extraction.Input{Text: p.Text, Headings: p.Headings, Context: ctx}
			bs := quality.Score(in, mustExtract(t, extraction.ModeBasic, in))
			gs := quality.Score(in, mustExtract(t, extraction.ModeFeatureGrouped, in))
			for _, k := range kinds {
				for _, m := range []map[string]*share{all, gold} {
					if m == nil {
						continue
					}
					if m[k] == nil {
						m[k] = &share{}
					}
				}
				update := func(s *share) {
					s.n++
					if bs.Value < th[extraction.ModeBasic] {
						s.basicBelow++
					}
					if gs.Value >= th[extraction.ModeFeatureGrouped] {
						s.groupedPass++
					}
				}
				update(all[k])
				if goldDocs[filepath.Base(f)] {
					update(gold[k])
					if bs.Value >= th[extraction.ModeBasic] || gs.Value < th[extraction.ModeFeatureGrouped] {
						t.Errorf("%s chunk %d (%s): basic %+v, feature_grouped %+v", filepath.Base(f), p.Index, k, bs, gs)
					}
				}
			}
		}
	}
	kinds := make([]string, 0, len(all))
	for k := range all {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		below, pass := all[k].rates()
		t.Logf("%-12s %4d chunks: basic below threshold %.1f%%, feature_grouped passing %.1f%% (labelled documents: %d chunks)", k, all[k].n, 100*below, 100*pass, gold[k].n)
		if below < 0.98 || pass < 0.98 {
			t.Errorf("%s chunks: basic below threshold %.3f, feature_grouped passing %.3f; want both at least 0.98", k, below, pass)
		}
	}
}

func mustExtract(t *testing.T, m extraction.Mode, in extraction.Input) extraction.Result {
	t.Helper()
	r, err := extraction.Extract(m, in)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var heading = regexp.MustCompile(`^\s{0,3}#{1,6}\s+(.*)$`)

// degrade removes a document's headings (their titles stay as plain lines)
// and flattens its tables into prose, one line per row, as a poor converter
// would.
func degrade(doc string) string {
	var out []string
	for _, l := range strings.Split(doc, "\n") {
		if m := heading.FindStringSubmatch(l); m != nil {
			out = append(out, m[1])
			continue
		}
		s := strings.TrimSpace(l)
		if !strings.HasPrefix(s, "|") {
			out = append(out, l)
			continue
		}
		if strings.Trim(s, "|:- ") == "" {
			continue
		}
		out = append(out, extraction.Collapse(strings.ReplaceAll(strings.Trim(s, "|"), "|", " ")), "")
	}
	return strings.Join(out, "\n")
}

const degradeFixture = `# 1 Zeta Boost Overview

| Feature Name     | Zeta Boost   |
|------------------|--------------|
| Feature Identity | FAJ 121 9901 |
| Access Type      | LTE          |

# 2 Dependencies of Zeta Boost

| Feature                        | Relationship | Description                   |
|--------------------------------|--------------|-------------------------------|
| Zeta Prebooster (FAJ 121 9902) | Prerequisite | Must be active first.         |
| Omega Sleep (FAJ 121 9903)     | Conflicting  | Cannot run with Zeta Boost.   |

# 5 Parameters for Zeta Boost

| Parameter              | Type       | Description          |
|------------------------|------------|----------------------|
| ZetaCellFDD.boostLevel | Introduced | See MOM description. |
| AlphaProfile.gain      | Affecting  | Scales the boost.    |

# 7 Activate Zeta Boost

1. Set the FeatureState.featureState attribute to ACTIVATED in the FeatureState=CXC4019901 MO instance.
`

// TestScore_degradingLowersScore checks that a document whose headings are
// removed and whose tables are flattened into prose scores lower than the
// original (mean routed chunk quality): the result loses what the structure
// carried, and the score notices. On an invented document without
// exception, and on at least 95% of the corpus documents with a
// dependencies or parameters table.
func TestScore_degradingLowersScore(t *testing.T) {
	ch, err := chunk.New(chunk.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if q0, q1 := docQuality(t, ch, degradeFixture), docQuality(t, ch, degrade(degradeFixture)); q1 >= q0 {
		t.Errorf("invented document: degraded %.3f, original %.3f; want lower", q1, q0)
	}

	dir := corpusDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "elex", "*.md"))
	var n, lower int
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc := string(b)
		if !relationshipRow.MatchString(doc) && !roleRow.MatchString(doc) {
			continue
		}
		n++
		q0, q1 := docQuality(t, ch, doc), docQuality(t, ch, degrade(doc))
		if q1 < q0 {
			lower++
		} else {
			t.Logf("%s: degraded %.3f, original %.3f", filepath.Base(f), q1, q0)
		}
	}
	t.Logf("degrading lowers the score of %d of %d structured documents (%.1f%%)", lower, n, 100*float64(lower)/float64(n))
	if n > 0 && float64(lower) < 0.95*float64(n) {
		t.Errorf("degrading lowered %d of %d documents, want at least 95%%", lower, n)
	}
}
