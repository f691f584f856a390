// Package sheet converts spreadsheets (CSV in any encoding and delimiter, and
// XLSX workbooks, every sheet) to normalized markdown-like text in which every
// row is a record that keeps its column names:
//
//	# Parameters
//
//	MO Class Name: EUtranCellFDD | Parameter Name: qRxLevMin | Default Value: -140
//
// A table is rarely where a sheet starts: title rows, notes and blank lines sit
// above the header more often than not, so the header is found, not assumed
// (see findHeader). Rows above it are kept as paragraphs. Records are written
// as they are read, one paragraph each, so that the chunker can pack whole
// records and memory does not grow with the size of the sheet.
package sheet

// Options tune a conversion.
type Options struct {
	// Encoding is the text encoding of a CSV file as detect names it
	// ("windows-1252", "UTF-16LE"); empty means: find out from the bytes. A
	// byte order mark wins over it.
	Encoding string
	// Name, when set, is written as the `#` heading above the records of a CSV
	// file (an XLSX sheet is headed by its sheet name).
	Name string
}

// Format names of the converters, in errors.
const (
	formatCSV  = "csv"
	formatXLSX = "xlsx"
)
