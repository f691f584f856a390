package extraction

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Dictionary answers whether a name is in the reference spreadsheets: the MO
// attributes (parameters), PM counters and PM events of the node models.
// Extraction never needs one. With one (ExtractorConfig.Dictionary), names a
// converter glued together or marked with a footnote are repaired against
// it, and the external events it knows (S1_..., X2_..., RRC_...) are found in
// running text. A name the dictionary does not know is kept: documents
// describe releases the spreadsheets may not cover and are quoted as they
// spell names (Unknown lists such names for review).
type Dictionary interface {
	// HasClass reports whether cls is an MO class.
	HasClass(cls string) bool
	// HasParameter reports whether the MO class cls has the attribute attr.
	HasParameter(cls, attr string) bool
	// HasCounter reports whether name is a PM counter, of the MO class cls
	// when cls is not empty.
	HasCounter(cls, name string) bool
	// HasEvent reports whether name is a PM event.
	HasEvent(name string) bool
}

// ErrUnknownReference is returned (wrapped) by LoadReference for a file whose
// header is none of the reference spreadsheets it reads.
var ErrUnknownReference = errors.New("extraction: not a reference spreadsheet")

// Reference is a Dictionary loaded from the reference spreadsheets exported
// as CSV (Spreadsheets_Parameters.csv, Spreadsheets_EBS_Counters_*.csv,
// Spreadsheets_Pm_Events_LTE.csv, Spreadsheets_NRPMEvents.csv). It is
// read-only once loaded and safe for concurrent use.
type Reference struct {
	params   map[string]map[string]bool // class -> attributes
	counters map[string]map[string]bool // counter -> classes ("" when unknown)
	events   map[string]bool
}

// Counts reports how many MO classes, attributes, counters and events the
// reference holds, for a log line at start-up.
func (d *Reference) Counts() (classes, parameters, counters, events int) {
	for _, attrs := range d.params {
		parameters += len(attrs)
	}
	return len(d.params), parameters, len(d.counters), len(d.events)
}

// HasClass implements Dictionary.
func (d *Reference) HasClass(cls string) bool { return d.params[cls] != nil }

// HasParameter implements Dictionary.
func (d *Reference) HasParameter(cls, attr string) bool { return d.params[cls][attr] }

// HasCounter implements Dictionary.
func (d *Reference) HasCounter(cls, name string) bool {
	classes, ok := d.counters[name]
	return ok && (cls == "" || classes[cls] || classes[""])
}

// HasEvent implements Dictionary.
func (d *Reference) HasEvent(name string) bool { return d.events[name] }

// LoadReference reads the reference spreadsheets at paths: CSV files, or
// directories whose *.csv files are read (files that are not reference
// spreadsheets are skipped there, while a file named explicitly must be
// one). The kind of a file is told by its header row, matched as the sheet
// rules match columns (see Read): MO class and parameter columns ("MO Class
// Name", "moClass"; "Parameter Name", "attribute") give parameters (struct
// members, with a struct column, are not MO attributes and are skipped),
// counter columns ("Counter", "pmName") PM counters with their MO classes,
// PM event name columns PM events.
// XLSX workbooks are read by converting them to CSV first.
func LoadReference(paths ...string) (*Reference, error) {
	d := &Reference{params: map[string]map[string]bool{}, counters: map[string]map[string]bool{}, events: map[string]bool{}}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("reference: %w", err)
		}
		if !fi.IsDir() {
			if err := d.loadFile(p); err != nil {
				return nil, err
			}
			continue
		}
		files, err := filepath.Glob(filepath.Join(p, "*.csv"))
		if err != nil {
			return nil, fmt.Errorf("reference %s: %w", p, err)
		}
		sort.Strings(files)
		for _, f := range files {
			if err := d.loadFile(f); err != nil && !errors.Is(err, ErrUnknownReference) {
				return nil, err
			}
		}
	}
	return d, nil
}

func (d *Reference) loadFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("reference: %w", err)
	}
	defer f.Close()
	if err := d.Read(f); err != nil {
		return fmt.Errorf("reference %s: %w", path, err)
	}
	return nil
}

// Read adds the names of one reference spreadsheet in CSV form (see
// LoadReference) to d. Its columns are matched as the sheet rules match
// them (normalized names, then cell contents: see columnNames), and every
// row is read into items as the sheet rules read it: one reader for both,
// so a sheet any export writes feeds validation the way it feeds
// extraction.
func (d *Reference) Read(r io.Reader) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("%w: no header row: %v", ErrUnknownReference, err)
	}
	for i, h := range header {
		header[i] = strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))
	}
	if !referenceHeader(header) {
		return fmt.Errorf("%w: header %q", ErrUnknownReference, strings.Join(header, ","))
	}
	values := make([]string, len(header))
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read: %w", err)
		}
		for i := range values {
			values[i] = ""
			if i < len(rec) {
				values[i] = rec[i]
			}
		}
		d.add(rowOf(header, values))
	}
}

// referenceHeader reports whether a header names the columns of parameters
// (MO class and parameter), counters or PM events.
func referenceHeader(header []string) bool {
	cols := map[column]bool{}
	for _, h := range header {
		cols[columnOfName(h)] = true
	}
	return cols[colClass] && cols[colParameter] || cols[colCounter] || cols[colEvent]
}

// add adds the names of one row: an MO attribute (a struct member only
// makes its MO class known: it is no attribute of the class), a counter
// with its MO classes, a PM event.
func (d *Reference) add(row sheetRow) {
	var res Result
	row.items(&res)
	for _, p := range res.Parameters {
		if d.params[p.MOClass] == nil {
			d.params[p.MOClass] = map[string]bool{}
		}
		if p.Struct == "" {
			d.params[p.MOClass][p.Attribute] = true
		}
	}
	for _, c := range res.Counters {
		name := c.Name
		if c.MOClass != "" {
			name = strings.TrimPrefix(c.Name, c.MOClass+".")
		}
		if d.counters[name] == nil {
			d.counters[name] = map[string]bool{}
		}
		d.counters[name][c.MOClass] = true
	}
	for _, e := range res.Events {
		if e.Kind == "" {
			d.events[e.Name] = true
		}
	}
}

// Unknown lists the parameters, counters and events of r that d does not
// know, as Problems (category, item, index): a report of names to check, not
// an error, since the spreadsheets may not cover every release.
func Unknown(r Result, d Dictionary) []Problem {
	var ps []Problem
	for i, p := range r.Parameters {
		cls, attr, _ := strings.Cut(p.Name, ".")
		if !d.HasParameter(cls, attr) {
			ps = append(ps, Problem{Category: CategoryParameters, Item: p.Name, Index: i, Reason: "not in the parameter reference"})
		}
	}
	for i, c := range r.Counters {
		cls, name, ok := strings.Cut(c.Name, ".")
		if !ok {
			cls, name = "", c.Name
		}
		if !d.HasCounter(cls, name) {
			ps = append(ps, Problem{Category: CategoryCounters, Item: c.Name, Index: i, Reason: "not in the counter reference"})
		}
	}
	for i, e := range r.Events {
		if !d.HasEvent(e.Name) {
			ps = append(ps, Problem{Category: CategoryEvents, Item: e.Name, Index: i, Reason: "not in the event reference"})
		}
	}
	return ps
}

// repairWithDictionary repairs the names of a raw result against the
// chunk's dictionary:
//   - an attribute or counter the dictionary does not know, whose name minus
//     trailing digits it knows, had a footnote marker glued on when the chunk
//     holds that footnote ("(1) ..."): EUtranCellFDD.pmFooBar1 ->
//     EUtranCellFDD.pmFooBar;
//   - an attribute it does not know that is a known attribute of the class
//     followed by a known MO class or the word "attribute" was glued to the
//     next list item (NRCellDU.fooBarNRCellCU -> NRCellDU.fooBar);
//   - an UPPER_SNAKE name of the text that it knows as an event is an event
//     (the external S1_..., X2_..., RRC_... events of LTE);
//   - an event it does not know that is a known event missing its first
//     letter is given the letter back (RC_CONNECTION_X -> RRC_CONNECTION_X).
//
// A name it does not know is kept as written: Unknown reports those.
func repairWithDictionary(c *chunk, r *Result) {
	d := c.dict
	for i, p := range r.Parameters {
		cls, attr, _ := strings.Cut(p.Name, ".")
		if !d.HasClass(cls) || d.HasParameter(cls, attr) {
			continue
		}
		if fixed := knownPrefix(attr, func(a string) bool { return d.HasParameter(cls, a) }, func(rest string) bool {
			return strings.Trim(rest, "0123456789") == "" && hasFootnote(c.text, rest) || d.HasClass(rest) || gluedWordAt("x"+rest) > 0
		}); fixed != "" {
			r.Parameters[i] = Parameter{Name: cls + "." + fixed, MOClass: cls, Attribute: fixed, Role: p.Role, Feature: p.Feature}
		}
	}
	for i, x := range r.Counters {
		cls, name, ok := strings.Cut(x.Name, ".")
		if !ok {
			cls, name = "", x.Name
		}
		if d.HasCounter(cls, name) {
			continue
		}
		if fixed := strings.TrimRight(name, "0123456789"); fixed != name && d.HasCounter(cls, fixed) && hasFootnote(c.text, name[len(fixed):]) {
			x.Name = strings.TrimPrefix(cls+"."+fixed, ".")
			r.Counters[i] = x
		}
	}
	for _, name := range eventTableName.FindAllString(c.text, -1) {
		if d.HasEvent(name) {
			r.Events = append(r.Events, Event{Name: name}) // an external event (S1_..., RRC_...) it knows
		}
	}
	for i, e := range r.Events {
		if !d.HasEvent(e.Name) {
			if fixed := missingLetter(e.Name, d); fixed != "" {
				r.Events[i].Name = fixed
			}
		}
	}
}

// hasFootnote reports whether text holds the footnote that marker (digits)
// refers to: a line starting with "(1)" or "1)". Without one, trailing
// digits are part of the name (pmFooBar2 replacing pmFooBar).
func hasFootnote(text, marker string) bool {
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "("+marker+")") || strings.HasPrefix(l, marker+")") {
			return true
		}
	}
	return false
}

// knownPrefix returns the longest proper prefix of name (at least four
// characters) that known accepts and whose remainder rest accepts, or "".
func knownPrefix(name string, known func(string) bool, rest func(string) bool) string {
	for k := len(name) - 1; k >= 4; k-- {
		if known(name[:k]) && rest(name[k:]) {
			return name[:k]
		}
	}
	return ""
}

// missingLetter returns the known event that name is missing the first
// letter of, or "".
func missingLetter(name string, d Dictionary) string {
	for l := 'A'; l <= 'Z'; l++ {
		if d.HasEvent(string(l) + name) {
			return string(l) + name
		}
	}
	return ""
}
