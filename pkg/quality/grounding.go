package quality

import (
	"regexp"
	"strings"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/mdtext"
)

// grounding is the share of items of r found verbatim in the text.
func grounding(t text, r extraction.Result) float64 {
	ok := 0
	count := func(grounded bool) {
		if grounded {
			ok++
		}
	}
	for _, f := range r.MainFeatures {
		if f.Kind == extraction.KindSpecification {
			count(t.containsAny(f.Spec) || t.containsAny(f.Name))
			continue
		}
		count((f.FAJ == "" || t.containsCode(f.FAJ)) && (f.Name == "" || t.contains(f.Name)) &&
			(f.CXC == "" || t.containsCode(f.CXC)))
	}
	var words []map[string]bool            // per line, built on first use
	var bare, mos, moshell map[string]bool // bare table attributes, classes named as MOs, MoShell's attributes: built on first use
	for _, p := range r.Parameters {
		if p.Kind != "" {
			count(gppParameterGrounded(t, p))
			continue
		}
		if t.contains(p.Name) {
			count(true)
			continue
		}
		// an MO class and an attribute in columns of their own, or an
		// attribute named next to its MO instance: both on one line
		if words == nil {
			words = lineWords(t)
		}
		// (a struct member's MO class, struct and member likewise)
		parts := strings.Split(p.Name, ".")
		if anyMatch(words, func(w map[string]bool) bool {
			for _, x := range parts {
				if !w[x] {
					return false
				}
			}
			return true
		}) {
			count(true)
			continue
		}
		// a bare attribute row of a parameters table whose MO class the
		// chunk names as an MO ("The managed object X ...", "Table 5 MO X");
		// an attribute of the header of an hget table whose rows are MOs of
		// the class, an attribute in its class's element of a bulk CM export
		// (mdtext.ConfigAttributes)
		if bare == nil {
			bare, mos, moshell = map[string]bool{}, map[string]bool{}, map[string]bool{}
			for _, a := range bareAttributes(t) {
				bare[a] = true
			}
			for _, m := range mdtext.NamedMOs(t.headings + " . " + t.flat) {
				mos[m] = true
			}
			for _, m := range mdtext.ConfigAttributes(t.raw) {
				moshell[m.Class+"."+m.Attribute] = true
			}
		}
		count(len(parts) == 2 && bare[parts[1]] && mos[parts[0]] || moshell[p.Name])
	}
	for _, c := range r.Counters {
		// a sheet row names the MO class and the counter in columns of
		// their own: both on one line
		cls, name, qualified := strings.Cut(c.Name, ".")
		count(t.contains(c.Name) || qualified && anyMatch(t.lines, func(l line) bool {
			return strings.Contains(l.text, cls) && strings.Contains(l.text, name)
		}))
	}
	for _, e := range r.Events {
		if e.Kind != "" {
			count(t.containsAny(e.Name) || e.Kind == extraction.KindMeasurementEvent && t.containsAny(strings.TrimPrefix(e.Name, "Event ")))
			continue
		}
		// an LTE event name a converter cut the first letter off is grounded
		// by what is left of it
		count(t.contains(e.Name) || (strings.HasPrefix(e.Name, "INTERNAL_") || strings.HasPrefix(e.Name, "LOCAL_")) && t.contains(e.Name[1:]))
	}
	for _, f := range r.RelatedFeatures {
		if f.Kind != "" {
			count(t.containsAny(f.Spec))
			continue
		}
		count(t.containsCode(f.FAJ) && (f.Name == "" || t.contains(f.Name)))
	}
	for _, a := range r.ActivationProcedures {
		g := true
		for _, c := range a.CXC {
			g = g && t.containsCode(c)
		}
		for _, s := range a.Steps {
			g = g && t.contains(s)
		}
		for _, c := range a.Cmedit {
			g = g && commandGrounded(t, c)
		}
		count(g)
	}
	return share(float64(ok), float64(r.Items()))
}

// commandWords splits a cmedit command into the names and values it uses.
var commandWords = regexp.MustCompile(`[A-Za-z0-9_]+`)

// cmeditSyntax are the words of the cmedit language and of the ENM topology
// that a generated command may use without the text stating them.
var cmeditSyntax = map[string]bool{
	"cmedit": true, "get": true, "set": true, "create": true, "delete": true, "action": true,
	"describe": true, "t": true, "table": true, "scopefilter": true, "ne": true, "netype": true,
	"ManagedElement": true, "MeContext": true, "NetworkElement": true, "SubNetwork": true,
	"true": true, "false": true, "ALL": true, "all": true, "force": true, "attr": true,
	"preview": true, "AND": true, "OR": true,
}

// commandGrounded reports whether every MO class, attribute and value a cmedit
// command uses appears in the text, the naming attribute of a stated class
// (FeatureStateId for FeatureState) included: a generated command must not
// invent them.
func commandGrounded(t text, cmd string) bool {
	for _, w := range commandWords.FindAllString(cmd, -1) {
		if cmeditSyntax[w] || strings.Trim(w, "0123456789") == "" {
			continue
		}
		if strings.Contains(t.squeezed, w) {
			continue
		}
		// the naming attribute of a stated class: FeatureStateId, featureStateId
		if cls, ok := strings.CutSuffix(w, "Id"); ok && cls != "" {
			if strings.Contains(t.squeezed, strings.ToUpper(cls[:1])+cls[1:]) {
				continue
			}
		}
		return false
	}
	return true
}

// lineWords returns the words of every line of the text.
func lineWords(t text) []map[string]bool {
	out := make([]map[string]bool, 0, len(t.lines))
	for _, l := range t.lines {
		w := map[string]bool{}
		for _, x := range commandWords.FindAllString(l.text, -1) {
			w[x] = true
		}
		out = append(out, w)
	}
	return out
}
