package extraction

import "slices"

// Merger merges the results of many chunks into one document result in time
// linear in their items. Merge rebuilds its index of the document's items on
// every call, so folding n chunks into a document of m items costs n*m; a
// document of a hundred thousand chunks needs the Merger. Result gives what
// merging every added result with Merge, in the same order, gives.
type Merger struct {
	features    keyed[Feature]
	parameters  keyed[Parameter]
	counters    keyed[Counter]
	events      keyed[Event]
	related     keyed[RelatedFeature]
	activations []Activation
}

// NewMerger returns an empty Merger.
func NewMerger() *Merger {
	return &Merger{
		features:   newKeyed(featureRule()),
		parameters: newKeyed(parameterRule()),
		counters:   newKeyed(counterRule()),
		events:     newKeyed(eventRule()),
		related:    newKeyed(relatedRule()),
	}
}

// Add folds r in. r is not kept: its slices are copied.
func (m *Merger) Add(r Result) {
	m.features.add(r.MainFeatures)
	m.parameters.add(r.Parameters)
	m.counters.add(r.Counters)
	m.events.add(r.Events)
	m.related.add(r.RelatedFeatures)
	// Procedures are few per document, and whether one subsumes another
	// depends on the order they come in: merged as Merge does.
	m.activations = mergeActivations(m.activations, r.ActivationProcedures)
}

// Result returns the merged result; the Merger may go on adding.
func (m *Merger) Result() Result {
	main := sortFeatures(slices.Clone(m.features.items))
	return Result{
		MainFeatures:         main,
		Parameters:           sortParameters(slices.Clone(m.parameters.items)),
		Counters:             finishCounters(slices.Clone(m.counters.items)),
		Events:               sortEvents(slices.Clone(m.events.items)),
		RelatedFeatures:      finishRelated(slices.Clone(m.related.items), main),
		ActivationProcedures: append([]Activation{}, m.activations...),
	}
}

// keyed accumulates items by key, as union does, but keeps its index.
type keyed[T any] struct {
	r     mergeRule[T]
	idx   map[string]int
	items []T
}

func newKeyed[T any](r mergeRule[T]) keyed[T] {
	return keyed[T]{r: r, idx: map[string]int{}, items: []T{}}
}

func (k *keyed[T]) add(list []T) {
	for _, it := range list {
		it = k.r.norm(it)
		key := k.r.key(it)
		if i, ok := k.idx[key]; ok {
			k.items[i] = k.r.combine(k.items[i], it)
			continue
		}
		k.idx[key] = len(k.items)
		k.items = append(k.items, it)
	}
}
