// Package scheme holds the types of the six-category extraction scheme of
// DESIGN.md that the stages, the events on the wire, the results bucket and the
// output files share: modes, document families, the items of each category and
// a result. It is a leaf: the rules that fill a result live in pkg/extraction,
// so a package that only carries results (pkg/event) does not import them.
package scheme

// Mode names an extraction mode, from cheapest to richest.
type Mode string

// The extraction modes, in the order quality-route climbs them.
const (
	ModeBasic          Mode = "basic"
	ModeCmedit         Mode = "cmedit"
	ModeFeatureGrouped Mode = "feature_grouped"
	ModeHybrid         Mode = "hybrid"
)

// Modes returns every mode from cheapest to richest.
func Modes() []Mode { return []Mode{ModeBasic, ModeCmedit, ModeFeatureGrouped, ModeHybrid} }

// Feature is a main feature the document describes.
type Feature struct {
	Name         string `json:"name,omitempty"`
	FAJ          string `json:"faj,omitempty"`
	ValuePackage string `json:"value_package,omitempty"`
	CXC          string `json:"cxc,omitempty"`
	AccessType   string `json:"access_type,omitempty"`
	// Kind is "specification" for a 3GPP specification; empty for an
	// Ericsson feature.
	Kind string `json:"kind,omitempty"`
	// Spec, Version and Release identify a 3GPP specification ("38.331",
	// "18.4.0", "18").
	Spec    string `json:"spec,omitempty"`
	Version string `json:"version,omitempty"`
	Release string `json:"release,omitempty"`
}

// Parameter is an MO attribute, written MoClass.attribute.
type Parameter struct {
	Name      string `json:"name"`
	MOClass   string `json:"mo_class,omitempty"`
	Attribute string `json:"attribute,omitempty"`
	Role      string `json:"role,omitempty"`
	Feature   string `json:"feature,omitempty"`
	// Kind is empty for an MO attribute; a 3GPP parameter is one of the
	// Kind constants (ie, field, timer, constant, nas_ie) and is named as its
	// specification writes it: RRCSetup-IEs, RRCSetup-IEs.radioBearerConfig,
	// T300, ATTACH REQUEST.EPS attach type.
	Kind string `json:"kind,omitempty"`
	// Type is the ASN.1 type of an IE or field (SEQUENCE, ENUMERATED,
	// INTEGER, a referenced type) or the type/reference column of a NAS IE.
	Type string `json:"type,omitempty"`
	// Range is the value range or enumeration (INTEGER (0..15),
	// {ms100, ms200}, SIZE (1..maxNrofCells), a timer's value).
	Range string `json:"range,omitempty"`
	// Optional marks an ASN.1 field OPTIONAL or a NAS IE of presence O/C;
	// Need and Cond carry the need code (Need M) and condition (Cond HO).
	Optional bool   `json:"optional,omitempty"`
	Need     string `json:"need,omitempty"`
	Cond     string `json:"cond,omitempty"`
	// IE is the containing information element of a field (the top-level
	// type), or the message of a NAS IE; Path the nesting inside it.
	IE   string `json:"ie,omitempty"`
	Path string `json:"path,omitempty"`
	// Release is the release suffix of an ASN.1 name (r16, v1610).
	Release string `json:"release,omitempty"`
	// Start, Stop and Expiry describe a timer as its table states them; for
	// a counter constant (N310) they are its increment, reset and what
	// happens at its maximum.
	Start  string `json:"start,omitempty"`
	Stop   string `json:"stop,omitempty"`
	Expiry string `json:"expiry,omitempty"`
	// Description is what a constant's table says it is used for.
	Description string `json:"description,omitempty"`
	// IEI, Presence, Format and Length are the columns of a NAS message
	// content table.
	IEI      string `json:"iei,omitempty"`
	Presence string `json:"presence,omitempty"`
	Format   string `json:"format,omitempty"`
	Length   string `json:"length,omitempty"`
	// Struct is the struct type of a struct member read from a sheet; the
	// name is then MoClass.Struct.attribute (ManagedElement.ProductIdentity.
	// productNumber).
	Struct string `json:"struct,omitempty"`
	// Default, Unit and Model are a sheet row's default value, unit and MO
	// model (MOM); Flags its set flags, comma-separated in a fixed order
	// (read_only,mandatory,restricted,deprecated,obsolete,preliminary): a
	// string, so that a Parameter stays comparable.
	Default string `json:"default,omitempty"`
	Unit    string `json:"unit,omitempty"`
	Model   string `json:"model,omitempty"`
	Flags   string `json:"flags,omitempty"`
}

// The kinds of 3GPP items. Items without a kind are Ericsson ones.
const (
	KindSpecification    = "specification"
	KindIE               = "ie"
	KindField            = "field"
	KindTimer            = "timer"
	KindConstant         = "constant"
	KindNASIE            = "nas_ie"
	KindMeasurement      = "measurement"
	KindMeasurementEvent = "measurement_event"
	KindMessage          = "message"
	KindProcedure        = "procedure"
	// KindFeatureState is a main feature read from a feature-state row of a
	// sheet: its CXC code and description.
	KindFeatureState = "feature_state"
	// KindAlarm is an event read from an alarm row of a sheet: named by its
	// specific problem, one item per MO class.
	KindAlarm = "alarm"
)

// Counter is a PM counter, written pmName or MoClass.pmName, or a 3GPP
// performance measurement (Kind measurement: RRC.ConnEstabAtt.Cause, or a
// measType of a TS 32.435 file with its measured object instances).
type Counter struct {
	Name    string `json:"name"`
	MOClass string `json:"mo_class,omitempty"`
	Feature string `json:"feature,omitempty"`
	Kind    string `json:"kind,omitempty"`
	// Objects are the measured object instances (measObjLdn) of a 32.435
	// measType.
	Objects []string `json:"objects,omitempty"`
	// Type, Description, Unit and Event are a sheet row's counter type
	// (ACC, PEG...), description, unit and related PM event.
	Type        string `json:"type,omitempty"`
	Description string `json:"description,omitempty"`
	Unit        string `json:"unit,omitempty"`
	Event       string `json:"event,omitempty"`
}

// Event is a PM event such as INTERNAL_PROC_SOFT_LOCK or CuCpRrcResume, or,
// with a Kind, a 3GPP measurement-report triggering event (Event A3), a
// protocol message (ATTACH REQUEST, RRCSetup) or a procedure.
type Event struct {
	Name    string `json:"name"`
	Feature string `json:"feature,omitempty"`
	Kind    string `json:"kind,omitempty"`
	// Title is what the spec says the event or procedure is ("Neighbour
	// becomes offset better than SpCell").
	Title string `json:"title,omitempty"`
	// Entering and Leaving are a measurement event's conditions.
	Entering string `json:"entering,omitempty"`
	Leaving  string `json:"leaving,omitempty"`
	// Direction is a message's direction (UE to network).
	Direction string `json:"direction,omitempty"`
	// ID, Type and Trigger are a PM event sheet row's event id, event type
	// and description-and-trigger; an alarm (Kind alarm) has its event type
	// in Type, and its MO class, probable cause, severity and model.
	ID            string `json:"id,omitempty"`
	Type          string `json:"type,omitempty"`
	Trigger       string `json:"trigger,omitempty"`
	MOClass       string `json:"mo_class,omitempty"`
	ProbableCause string `json:"probable_cause,omitempty"`
	Severity      string `json:"severity,omitempty"`
	Model         string `json:"model,omitempty"`
}

// RelatedFeature is another feature referenced by FAJ id, or (Kind
// specification) a specification a 3GPP document references.
type RelatedFeature struct {
	Name         string `json:"name,omitempty"`
	FAJ          string `json:"faj,omitempty"`
	Relationship string `json:"relationship,omitempty"`
	Kind         string `json:"kind,omitempty"`
	// Spec is the referenced specification ("3GPP TS 38.300"), Ref its
	// number in the reference list ("[2]").
	Spec string `json:"spec,omitempty"`
	Ref  string `json:"ref,omitempty"`
}

// Activation is an activate or deactivate procedure.
type Activation struct {
	Kind    string   `json:"kind"`
	Feature string   `json:"feature,omitempty"`
	CXC     []string `json:"cxc,omitempty"`
	Steps   []string `json:"steps,omitempty"`
	Cmedit  []string `json:"cmedit,omitempty"`
}

// Result is the six-category extraction of one chunk or, merged, of one document.
type Result struct {
	MainFeatures         []Feature        `json:"main_features"`
	Parameters           []Parameter      `json:"parameters"`
	Counters             []Counter        `json:"counters"`
	Events               []Event          `json:"events"`
	RelatedFeatures      []RelatedFeature `json:"related_features"`
	ActivationProcedures []Activation     `json:"activation_procedures"`
}

// Items counts the items of all six categories.
func (r Result) Items() int {
	return len(r.MainFeatures) + len(r.Parameters) + len(r.Counters) + len(r.Events) +
		len(r.RelatedFeatures) + len(r.ActivationProcedures)
}

// Family names the kind of document a rule set is written for. The chunk
// stage decides it once per document (extraction.DetectFamily) and every chunk carries
// it, so that a 3GPP specification is read in its own vocabulary.
type Family string

// The document families of DESIGN.md.
const (
	// FamilyELEX is an Ericsson CPI/ELEX feature document: MO attributes, pm
	// counters, PM events, FAJ ids, activation steps.
	FamilyELEX Family = "elex"
	// Family3GPP is a 3GPP (or ETSI) specification, change request, ASN.1
	// module or TS 32.435 measurement file.
	Family3GPP Family = "3gpp"
	// FamilySheet is a parameter, counter, event, feature-state or alarm
	// list: every row is an item whose kind its column names decide.
	FamilySheet Family = "sheet"
	// FamilyGeneric is anything else: the ELEX patterns, and the 3GPP
	// structure rules from feature_grouped on.
	FamilyGeneric Family = "generic"
)

// LLMUse counts what hybrid's LLM pass gave: items grounded in the text and
// kept, items dropped as ungrounded (or breaking a category's rules), and kept
// items the rules had not found.
type LLMUse struct {
	Kept    int `json:"kept"`
	Dropped int `json:"dropped"`
	Added   int `json:"added"`
}

// Add sums u into l.
func (l *LLMUse) Add(u LLMUse) {
	l.Kept += u.Kept
	l.Dropped += u.Dropped
	l.Added += u.Added
}
