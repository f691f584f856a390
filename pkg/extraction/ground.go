package extraction

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	json "github.com/go-json-experiment/json/v1"
)

// Prompt is the system message of an extraction question: the one the hybrid
// mode asks its LLM and the one of every fine-tuning example, so that a model
// fine-tuned on the dataset answers hybrid's question.
const Prompt = "You extract structured knowledge from telecom RAN documentation. " +
	"Return a JSON object with the keys main_features, parameters, counters, events, " +
	"related_features and activation_procedures, using only names that appear in the text."

// Asks are the phrasings of the extraction instruction that opens the user
// turn of an extraction example of the fine-tuning dataset; Ask, the first,
// is what hybrid mode asks, so a model tuned on the dataset is asked as it
// learned.
var Asks = []string{
	"Extract the main features, parameters, counters, events, related features and activation procedures from this documentation excerpt.",
	"Read the excerpt below and return its telecom knowledge as JSON in the six categories.",
	"Turn this section into the six-category JSON extraction.",
	"Here is part of a RAN document. List what it states as JSON: main_features, parameters, counters, events, related_features, activation_procedures.",
	"Give the structured extraction of the following text.",
	"Parse this text for features, MO attributes, PM counters, events, related features and activation steps; answer in JSON.",
	"Below is documentation text. Which features, parameters, counters, events, dependencies and procedures does it name? Answer as JSON.",
}

// Ask is the extraction instruction hybrid mode sends before the chunk.
func Ask() string { return Asks[0] }

// UserMessage is the question about a chunk: its heading path, then its text.
func UserMessage(headings []string, text string) string {
	if len(headings) == 0 {
		return text
	}
	return "Section: " + strings.Join(headings, " > ") + "\n\n" + text
}

// Schema is the JSON schema of a Result, written for structured output: every
// property required and no others (OpenAI's strict mode), an empty string for a
// field the text does not give.
func Schema() map[string]any {
	str := map[string]any{"type": "string"}
	strs := map[string]any{"type": "array", "items": str}
	object := func(props ...string) map[string]any {
		p := map[string]any{}
		for _, name := range props {
			p[name] = str
			if name == "cxc_codes" || name == "steps" || name == "cmedit" {
				p[name] = strs
			}
		}
		return map[string]any{"type": "object", "properties": p, "required": props, "additionalProperties": false}
	}
	list := func(item map[string]any) map[string]any { return map[string]any{"type": "array", "items": item} }
	activation := object("kind", "feature", "cxc_codes", "steps", "cmedit")
	activation["properties"].(map[string]any)["kind"] = map[string]any{"type": "string", "enum": []any{"activate", "deactivate"}}
	props := map[string]any{
		"main_features":         list(object("name", "faj", "value_package", "cxc", "access_type")),
		"parameters":            list(object("name", "mo_class", "attribute", "role", "feature")),
		"counters":              list(object("name", "mo_class", "feature")),
		"events":                list(object("name", "feature")),
		"related_features":      list(object("name", "faj", "relationship")),
		"activation_procedures": list(activation),
	}
	keys := []string{"main_features", "parameters", "counters", "events", "related_features", "activation_procedures"}
	return map[string]any{"type": "object", "properties": props, "required": keys, "additionalProperties": false}
}

// answer is Result as Schema spells it (cxc_codes: a list in procedures).
type answer struct {
	Result
	ActivationProcedures []struct {
		Kind    string   `json:"kind"`
		Feature string   `json:"feature"`
		CXC     []string `json:"cxc_codes"`
		Steps   []string `json:"steps"`
		Cmedit  []string `json:"cmedit"`
	} `json:"activation_procedures"`
}

var (
	thinkBlock = regexp.MustCompile(`(?s)<think>.*?</think>`)
	// ErrNoJSON is returned by ParseAnswer for an answer without a JSON object.
	ErrNoJSON = errors.New("no JSON object in the answer")
)

// ParseAnswer reads an LLM's answer into a Result. Servers without structured
// output (or models that think aloud, as Qwen3 does) wrap the JSON in <think>
// blocks or code fences: the outermost {...} is taken.
func ParseAnswer(s string) (Result, error) {
	s = thinkBlock.ReplaceAllString(s, "")
	i, j := strings.IndexByte(s, '{'), strings.LastIndexByte(s, '}')
	if i < 0 || j < i {
		return Result{}, ErrNoJSON
	}
	var a answer
	if err := json.Unmarshal([]byte(s[i:j+1]), &a); err != nil {
		return Result{}, fmt.Errorf("LLM answer: %w", err)
	}
	r := a.Result
	r.ActivationProcedures = nil
	for _, p := range a.ActivationProcedures {
		r.ActivationProcedures = append(r.ActivationProcedures, Activation{Kind: p.Kind, Feature: p.Feature, CXC: p.CXC, Steps: p.Steps, Cmedit: p.Cmedit})
	}
	return r, nil
}

// Ground keeps what of r its chunk's text states and reports how much it
// dropped. An item stays when its name (FAJ id for features, MoClass and
// attribute for parameters and counters) is in the text, whitespace and
// markdown escapes aside, and it obeys its category's rules (a parameter is
// never a PM counter). Optional fields the text does not state are emptied;
// a procedure keeps the CXC codes, steps and cmedit commands the text states
// (a command: every name in it) and is dropped without any. Every dropped
// item, code, step or command counts one.
func Ground(r Result, text string) (Result, int) {
	g := grounder{text: Collapse(Unescape(text))}
	g.fajs, g.cxcs = findFAJs(g.text), findCXCs(g.text)
	var out Result
	for _, f := range r.MainFeatures {
		f.FAJ, f.Name, f.ValuePackage, f.CXC = Collapse(f.FAJ), Collapse(f.Name), Collapse(f.ValuePackage), Collapse(f.CXC)
		if !(f.FAJ != "" && g.hasID(f.FAJ) || f.FAJ == "" && g.has(f.Name)) {
			g.dropped++
			continue
		}
		f.Name, f.ValuePackage = g.keep(f.Name), g.keep(f.ValuePackage)
		f.CXC = g.keepID(f.CXC)
		if f.AccessType != "LTE" && f.AccessType != "NR" || !g.has(f.AccessType) {
			f.AccessType = ""
		}
		out.MainFeatures = append(out.MainFeatures, f)
	}
	for _, p := range r.Parameters {
		cls, attr, ok := strings.Cut(strings.Join(strings.Fields(p.Name), ""), ".")
		if !ok || cls == "" || attr == "" || IsCounterName(attr) || !(g.has(cls+"."+attr) || g.has(cls) && g.has(attr)) {
			g.dropped++
			continue
		}
		p.Name, p.MOClass, p.Attribute = cls+"."+attr, cls, attr
		if !slices.Contains([]string{"introduced", "affecting", "affected"}, p.Role) {
			p.Role = ""
		}
		p.Feature = g.keepID(p.Feature)
		out.Parameters = append(out.Parameters, p)
	}
	for _, c := range r.Counters {
		name := strings.Join(strings.Fields(c.Name), "")
		cls, pm, qualified := strings.Cut(name, ".")
		if !qualified {
			cls, pm = "", name
		}
		if !IsCounterName(pm) || !(g.has(name) || qualified && g.has(cls) && g.has(pm)) {
			g.dropped++
			continue
		}
		c.Name, c.MOClass, c.Feature = name, cls, g.keepID(c.Feature)
		out.Counters = append(out.Counters, c)
	}
	for _, e := range r.Events {
		e.Name = strings.Join(strings.Fields(e.Name), "")
		if e.Name == "" || strings.HasPrefix(e.Name, "EVENT_") || !g.has(e.Name) {
			g.dropped++
			continue
		}
		e.Feature = g.keepID(e.Feature)
		out.Events = append(out.Events, e)
	}
	for _, f := range r.RelatedFeatures {
		f.FAJ = Collapse(f.FAJ)
		if f.FAJ == "" || !g.hasID(f.FAJ) {
			g.dropped++
			continue
		}
		f.Name = g.keep(Collapse(f.Name))
		if !g.has(f.Relationship) {
			f.Relationship = ""
		}
		out.RelatedFeatures = append(out.RelatedFeatures, f)
	}
	for _, a := range r.ActivationProcedures {
		if a.Kind != "activate" && a.Kind != "deactivate" {
			g.dropped++
			continue
		}
		a.Feature = g.keepID(a.Feature)
		a.CXC = g.filter(a.CXC, g.hasID)
		a.Steps = g.filter(collapseAll(a.Steps), g.has)
		a.Cmedit = g.filter(collapseAll(a.Cmedit), g.command)
		if len(a.CXC) == 0 && len(a.Steps) == 0 {
			g.dropped++
			continue
		}
		out.ActivationProcedures = append(out.ActivationProcedures, a)
	}
	return out, g.dropped
}

type grounder struct {
	text       string
	fajs, cxcs []string // the normalized ids the text states
	dropped    int
}

// has reports whether s is in the text (whitespace collapsed) as a whole:
// not inside a longer name (EUtranCellFDD.zeta is not in EUtranCellFDD.zetaLevel).
func (g *grounder) has(s string) bool {
	return containsWhole(g.text, Collapse(s))
}

// hasID reports whether an id such as FAJ 121 3051 or CXC4011253 is in the
// text, whatever the spacing inside it: FAJ ids and CXC codes are compared in
// their normalized forms, anything else as a whole string.
func (g *grounder) hasID(s string) bool {
	if faj := NormalizeFAJ(s); faj != "" {
		return slices.Contains(g.fajs, faj)
	}
	if cxc := findCXCs(s); len(cxc) == 1 {
		return slices.Contains(g.cxcs, cxc[0])
	}
	return g.has(s)
}

// containsWhole reports whether s occurs in text with no identifier character
// (letter, digit, underscore) glued to either end.
func containsWhole(text, s string) bool {
	if s == "" {
		return false
	}
	for from := 0; ; {
		i := strings.Index(text[from:], s)
		if i < 0 {
			return false
		}
		start, end := from+i, from+i+len(s)
		if (start == 0 || !identByte(text[start-1]) || !identByte(s[0])) &&
			(end == len(text) || !identByte(text[end]) || !identByte(s[len(s)-1])) {
			return true
		}
		from = start + 1
	}
}

// keep returns s when the text states it, else "".
func (g *grounder) keep(s string) string {
	if g.has(s) {
		return s
	}
	return ""
}

func (g *grounder) keepID(s string) string {
	if g.hasID(s) {
		return Collapse(s)
	}
	return ""
}

// filter keeps the elements ok accepts, counting the others as dropped.
func (g *grounder) filter(list []string, ok func(string) bool) []string {
	var out []string
	for _, s := range list {
		if ok(s) {
			out = append(out, s)
		} else {
			g.dropped++
		}
	}
	return out
}

// commandWords are cmedit's own words, which no text needs to state.
var commandWords = map[string]bool{"cmedit": true, "get": true, "set": true, "create": true, "delete": true,
	"action": true, "true": true, "false": true, "t": true, "table": true, "attr": true, "ne": true, "scopefilter": true}

var commandToken = regexp.MustCompile(`[A-Za-z][A-Za-z0-9_]*`)

// command reports whether a cmedit command is well formed and every name in
// it (MO classes, attributes, values) is in the text.
func (g *grounder) command(c string) bool {
	if !strings.HasPrefix(c, "cmedit get ") && !strings.HasPrefix(c, "cmedit set ") {
		return false
	}
	for _, w := range commandToken.FindAllString(c, -1) {
		if commandWords[strings.ToLower(w)] || strings.Contains(g.text, w) {
			continue
		}
		// An MO's naming attribute (featureStateId of FeatureState) follows
		// from its class, which the text must state.
		if cls, ok := strings.CutSuffix(w, "Id"); ok && cls != "" &&
			strings.Contains(g.text, strings.ToUpper(cls[:1])+cls[1:]) {
			continue
		}
		return false
	}
	return true
}
