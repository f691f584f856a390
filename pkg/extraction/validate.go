package extraction

import (
	"errors"
	"fmt"
	"regexp"
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
// 3GPP items (a Kind set) follow their own rules: a specification main
// feature has a number of the form 38.331; a parameter has a known kind and
// a whitespace-normalized name that is no PM counter; a measurement is a
// dotted or single identifier; an event kind is a measurement event, a
// message or a procedure; a referenced specification reads 3GPP TS 38.300
// (or TR, ETSI TS/EN, 3GPP2) and has no FAJ id;
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
		if item == "" && f.Spec != "" {
			item = "spec:" + f.Spec
		}
		if item == "" && f.Kind == KindFeatureState {
			item = "cxc:" + f.CXC
		}
		if item == "" {
			item = f.Name
		}
		switch {
		case f.Kind == KindFeatureState && !cxcShape.MatchString(f.CXC):
			add(cat, item, i, "feature state without a CXC code")
		case f.Kind != "" && f.Kind != KindSpecification && f.Kind != KindFeatureState:
			add(cat, item, i, "kind %q is not %s", f.Kind, KindSpecification)
		case f.Kind == KindSpecification && !specNumberShape.MatchString(f.Spec):
			add(cat, item, i, "specification number %q not of the form 38.331", f.Spec)
		case f.FAJ == "" && f.Name == "" && f.Kind != KindFeatureState:
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
		if p.Kind != "" {
			checkParameter3GPP(p, func(reason string, args ...any) { add(cat, p.Name, i, reason, args...) })
			if dup(cat, p.Name) {
				add(cat, p.Name, i, "duplicate")
			}
			continue
		}
		cls, attr, ok := strings.Cut(p.Name, ".")
		if p.Struct != "" {
			// A struct member: MoClass.Struct.attribute.
			st, a, _ := strings.Cut(attr, ".")
			if st != p.Struct || !moClassShape.MatchString(st) {
				ok = false
			}
			attr = a
		}
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
		if c.Kind != "" {
			switch {
			case c.Kind != KindMeasurement:
				add(cat, c.Name, i, "kind %q is not %s", c.Kind, KindMeasurement)
			case !measurementShape.MatchString(c.Name):
				add(cat, c.Name, i, "not a measurement name")
			}
			if dup(cat, c.Name) {
				add(cat, c.Name, i, "duplicate")
			}
			continue
		}
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
		if e.Kind != "" {
			switch {
			case e.Kind != KindMeasurementEvent && e.Kind != KindMessage && e.Kind != KindProcedure && e.Kind != KindAlarm:
				add(cat, e.Name, i, "kind %q is not an event kind", e.Kind)
			case e.Name == "" || e.Name != Collapse(e.Name):
				add(cat, e.Name, i, "name empty or not whitespace-normalized")
			}
			if dup(cat, eventKey(e)) {
				add(cat, e.Name, i, "duplicate")
			}
			continue
		}
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
		if f.Kind != "" {
			switch {
			case f.Kind != KindSpecification:
				add(cat, f.Spec, i, "kind %q is not %s", f.Kind, KindSpecification)
			case f.FAJ != "":
				add(cat, f.Spec, i, "a specification has no FAJ id")
			case !specRefShape.MatchString(f.Spec):
				add(cat, f.Spec, i, "not a specification reference (3GPP TS 38.300)")
			}
			if f.Relationship != "" && !relationShape.MatchString(f.Relationship) {
				add(cat, f.Spec, i, "relationship %q is not a lower-case word", f.Relationship)
			}
			if dup(cat, "spec:"+f.Spec) {
				add(cat, f.Spec, i, "duplicate")
			}
			continue
		}
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

// The shapes of 3GPP names.
var (
	specNumberShape  = regexp.MustCompile(`^\d{2}\.\d{3}(?:-\d+)?$`)
	specRefShape     = regexp.MustCompile(`^(?:3GPP2?|ETSI) (?:TS|TR|EN|ES|GS) [\dA-Z][\d. -]*\d(?:-\d+)?$`)
	measurementShape = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_#-]*(?:\.[A-Za-z0-9_#-]+)*$`)
	parameterKinds   = map[string]bool{KindIE: true, KindField: true, KindTimer: true, KindConstant: true, KindNASIE: true}
)

// checkParameter3GPP reports the problems of a 3GPP parameter.
func checkParameter3GPP(p Parameter, add func(reason string, args ...any)) {
	switch {
	case !parameterKinds[p.Kind]:
		add("kind %q is not a parameter kind", p.Kind)
	case p.Name == "" || p.Name != Collapse(p.Name):
		add("name empty or not whitespace-normalized")
	case p.MOClass != "" || p.Attribute != "":
		add("a 3GPP parameter has no MO class or attribute")
	case IsCounterName(p.Name):
		add("a PM counter is not a parameter")
	}
}
