// Package eval measures extractions against hand-checked labels in the format
// of corpus/elex-gold (see its ANNOTATION.md): precision, recall and F1 per
// category, micro-averaged over the labelled documents. Anyone can label a few
// of their own documents the same way and measure.
package eval

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	json "github.com/go-json-experiment/json/v1"

	"github.com/ranstream/ranstream/pkg/extraction"
)

// Gold is one labelled document.
type Gold struct {
	Doc          string `json:"doc"`
	MainFeatures []struct {
		Name string `json:"name"`
		FAJ  string `json:"faj"`
	} `json:"main_features"`
	Parameters      []string `json:"parameters"`
	Counters        []string `json:"counters"`
	Events          []string `json:"events"`
	RelatedFeatures []struct {
		FAJ          string  `json:"faj"`
		Relationship *string `json:"relationship"`
	} `json:"related_features"`
	ActivationProcedures []struct {
		Kind string   `json:"kind"`
		CXC  []string `json:"cxc"`
	} `json:"activation_procedures"`
	DontCare struct {
		FAJ      []string `json:"faj"`
		Counters []string `json:"counters"`
	} `json:"dont_care"`
}

// Prediction is the part of an extractions.jsonl line eval reads.
type Prediction struct {
	Source     string            `json:"source"`
	Extraction extraction.Result `json:"extraction"`
}

// Categories scored, in report order.
var Categories = []string{"main_features", "parameters", "counters", "events", "related_features", "relationship", "activation_cxc"}

// Score counts true positives, false positives and false negatives.
type Score struct {
	TP, FP, FN int
	// Misses and Extras name the false negatives and positives, for reading.
	Misses, Extras []string
}

// Precision is TP/(TP+FP), 1 when nothing was predicted.
func (s Score) Precision() float64 { return ratio(s.TP, s.TP+s.FP) }

// Recall is TP/(TP+FN), 1 when nothing was to find.
func (s Score) Recall() float64 { return ratio(s.TP, s.TP+s.FN) }

// F1 is the harmonic mean of precision and recall.
func (s Score) F1() float64 {
	p, r := s.Precision(), s.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Report is the evaluation of a set of documents.
type Report struct {
	// Docs is the number of labelled documents found among the predictions.
	Docs int
	// Missing lists labelled documents with no prediction (scored as all missed).
	Missing []string
	// Total is per category over all documents; PerDoc per document.
	Total  map[string]*Score
	PerDoc map[string]map[string]*Score
}

// LoadGold reads every *.json label file of dir.
func LoadGold(dir string) ([]Gold, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("gold %s: %w", dir, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("gold %s: no *.json label files", dir)
	}
	sort.Strings(files)
	out := make([]Gold, 0, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("gold: %w", err)
		}
		var g Gold
		if err := json.Unmarshal(b, &g); err != nil {
			return nil, fmt.Errorf("gold %s: %w", f, err)
		}
		if g.Doc == "" {
			g.Doc = strings.TrimSuffix(filepath.Base(f), ".json") + ".md"
		}
		out = append(out, g)
	}
	return out, nil
}

// LoadPredictions reads an extractions.jsonl, keyed by the base name of source.
func LoadPredictions(r io.Reader) (map[string]Prediction, error) {
	out := map[string]Prediction{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for n := 1; sc.Scan(); n++ {
		var p Prediction
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			return nil, fmt.Errorf("extractions line %d: %w", n, err)
		}
		out[path.Base(p.Source)] = p
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read extractions: %w", err)
	}
	return out, nil
}

// Evaluate scores preds against gold.
func Evaluate(gold []Gold, preds map[string]Prediction) Report {
	rep := Report{Total: map[string]*Score{}, PerDoc: map[string]map[string]*Score{}}
	for _, c := range Categories {
		rep.Total[c] = &Score{}
	}
	// A labelled document rendered in another format (X.pdf, X.html for
	// X.md) is matched by its name without the extension.
	stems := map[string]Prediction{}
	for name, p := range preds {
		stems[strings.TrimSuffix(name, path.Ext(name))] = p
	}
	for _, g := range gold {
		p, ok := preds[path.Base(g.Doc)]
		if !ok {
			base := path.Base(g.Doc)
			p, ok = stems[strings.TrimSuffix(base, path.Ext(base))]
		}
		if !ok {
			rep.Missing = append(rep.Missing, g.Doc)
		} else {
			rep.Docs++
		}
		per := scoreDoc(g, p.Extraction)
		rep.PerDoc[g.Doc] = per
		for c, s := range per {
			t := rep.Total[c]
			t.TP += s.TP
			t.FP += s.FP
			t.FN += s.FN
		}
	}
	return rep
}

func norm(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, `\_`, "_")), " ")
}

func set(items []string) map[string]bool {
	m := map[string]bool{}
	for _, it := range items {
		if it = norm(it); it != "" {
			m[it] = true
		}
	}
	return m
}

func compare(gold, pred map[string]bool, ignore map[string]bool) *Score {
	s := &Score{}
	for k := range pred {
		switch {
		case ignore[k]:
		case gold[k]:
			s.TP++
		default:
			s.FP++
			s.Extras = append(s.Extras, k)
		}
	}
	for k := range gold {
		if !pred[k] && !ignore[k] {
			s.FN++
			s.Misses = append(s.Misses, k)
		}
	}
	sort.Strings(s.Misses)
	sort.Strings(s.Extras)
	return s
}

func scoreDoc(g Gold, x extraction.Result) map[string]*Score {
	dontFAJ := set(g.DontCare.FAJ)
	dontCounters := set(g.DontCare.Counters)

	var gm, pm, gp, pp, gc, pc, ge, pe, gr, pr, grel, prel, ga, pa []string
	for _, f := range g.MainFeatures {
		gm = append(gm, f.FAJ)
	}
	for _, f := range x.MainFeatures {
		pm = append(pm, f.FAJ)
	}
	gp = g.Parameters
	for _, p := range x.Parameters {
		pp = append(pp, p.Name)
	}
	gc = g.Counters
	for _, c := range x.Counters {
		pc = append(pc, c.Name)
	}
	ge = g.Events
	for _, e := range x.Events {
		pe = append(pe, e.Name)
	}
	gold := set(gm)
	for _, r := range g.RelatedFeatures {
		gr = append(gr, r.FAJ)
		if r.Relationship != nil && *r.Relationship != "" {
			grel = append(grel, norm(r.FAJ)+" "+strings.ToLower(*r.Relationship))
		}
	}
	goldRelated := set(gr)
	for _, r := range x.RelatedFeatures {
		if gold[norm(r.FAJ)] {
			continue // the document's own feature is a main feature, not related
		}
		pr = append(pr, r.FAJ)
		if r.Relationship != "" && goldRelated[norm(r.FAJ)] {
			prel = append(prel, norm(r.FAJ)+" "+strings.ToLower(r.Relationship))
		}
	}
	for _, a := range g.ActivationProcedures {
		for _, c := range a.CXC {
			ga = append(ga, a.Kind+" "+c)
		}
	}
	for _, a := range x.ActivationProcedures {
		for _, c := range a.CXC {
			pa = append(pa, a.Kind+" "+c)
		}
	}
	return map[string]*Score{
		"main_features":    compare(gold, set(pm), dontFAJ),
		"parameters":       compare(set(gp), set(pp), dontCounters),
		"counters":         compare(set(gc), set(pc), dontCounters),
		"events":           compare(set(ge), set(pe), nil),
		"related_features": compare(goldRelated, set(pr), dontFAJ),
		"relationship":     compare(set(grel), set(prel), nil),
		"activation_cxc":   compare(set(ga), set(pa), nil),
	}
}

// Text renders the report as a table, with the misses and extras of each
// category when verbose.
func (r Report) Text(verbose bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d labelled documents evaluated", r.Docs)
	if len(r.Missing) > 0 {
		fmt.Fprintf(&b, ", %d without a prediction: %s", len(r.Missing), strings.Join(r.Missing, ", "))
	}
	fmt.Fprintf(&b, "\n\n%-18s %9s %9s %9s %6s %6s %6s\n", "category", "precision", "recall", "F1", "TP", "FP", "FN")
	for _, c := range Categories {
		s := r.Total[c]
		fmt.Fprintf(&b, "%-18s %9.3f %9.3f %9.3f %6d %6d %6d\n", c, s.Precision(), s.Recall(), s.F1(), s.TP, s.FP, s.FN)
	}
	if verbose {
		docs := make([]string, 0, len(r.PerDoc))
		for d := range r.PerDoc {
			docs = append(docs, d)
		}
		sort.Strings(docs)
		for _, d := range docs {
			for _, c := range Categories {
				s := r.PerDoc[d][c]
				if len(s.Misses)+len(s.Extras) == 0 {
					continue
				}
				fmt.Fprintf(&b, "\n%s %s\n", d, c)
				for _, m := range s.Misses {
					fmt.Fprintf(&b, "  - missed  %s\n", m)
				}
				for _, e := range s.Extras {
					fmt.Fprintf(&b, "  + extra   %s\n", e)
				}
			}
		}
	}
	return b.String()
}
