// Package detect names the format of a document and, for text, its encoding, from its
// name and its first bytes. Magic bytes decide first, the extension second, the
// content last, so a misnamed file is still read for what it is: a PDF placeholder
// that holds text is text, a Word lock file named "~$x.docx" is not a document.
//
// The package is pure: it looks at nothing but the name and the bytes it is given.
package detect

import (
	"path"
	"strings"
)

// Format names, as carried in docs.detected events.
const (
	FormatMarkdown = "markdown"
	FormatText     = "text"
	FormatHTML     = "html"
	FormatPDF      = "pdf"
	FormatDOCX     = "docx"
	FormatDOC      = "doc"
	FormatXLSX     = "xlsx"
	FormatXLS      = "xls"
	FormatCSV      = "csv"
	FormatZIP      = "zip"
	FormatASN1     = "asn1"
	FormatXML      = "xml"
	FormatJSON     = "json"
	// FormatLFSPointer is a Git LFS pointer committed where the content should be:
	// there is nothing to extract, and the user needs to be told so.
	FormatLFSPointer = "lfs-pointer"
	FormatEmpty      = "empty"
	// FormatUnknown is binary content that no stage can read (images, lock files,
	// archives other than zip...). MIME says what it is when the magic bytes are known.
	FormatUnknown = "unknown"
)

// HeadSize is how many leading bytes Detect looks at; more are ignored.
const HeadSize = 64 << 10

// MIME types of the formats; unknown binaries get a more precise one when known.
const (
	mimeOctet = "application/octet-stream"
	mimeText  = "text/plain"
)

// Result is what Detect found.
type Result struct {
	// Format is one of the Format constants.
	Format string
	// Encoding is the IANA/WHATWG name of the text encoding ("UTF-8",
	// "windows-1252", "Shift_JIS"...), as textnorm.Decode accepts it; empty for
	// binary formats.
	Encoding string
	// MIME is the media type of the content, without parameters.
	MIME string
}

// IsText reports whether the content is text that textnorm.Decode can read in
// Encoding.
func (r Result) IsText() bool {
	return isTextFormat(r.Format) && r.Encoding != ""
}

// Detect names the format of a document from its name (a file name or an archive
// path; only the extension and base name are used) and head, its first bytes (up to
// HeadSize; the whole file when smaller).
func Detect(name string, head []byte) Result {
	if len(head) > HeadSize {
		head = head[:HeadSize]
	}
	if len(head) == 0 {
		return Result{Format: FormatEmpty, MIME: "application/x-empty"}
	}
	base, ext := splitName(name)
	if r, ok := byMagic(ext, head); ok {
		return r
	}
	if strings.HasPrefix(base, "~$") && isOfficeExt(ext) {
		// An Office owner (lock) file: a length byte and a user name, never a document.
		return Result{Format: FormatUnknown, MIME: mimeOctet}
	}
	v := examine(head)
	if v.binary {
		return Result{Format: FormatUnknown, MIME: mimeOctet}
	}
	format := textFormat(ext, v.text)
	enc := v.encoding
	if enc == "" {
		enc = legacyCharset(head, format)
	}
	return Result{Format: format, Encoding: enc, MIME: mimeOf(format)}
}

// textFormat decides among the text formats: by extension when it names one, by
// content otherwise. An extension of a binary format on text content (a ".pdf"
// placeholder) yields what the content is, and plain text rather than markdown, since
// one heading line is no evidence of a markdown document.
func textFormat(ext string, text []byte) string {
	f, known := formatByExt(ext)
	switch {
	case !known:
		return sniff(text)
	case !isTextFormat(f):
		if s := sniff(text); s != FormatMarkdown {
			return s
		}
		return FormatText
	case f == FormatXML && looksHTML(text, true):
		return FormatHTML
	}
	return f
}

// splitName returns the lower-cased base name and extension (with its dot) of the
// last element of a slash or backslash separated name.
func splitName(name string) (base, ext string) {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return name, strings.ToLower(path.Ext(name))
}

// formatByExt maps a lower-cased extension to a format.
func formatByExt(ext string) (string, bool) {
	switch ext {
	case ".md", ".markdown", ".mdown", ".mkd", ".mkdn":
		return FormatMarkdown, true
	case ".txt", ".text", ".log", ".srt", ".sh", ".bash", ".mos", ".cfg", ".conf",
		".ini", ".yaml", ".yml", ".rst", ".tex":
		return FormatText, true
	case ".htm", ".html", ".xhtml", ".shtml":
		return FormatHTML, true
	case ".csv", ".tsv":
		return FormatCSV, true
	case ".xml", ".xsd":
		return FormatXML, true
	case ".json", ".jsonl", ".ndjson":
		return FormatJSON, true
	case ".asn", ".asn1":
		return FormatASN1, true
	case ".pdf":
		return FormatPDF, true
	case ".docx", ".docm", ".dotx", ".dotm":
		return FormatDOCX, true
	case ".doc", ".dot":
		return FormatDOC, true
	case ".xlsx", ".xlsm", ".xltx", ".xltm":
		return FormatXLSX, true
	case ".xls", ".xlt":
		return FormatXLS, true
	case ".zip":
		return FormatZIP, true
	}
	return "", false
}

func isOfficeExt(ext string) bool {
	f, ok := formatByExt(ext)
	return ok && (f == FormatDOCX || f == FormatDOC || f == FormatXLSX || f == FormatXLS) ||
		ext == ".pptx" || ext == ".ppt"
}

func isTextFormat(f string) bool {
	switch f {
	case FormatMarkdown, FormatText, FormatHTML, FormatCSV, FormatXML, FormatJSON, FormatASN1:
		return true
	}
	return false
}

func mimeOf(format string) string {
	switch format {
	case FormatMarkdown:
		return "text/markdown"
	case FormatText, FormatLFSPointer:
		return mimeText
	case FormatHTML:
		return "text/html"
	case FormatCSV:
		return "text/csv"
	case FormatXML:
		return "application/xml"
	case FormatJSON:
		return "application/json"
	case FormatASN1:
		return "text/x-asn1"
	case FormatPDF:
		return "application/pdf"
	case FormatDOCX:
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case FormatDOC:
		return "application/msword"
	case FormatXLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case FormatXLS:
		return "application/vnd.ms-excel"
	case FormatZIP:
		return "application/zip"
	}
	return mimeOctet
}
