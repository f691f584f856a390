package output

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ranstream/ranstream/pkg/extraction"
)

// fact is an item of a document with the chunk position it was found in.
type fact[T any] struct {
	v   T
	pos int
}

// facts are the distinct items of a document's accepted chunks, first
// occurrence first.
type facts struct {
	features []fact[extraction.Feature]
	params   []fact[extraction.Parameter]
	counters []fact[extraction.Counter]
	events   []fact[extraction.Event]
	related  []fact[extraction.RelatedFeature]
	acts     []fact[extraction.Activation]
	seen     map[string]bool
}

func newFacts() facts { return facts{seen: map[string]bool{}} }

func (f *facts) first(key string) bool {
	if f.seen[key] {
		return false
	}
	f.seen[key] = true
	return true
}

// add records the items of r found in the chunk at pos.
func (f *facts) add(r extraction.Result, pos int) {
	for _, v := range r.MainFeatures {
		if f.first("f\x00" + v.FAJ + "\x00" + v.Spec + "\x00" + v.Name) {
			f.features = append(f.features, fact[extraction.Feature]{v, pos})
		}
	}
	for _, v := range r.Parameters {
		if f.first("p\x00" + v.Name + "\x00" + v.IE + "\x00" + v.Feature) {
			f.params = append(f.params, fact[extraction.Parameter]{v, pos})
		}
	}
	for _, v := range r.Counters {
		if f.first("c\x00" + v.Name + "\x00" + v.Feature) {
			f.counters = append(f.counters, fact[extraction.Counter]{v, pos})
		}
	}
	for _, v := range r.Events {
		if f.first("e\x00" + v.Name + "\x00" + v.Feature) {
			f.events = append(f.events, fact[extraction.Event]{v, pos})
		}
	}
	for _, v := range r.RelatedFeatures {
		if f.first("r\x00" + v.FAJ + "\x00" + v.Spec + "\x00" + v.Name) {
			f.related = append(f.related, fact[extraction.RelatedFeature]{v, pos})
		}
	}
	for _, v := range r.ActivationProcedures {
		if f.first("a\x00" + v.Kind + "\x00" + v.Feature + "\x00" + strings.Join(v.Steps, "\x00")) {
			f.acts = append(f.acts, fact[extraction.Activation]{v, pos})
		}
	}
}

// line is one statement of an answer and the chunk it comes from.
type line struct {
	text string
	pos  int
}

// ownerQuestions is how many items of a feature get a question about which
// feature they belong to: a sample, so that these short questions do not
// outnumber the others.
const ownerQuestions = 4

// maxLines bounds the statements of one answer; longer lists are split
// into several questions.
const maxLines = 30

// questions makes the question-and-answer examples of the document.
func (b *docBuilder) questions() []Example {
	var out []Example
	for _, f := range b.features() {
		out = append(out, b.featureQuestions(f)...)
	}
	if b.family == extraction.Family3GPP {
		out = append(out, b.specQuestions()...)
	}
	return out
}

// features are the document's own features with an FAJ id: its identity
// when it has one, else the main features its chunks found.
func (b *docBuilder) features() []fact[extraction.Feature] {
	var out []fact[extraction.Feature]
	seen := map[string]bool{}
	for _, f := range b.facts.features {
		if f.v.FAJ == "" || f.v.Kind != "" || seen[normID(f.v.FAJ)] {
			continue
		}
		seen[normID(f.v.FAJ)] = true
		out = append(out, f)
	}
	return out
}

// qa builds one question-and-answer example, keeping only the answer lines
// whose identifiers a chunk of the document names, and citing those chunks;
// the question's identifiers must stand in a chunk too. It returns false when no line is left.
func (b *docBuilder) qa(kind, question, intro string, lines []line, extra ...int) (Example, bool) {
	cited := []int{}
	cite := func(p int) {
		if p >= 0 && !slices.Contains(cited, p) {
			cited = append(cited, p)
		}
	}
	var kept []string
	check := func(text string, pos int) bool {
		var at []int
		for _, id := range identifiers(text) {
			ps, ok := b.whereAll(id, pos)
			if !ok {
				return false
			}
			at = append(at, ps...)
		}
		for _, p := range at {
			cite(p)
		}
		return true
	}
	// The question's names come from facts too: a fact whose names no chunk
	// shows makes no question.
	if !check(question, -1) || intro != "" && !check(intro, -1) {
		b.counts.Ungrounded++
		return Example{}, false
	}
	for _, l := range lines {
		if !check(l.text, l.pos) {
			b.counts.Ungrounded++
			continue
		}
		cite(l.pos)
		kept = append(kept, l.text)
	}
	if len(kept) == 0 {
		return Example{}, false
	}
	for _, p := range extra {
		cite(p)
	}
	slices.Sort(cited)
	ids := make([]string, len(cited))
	for i, p := range cited {
		ids[i] = b.chunkIDs[p]
	}
	answer := strings.Join(kept, "\n")
	if intro != "" {
		answer = intro + "\n" + answer
	}
	return Example{
		Messages: []Message{
			{Role: "system", Content: QASystemPrompt},
			{Role: "user", Content: question},
			{Role: "assistant", Content: answer},
		},
		Metadata: ExampleMeta{DocID: b.id, Source: b.source, Kind: kind, ChunkIDs: ids, Family: b.family},
	}, true
}

// ask picks a phrasing of a question for key and fills in args.
func (b *docBuilder) ask(key string, phrasings []string, args ...any) string {
	return fmt.Sprintf(phrasings[b.pick(key, len(phrasings))], args...)
}

// featureLabel names a feature in a question: its name and FAJ id.
func featureLabel(f extraction.Feature) string {
	if f.Name == "" {
		return f.FAJ
	}
	return f.Name + " (" + f.FAJ + ")"
}

// attributed reports whether an item's attribution is the feature f.
func attributed(feature string, f extraction.Feature) bool {
	return feature != "" && (normID(feature) == normID(f.FAJ) || feature == f.Name)
}

var (
	askIdentity = []string{
		"What does the feature %s do, and how is it identified?",
		"Describe %s and give its identifiers.",
		"Tell me about %s: what is it, and what are its license code and value package?",
		"I need the identity of %s. What is it?",
		"Summarize the feature %s.",
		"%s: what is this feature?",
	}
	askParams = []string{
		"Which parameters does %s introduce or affect%s?",
		"List the MO attributes of %s%s, with their MO class and role.",
		"What configuration parameters come with %s%s?",
		"For %s%s, which parameters should an engineer know about?",
		"Name the parameters of %s%s and say whether each is introduced or affected.",
		"%s%s: what parameters does it have?",
	}
	askObserve = []string{
		"Which counters and events observe %s%s?",
		"How can I monitor %s%s? Name its PM counters and events.",
		"List the performance counters and events of %s%s.",
		"What PM data comes with %s%s?",
		"To measure the effect of %s%s, which counters and events are there?",
		"%s%s: which counters observe it?",
	}
	askDepends = []string{
		"What does %s depend on?",
		"Which other features are related to %s, and how?",
		"List the prerequisites, conflicts and related features of %s.",
		"Before enabling %s, which other features matter?",
		"How does %s relate to other features?",
		"%s: what are its dependencies?",
	}
	askActivate = []string{
		"How do I %[2]s %[1]s?",
		"What are the steps to %[2]s %[1]s?",
		"Give the license code, steps and cmedit commands to %[2]s %[1]s.",
		"Walk me through how to %[2]s %[1]s.",
		"%[1]s: how is it %[2]sd?",
		"Which procedure and commands %[2]s %[1]s?",
	}
	askOwner = []string{
		"Which feature does the %[2]s %[1]s belong to?",
		"%[1]s: which feature is it part of?",
		"To which feature is the %[2]s %[1]s attributed?",
		"In the documentation, what feature owns the %[2]s %[1]s?",
		"What feature is %[1]s part of?",
		"Tell me which feature the %[2]s %[1]s comes with.",
	}
)

// featureQuestions asks about one feature of the document: what it is,
// its parameters, counters and events, dependencies, activation, and which
// feature some of its items belong to.
func (b *docBuilder) featureQuestions(ff fact[extraction.Feature]) []Example {
	f := ff.v
	label := featureLabel(f)
	var out []Example
	add := func(ex Example, ok bool) {
		if ok {
			out = append(out, ex)
		}
	}
	// What it is.
	var id []line
	id = append(id, line{fmt.Sprintf("%s is the feature %s.", nameOr(f.Name, "It"), f.FAJ), ff.pos})
	if f.CXC != "" {
		id = append(id, line{"Its feature state (license) key is " + f.CXC + ".", ff.pos})
	}
	if f.ValuePackage != "" {
		id = append(id, line{"It belongs to the value package " + f.ValuePackage + ".", ff.pos})
	}
	if f.AccessType != "" {
		id = append(id, line{"Access type: " + f.AccessType + ".", ff.pos})
	}
	if b.desc != "" {
		id = append(id, line{"The document describes it so: " + b.desc, b.descPos})
	}
	add(b.qa(KindFeatureIdentity, b.ask("id:"+f.FAJ, askIdentity, label), "", id))

	// Parameters, by MO class when there are many.
	var params []fact[extraction.Parameter]
	for _, p := range b.facts.params {
		if p.v.Kind == "" && attributed(p.v.Feature, f) {
			params = append(params, p)
		}
	}
	for _, g := range groupBy(params, func(p fact[extraction.Parameter]) string { return p.v.MOClass }) {
		var ls []line
		for _, p := range g.items {
			s := "- " + p.v.Name
			var about []string
			if p.v.MOClass != "" {
				about = append(about, "MO class "+p.v.MOClass)
			}
			if p.v.Role != "" {
				about = append(about, p.v.Role)
			}
			if len(about) > 0 {
				s += " (" + strings.Join(about, ", ") + ")"
			}
			ls = append(ls, line{s, p.pos})
		}
		scope := ""
		if g.key != "" && len(params) > maxLines {
			scope = " on MO class " + g.key
		}
		q := b.ask("params:"+f.FAJ+g.key+g.part, askParams, label, scope+g.part)
		add(b.qa(KindFeatureParameters, q, "The documentation lists these parameters for "+label+":", ls, ff.pos))
	}

	// Counters and events.
	var obs []line
	for _, c := range b.facts.counters {
		if c.v.Kind == "" && attributed(c.v.Feature, f) {
			obs = append(obs, line{"- counter " + c.v.Name, c.pos})
		}
	}
	for _, e := range b.facts.events {
		if e.v.Kind == "" && attributed(e.v.Feature, f) {
			obs = append(obs, line{"- event " + e.v.Name, e.pos})
		}
	}
	for i, part := range chunkLines(obs) {
		suffix := partLabel(i, len(obs))
		q := b.ask(fmt.Sprintf("obs:%s:%d", f.FAJ, i), askObserve, label, suffix)
		add(b.qa(KindFeatureObserve, q, label+" is observed with:", part, ff.pos))
	}

	// Dependencies: a document's related features belong to its feature.
	if len(b.features()) == 1 {
		var deps []line
		for _, r := range b.facts.related {
			if r.v.FAJ == "" || r.v.Kind != "" || normID(r.v.FAJ) == normID(f.FAJ) {
				continue
			}
			s := "- " + nameOr(r.v.Name, "feature") + " (" + r.v.FAJ + ")"
			if r.v.Relationship != "" {
				s += ": " + r.v.Relationship
			}
			deps = append(deps, line{s, r.pos})
		}
		for i, part := range chunkLines(deps) {
			q := b.ask(fmt.Sprintf("deps:%s:%d", f.FAJ, i), askDepends, label)
			if len(deps) > maxLines {
				q += partLabel(i, len(deps))
			}
			add(b.qa(KindFeatureDepends, q, "The documentation relates "+label+" to these features:", part, ff.pos))
		}
	}

	// Activation and deactivation.
	for _, a := range b.facts.acts {
		if !attributed(a.v.Feature, f) && !(a.v.Feature == "" && len(b.features()) == 1) {
			continue
		}
		verb := "activate"
		if a.v.Kind == "deactivate" {
			verb = "deactivate"
		}
		var ls []line
		if len(a.v.CXC) > 0 {
			ls = append(ls, line{"License (feature state) code: " + strings.Join(a.v.CXC, ", ") + ".", a.pos})
		}
		for i, s := range a.v.Steps {
			ls = append(ls, line{fmt.Sprintf("%d. %s", i+1, s), a.pos})
		}
		if len(a.v.Cmedit) > 0 {
			ls = append(ls, line{"With cmedit:", a.pos})
			for _, c := range a.v.Cmedit {
				ls = append(ls, line{"  " + c, a.pos})
			}
		}
		q := b.ask("act:"+f.FAJ+verb+strings.Join(a.v.Steps, ""), askActivate, label, verb)
		add(b.qa(KindFeatureActivation, q, "", ls, ff.pos))
	}

	// Which feature an item belongs to, for a few items.
	type owned struct {
		name, what, detail string
		pos                int
		order              int // the seeded pick of its name, hashed once
	}
	var items []owned
	for _, p := range params {
		d := ""
		if p.v.Role != "" {
			d = " The document lists it as " + p.v.Role + " by the feature."
		}
		items = append(items, owned{name: p.v.Name, what: "parameter", detail: d, pos: p.pos})
	}
	for _, c := range b.facts.counters {
		if c.v.Kind == "" && attributed(c.v.Feature, f) {
			items = append(items, owned{name: c.v.Name, what: "counter", pos: c.pos})
		}
	}
	for _, e := range b.facts.events {
		if e.v.Kind == "" && attributed(e.v.Feature, f) {
			items = append(items, owned{name: e.v.Name, what: "event", pos: e.pos})
		}
	}
	for i := range items {
		items[i].order = b.pick("own:"+items[i].name, 1<<30)
	}
	slices.SortStableFunc(items, func(x, y owned) int { return x.order - y.order })
	for _, it := range items[:min(len(items), ownerQuestions)] {
		q := b.ask("own:"+it.name, askOwner, it.name, it.what)
		ans := fmt.Sprintf("The %s %s belongs to %s.%s", it.what, it.name, label, it.detail)
		add(b.qa(KindItemFeature, q, "", []line{{ans, it.pos}}, ff.pos))
	}
	return out
}

func nameOr(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// group is a run of at most maxLines items of one key.
type group[T any] struct {
	key, part string
	items     []T
}

// groupBy groups items by key when they are more than maxLines, and cuts
// groups longer than maxLines into parts.
func groupBy[T any](items []T, key func(T) string) []group[T] {
	if len(items) == 0 {
		return nil
	}
	var groups []group[T]
	if len(items) <= maxLines {
		groups = []group[T]{{items: items}}
	} else {
		at := map[string]int{}
		for _, it := range items {
			k := key(it)
			i, ok := at[k]
			if !ok {
				i = len(groups)
				at[k] = i
				groups = append(groups, group[T]{key: k})
			}
			groups[i].items = append(groups[i].items, it)
		}
	}
	var out []group[T]
	for _, g := range groups {
		n := (len(g.items) + maxLines - 1) / maxLines
		for i := 0; i < n; i++ {
			part := g
			part.items = g.items[i*maxLines : min(len(g.items), (i+1)*maxLines)]
			if n > 1 {
				part.part = fmt.Sprintf(" (part %d of %d)", i+1, n)
			}
			out = append(out, part)
		}
	}
	return out
}

func chunkLines(ls []line) [][]line {
	var out [][]line
	for i := 0; i < len(ls); i += maxLines {
		out = append(out, ls[i:min(len(ls), i+maxLines)])
	}
	return out
}

func partLabel(i, n int) string {
	if n <= maxLines {
		return ""
	}
	return fmt.Sprintf(" (part %d of %d)", i+1, (n+maxLines-1)/maxLines)
}
