package extraction

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalid is wrapped by the error Validate returns, so callers can tell a
// result that breaks the category rules from other failures with errors.Is.
var ErrInvalid = errors.New("invalid extraction result")

// The category names Problem uses, as the JSON fields of Result spell them.
const (
	CategoryMainFeatures         = "main_features"
	CategoryParameters           = "parameters"
	CategoryCounters             = "counters"
	CategoryEvents               = "events"
	CategoryRelatedFeatures      = "related_features"
	CategoryActivationProcedures = "activation_procedures"
)

// Problem is one item of a result that breaks a rule of its category.
type Problem struct {
	Category string // one of the Category constants
	Item     string // the item's name (FAJ id, kind for procedures)
	Index    int    // the item's position in its category
	Reason   string
}

// String renders the problem as "category[index] item: reason".
func (p Problem) String() string {
	return fmt.Sprintf("%s[%d] %q: %s", p.Category, p.Index, p.Item, p.Reason)
}

// ValidationError lists every problem of a result; it unwraps to ErrInvalid.
type ValidationError struct {
	Problems []Problem
}

// Error summarizes the first problems.
func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d invalid item(s)", len(e.Problems))
	for i, p := range e.Problems {
		if i == 3 {
			b.WriteString("; ...")
			break
		}
		b.WriteString("; ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Unwrap returns ErrInvalid.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

// Validate checks the invariants of the six categories (DESIGN.md, "The six
// categories and the modes"); it returns nil or a *ValidationError. Extract
// never returns a result that fails it.
func Validate(r Result) error {
	if ps := Problems(r); len(ps) > 0 {
		return &ValidationError{Problems: ps}
	}
	return nil
}

// Problems lists the items of r that break a category rule:
//   - main_features: a FAJ id of the form "FAJ 121 3051" that is not a value
//     package (FAJ 801 ...), whitespace-normalized name, compact CXC code;
//   - parameters: MoClass.attribute (upper-case class, lower-camel attribute)
//     whose attribute is not a PM counter, mo_class and attribute agreeing
//     with the name;
//   - counters: pmName or MoClass.pmName (pm followed by an upper-case letter),
//     and no bare pmName whose qualified form is listed too;
//   - events: UPPER_SNAKE or NR CamelCase (CuCp..., CuUp..., Du...) names,
//     never event parameters or values (EVENT_PARAM_..., EVENT_VALUE_...);
//   - related_features: a valid FAJ id, not a value package nor a main
//     feature, relationship empty or a lower-case word;
//   - activation_procedures: kind activate or deactivate, compact CXC codes,
//     non-empty whitespace-normalized steps;
//
// and, in every category, no duplicates and a Feature attribution that is a
// valid FAJ id or empty.
func Problems(r Result) []Problem {
	var ps []Problem
	add := func(cat, item string, i int, reason string, args ...any) {
		ps = append(ps, Problem{Category: cat, Item: item, Index: i, Reason: fmt.Sprintf(reason, args...)})
	}
	seen := map[string]bool{}
	dup := func(cat, key string) bool {
		k := cat + "\x00" + key
		if seen[k] {
			return true
		}
		seen[k] = true
		return false
	}
	checkFeature := func(cat, item string, i int, faj string) {
		if faj != "" && !fajShape.MatchString(faj) {
			add(cat, item, i, "feature %q is not a FAJ id", faj)
		}
	}

	mainFAJ := map[string]bool{}
	for i, f := range r.MainFeatures {
		const cat = CategoryMainFeatures
		item := f.FAJ
		if item == "" {
			item = f.Name
		}
		switch {
		case f.FAJ == "" && f.Name == "":
			add(cat, item, i, "neither name nor FAJ id")
		case f.FAJ != "" && !fajShape.MatchString(f.FAJ):
			add(cat, item, i, "FAJ id not of the form FAJ 121 3051")
		case isValuePackage(f.FAJ):
			add(cat, item, i, "a value package is not a feature")
		}
		if f.Name != Collapse(f.Name) {
			add(cat, item, i, "name not whitespace-normalized")
		}
		if f.CXC != "" && !cxcShape.MatchString(f.CXC) {
			add(cat, item, i, "CXC code %q not of the form CXC4011253", f.CXC)
		}
		if dup(cat, item) {
			add(cat, item, i, "duplicate")
		}
		mainFAJ[f.FAJ] = true
	}

	for i, p := range r.Parameters {
		const cat = CategoryParameters
		cls, attr, ok := strings.Cut(p.Name, ".")
		switch {
		case !ok || !moClassShape.MatchString(cls) || !attributeShape.MatchString(attr):
			add(cat, p.Name, i, "not of the form MoClass.attribute")
		case IsCounterName(attr):
			add(cat, p.Name, i, "a PM counter is not a parameter")
		case p.MOClass != "" && p.MOClass != cls, p.Attribute != "" && p.Attribute != attr:
			add(cat, p.Name, i, "mo_class/attribute disagree with the name")
		}
		checkFeature(cat, p.Name, i, p.Feature)
		if p.Role != "" && p.Role != strings.ToLower(Collapse(p.Role)) {
			add(cat, p.Name, i, "role not a lower-case word")
		}
		if dup(cat, p.Name) {
			add(cat, p.Name, i, "duplicate")
		}
	}

	qualified := map[string]bool{}
	for _, c := range r.Counters {
		if _, attr, ok := strings.Cut(c.Name, "."); ok {
			qualified[attr] = true
		}
	}
	for i, c := range r.Counters {
		const cat = CategoryCounters
		m := counterShape.FindStringSubmatch(c.Name)
		switch {
		case m == nil:
			add(cat, c.Name, i, "not a PM counter (pmName or MoClass.pmName)")
		case c.MOClass != "" && c.MOClass != m[1]:
			add(cat, c.Name, i, "mo_class disagrees with the name")
		case m[1] == "" && qualified[c.Name]:
			add(cat, c.Name, i, "bare counter listed next to its qualified form")
		}
		checkFeature(cat, c.Name, i, c.Feature)
		if dup(cat, c.Name) {
			add(cat, c.Name, i, "duplicate")
		}
	}

	for i, e := range r.Events {
		const cat = CategoryEvents
		switch {
		case strings.HasPrefix(e.Name, "EVENT_PARAM_"), strings.HasPrefix(e.Name, "EVENT_VALUE_"),
			strings.HasPrefix(e.Name, "EVENT_ARRAY_"):
			add(cat, e.Name, i, "an event parameter or value is not an event")
		case !snakeEvent.MatchString(e.Name) && !camelEvent.MatchString(e.Name):
			add(cat, e.Name, i, "not an event name")
		}
		checkFeature(cat, e.Name, i, e.Feature)
		if dup(cat, e.Name) {
			add(cat, e.Name, i, "duplicate")
		}
	}

	for i, f := range r.RelatedFeatures {
		const cat = CategoryRelatedFeatures
		switch {
		case !fajShape.MatchString(f.FAJ):
			add(cat, f.FAJ, i, "FAJ id not of the form FAJ 121 3051")
		case isValuePackage(f.FAJ):
			add(cat, f.FAJ, i, "a value package is not a related feature")
		case mainFAJ[f.FAJ]:
			add(cat, f.FAJ, i, "a main feature is not related to itself")
		}
		if f.Relationship != "" && !relationShape.MatchString(f.Relationship) {
			add(cat, f.FAJ, i, "relationship %q is not a lower-case word", f.Relationship)
		}
		if f.Name != Collapse(f.Name) {
			add(cat, f.FAJ, i, "name not whitespace-normalized")
		}
		if dup(cat, f.FAJ) {
			add(cat, f.FAJ, i, "duplicate")
		}
	}

	for i, a := range r.ActivationProcedures {
		const cat = CategoryActivationProcedures
		if a.Kind != "activate" && a.Kind != "deactivate" {
			add(cat, a.Kind, i, "kind is neither activate nor deactivate")
		}
		for _, c := range a.CXC {
			if !cxcShape.MatchString(c) {
				add(cat, a.Kind, i, "CXC code %q not of the form CXC4011253", c)
			}
		}
		for _, s := range append(append([]string(nil), a.Steps...), a.Cmedit...) {
			if s == "" || s != Collapse(s) {
				add(cat, a.Kind, i, "step %q empty or not whitespace-normalized", s)
			}
		}
		checkFeature(cat, a.Kind, i, a.Feature)
		if dup(cat, activationKey(a)) {
			add(cat, a.Kind, i, "duplicate")
		}
	}
	return ps
}
