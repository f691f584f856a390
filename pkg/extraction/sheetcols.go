package extraction

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// column is what a sheet column holds, decided by its name (columnOfName)
// or, for the key columns, by what its cells hold (columnOfValue).
type column uint8

// The columns a sheet's items are built from.
const (
	colNone column = iota
	colModel
	colClass
	colParameter
	colStruct
	colDataType
	colRange
	colDefault
	colUnit
	colDescription
	colReadOnly
	colMandatory
	colRestricted
	colDeprecated
	colObsolete
	colPreliminary
	colCounter
	colCounterType
	colRelatedEvent
	colEvent
	colEventID
	colEventType
	colTrigger
	colFeatureState
	colFeatureName
	colAlarm
	colProbableCause
	colSeverity
)

// sheetClassShape is an MO class as sheets write it; counters accept the
// underscores of transport classes (EP_NgU), parameters moClassShape only.
var sheetClassShape = regexp.MustCompile(`^[A-Z][A-Za-z0-9_]*[A-Za-z0-9]$`)

// columnNames maps normalized column names (lower case, letters and digits
// only: "MO Class Name", "moClassName" and "mo_class_name" all read
// "moclassname") to what the column holds. Exports of the same sheet name
// their columns differently; this is the one list both the sheet rules and
// LoadReference read them by.
var columnNames = map[string]column{
	"model": colModel, "mom": colModel, "momodel": colModel, "managedobjectmodel": colModel, "momname": colModel,

	"moclass": colClass, "moclassname": colClass, "moc": colClass, "class": colClass, "classname": colClass,
	"managedobjectclass": colClass, "moclasses": colClass, "mo": colClass, "motype": colClass,

	"parameter": colParameter, "parametername": colParameter, "param": colParameter, "paramname": colParameter,
	"attribute": colParameter, "attributename": colParameter, "moattribute": colParameter, "attr": colParameter,

	"struct": colStruct, "structname": colStruct, "structure": colStruct, "structtype": colStruct,

	"datatype": colDataType, "type": colDataType, "attributetype": colDataType, "parametertype": colDataType,
	"rangeandvalues": colRange, "range": colRange, "valuerange": colRange, "values": colRange, "allowedvalues": colRange,
	"defaultvalue": colDefault, "default": colDefault,
	"unit": colUnit, "units": colUnit, "unitofmeasure": colUnit,
	"description": colDescription, "parameterdescription": colDescription, "attributedescription": colDescription,
	"counterdescription": colDescription, "featuredescription": colDescription,
	"readonly": colReadOnly, "isreadonly": colReadOnly,
	"mandatory": colMandatory, "ismandatory": colMandatory,
	"restricted": colRestricted,
	"deprecated": colDeprecated, "deprecatedsince": colDeprecated, "isdeprecated": colDeprecated,
	"obsolete": colObsolete, "preliminary": colPreliminary,

	"counter": colCounter, "countername": colCounter, "pmname": colCounter, "pmcounter": colCounter,
	"pmcountername": colCounter, "measurementname": colCounter,
	"countertype":    colCounterType,
	"relatedpmevent": colRelatedEvent, "relatedevent": colRelatedEvent,

	"pmeventname": colEvent, "eventname": colEvent, "pmevent": colEvent, "event": colEvent,
	"eventid": colEventID, "id": colEventID,
	"eventtype":                  colEventType,
	"eventdescriptionandtrigger": colTrigger, "trigger": colTrigger, "eventtrigger": colTrigger,
	"eventdescription": colTrigger,

	"featurestateid": colFeatureState, "featurestate": colFeatureState, "cxc": colFeatureState,
	"cxccode": colFeatureState, "featurestatecxc": colFeatureState, "licensecxc": colFeatureState,
	"featurename": colFeatureName, "feature": colFeatureName,

	"specificproblem": colAlarm, "alarmname": colAlarm, "alarm": colAlarm,
	"probablecause":     colProbableCause,
	"perceivedseverity": colSeverity, "severity": colSeverity, "defaultseverity": colSeverity,
}

// normColumn is the key of a column name in columnNames.
func normColumn(name string) string {
	var b strings.Builder
	for _, r := range name {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// columnOfName returns what a column named name holds, or colNone.
func columnOfName(name string) column {
	return columnNames[normColumn(name)]
}

// columnOfValue returns the key column a cell's value shows, for a column
// whose name says nothing known: a PM counter name, a feature-state CXC
// code, or colNone.
func columnOfValue(v string) column {
	switch {
	case counterShape.MatchString(v) && !strings.Contains(v, "."):
		return colCounter
	case featureStateValue(v) != "":
		return colFeatureState
	}
	return colNone
}

// featureStateValue returns the CXC code of a feature-state cell
// ("CXC4012740", "FeatureState=CXC4012740", "CXC 401 2740"), or "".
func featureStateValue(v string) string {
	v = strings.TrimSpace(v)
	if i := strings.LastIndexByte(v, '='); i >= 0 && strings.EqualFold(strings.TrimSpace(v[:i]), "FeatureState") {
		v = v[i+1:]
	}
	v = strings.Join(strings.Fields(v), "")
	if cxcShape.MatchString(v) {
		return v
	}
	return ""
}

// sheetRow is one row of a sheet: what each known column holds. Both the
// sheet rules (from the records of a chunk) and LoadReference (from a CSV
// file) fill one and turn it into items with items.
type sheetRow map[column]string

// rowOf reads a row from its column names and values (same length): by name
// first, then, for a column whose name is unknown, by value.
func rowOf(names, values []string) sheetRow {
	r := sheetRow{}
	var unknown []int
	for i, n := range names {
		v := strings.TrimSpace(values[i])
		if v == "" {
			continue
		}
		c := columnOfName(n)
		if c == colNone {
			unknown = append(unknown, i)
			continue
		}
		if _, ok := r[c]; !ok {
			r[c] = v
		}
	}
	if r.kind() == sheetNone {
		for _, i := range unknown {
			v := strings.TrimSpace(values[i])
			if c := columnOfValue(v); c != colNone {
				if _, ok := r[c]; !ok {
					r[c] = v
				}
			}
		}
	}
	return r
}

// sheetKind is the kind of item a row gives.
type sheetKind uint8

// The kinds of sheet rows.
const (
	sheetNone sheetKind = iota
	sheetParameter
	sheetCounter
	sheetEvent
	sheetFeatureState
	sheetAlarm
)

// kind decides what item the row is: an alarm (specific problem), a feature
// state (a CXC code), a counter, a PM event, or a parameter (MO class and
// parameter name); sheetNone when its columns say none of these.
func (r sheetRow) kind() sheetKind {
	switch {
	case r[colAlarm] != "":
		return sheetAlarm
	case r[colFeatureState] != "" && featureStateValue(r[colFeatureState]) != "":
		return sheetFeatureState
	case r[colCounter] != "":
		return sheetCounter
	case r[colEvent] != "":
		return sheetEvent
	case r[colClass] != "" && r[colParameter] != "":
		return sheetParameter
	}
	return sheetNone
}

// moClasses splits an MO class cell into its classes: "EUtranCellFDD/
// EUtranCellTDD" names two, "ResourcePartitionMember(ResourcePartitions::
// ResourcePartition)" is ResourcePartitionMember under its parent. Cells
// that name no class give none.
func moClasses(cell string) []string {
	if i := strings.IndexByte(cell, '('); i > 0 {
		cell = cell[:i]
	}
	var out []string
	for _, c := range strings.FieldsFunc(cell, func(r rune) bool { return r == '/' || r == ',' || r == ';' || r == ' ' }) {
		if sheetClassShape.MatchString(c) {
			out = append(out, c)
		}
	}
	return out
}

// truthy reports whether a flag cell says yes.
func truthy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "y", "x", "1":
		return true
	}
	return false
}

// flagged reports whether a deprecation-like cell marks the row: any text
// but an explicit no.
func flagged(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "false", "no", "n", "0", "-":
		return false
	}
	return true
}

// items adds the items of row r to res and reports its kind. A row whose
// key cells do not read as names (a counter cell that is no pm name) adds
// nothing and reports sheetNone.
func (r sheetRow) items(res *Result) sheetKind {
	k := r.kind()
	switch k {
	case sheetParameter:
		classes := moClasses(r[colClass])
		attr := Collapse(r[colParameter])
		classes = slices.DeleteFunc(classes, func(c string) bool { return !moClassShape.MatchString(c) })
		if len(classes) == 0 || !attributeShape.MatchString(attr) || IsCounterName(attr) {
			return sheetNone
		}
		st := Collapse(r[colStruct])
		if st != "" && !moClassShape.MatchString(st) {
			st = ""
		}
		for _, cls := range classes {
			p := Parameter{Name: cls + "." + attr, MOClass: cls, Attribute: attr, Struct: st,
				Type: Collapse(r[colDataType]), Range: Collapse(r[colRange]), Default: Collapse(r[colDefault]),
				Unit: Collapse(r[colUnit]), Description: Collapse(r[colDescription]), Model: Collapse(r[colModel])}
			if st != "" {
				p.Name = cls + "." + st + "." + attr
			}
			p.Flags = r.flags()
			res.Parameters = append(res.Parameters, p)
		}
	case sheetCounter:
		name := strings.Join(strings.Fields(r[colCounter]), "")
		if _, n, ok := strings.Cut(name, "."); ok && counterShape.MatchString(n) {
			name = n
		}
		if !counterShape.MatchString(name) {
			return sheetNone
		}
		c := Counter{Type: Collapse(r[colCounterType]), Description: Collapse(r[colDescription]),
			Unit: Collapse(r[colUnit]), Event: Collapse(r[colRelatedEvent])}
		classes := moClasses(r[colClass])
		if len(classes) == 0 {
			c.Name = name
			res.Counters = append(res.Counters, c)
		}
		for _, cls := range classes {
			c.Name, c.MOClass = cls+"."+name, cls
			res.Counters = append(res.Counters, c)
		}
	case sheetEvent:
		name := strings.Join(strings.Fields(r[colEvent]), "")
		if !snakeEvent.MatchString(name) && !camelEvent.MatchString(name) {
			return sheetNone
		}
		res.Events = append(res.Events, Event{Name: name, ID: Collapse(r[colEventID]), Type: Collapse(r[colEventType]),
			Trigger: Collapse(r[colTrigger])})
	case sheetFeatureState:
		name := Collapse(r[colFeatureName])
		if name == "" {
			name = Collapse(r[colDescription])
		}
		cxc := featureStateValue(r[colFeatureState])
		res.MainFeatures = append(res.MainFeatures, Feature{Name: name, CXC: cxc, Kind: KindFeatureState})
	case sheetAlarm:
		name := Collapse(r[colAlarm])
		classes := moClasses(r[colClass])
		a := Event{Name: name, Kind: KindAlarm, Type: Collapse(r[colEventType]),
			ProbableCause: Collapse(r[colProbableCause]), Severity: Collapse(r[colSeverity]), Model: Collapse(r[colModel])}
		if len(classes) == 0 {
			res.Events = append(res.Events, a)
		}
		for _, cls := range classes {
			a.MOClass = cls
			res.Events = append(res.Events, a)
		}
	}
	return k
}

// flags lists the flags a parameter row sets, comma-separated in a fixed
// order.
func (r sheetRow) flags() string {
	var out []string
	for _, f := range []struct {
		col  column
		name string
		set  func(string) bool
	}{
		{colReadOnly, "read_only", truthy}, {colMandatory, "mandatory", truthy}, {colRestricted, "restricted", truthy},
		{colDeprecated, "deprecated", flagged}, {colObsolete, "obsolete", flagged}, {colPreliminary, "preliminary", flagged},
	} {
		if f.set(r[f.col]) {
			out = append(out, f.name)
		}
	}
	return strings.Join(out, ",")
}
