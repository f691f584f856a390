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

// Mode names an extraction mode, from cheapest to richest.
type Mode string

// The extraction modes, in the order quality-route climbs them.
const (
	ModeBasic          Mode = "basic"
	ModeCmedit         Mode = "cmedit"
	ModeFeatureGrouped Mode = "feature_grouped"
	ModeHybrid         Mode = "hybrid"
)

// Modes lists every mode from cheapest to richest.
var Modes = []Mode{ModeBasic, ModeCmedit, ModeFeatureGrouped, ModeHybrid}

// Feature is a main feature the document describes.
type Feature struct {
	Name         string `json:"name,omitempty"`
	FAJ          string `json:"faj,omitempty"`
	ValuePackage string `json:"value_package,omitempty"`
	CXC          string `json:"cxc,omitempty"`
	AccessType   string `json:"access_type,omitempty"`
}

// Parameter is an MO attribute, written MoClass.attribute.
type Parameter struct {
	Name      string `json:"name"`
	MOClass   string `json:"mo_class,omitempty"`
	Attribute string `json:"attribute,omitempty"`
	Role      string `json:"role,omitempty"`
	Feature   string `json:"feature,omitempty"`
}

// Counter is a PM counter, written pmName or MoClass.pmName.
type Counter struct {
	Name    string `json:"name"`
	MOClass string `json:"mo_class,omitempty"`
	Feature string `json:"feature,omitempty"`
}

// Event is a PM event such as INTERNAL_PROC_SOFT_LOCK or CuCpRrcResume.
type Event struct {
	Name    string `json:"name"`
	Feature string `json:"feature,omitempty"`
}

// RelatedFeature is another feature referenced by FAJ id.
type RelatedFeature struct {
	Name         string `json:"name,omitempty"`
	FAJ          string `json:"faj"`
	Relationship string `json:"relationship,omitempty"`
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
