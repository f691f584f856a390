// Package formats holds what every format converter shares: the description of
// a converted document and the limits a converter must respect. Each format has
// its own package below this one (pdf, docx, doc, html, sheet, archive); each
// turns document bytes into normalized markdown-like text: headings as `#` lines,
// lists as `-` items, tables as pipe tables, written to an io.Writer as it goes.
// Converters are pure: no NATS, no watermill, no global state.
package formats

import (
	"errors"
	"fmt"

	"github.com/ranstream/ranstream/pkg/fault"
)

// Info is what a converter learned about the document besides its text.
type Info struct {
	// Title, when the document states one.
	Title string `json:"title,omitempty"`
	// Pages, for paginated formats.
	Pages int `json:"pages,omitempty"`
	// Meta holds format-specific facts: 3GPP spec number, version and release,
	// sheet names, the text-quality measures of a PDF...
	Meta map[string]string `json:"meta,omitempty"`
	// Warnings are problems that did not stop the conversion (a garbled page,
	// a skipped embedded object).
	Warnings []string `json:"warnings,omitempty"`
}

// Limits bound what a converter may do with hostile input.
type Limits struct {
	// MaxOutput is the most text a converter may write, in bytes, where the
	// text is held in memory before it is stored. Default 256 MiB.
	MaxOutput int64
	// MaxStreamedOutput is the most text a streaming converter (CSV) may write:
	// its text goes straight to the store, so only storage bounds it. Default 4 GiB.
	MaxStreamedOutput int64
	// MaxPages bounds paginated formats. Default 20000.
	MaxPages int
}

// WithDefaults fills zero limits with their defaults.
func (l Limits) WithDefaults() Limits {
	if l.MaxOutput <= 0 {
		l.MaxOutput = 256 << 20
	}
	if l.MaxStreamedOutput <= 0 {
		l.MaxStreamedOutput = 4 << 30
	}
	if l.MaxPages <= 0 {
		l.MaxPages = 20000
	}
	return l
}

// Sentinel causes of permanent conversion failures, for errors.Is. A converter
// wraps them with the detail a user needs ("pdf: encrypted: ...").
var (
	ErrEncrypted = errors.New("encrypted or password-protected")
	ErrCorrupt   = errors.New("corrupt or truncated")
	ErrTooLarge  = errors.New("over the configured limit")
	ErrNotFormat = errors.New("not the format it claims to be")
)

// Bad returns a permanent error for bad input: the document goes to the
// dead-letter queue with this reason and is not retried.
func Bad(format string, cause error, detail string, args ...any) error {
	return fault.Permanent(fmt.Errorf("%s: %w: %s", format, cause, fmt.Sprintf(detail, args...)))
}
