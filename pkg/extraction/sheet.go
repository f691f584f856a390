package extraction

import (
	"strings"
)

// A sheet reaches the rules as text in one of two shapes: the records the
// CSV and XLSX converters write, one paragraph per row keeping its column
// names,
//
//	MO Class Name: EUtranCellFDD | Parameter Name: qRxLevMin | Default Value: -140
//
// or a pipe table whose header names its columns (any other format). Both
// are read into the same rows (sheetRow), whose known columns decide the
// item (see sheetRow.kind).

// SheetRecord is one row of a sheet chunk that the sheet rules read as
// items: the items it gives, in a Result of their own.
type SheetRecord struct {
	Items Result
}

// ReadSheet reads the rows of a sheet's text (records or pipe tables with a
// header) whose columns name a parameter, counter, PM event, feature state
// or alarm; rows that name none are left out. The quality score counts
// these records, the sheet rules extract them: one reader for both.
func ReadSheet(text string) []SheetRecord {
	var out []SheetRecord
	eachSheetRow(text, func(r sheetRow) {
		var res Result
		if r.items(&res) != sheetNone {
			out = append(out, SheetRecord{Items: res})
		}
	})
	return out
}

// eachSheetRow calls fn for every record line and every body row of a pipe
// table with a header in text.
func eachSheetRow(text string, fn func(sheetRow)) {
	var header []string // of the pipe table being read
	inTable := false
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		t := strings.TrimSpace(line)
		if t == "" {
			header, inTable = nil, false
			continue
		}
		if t[0] == '|' {
			cells := splitCells(strings.TrimSuffix(t[1:], "|"))
			switch {
			case separatorCells(cells):
				continue
			case !inTable:
				inTable = true
				header = nil
				if i+1 < len(lines) {
					if next := strings.TrimSpace(lines[i+1]); len(next) > 1 && next[0] == '|' &&
						separatorCells(splitCells(strings.TrimSuffix(next[1:], "|"))) {
						header = cells
					}
				}
			case header != nil:
				if len(cells) > len(header) {
					cells = cells[:len(header)]
				}
				fn(rowOf(header[:len(cells)], cells))
			}
			continue
		}
		header, inTable = nil, false
		if names, values, ok := recordLine(t); ok {
			fn(rowOf(names, values))
		}
	}
}

// recordLine splits a record line ("Name: value | Name: value") into its
// column names and values. ok is false for a line that is not a record:
// one whose parts do not all read "name: value" with a short name.
func recordLine(line string) (names, values []string, ok bool) {
	if len(line) > 1 && line[0] == '\\' && strings.IndexByte("#`>", line[1]) >= 0 {
		line = line[1:] // the converter's escape of a leading #, ` or >
	}
	parts := splitCells(line)
	for _, p := range parts {
		n, v, found := strings.Cut(p, ": ")
		if !found || n == "" || len(n) > 300 || strings.TrimSpace(n) != n {
			return nil, nil, false
		}
		names = append(names, n)
		values = append(values, v)
	}
	return names, values, len(names) > 0
}

// splitCells splits s at the pipes that are not escaped (`\|` is a pipe
// inside a cell) and trims and unescapes every cell.
func splitCells(s string) []string {
	var out []string
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == '|':
			b.WriteByte('|')
			i++
		case s[i] == '|':
			out = append(out, strings.TrimSpace(b.String()))
			b.Reset()
		default:
			b.WriteByte(s[i])
		}
	}
	return append(out, strings.TrimSpace(b.String()))
}

// separatorCells reports a pipe table's separator row (|---|:--|).
func separatorCells(cells []string) bool {
	for _, c := range cells {
		if strings.Trim(c, ":- ") != "" || c == "" {
			return false
		}
	}
	return len(cells) > 0
}

// sheetRule reads every known row of a sheet chunk as items. A chunk of a
// sheet family document without a known row (a title sheet, a sheet of
// unknown columns beside known ones) gets the rules of a generic document.
func sheetRule(c *chunk, r *Result) {
	n := 0
	eachSheetRow(c.in.Text, func(row sheetRow) {
		if row.items(r) != sheetNone {
			n++
		}
	})
	c.sheetRows = n
}

// unlessSheet wraps rules so that they run only on a chunk of a sheet
// document where the sheet rule found no row.
func unlessSheet(rules []rule) []rule {
	out := make([]rule, len(rules))
	for i, apply := range rules {
		out[i] = func(c *chunk, r *Result) {
			if c.sheetRows == 0 {
				apply(c, r)
			}
		}
	}
	return out
}

// Sheet heads: how much of a document's head decides whether it is a sheet.
const (
	// sheetMinRows is how many known rows a head of a non-sheet format needs.
	sheetMinRows = 5
)

// isSheet reports whether a document whose head is head is a record sheet:
// for a CSV or XLSX file, half of the rows in its head are known ones; for
// any other format, its head is mostly table rows (three lines in four
// that are not headings) and holds at least sheetMinRows known ones.
func isSheet(format, head string) bool {
	sheetFormat := format == "csv" || format == "xlsx"
	if !sheetFormat && !mostlyTable(head) {
		return false // the cheap test first: most documents are prose
	}
	known, rows := 0, 0
	eachSheetRow(head, func(r sheetRow) {
		rows++
		var res Result
		if r.items(&res) != sheetNone {
			known++
		}
	})
	if known == 0 {
		return false
	}
	if sheetFormat {
		return 2*known >= rows
	}
	return known >= sheetMinRows
}

// mostlyTable reports whether at least three quarters of the lines of head
// that are neither blank nor headings are table rows.
func mostlyTable(head string) bool {
	table, other := 0, 0
	for l := range strings.SplitSeq(head, "\n") {
		t := strings.TrimSpace(l)
		switch {
		case t == "" || t[0] == '#':
		case t[0] == '|':
			table++
		default:
			other++
		}
	}
	return 4*table >= 3*(table+other)
}
