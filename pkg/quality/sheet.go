package quality

import (
	"github.com/ranstream/ranstream/pkg/extraction"
)

// sheetCoverage is the coverage of a record sheet's chunk: the share of its
// records (rows whose columns name a parameter, counter, PM event, feature
// state or alarm, read by extraction.ReadSheet) whose every item the result
// holds. ok is false for a chunk that is no record sheet (not of the sheet
// family, nor a CSV or XLSX document), or holds no such record; the loose
// patterns decide then. A sheet read for 35 of its 9,974 rows scores 35/9,974
// here, whatever else the result holds.
func sheetCoverage(in extraction.Input, r extraction.Result) (cov float64, ok bool) {
	if in.Family != extraction.FamilySheet && in.Format != "csv" && in.Format != "xlsx" {
		return 0, false
	}
	records := extraction.ReadSheet(in.Text)
	if len(records) == 0 {
		return 0, false
	}
	have := map[string]bool{}
	for _, k := range itemKeys(r) {
		have[k] = true
	}
	found := 0
	for _, rec := range records {
		all := true
		for _, k := range itemKeys(rec.Items) {
			if !have[k] {
				all = false
				break
			}
		}
		if all {
			found++
		}
	}
	return share(float64(found), float64(len(records))), true
}

// itemKeys lists the keys a sheet record's items are matched by: the
// parameter and counter names, the event name (an alarm's with its MO
// class), the feature state's CXC code.
func itemKeys(r extraction.Result) []string {
	var out []string
	for _, f := range r.MainFeatures {
		if f.CXC != "" {
			out = append(out, "f\x00"+f.CXC)
		}
	}
	for _, p := range r.Parameters {
		out = append(out, "p\x00"+p.Name)
	}
	for _, c := range r.Counters {
		out = append(out, "c\x00"+c.Name)
	}
	for _, e := range r.Events {
		k := "e\x00" + e.Name
		if e.Kind == extraction.KindAlarm {
			k = "a\x00" + e.Name + "\x00" + e.MOClass
		}
		out = append(out, k)
	}
	return out
}
