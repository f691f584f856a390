package extraction

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// randomResult draws items from small name pools so that chunks overlap, bare
// counters meet their qualified forms, related features become main ones, and
// names differ only in whitespace.
func randomResult(rng *rand.Rand) Result {
	pick := func(pool []string) string { return pool[rng.IntN(len(pool))] }
	fajs := []string{"FAJ 121 3051", "FAJ  121 3051", "FAJ 121 4796", "FAJ 121 9901", "FAJ 121 0001"}
	feats := []string{"", "FAJ 121 3051", "FAJ 121 9901"}
	var r Result
	for range rng.IntN(3) {
		r.MainFeatures = append(r.MainFeatures, Feature{Name: pick([]string{"Zeta", "Zeta Boost", ""}), FAJ: pick(fajs),
			CXC: pick([]string{"", "CXC4011253", "CXC4019901"}), AccessType: pick([]string{"", "LTE", "NR"})})
	}
	for range rng.IntN(6) {
		cls := pick([]string{"EUtranCellFDD", "NRCellDU"})
		attr := pick([]string{"qRxLevMin", "pdcchTargetBler", "boostLevel"})
		r.Parameters = append(r.Parameters, Parameter{Name: cls + "." + attr, MOClass: cls, Attribute: attr,
			Role: pick([]string{"", "introduced", "affecting"}), Feature: pick(feats)})
	}
	for range rng.IntN(5) {
		name := pick([]string{"pmDlAssigsTrans", "EUtranCellFDD.pmDlAssigsTrans", "pmUeCtxt", "NRCellCU.pmUeCtxt", "pm Ue Ctxt"})
		r.Counters = append(r.Counters, Counter{Name: name, Feature: pick(feats)})
	}
	for range rng.IntN(3) {
		r.Events = append(r.Events, Event{Name: pick([]string{"INTERNAL_PROC_SOFT_LOCK", "INTERNAL_EVENT_X"}), Feature: pick(feats)})
	}
	for range rng.IntN(3) {
		r.RelatedFeatures = append(r.RelatedFeatures, RelatedFeature{Name: pick([]string{"", "Other"}), FAJ: pick(fajs),
			Relationship: pick([]string{"", "prerequisite", "related"})})
	}
	for range rng.IntN(2) {
		r.ActivationProcedures = append(r.ActivationProcedures, Activation{Kind: pick([]string{"activate", "deactivate"}),
			Feature: pick(feats), CXC: []string{pick([]string{"CXC4011253", "CXC4019901"})},
			Steps: []string{pick([]string{"Set A.b to 1.", "Set A.c to 2."})}})
	}
	return r
}

func TestMerger_sameAsMerge(t *testing.T) {
	for seed := uint64(1); seed <= 200; seed++ {
		rng := rand.New(rand.NewPCG(seed, 5))
		var want Result
		m := NewMerger()
		for range 1 + rng.IntN(40) {
			r := randomResult(rng)
			Merge(&want, r)
			m.Add(r)
		}
		if got := m.Result(); !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: Merger differs from Merge:\n got %+v\nwant %+v", seed, got, want)
		}
	}
}

func TestMerger_emptyEncodesAsEmptyLists(t *testing.T) {
	var want Result
	Merge(&want, Result{})
	if got := NewMerger().Result(); !reflect.DeepEqual(got, want) {
		t.Errorf("empty Merger %+v, want %+v", got, want)
	}
}

// BenchmarkMerger folds 10,000 chunk results of 4,000 distinct parameters (a
// large parameter sheet): linear, where Merge is quadratic.
func BenchmarkMerger(b *testing.B) {
	results := make([]Result, 10000)
	for i := range results {
		for k := range 25 {
			n := (i*25 + k) % 4000
			results[i].Parameters = append(results[i].Parameters, Parameter{Name: fmt.Sprintf("EUtranCellFDD.param%d", n)})
		}
	}
	b.Run("Merger", func(b *testing.B) {
		for b.Loop() {
			m := NewMerger()
			for _, r := range results {
				m.Add(r)
			}
			_ = m.Result()
		}
	})
	b.Run("Merge-first-1000", func(b *testing.B) {
		for b.Loop() {
			var out Result
			for _, r := range results[:1000] {
				Merge(&out, r)
			}
		}
	})
}

func TestDottedSpans_sameAsRegexp(t *testing.T) {
	re := regexp.MustCompile(`[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*`)
	alphabet := []string{"a", "Z", "9", "_", ".", "..", " ", "\n", "é", "|", "-", "@", "EUtranCellFDD.pmX", "www.", "://"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		var sb strings.Builder
		for range rng.IntN(30) {
			sb.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		text := sb.String()
		var got [][]int
		for s, e := range dottedSpans(text) {
			got = append(got, []int{s, e})
		}
		if want := re.FindAllStringIndex(text, -1); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: spans %v, regexp %v", text, got, want)
		}
		if urlPattern.MatchString(text) && !mayHoldURL(text) {
			t.Fatalf("%q: mayHoldURL says no, urlPattern matches", text)
		}
	}
}
