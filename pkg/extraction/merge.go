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
// dropped. Categories are never nil afterwards, so they encode as [].
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

// union merges the items of a and b by key, combining items with the same key.
func union[T any](a, b []T, key func(T) string, combine func(T, T) T, norm func(T) T) []T {
	idx := make(map[string]int, len(a)+len(b))
	out := make([]T, 0, len(a)+len(b))
	for _, list := range [][]T{a, b} {
		for _, it := range list {
			it = norm(it)
			k := key(it)
			if i, ok := idx[k]; ok {
				out[i] = combine(out[i], it)
				continue
			}
			idx[k] = len(out)
			out = append(out, it)
		}
	}
	return out
}

func mergeFeatures(a, b []Feature) []Feature {
	out := union(a, b, func(f Feature) string {
		if f.FAJ != "" {
			return f.FAJ
		}
		return "name:" + f.Name
	}, func(x, y Feature) Feature {
		return Feature{Name: pick(x.Name, y.Name), FAJ: x.FAJ, ValuePackage: pick(x.ValuePackage, y.ValuePackage),
			CXC: pick(x.CXC, y.CXC), AccessType: pick(x.AccessType, y.AccessType)}
	}, func(f Feature) Feature {
		f.Name, f.FAJ, f.ValuePackage = Collapse(f.Name), Collapse(f.FAJ), Collapse(f.ValuePackage)
		f.CXC, f.AccessType = Collapse(f.CXC), Collapse(f.AccessType)
		return f
	})
	slices.SortFunc(out, func(x, y Feature) int {
		return cmp.Or(cmp.Compare(x.FAJ, y.FAJ), cmp.Compare(x.Name, y.Name))
	})
	return out
}

func mergeParameters(a, b []Parameter) []Parameter {
	out := union(a, b, func(p Parameter) string { return p.Name }, func(x, y Parameter) Parameter {
		return Parameter{Name: x.Name, MOClass: pick(x.MOClass, y.MOClass), Attribute: pick(x.Attribute, y.Attribute),
			Role: pick(x.Role, y.Role), Feature: pick(x.Feature, y.Feature)}
	}, func(p Parameter) Parameter {
		p.Name = strings.Join(strings.Fields(p.Name), "")
		return p
	})
	slices.SortFunc(out, func(x, y Parameter) int { return cmp.Compare(x.Name, y.Name) })
	return out
}

func mergeCounters(a, b []Counter) []Counter {
	out := union(a, b, func(c Counter) string { return c.Name }, func(x, y Counter) Counter {
		return Counter{Name: x.Name, MOClass: pick(x.MOClass, y.MOClass), Feature: pick(x.Feature, y.Feature)}
	}, func(c Counter) Counter {
		c.Name = strings.Join(strings.Fields(c.Name), "")
		return c
	})
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

func mergeEvents(a, b []Event) []Event {
	out := union(a, b, func(e Event) string { return e.Name }, func(x, y Event) Event {
		return Event{Name: x.Name, Feature: pick(x.Feature, y.Feature)}
	}, func(e Event) Event {
		e.Name = strings.Join(strings.Fields(e.Name), "")
		return e
	})
	slices.SortFunc(out, func(x, y Event) int { return cmp.Compare(x.Name, y.Name) })
	return out
}

func mergeRelated(a, b []RelatedFeature, main []Feature) []RelatedFeature {
	out := union(a, b, func(f RelatedFeature) string { return f.FAJ }, func(x, y RelatedFeature) RelatedFeature {
		return RelatedFeature{Name: pick(x.Name, y.Name), FAJ: x.FAJ, Relationship: pick(x.Relationship, y.Relationship)}
	}, func(f RelatedFeature) RelatedFeature {
		f.Name, f.FAJ, f.Relationship = Collapse(f.Name), Collapse(f.FAJ), Collapse(f.Relationship)
		return f
	})
	isMain := map[string]bool{}
	for _, f := range main {
		isMain[f.FAJ] = true
	}
	out = slices.DeleteFunc(out, func(f RelatedFeature) bool { return isMain[f.FAJ] })
	slices.SortFunc(out, func(x, y RelatedFeature) int { return cmp.Compare(x.FAJ, y.FAJ) })
	return out
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
	out := union(a, b, activationKey, func(x, y Activation) Activation {
		x.Steps = appendNew(slices.Clone(x.Steps), y.Steps)
		x.Cmedit = appendNew(slices.Clone(x.Cmedit), y.Cmedit)
		return x
	}, func(x Activation) Activation {
		x.Kind, x.Feature = Collapse(x.Kind), Collapse(x.Feature)
		x.CXC = slices.Compact(slices.Sorted(slices.Values(collapseAll(x.CXC))))
		x.Steps = appendNew(nil, collapseAll(x.Steps))
		x.Cmedit = appendNew(nil, collapseAll(x.Cmedit))
		return x
	})
	subsumed := func(x, y Activation) bool {
		return x.Kind == y.Kind && x.Feature == y.Feature && activationKey(x) != activationKey(y) &&
			subset(x.CXC, y.CXC) && subset(x.Steps, y.Steps) && subset(x.Cmedit, y.Cmedit)
	}
	kept := out[:0:0]
	for _, x := range out {
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
