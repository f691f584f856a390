// Package quality scores an extraction result from the result and its chunk
// alone, never from labels, so that the quality-route stage can decide
// whether a chunk needs a richer extraction mode.
//
// # The score
//
// Score returns four components, each between 0 and 1, and their weighted sum:
//
//	Value = 0.4 × Coverage + 0.2 × Validity + 0.2 × Grounding + 0.2 × Structure
//
// Coverage is the share of candidates the text plainly contains that the
// result captured. Candidates come from deliberately loose patterns that do
// not depend on the extraction rules (settable steps aside, below):
//
//   - anything shaped like MoClass.attribute (Word.word), minus file and host
//     names (config.xml, ericsson.com): captured by a parameter or counter
//     whose name contains it or is contained in it (struct paths, glued
//     list items);
//
//   - the MO attributes of MoShell/AMOS command lines and hget tables
//     ("hgetc NRCellDU= ^administrativeState$", "set Equipment=1,AlarmPort=3
//     normallyOpen false") and of bulk CM exports (<es:vsDataEul>
//     <es:numEagchCodes>), mdtext.ConfigAttributes: captured by that
//     MoClass.attribute parameter. Settable steps aside, this is the one
//     candidate the rules read with the same scanner: what it finds is
//     written in the MOM's own case and no looser pattern would find more;
//
//   - the rows of a table with an MO class column and an attribute column
//     (MO Class | Attribute, Attribute | MO Class), one MoClass.attribute
//     per class of the class cell: captured by that parameter;
//
//   - the rows of a parameters table (its first header cell Parameter,
//     Attribute ..., mdtext.ParameterHeader) whose first cell is a bare
//     attribute name, lowerCamel without its MO class ("dscp", "boostLevel
//     TOOLTIPFLAG", mdtext.BareAttribute): captured by a parameter whose
//     attribute is that name, whatever its class. The class is stated around
//     the table or not at all; a table whose class the rules cannot find
//     scores below 1 and climbs the ladder instead of reading 1 with nothing
//     extracted;
//
//   - pm followed by an upper-case letter (but not the words pmCounter(s),
//     pmEvent(s)): captured by a counter holding it;
//
//   - FAJ ids other than value packages (FAJ 801 ...) and other than those
//     of a change history's identity table (below): captured by a main or
//     related feature, or by the document's own identity (Input.Context);
//
//   - event-like names (INTERNAL_..., LOCAL_..., CuCp..., CuUp..., Du...,
//     the first column of an Events table, and LTE names a converter cut the
//     first letter off, NTERNAL_...): captured by an event (the repaired
//     name for the latter);
//
//   - CXC codes on a line about FeatureState or (de)activation, or under an
//     Activate/Deactivate heading: captured by a procedure or main feature;
//
//   - numbered steps under an Activate/Deactivate heading: captured by a
//     procedure step;
//
//   - settable steps of a procedure (under an Activate/Deactivate heading,
//     or a step with a CXC code and (DE)ACTIVATED in text without headings):
//     steps that state the MO class or instance, the attribute and a single
//     value ("Set the FeatureState.featureState attribute to ACTIVATED in
//     the FeatureState=CXC4011253 MO instance.", "Set the
//     NRCellDU.administrativeState attribute to LOCKED.") and nothing that
//     offers alternatives, narrows the instances or leaves the value open.
//     Settable is what the cmedit rules turn into commands
//     (extraction.StepCommands), so the score asks for exactly the commands
//     a cmedit extraction makes. A settable step is captured only by a
//     procedure of its kind carrying a matching command: a cmedit set of
//     the same target (MO class, or class and instance) with the same
//     attribute=value pairs, whatever its scope and options. A step that is
//     not settable (no value, alternatives, "to the desired value") is no
//     candidate: there is no command to capture;
//
//   - rows of a dependencies table that pair a FAJ id (in the cells before
//     the relationship cell, or anywhere in the row when those hold none)
//     with a relationship word (Prerequisite, Related, Conflicting ...), and
//     the same pairing in prose, as a flattened table reads ("Zeta Prebooster
//     (FAJ 121 9902) Prerequisite"): captured only by a related feature
//     carrying that relationship;
//
//   - rows of a table that pair a MoClass.attribute with a role word
//     (Introduced, Affecting, Affected), in a table or flattened into
//     prose: captured only by the parameter carrying that role;
//
//   - the FAJ ids and names of an identity table (Feature Identity / Feature
//     Name rows), or of a "Feature Identity FAJ ..." line outside tables:
//     captured by a main feature. The identity tables of an appendix or
//     change history are records of the document's own releases or of the
//     features a change touched: their FAJ ids are captured by a main
//     feature or by leaving them out of related_features (never by a related
//     feature without relationship).
//
//   - 3GPP structure: type names assigned in ASN.1 (Name ::=), captured by
//     a parameter of that name; the T/N numbers of the first column of a
//     timer, counter or constant table (Timer | Start | Stop | At expiry,
//     TIMER NUM. | ...), captured by a parameter of that name; "Message
//     type: X" lines, captured by an event X; reference list entries ([2]
//     3GPP TS 38.300), captured by a related specification; performance
//     measurement names (RRC.ConnEstabAtt...), captured by a counter;
//     "Event A3" clause headings, captured by the event "Event A3";
//
//   - telecom content: a chunk of at least 1,500 characters that uses at
//     least 8 distinct telecom terms (UE, RRC, bearer, PDCP, 3GPP, pm...,
//     FAJ...), outside a change history (whose rows record changes to the
//     document, not its content), is one more candidate, captured by any
//     item at all. So a long
//     chunk that plainly holds telecom content and yields no item is never
//     scored 1: Coverage is at most 0.5 there (0 when it is the only
//     candidate, Value 0.6), which sends it up the ladder; a 3GPP chunk read
//     with the ELEX rules misses its ASN.1, timer, message and reference
//     candidates too and climbs to feature_grouped, whose 3GPP structure
//     rules (generic documents) read it.
//
// A record sheet (a chunk of the sheet family, or of a CSV or XLSX
// document, holding rows whose columns name parameters, counters, PM
// events, feature states or alarms) counts its records instead: Coverage is
// the share of those rows (read by extraction.ReadSheet, the sheet rules'
// own reader) whose every item the result holds, so a parameter list read
// for 35 of its 9,974 rows scores low however clean the 35 are.
//
// Validity is the share of items that obey the category rules of
// extraction.Problems (a counter is never a parameter, FAJ ids are well
// formed, no duplicates ...).
//
// Grounding of 3GPP items (those with a kind): a specification by its
// number or title in the text or context, an ASN.1 name by each of its
// dotted parts, a NAS IE by its message and IE names, events and references
// by name or number, headings included.
//
// Grounding is the share of items found verbatim in the chunk text after
// markdown unescaping and whitespace normalization: names of parameters,
// counters and events; FAJ ids, CXC codes and feature names; procedure steps.
// FAJ ids and CXC codes are compared with all whitespace removed (the text
// writes "CXC 401 1253" for CXC4011253). A parameter whose MO class and
// attribute the text keeps apart (table columns, an attribute next to its MO
// instance) is grounded when both are on one line, or when the attribute is
// a bare attribute row of a parameters table and the chunk (or its heading
// path) names the class as an MO ("The managed object X ...", "Table 5 MO
// X", mdtext.NamedMOs), or when it heads a column of an hget table whose
// rows are MOs of the class, or sits in the class's element of a bulk CM
// export (mdtext.ConfigAttributes); an event repaired from a cut-off first
// letter when the rest of it is in the text. A cmedit command is grounded when each MO
// class, attribute and value it uses appears in the text (the cmedit
// keywords and options, the ENM topology classes and the naming attribute
// of a stated class, featureStateId for FeatureState, need not).
//
// Structure is the use of the structure the text shows, the least used
// structure deciding (a result that ignores one table of the chunk has not
// read the chunk's structure, however well it read the others): each column
// of an identity table (its feature recorded as a main feature, with the
// name, value package and access type it gives), each FAJ id of a change
// history's identity table (main, or left out of related_features), a
// dependencies table with a relationship column (its features recorded with
// their relationship), a table of MO class and attribute columns (its
// MoClass.attribute names recorded), a parameters table with a role column
// (its parameters recorded with a role), an Events table (its events
// recorded), Activate / Deactivate sections (a procedure of that kind, with
// the section's numbered steps), and the settable steps of the chunk's
// procedures (the share of them captured by a matching cmedit command, as in
// Coverage). It is 1 when the text shows none of these.
//
// Every component is 1 when there is nothing to measure, so a short chunk
// with no telecom content and an empty result scores 1. Missing a relationship
// column or a role column costs in Coverage and in Structure, which is what
// sends such chunks from basic (and cmedit) to feature_grouped; missing the
// commands of settable steps costs in Coverage and in Structure (down to 0
// when none has its command), which, with the default thresholds, sends
// every chunk with a settable step from basic (which writes no commands) to
// cmedit; a document whose tables a converter flattened into prose keeps
// its relationship, role and identity candidates while the rules lose them,
// so it scores lower; ungrounded or invalid items cost in Grounding and
// Validity.
//
// DefaultThresholds gives the minimum Value per mode below which a chunk is
// routed to the next richer mode.
package quality

import (
	"math"

	"github.com/ranstream/ranstream/pkg/extraction"
)

// The weights of the components in Scorecard.Value; they sum to 1.
const (
	WeightCoverage  = 0.4
	WeightValidity  = 0.2
	WeightGrounding = 0.2
	WeightStructure = 0.2
)

// Scorecard is the quality of one extraction result, overall and by
// component, each between 0 and 1.
type Scorecard struct {
	Value     float64 // overall, the weighted sum of the components
	Coverage  float64 // share of candidates the text plainly contains that the result captured
	Validity  float64 // share of items that obey the category rules
	Grounding float64 // share of items found verbatim (whitespace-normalized) in the text
	Structure float64 // use of the structure the text shows (tables, Dependencies/Parameters/Activate sections): 1 when the text shows none
}

// Score computes the quality of r as an extraction of in, from the result and
// the chunk alone (see the package documentation for the definition).
func Score(in extraction.Input, r extraction.Result) Scorecard {
	t := parseText(in)
	cov, sheet := sheetCoverage(in, r)
	if !sheet {
		cov = coverage(t, r)
	}
	s := Scorecard{
		Coverage:  cov,
		Validity:  validity(r),
		Grounding: grounding(t, r),
		Structure: structure(t, r),
	}
	s.Value = WeightCoverage*s.Coverage + WeightValidity*s.Validity +
		WeightGrounding*s.Grounding + WeightStructure*s.Structure
	s.Value = math.Round(s.Value*1e6) / 1e6
	return s
}

// DefaultThresholds returns the minimum Value per mode: a result below its
// mode's threshold sends the chunk to the next richer mode. The richer modes
// have lower thresholds because there is less left to climb to; hybrid is the
// top of the ladder and accepts everything.
func DefaultThresholds() map[extraction.Mode]float64 {
	return map[extraction.Mode]float64{
		extraction.ModeBasic:          0.8,
		extraction.ModeCmedit:         0.8,
		extraction.ModeFeatureGrouped: 0.7,
		extraction.ModeHybrid:         0,
	}
}

// share returns part/whole, or 1 when there is nothing to measure.
func share(part, whole float64) float64 {
	if whole == 0 {
		return 1
	}
	return part / whole
}

// validity is the share of items without a problem.
func validity(r extraction.Result) float64 {
	type item struct {
		category string
		index    int
	}
	bad := map[item]bool{}
	for _, p := range extraction.Problems(r) {
		bad[item{p.Category, p.Index}] = true
	}
	n := r.Items()
	return share(float64(n-len(bad)), float64(n))
}
