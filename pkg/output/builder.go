package output

import (
	"fmt"
	"hash/fnv"
	"reflect"
	"slices"
	"strings"

	json "github.com/go-json-experiment/json/v1"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/results"
)

// The kinds of examples.
const (
	KindExtraction         = "extraction"
	KindFeatureIdentity    = "feature_identity"
	KindFeatureParameters  = "feature_parameters"
	KindFeatureObserve     = "feature_observability"
	KindFeatureDepends     = "feature_dependencies"
	KindFeatureActivation  = "feature_activation"
	KindItemFeature        = "item_feature"
	KindSpecIdentity       = "spec_identity"
	KindIEContents         = "ie_contents"
	KindTimer              = "timer"
	KindMeasurementTrigger = "measurement_event"
)

// extractionAsks are the openings of extraction examples: the same task in
// several phrasings, chosen per chunk from the seed.
// extractionAsks are the phrasings of the extraction question; the first is
// the one hybrid mode asks the LLM (extraction.Ask).
var extractionAsks = extraction.Asks

// docBuilder makes the examples of one document: extraction examples chunk
// by chunk, and, once every chunk is seen, the question-and-answer examples
// from the facts the chunks gave. It keeps no chunk text: only which chunk
// names which word, which is what grounding an answer needs.
type docBuilder struct {
	cfg      DatasetConfig
	id       string
	source   string
	family   extraction.Family
	identity []extraction.Feature
	counts   *DatasetCounts
	// chunkIDs and headings are per chunk position.
	chunkIDs []string
	headings [][]string
	// index maps a word or identifier to the first chunk positions naming it.
	index map[string][]int32
	facts facts
	// desc is the first prose paragraph of the document, for what a feature
	// does, and the chunk it comes from.
	desc          string
	descPos       int
	descPreferred bool
}

// maxIndexed is how many chunk positions the index keeps per word.
const maxIndexed = 4

func newDocBuilder(cfg DatasetConfig, d results.DocRecord, counts *DatasetCounts) *docBuilder {
	return &docBuilder{
		cfg: cfg, id: d.DocID, source: d.Source, family: d.Family, identity: d.Extraction.MainFeatures,
		counts: counts, index: map[string][]int32{}, facts: newFacts(), descPos: -1,
	}
}

// pick chooses one of n phrasings for key in the document, from the seed.
func (b *docBuilder) pick(key string, n int) int {
	return pickBy(b.cfg.Seed, b.id+"\x00"+key, n)
}

// pickBy chooses one of n for key, from the seed.
func pickBy(seed, key string, n int) int {
	h := fnv.New64a()
	h.Write([]byte(seed))
	h.Write([]byte{0})
	h.Write([]byte(key))
	return int(h.Sum64() % uint64(n))
}

// addChunk learns what chunk c names and returns its extraction examples.
func (b *docBuilder) addChunk(c results.ChunkRecord) []Example {
	if b.family == "" {
		b.family = c.Family
	}
	if b.source == "" {
		b.source = c.Source
	}
	pos := len(b.chunkIDs)
	b.chunkIDs = append(b.chunkIDs, c.ChunkID)
	b.headings = append(b.headings, c.Headings)
	ts := tokenSet{}
	ts.add(c.Text)
	ts.add(strings.Join(c.Headings, "\n"))
	for w := range ts {
		l, ok := b.index[w]
		if !ok {
			b.index[strings.Clone(w)] = []int32{int32(pos)} // w may hold c.Text alive
		} else if len(l) < maxIndexed {
			b.index[w] = append(l, int32(pos))
		}
	}
	b.facts.add(c.Result, pos)
	if !b.descPreferred && b.family != extraction.Family3GPP && !aside(c.Headings) {
		preferred := describes(c.Headings)
		if b.desc == "" || preferred {
			if p := firstProse(c.Text); p != "" {
				b.desc, b.descPos, b.descPreferred = p, pos, preferred
			}
		}
	}
	if c.Result.Items() == 0 {
		b.counts.Empty++
		return nil
	}
	return b.extraction(c, pos, ts)
}

// extraction makes the extraction examples of a chunk: the user turn holds
// the chunk and, when its items are attributed to the document's feature
// while the chunk does not name it, the feature's identity; an item whose
// identifiers the user turn does not show is left out of the answer. It
// takes ts (the words of the chunk's text and headings) over.
func (b *docBuilder) extraction(c results.ChunkRecord, pos int, ts tokenSet) []Example {
	header, cited := b.identityHeader(c.Result, ts, pos)
	if ctx, at := b.asn1Context(c.Result, ts, pos); ctx != "" {
		header += ctx
		for _, p := range at {
			cited = appendUnique(cited, b.chunkIDs[p])
		}
	}
	// The phrasing follows the content, not the chunk id, so that a chunk
	// repeated in another document gives the same example, which dedup drops.
	ask := extractionAsks[pickBy(b.cfg.Seed, c.Text, len(extractionAsks))]
	// build makes the example of part; pts, when not nil, already holds the
	// words of part and of the headings.
	build := func(part, label, extra string, extraCited []string, pts tokenSet) (Example, tokenSet) {
		if pts == nil {
			pts = tokenSet{}
			pts.add(part)
			pts.add(strings.Join(c.Headings, "\n"))
		}
		pts.add(header)
		pts.add(extra)
		headings := c.Headings
		if label != "" {
			headings = append(append([]string{}, c.Headings...), label)
		}
		user := ask + "\n\n" + header + extra + extraction.UserMessage(headings, part)
		ids := cited
		for _, id := range extraCited {
			ids = appendUnique(slices.Clone(ids), id)
		}
		return Example{
			Messages: []Message{{Role: "system", Content: SystemPrompt}, {Role: "user", Content: user}},
			Metadata: ExampleMeta{DocID: b.id, Source: b.source, Kind: KindExtraction, ChunkIDs: ids, Family: b.family},
		}, pts
	}
	items := itemsOf(c.Result)
	ex, pts := build(c.Text, "", "", nil, ts)
	kept, dropped := groundItems(items, pts)
	ex.Messages = append(ex.Messages, Message{Role: "assistant", Content: answerJSON(kept)})
	if exampleTokens(ex) <= b.cfg.MaxExampleTokens {
		b.counts.Ungrounded += dropped
		if len(kept) == 0 {
			return nil
		}
		return []Example{ex}
	}
	// Too long: split the text, each part with the items it grounds.
	b.counts.SplitChunks++
	room := b.cfg.MaxExampleTokens*charsPerToken - len(SystemPrompt) - len(ask) - len(header) - 200
	for budget := max(room/2, 200); ; budget = budget * 2 / 3 {
		parts := splitText(c.Text, budget)
		var out []Example
		var over int
		placed := make([]bool, len(items))
		for i, part := range parts {
			// Fields of this part whose ASN.1 type began in an earlier part
			// (or chunk) get their context, as a chunk does.
			pts0 := tokenSet{}
			pts0.add(part)
			var cont []extraction.Parameter
			for j, it := range items {
				if p, ok := it.v.(extraction.Parameter); ok && !placed[j] && p.IE != "" && pts0.grounds(leaf(p.Name)) {
					cont = append(cont, p)
				}
			}
			extra, at := b.asn1Context(extraction.Result{Parameters: cont}, pts0, pos)
			var extraCited []string
			for _, p := range at {
				extraCited = append(extraCited, b.chunkIDs[p])
			}
			ex, pts := build(part, fmt.Sprintf("part %d of %d", i+1, len(parts)), extra, extraCited, nil)
			ex.Messages[1].Content = strings.Replace(ex.Messages[1].Content, ask, extractionAsks[pickBy(b.cfg.Seed, part, len(extractionAsks))], 1)
			var mine []item
			for j, it := range items {
				if placed[j] || !it.fits(pts, part) {
					continue
				}
				if g, _ := groundItems([]item{it}, pts); len(g) == 1 {
					mine = append(mine, g[0])
					placed[j] = true
				}
			}
			if len(mine) == 0 {
				continue
			}
			ex.Messages = append(ex.Messages, Message{Role: "assistant", Content: answerJSON(mine)})
			if exampleTokens(ex) > b.cfg.MaxExampleTokens {
				over++
				continue
			}
			out = append(out, ex)
		}
		if over == 0 || budget < 300 {
			for _, p := range placed {
				if !p {
					b.counts.Ungrounded++
				}
			}
			b.counts.OverCap += over
			b.counts.SplitParts += len(out)
			return out
		}
	}
}

// identityHeader is the document identity an extraction answer needs: the
// main features its items are attributed to that the chunk does not name,
// as far as an earlier chunk (or this one) names them. It returns the
// header and the chunks the example cites.
func (b *docBuilder) identityHeader(r extraction.Result, ts tokenSet, pos int) (string, []string) {
	cited := []string{b.chunkIDs[pos]}
	need := map[string]bool{}
	note := func(f string) {
		if f != "" && !ts.grounds(normID(f)) {
			need[normID(f)] = true
		}
	}
	for _, p := range r.Parameters {
		note(p.Feature)
	}
	for _, c := range r.Counters {
		note(c.Feature)
	}
	for _, e := range r.Events {
		note(e.Feature)
	}
	for _, a := range r.ActivationProcedures {
		note(a.Feature)
	}
	if len(need) == 0 {
		return "", cited
	}
	var lines []string
	for _, f := range b.identity {
		id := normID(f.FAJ)
		if f.FAJ == "" || !need[id] {
			continue
		}
		at, ok := b.where(id, pos)
		if !ok {
			continue
		}
		line := "Feature: " + f.FAJ
		nameAt, named := b.whereIDs(f.Name, at)
		if f.Name != "" && named {
			line = "Feature: " + f.Name + " (" + f.FAJ + ")"
			for _, p := range nameAt {
				cited = appendUnique(cited, b.chunkIDs[p])
			}
		}
		lines = append(lines, line)
		cited = appendUnique(cited, b.chunkIDs[at])
	}
	if len(lines) == 0 {
		return "", cited
	}
	return "Document feature: the items below belong to it unless the text says otherwise.\n" + strings.Join(lines, "\n") + "\n\n", cited
}

// leaf is the last segment of a dotted name.
func leaf(name string) string {
	return name[strings.LastIndexByte(name, '.')+1:]
}

// maxContexts bounds the ASN.1 contexts an extraction example shows.
const maxContexts = 8

// asn1Context is the ASN.1 nesting that fields of a chunk continue from an
// earlier chunk (a long SEQUENCE cut by chunking): the containing IE and
// path of each field whose names the chunk lacks, as far as earlier chunks
// name them. It returns the header lines and the chunks they come from.
func (b *docBuilder) asn1Context(r extraction.Result, ts tokenSet, pos int) (string, []int) {
	var lines []string
	var at []int
	seen := map[string]bool{}
	for _, p := range r.Parameters {
		if p.IE == "" || len(lines) >= maxContexts {
			continue
		}
		i := strings.LastIndexByte(p.Name, '.')
		if i <= 0 || !strings.HasPrefix(p.Name, p.IE) {
			continue
		}
		ctx := p.Name[:i]
		if seen[ctx] {
			continue
		}
		seen[ctx] = true
		if len(ungrounded(ctx, ts)) == 0 {
			continue
		}
		ps, ok := b.whereAll(ctx, pos)
		if !ok {
			continue
		}
		lines = append(lines, "ASN.1 context (continued from an earlier part): "+ctx)
		at = append(at, ps...)
	}
	if len(lines) == 0 {
		return "", nil
	}
	return strings.Join(lines, "\n") + "\n\n", at
}

// where finds a chunk naming the identifier id (normalized), the chunk at
// prefer when it does: as written, or every part of a dotted name, or the
// class of a naming attribute.
func (b *docBuilder) where(id string, prefer int) (int, bool) {
	at, ok := b.whereAll(id, prefer)
	if !ok {
		return 0, false
	}
	return at[0], true
}

func (b *docBuilder) whereAll(id string, prefer int) ([]int, bool) {
	if l := b.index[id]; len(l) > 0 {
		for _, p := range l {
			if int(p) == prefer {
				return []int{prefer}, true
			}
		}
		return []int{int(l[0])}, true
	}
	if strings.ContainsAny(id, ".-") {
		var out []int
		for _, part := range strings.FieldsFunc(id, notWordRune) {
			at, ok := b.whereAll(part, prefer)
			if !ok {
				return nil, false
			}
			out = append(out, at...)
		}
		return out, true
	}
	if cls, ok := strings.CutSuffix(id, "Id"); ok && cls != "" {
		return b.whereAll(strings.ToUpper(cls[:1])+cls[1:], prefer)
	}
	return nil, false
}

// whereIDs finds chunks naming every identifier of s, false if one is
// named nowhere.
func (b *docBuilder) whereIDs(s string, prefer int) ([]int, bool) {
	var out []int
	for _, id := range identifiers(s) {
		at, ok := b.whereAll(id, prefer)
		if !ok {
			return nil, false
		}
		out = append(out, at...)
	}
	return out, true
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// item is one item of a result with its category, so that items can be
// filtered and regrouped into answers.
type item struct {
	cat string
	v   any
	// txt and clearedTxt cache text() of the item and of cleared(): a
	// chunk's items are tested against each part it is split into.
	txt, clearedTxt string
}

// feature returns the item's attribution, cleared returns the item without it.
func (it item) feature() string {
	switch v := it.v.(type) {
	case extraction.Parameter:
		return v.Feature
	case extraction.Counter:
		return v.Feature
	case extraction.Event:
		return v.Feature
	case extraction.Activation:
		return v.Feature
	}
	return ""
}

func (it item) cleared() item {
	it.txt, it.clearedTxt = "", ""
	switch v := it.v.(type) {
	case extraction.Parameter:
		v.Feature = ""
		it.v = v
	case extraction.Counter:
		v.Feature = ""
		it.v = v
	case extraction.Event:
		v.Feature = ""
		it.v = v
	case extraction.Activation:
		v.Feature = ""
		it.v = v
	}
	return it
}

// text is the item's string values, one a line, which grounding reads for
// identifiers. It walks the value's exported fields as encoding/json would,
// without encoding and decoding it.
func (it item) text() string {
	var sb strings.Builder
	appendStrings(&sb, reflect.ValueOf(it.v))
	return sb.String()
}

// appendStrings writes the strings of v (a string, or a struct or slice
// holding strings), each followed by a newline.
func appendStrings(sb *strings.Builder, v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		sb.WriteString(v.String())
		sb.WriteByte('\n')
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			appendStrings(sb, v.Index(i))
		}
	case reflect.Struct:
		t := v.Type()
		for i := range v.NumField() {
			if f := t.Field(i); f.IsExported() && f.Tag.Get("json") != "-" {
				appendStrings(sb, v.Field(i))
			}
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			appendStrings(sb, v.Elem())
		}
	}
}

// fits reports whether a part of a split chunk is where the item stands: its
// identifiers, or for an item without any, its name or first step.
func (it item) fits(pts tokenSet, part string) bool {
	txt := it.txt
	if txt == "" {
		txt = it.text()
	}
	ids := identifiers(txt)
	if len(ids) > 0 {
		if len(ungrounded(txt, pts)) == 0 {
			return true
		}
		if it.feature() == "" {
			return false
		}
		cleared := it.clearedTxt
		if cleared == "" {
			cleared = it.cleared().text()
		}
		return len(ungrounded(cleared, pts)) == 0
	}
	anchor := ""
	switch v := it.v.(type) {
	case extraction.Feature:
		anchor = v.Name
	case extraction.RelatedFeature:
		anchor = v.Name
	case extraction.Activation:
		if len(v.Steps) > 0 {
			anchor = v.Steps[0]
		}
	}
	if len(anchor) > 40 {
		anchor = anchor[:40]
	}
	return anchor == "" || strings.Contains(part, anchor)
}

func itemsOf(r extraction.Result) []item {
	var out []item
	for _, v := range r.MainFeatures {
		out = append(out, item{cat: "main_features", v: v})
	}
	for _, v := range r.Parameters {
		out = append(out, item{cat: "parameters", v: v})
	}
	for _, v := range r.Counters {
		out = append(out, item{cat: "counters", v: v})
	}
	for _, v := range r.Events {
		out = append(out, item{cat: "events", v: v})
	}
	for _, v := range r.RelatedFeatures {
		out = append(out, item{cat: "related_features", v: v})
	}
	for _, v := range r.ActivationProcedures {
		out = append(out, item{cat: "activation_procedures", v: v})
	}
	for i := range out {
		out[i].txt = out[i].text()
		if out[i].feature() != "" {
			out[i].clearedTxt = out[i].cleared().text()
		}
	}
	return out
}

// groundItems keeps the items whose identifiers ts grounds, clearing an
// attribution it does not ground, and counts the others.
func groundItems(items []item, ts tokenSet) (kept []item, dropped int) {
	for _, it := range items {
		txt := it.txt
		if txt == "" {
			txt = it.text()
		}
		if len(ungrounded(txt, ts)) == 0 {
			kept = append(kept, it)
			continue
		}
		if it.feature() != "" {
			cleared := it.clearedTxt
			if cleared == "" {
				cleared = it.cleared().text()
			}
			if len(ungrounded(cleared, ts)) == 0 {
				kept = append(kept, it.cleared())
				continue
			}
		}
		dropped++
	}
	return kept, dropped
}

// answerJSON is the six-category JSON of items.
func answerJSON(items []item) string {
	r := extraction.Result{
		MainFeatures: []extraction.Feature{}, Parameters: []extraction.Parameter{}, Counters: []extraction.Counter{},
		Events: []extraction.Event{}, RelatedFeatures: []extraction.RelatedFeature{}, ActivationProcedures: []extraction.Activation{},
	}
	for _, it := range items {
		switch v := it.v.(type) {
		case extraction.Feature:
			r.MainFeatures = append(r.MainFeatures, v)
		case extraction.Parameter:
			r.Parameters = append(r.Parameters, v)
		case extraction.Counter:
			r.Counters = append(r.Counters, v)
		case extraction.Event:
			r.Events = append(r.Events, v)
		case extraction.RelatedFeature:
			r.RelatedFeatures = append(r.RelatedFeatures, v)
		case extraction.Activation:
			r.ActivationProcedures = append(r.ActivationProcedures, v)
		}
	}
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return "{}"
	}
	return strings.TrimSpace(sb.String())
}

// describes reports a section that says what a feature does.
func describes(headings []string) bool {
	for _, h := range headings {
		l := strings.ToLower(h)
		for _, w := range []string{"overview", "description", "summary", "introduction", "benefit"} {
			if strings.Contains(l, w) {
				return true
			}
		}
	}
	return false
}

// aside reports a section that describes something else than the feature
// itself: appendices, change history, legal notices.
func aside(headings []string) bool {
	for _, h := range headings {
		l := strings.ToLower(h)
		for _, w := range []string{"appendix", "history", "copyright", "trademark", "disclaimer", "revision"} {
			if strings.Contains(l, w) {
				return true
			}
		}
	}
	return false
}

// firstProse returns the first sentences of text that read as prose (not a
// heading, table, list or label, and not the tail of a sentence a
// conversion broke across paragraphs), whole sentences within 400 bytes.
func firstProse(text string) string {
	paras := strings.Split(text, "\n\n")
	ended := true // the previous paragraph ended a sentence (or was not prose)
	for i, p := range paras {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		start := ended
		ended = strings.ContainsAny(p[:1], "#|-*>") || strings.HasSuffix(p, ".") || strings.HasSuffix(p, ":")
		if !start || p[0] < 'A' || p[0] > 'Z' || strings.ContainsAny(p[:1], "#|") {
			continue
		}
		// A sentence a conversion cut into paragraphs: join the pieces.
		for j := i + 1; j < len(paras) && !strings.HasSuffix(p, ".") && len(p) < 600; j++ {
			next := strings.TrimSpace(paras[j])
			if next == "" || strings.ContainsAny(next[:1], "#|") {
				break
			}
			p += " " + next
		}
		p = strings.Join(strings.Fields(p), " ")
		if len(p) < 80 || !strings.Contains(p, ". ") && !strings.HasSuffix(p, ".") {
			continue
		}
		if len(p) <= 400 && strings.HasSuffix(p, ".") {
			return p
		}
		cut := strings.LastIndex(p[:min(len(p), 400)], ". ")
		if cut < 60 {
			continue
		}
		return p[:cut+1]
	}
	return ""
}
