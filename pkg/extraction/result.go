// Package extraction holds the six-category extraction scheme of DESIGN.md: the
// result types every stage and output file shares, the modes, and the rules that
// fill a result from a chunk's text.
//
// Each mode runs its own rules after those of the cheaper modes:
//   - basic: telecom name patterns over the text (MoClass.attribute, pm
//     counters, PM events, FAJ ids, CXC codes, identity tables, numbered
//     steps of Activate / Deactivate sections);
//   - cmedit: ENM awareness: setting steps that state the MO class or
//     instance, the attribute and one value become `cmedit set` commands in
//     real ENM CLI syntax (never a placeholder, nothing the step does not
//     state), commands the text writes out are kept, and an attribute named
//     with its MO instance (FeatureState=CXC...) becomes a parameter;
//   - feature_grouped: the document structure: relationships of dependencies
//     tables, roles of parameters tables, MO class and attribute columns,
//     conversion artifacts of Events tables, change-history identity tables,
//     and items attributed to the feature their section names;
//   - hybrid (an LLM pass) is not implemented here and reports
//     ErrModeUnavailable.
//
// Reference spreadsheets (LoadReference) are optional: an Extractor given a
// Dictionary repairs glued and footnoted names against it.
package extraction

import "github.com/ranstream/ranstream/pkg/scheme"

// The result types are scheme's, so that packages that carry results (event,
// results, output) need not import the rules; these aliases keep the rules'
// spelling.
type (
	// Mode names an extraction mode, from cheapest to richest.
	Mode = scheme.Mode
	// Feature is a main feature the document describes.
	Feature = scheme.Feature
	// Parameter is an MO attribute, written MoClass.attribute.
	Parameter = scheme.Parameter
	// Counter is a PM counter or a 3GPP performance measurement.
	Counter = scheme.Counter
	// Event is a PM event, a measurement-report triggering event, a protocol
	// message or a procedure.
	Event = scheme.Event
	// RelatedFeature is another feature referenced by FAJ id, or a referenced
	// specification.
	RelatedFeature = scheme.RelatedFeature
	// Activation is an activate or deactivate procedure.
	Activation = scheme.Activation
	// Result is the six-category extraction of one chunk or, merged, of one document.
	Result = scheme.Result
	// Family names the kind of document a rule set is written for.
	Family = scheme.Family
	// LLMUse counts what hybrid's LLM pass gave.
	LLMUse = scheme.LLMUse
)

// The extraction modes, in the order quality-route climbs them.
const (
	ModeBasic          = scheme.ModeBasic
	ModeCmedit         = scheme.ModeCmedit
	ModeFeatureGrouped = scheme.ModeFeatureGrouped
	ModeHybrid         = scheme.ModeHybrid
)

// Modes lists every mode from cheapest to richest.
var Modes = scheme.Modes()

// The kinds of 3GPP items. Items without a kind are Ericsson ones.
const (
	KindSpecification    = scheme.KindSpecification
	KindIE               = scheme.KindIE
	KindField            = scheme.KindField
	KindTimer            = scheme.KindTimer
	KindConstant         = scheme.KindConstant
	KindNASIE            = scheme.KindNASIE
	KindMeasurement      = scheme.KindMeasurement
	KindMeasurementEvent = scheme.KindMeasurementEvent
	KindMessage          = scheme.KindMessage
	KindProcedure        = scheme.KindProcedure
	KindFeatureState     = scheme.KindFeatureState
	KindAlarm            = scheme.KindAlarm
)

// The document families of DESIGN.md.
const (
	FamilyELEX    = scheme.FamilyELEX
	Family3GPP    = scheme.Family3GPP
	FamilySheet   = scheme.FamilySheet
	FamilyGeneric = scheme.FamilyGeneric
)
