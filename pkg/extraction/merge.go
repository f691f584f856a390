package extraction

import (
	"cmp"
	"slices"
	"strings"
)

// Merge adds the items of src to dst as a set union: chunk results become a
// document result. Items are keyed by name (FAJ id for features, kind,
// feature and CXC codes for procedures); where both sides hold an item, empty
// fields are filled and conflicting ones settle on the smaller value, so the
// outcome depends neither on the order of the chunks nor on how often a
// result is merged (merging the same result twice changes nothing). Names
// are whitespace-normalized, every category is sorted by name, a bare
// counter is dropped once its MO-qualified form is present, a related
// feature is dropped once it is a main feature, and a procedure whose CXC
// codes and steps another procedure of the same kind already holds is
// dropped, and so is a procedure with neither CXC codes, steps nor
// commands. Categories are never nil afterwards, so they encode as [].
func Merge(dst *Result, src Result) {
	dst.MainFeatures = mergeFeatures(dst.MainFeatures, src.MainFeatures)
	dst.Parameters = mergeParameters(dst.Parameters, src.Parameters)
	dst.Counters = mergeCounters(dst.Counters, src.Counters)
	dst.Events = mergeEvents(dst.Events, src.Events)
	dst.RelatedFeatures = mergeRelated(dst.RelatedFeatures, src.RelatedFeatures, dst.MainFeatures)
	dst.ActivationProcedures = mergeActivations(dst.ActivationProcedures, src.ActivationProcedures)
}

// pick returns the value two copies of one item settle on: the non-empty one,
// or the smaller of two non-empty ones.
func pick(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return min(a, b)
}

// mergeRule says how items of one category merge: their key, how two items with
// the same key combine, and how an item is normalized first.
type mergeRule[T any] struct {
	key     func(T) string
	combine func(T, T) T
	norm    func(T) T
}

// union merges the items of a and b by key, combining items with the same key.
func union[T any](a, b []T, r mergeRule[T]) []T {
	k := keyed[T]{r: r, idx: make(map[string]int, len(a)+len(b)), items: make([]T, 0, len(a)+len(b))}
	k.add(a)
	k.add(b)
	return k.items
}

func featureRule() mergeRule[Feature] {
	return mergeRule[Feature]{
		key: func(f Feature) string {
			switch {
			case f.FAJ != "":
				return f.FAJ
			case f.Spec != "":
				return "spec:" + f.Spec
			case f.Kind == KindFeatureState:
				return "cxc:" + f.CXC
			}
			return "name:" + f.Name
		},
		combine: func(x, y Feature) Feature {
			return Feature{Name: pick(x.Name, y.Name), FAJ: x.FAJ, ValuePackage: pick(x.ValuePackage, y.ValuePackage),
				CXC: pick(x.CXC, y.CXC), AccessType: pick(x.AccessType, y.AccessType),
				Kind: pick(x.Kind, y.Kind), Spec: pick(x.Spec, y.Spec), Version: pick(x.Version, y.Version),
				Release: pick(x.Release, y.Release)}
		},
		norm: func(f Feature) Feature {
			f.Name, f.FAJ, f.ValuePackage = Collapse(f.Name), Collapse(f.FAJ), Collapse(f.ValuePackage)
			f.CXC, f.AccessType = Collapse(f.CXC), Collapse(f.AccessType)
			return f
		},
	}
}

func mergeFeatures(a, b []Feature) []Feature { return sortFeatures(union(a, b, featureRule())) }

func sortFeatures(out []Feature) []Feature {
	slices.SortFunc(out, func(x, y Feature) int {
		return cmp.Or(cmp.Compare(x.FAJ, y.FAJ), cmp.Compare(x.Name, y.Name))
	})
	return out
}

func parameterRule() mergeRule[Parameter] {
	return mergeRule[Parameter]{
		// A NAS IE is written "Packet flow Identifier" by its message's
		// table and "Packet flow identifier" by the clause about it: one IE.
		key: func(p Parameter) string {
			if p.Kind == KindNASIE {
				return "nas\x00" + strings.ToLower(p.Name)
			}
			return p.Name
		},
		combine: func(x, y Parameter) Parameter {
			return Parameter{Name: pick(x.Name, y.Name), MOClass: pick(x.MOClass, y.MOClass), Attribute: pick(x.Attribute, y.Attribute),
				Role: pick(x.Role, y.Role), Feature: pick(x.Feature, y.Feature),
				Kind: pick(x.Kind, y.Kind), Type: pick(x.Type, y.Type), Range: pick(x.Range, y.Range),
				Optional: x.Optional || y.Optional, Need: pick(x.Need, y.Need), Cond: pick(x.Cond, y.Cond),
				IE: pick(x.IE, y.IE), Path: pick(x.Path, y.Path), Release: pick(x.Release, y.Release),
				Start: pick(x.Start, y.Start), Stop: pick(x.Stop, y.Stop), Expiry: pick(x.Expiry, y.Expiry), Description: pick(x.Description, y.Description),
				IEI: pick(x.IEI, y.IEI), Presence: pick(x.Presence, y.Presence), Format: pick(x.Format, y.Format),
				Length: pick(x.Length, y.Length), Struct: pick(x.Struct, y.Struct), Default: pick(x.Default, y.Default),
				Unit: pick(x.Unit, y.Unit), Model: pick(x.Model, y.Model), Flags: pick(x.Flags, y.Flags)}
		},
		norm: func(p Parameter) Parameter {
			if p.Kind == "" {
				p.Name = strings.Join(strings.Fields(p.Name), "")
			} else {
				p.Name = Collapse(p.Name) // NAS IE names have spaces
			}
			return p
		},
	}
}

func mergeParameters(a, b []Parameter) []Parameter {
	return sortParameters(union(a, b, parameterRule()))
}

func sortParameters(out []Parameter) []Parameter {
	slices.SortFunc(out, func(x, y Parameter) int { return cmp.Compare(x.Name, y.Name) })
	return out
}

func counterRule() mergeRule[Counter] {
	return mergeRule[Counter]{
		key: func(c Counter) string { return c.Name },
		combine: func(x, y Counter) Counter {
			return Counter{Name: x.Name, MOClass: pick(x.MOClass, y.MOClass), Feature: pick(x.Feature, y.Feature),
				Kind: pick(x.Kind, y.Kind), Objects: appendNew(slices.Clone(x.Objects), y.Objects),
				Type: pick(x.Type, y.Type), Description: pick(x.Description, y.Description), Unit: pick(x.Unit, y.Unit),
				Event: pick(x.Event, y.Event)}
		},
		norm: func(c Counter) Counter {
			c.Name = strings.Join(strings.Fields(c.Name), "")
			return c
		},
	}
}

func mergeCounters(a, b []Counter) []Counter { return finishCounters(union(a, b, counterRule())) }

// finishCounters drops a bare counter whose MO-qualified form is present and
// sorts by name.
func finishCounters(out []Counter) []Counter {
	qualified := map[string]bool{}
	for _, c := range out {
		if _, attr, ok := strings.Cut(c.Name, "."); ok {
			qualified[attr] = true
		}
	}
	out = slices.DeleteFunc(out, func(c Counter) bool { return !strings.Contains(c.Name, ".") && qualified[c.Name] })
	slices.SortFunc(out, func(x, y Counter) int { return cmp.Compare(x.Name, y.Name) })
	return out
}

func eventRule() mergeRule[Event] {
	return mergeRule[Event]{
		key: eventKey,
		combine: func(x, y Event) Event {
			return Event{Name: x.Name, Feature: pick(x.Feature, y.Feature), Kind: pick(x.Kind, y.Kind),
				Title: pick(x.Title, y.Title), Entering: pick(x.Entering, y.Entering), Leaving: pick(x.Leaving, y.Leaving),
				Direction: pick(x.Direction, y.Direction), ID: pick(x.ID, y.ID), Type: pick(x.Type, y.Type),
				Trigger: pick(x.Trigger, y.Trigger), MOClass: pick(x.MOClass, y.MOClass),
				ProbableCause: pick(x.ProbableCause, y.ProbableCause), Severity: pick(x.Severity, y.Severity),
				Model: pick(x.Model, y.Model)}
		},
		norm: func(e Event) Event {
			if e.Kind == "" {
				e.Name = strings.Join(strings.Fields(e.Name), "")
			} else {
				e.Name = Collapse(e.Name) // ATTACH REQUEST, Event A3
			}
			return e
		},
	}
}

// eventKey is an event's name; an alarm is one per specific problem and MO
// class, so both make its key.
func eventKey(e Event) string {
	if e.Kind == KindAlarm {
		return KindAlarm + "\x00" + e.Name + "\x00" + e.MOClass
	}
	return e.Name
}

func mergeEvents(a, b []Event) []Event { return sortEvents(union(a, b, eventRule())) }

func sortEvents(out []Event) []Event {
	slices.SortFunc(out, func(x, y Event) int { return cmp.Or(cmp.Compare(x.Name, y.Name), cmp.Compare(x.MOClass, y.MOClass)) })
	return out
}

func relatedRule() mergeRule[RelatedFeature] {
	return mergeRule[RelatedFeature]{
		key: relatedKey,
		combine: func(x, y RelatedFeature) RelatedFeature {
			return RelatedFeature{Name: pick(x.Name, y.Name), FAJ: x.FAJ, Relationship: pick(x.Relationship, y.Relationship),
				Kind: pick(x.Kind, y.Kind), Spec: pick(x.Spec, y.Spec), Ref: pick(x.Ref, y.Ref)}
		},
		norm: func(f RelatedFeature) RelatedFeature {
			f.Name, f.FAJ, f.Relationship = Collapse(f.Name), Collapse(f.FAJ), Collapse(f.Relationship)
			f.Spec = Collapse(f.Spec)
			return f
		},
	}
}

func mergeRelated(a, b []RelatedFeature, main []Feature) []RelatedFeature {
	return finishRelated(union(a, b, relatedRule()), main)
}

// finishRelated drops the related features that are main features and sorts
// by FAJ id.
func finishRelated(out []RelatedFeature, main []Feature) []RelatedFeature {
	isMain := map[string]bool{}
	for _, f := range main {
		if f.FAJ != "" {
			isMain[f.FAJ] = true
		}
	}
	out = slices.DeleteFunc(out, func(f RelatedFeature) bool { return isMain[f.FAJ] })
	slices.SortFunc(out, func(x, y RelatedFeature) int {
		return cmp.Or(cmp.Compare(x.FAJ, y.FAJ), cmp.Compare(x.Spec, y.Spec))
	})
	return out
}

// relatedKey keys a related feature by its FAJ id, a referenced
// specification by its number.
func relatedKey(f RelatedFeature) string {
	if f.FAJ == "" && f.Spec != "" {
		return "spec:" + f.Spec
	}
	return f.FAJ
}

func activationKey(a Activation) string {
	return a.Kind + "\x00" + a.Feature + "\x00" + strings.Join(a.CXC, ",")
}

// appendNew appends the elements of b that a lacks, keeping their order.
func appendNew(a, b []string) []string {
	for _, s := range b {
		if !slices.Contains(a, s) {
			a = append(a, s)
		}
	}
	return a
}

func mergeActivations(a, b []Activation) []Activation {
	out := union(a, b, mergeRule[Activation]{
		key: activationKey,
		combine: func(x, y Activation) Activation {
			x.Steps = appendNew(slices.Clone(x.Steps), y.Steps)
			x.Cmedit = appendNew(slices.Clone(x.Cmedit), y.Cmedit)
			return x
		},
		norm: func(x Activation) Activation {
			x.Kind, x.Feature = Collapse(x.Kind), Collapse(x.Feature)
			x.CXC = slices.Compact(slices.Sorted(slices.Values(collapseAll(x.CXC))))
			x.Steps = appendNew(nil, collapseAll(x.Steps))
			x.Cmedit = appendNew(nil, collapseAll(x.Cmedit))
			return x
		},
	})
	subsumed := func(x, y Activation) bool {
		return x.Kind == y.Kind && x.Feature == y.Feature && activationKey(x) != activationKey(y) &&
			subset(x.CXC, y.CXC) && subset(x.Steps, y.Steps) && subset(x.Cmedit, y.Cmedit)
	}
	kept := out[:0:0]
	for _, x := range out {
		if len(x.CXC) == 0 && len(x.Steps) == 0 && len(x.Cmedit) == 0 {
			continue // a heading without steps, codes or commands is no procedure
		}
		if !slices.ContainsFunc(out, func(y Activation) bool { return subsumed(x, y) }) {
			kept = append(kept, x)
		}
	}
	slices.SortFunc(kept, func(x, y Activation) int {
		return cmp.Or(cmp.Compare(x.Kind, y.Kind), cmp.Compare(x.Feature, y.Feature),
			cmp.Compare(strings.Join(x.CXC, ","), strings.Join(y.CXC, ",")),
			cmp.Compare(strings.Join(x.Steps, "\n"), strings.Join(y.Steps, "\n")))
	})
	return kept
}

func subset(a, b []string) bool {
	for _, s := range a {
		if !slices.Contains(b, s) {
			return false
		}
	}
	return true
}

func collapseAll(list []string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		if s = Collapse(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
