// Package mupdf reads PDF pages with MuPDF's structured text, through a
// small cgo shim (shim.c) over the MuPDF library that go-fitz links in.
//
// Why not go-fitz's API: go-fitz hands a page's text over as MuPDF's HTML
// rendering (with every image base64-encoded), which must be parsed back,
// and its MuPDF context, private to it, writes MuPDF's warnings and errors
// to the process's stderr. Here every document has its own context, which
// allocates from a heap of its own (heap.c), and whose messages are
// captured (counted, the distinct ones kept) and never printed; a page is read in one call into C that returns its lines (box,
// font size, weight, characters with their extent) and the straight
// horizontal and vertical rules drawn on it (table borders). How many
// images a page draws is a second call, for the pages that may be scans.
// A page is rendered to PNG (for OCR) in the same context, so MuPDF's
// messages about it are captured as well.
//
// The headers in include/ are MuPDF's, as go-fitz ships them (see
// README.md); they must match the library go-fitz links, which
// TestContext_opens checks.
//
// A Document is not safe for concurrent use; different Documents are (each
// has its own context), except for the few process-wide MuPDF variables
// that package pdf guards.
package mupdf

/*
#cgo CFLAGS: -I${SRCDIR}/include -O2
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"unsafe"

	// go-fitz links MuPDF's static libraries (its #cgo LDFLAGS); the shim
	// calls into them.
	_ "github.com/gen2brain/go-fitz"
)

// ErrNeedsPassword reports a document that opens only with a password.
var ErrNeedsPassword = errors.New("mupdf: the document needs a password")

// ErrContext reports that no MuPDF context could be made: out of memory,
// or headers in include/ that do not match the linked library.
var ErrContext = errors.New("mupdf: cannot create a context (out of memory, or include/ headers that do not match go-fitz's MuPDF)")

// Document is an open PDF.
type Document struct {
	d   *C.rs_doc
	pin runtime.Pinner
	// page, lines and rules are the last Page's, reused by the next.
	page  Page
	lines []Line
	rules []Rule
}

// Open opens the PDF in data, which must not change until Close. On
// ErrNeedsPassword the document is open (Messages and Close work); on any
// other error it is closed.
func Open(data []byte) (*Document, error) {
	if len(data) == 0 {
		return nil, errors.New("mupdf: no data")
	}
	doc := &Document{}
	// MuPDF reads the bytes in place for as long as the document is open
	// (pinning a Buffer's bytes, outside the Go heap, does nothing).
	doc.pin.Pin(&data[0])
	var status C.int
	doc.d = C.rs_open((*C.uchar)(unsafe.Pointer(&data[0])), C.size_t(len(data)), &status)
	if doc.d == nil {
		doc.pin.Unpin()
		return nil, ErrContext
	}
	switch status {
	case 0:
		return doc, nil
	case 1:
		return doc, ErrNeedsPassword
	}
	err := fmt.Errorf("mupdf: open: %s", doc.lastError())
	doc.Close()
	return nil, err
}

// Buffer is memory outside the Go heap for the bytes of a document. A
// document is held whole while MuPDF reads it; in the Go heap, a buffer of
// a megabyte made and dropped per document is cleared on allocation,
// returned to the system by the scavenger after the next collection and
// faulted in again for the next document, a few per cent of a conversion.
type Buffer struct {
	p unsafe.Pointer
	n int
}

// NewBuffer allocates n bytes (not cleared) outside the Go heap; the
// caller must Free it.
func NewBuffer(n int) (*Buffer, error) {
	if n <= 0 {
		return nil, errors.New("mupdf: no data")
	}
	p := C.malloc(C.size_t(n))
	if p == nil {
		return nil, fmt.Errorf("mupdf: cannot allocate %d bytes", n)
	}
	return &Buffer{p: p, n: n}, nil
}

// Bytes is the buffer's memory, valid until Free.
func (b *Buffer) Bytes() []byte {
	if b.p == nil {
		return nil
	}
	return unsafe.Slice((*byte)(b.p), b.n)
}

// Free releases the buffer; it may be called more than once.
func (b *Buffer) Free() {
	if b.p != nil {
		C.free(b.p)
		b.p = nil
	}
}

// Close frees the document; it may be called more than once.
func (doc *Document) Close() {
	if doc.d != nil {
		C.rs_close(doc.d)
		doc.d = nil
		doc.pin.Unpin()
	}
}

func (doc *Document) lastError() string {
	v := C.rs_view(doc.d)
	return C.GoString(v.err)
}

// Pages returns the page count.
func (doc *Document) Pages() (int, error) {
	n := int(C.rs_count_pages(doc.d))
	if n < 0 {
		return 0, fmt.Errorf("mupdf: count pages: %s", doc.lastError())
	}
	return n, nil
}

// Metadata returns the document's metadata value for key (MuPDF's keys:
// "format", "encryption", "info:Title", "info:Producer" ...), "" if none.
func (doc *Document) Metadata(key string) string {
	ckey := C.CString(key)
	defer C.free(unsafe.Pointer(ckey))
	var buf [1024]C.char
	if n := C.rs_metadata(doc.d, ckey, &buf[0], C.int(len(buf))); n < 0 {
		return ""
	}
	return C.GoString(&buf[0])
}

// Line is one line of MuPDF's structured text: a run of characters on one
// baseline that MuPDF did not split at a gap.
type Line struct {
	// X0, Y0, X1, Y1 bound the line, in points from the top left.
	X0, Y0, X1, Y1 float64
	// Top is the top of the first glyph (baseline minus 0.8 em).
	Top float64
	// Size is the font size of most of its characters.
	Size float64
	// Bold is set when most of its characters are bold.
	Bold bool
	// Chars are its characters, left to right as MuPDF found them.
	Chars []Char
}

// Char is one character and its horizontal extent. It has rs_char's
// layout (checked below), so a page's characters are read where the shim
// wrote them.
type Char struct {
	R      rune
	X0, X1 float32
}

// Compile-time checks that Char and C's rs_char match: an array length is
// negative, and the build fails, where they differ.
var (
	_ [unsafe.Sizeof(Char{}) - unsafe.Sizeof(C.rs_char{})]byte
	_ [unsafe.Sizeof(C.rs_char{}) - unsafe.Sizeof(Char{})]byte
	_ [unsafe.Offsetof(Char{}.X0) - unsafe.Offsetof(C.rs_char{}.x0)]byte
	_ [unsafe.Offsetof(C.rs_char{}.x0) - unsafe.Offsetof(Char{}.X0)]byte
	_ [unsafe.Offsetof(Char{}.X1) - unsafe.Offsetof(C.rs_char{}.x1)]byte
	_ [unsafe.Offsetof(C.rs_char{}.x1) - unsafe.Offsetof(Char{}.X1)]byte
)

// Rule is a straight horizontal or vertical line drawn on the page (a
// stroke, or a filled rectangle a few points thick): its painted box.
type Rule struct {
	X0, Y0, X1, Y1 float64
}

// Page is the text and the rules of one page.
type Page struct {
	Lines []Line
	Rules []Rule
	// RulesDropped counts rules past the per-page bound (a drawing, not a
	// table, draws that many).
	RulesDropped int
}

// Page reads page n (0-based). The Page and its slices are the
// Document's: they hold until the next call to Page, which reuses them,
// or to Close. The characters are not copied: Line.Chars are the shim's
// array, in C memory, which the next page overwrites.
func (doc *Document) Page(n int) (*Page, error) {
	if C.rs_page(doc.d, C.int(n)) != 0 {
		return nil, fmt.Errorf("mupdf: page %d: %s", n+1, doc.lastError())
	}
	v := C.rs_view(doc.d)
	chars := unsafe.Slice((*Char)(unsafe.Pointer(v.chars)), int(v.nchars))
	ls := unsafe.Slice((*C.rs_line)(unsafe.Pointer(v.lines)), int(v.nlines))
	lines := resize(doc.lines, len(ls))
	for i, l := range ls {
		lines[i] = Line{
			X0: float64(l.x0), Y0: float64(l.y0), X1: float64(l.x1), Y1: float64(l.y1),
			Top: float64(l.top), Size: float64(l.size), Bold: l.bold != 0,
			Chars: chars[l.first : l.first+l.n : l.first+l.n],
		}
	}
	rs := unsafe.Slice((*C.rs_rule)(unsafe.Pointer(v.rules)), int(v.nrules))
	rules := resize(doc.rules, len(rs))
	for i, r := range rs {
		rules[i] = Rule{X0: float64(r.x0), Y0: float64(r.y0), X1: float64(r.x1), Y1: float64(r.y1)}
	}
	doc.lines, doc.rules = lines, rules
	doc.page = Page{Lines: lines, Rules: rules, RulesDropped: int(v.rules_dropped)}
	return &doc.page, nil
}

// Images counts the images (and image masks) page n (0-based) draws: a
// page with an image and almost no text may be a scan. Page does not load
// images (neither does mutool); Images reads the page's contents again,
// so it is for the few pages with almost no text.
func (doc *Document) Images(n int) (int, error) {
	k := int(C.rs_count_images(doc.d, C.int(n)))
	if k < 0 {
		return 0, fmt.Errorf("mupdf: count the images of page %d: %s", n+1, doc.lastError())
	}
	return k, nil
}

// resize returns s with length n, reallocated only when n is over its
// capacity; every element is overwritten by the caller.
func resize[T any](s []T, n int) []T {
	if n <= cap(s) {
		return s[:n]
	}
	return make([]T, n, n+n/4)
}

// RenderPNG renders page n (0-based) at dpi dots per inch as a grayscale
// PNG (for OCR). MuPDF's messages while rendering are the document's, as
// for Page.
func (doc *Document) RenderPNG(n int, dpi float64) ([]byte, error) {
	if dpi <= 0 || dpi > maxDPI {
		return nil, fmt.Errorf("mupdf: render page %d: %v dpi is out of (0, %d]", n+1, dpi, maxDPI)
	}
	if C.rs_render_png(doc.d, C.int(n), C.float(dpi)) != 0 {
		return nil, fmt.Errorf("mupdf: render page %d: %s", n+1, doc.lastError())
	}
	v := C.rs_view(doc.d)
	return C.GoBytes(unsafe.Pointer(v.png), C.int(v.npng)), nil
}

// maxDPI bounds RenderPNG's resolution (an A4 page at 1200 dpi is a
// 140-megapixel image).
const maxDPI = 1200

// Message is one distinct MuPDF warning or error.
type Message struct {
	Text  string
	Count int
	Error bool
}

// Messages is what MuPDF reported about a document so far.
type Messages struct {
	// Warnings and Errors count every message, repeats included.
	Warnings, Errors int
	// Distinct holds the first distinct messages (C.RS_MAX_MSGS at most),
	// each truncated.
	Distinct []Message
}

// Messages returns MuPDF's messages about the document so far.
func (doc *Document) Messages() Messages {
	v := C.rs_view(doc.d)
	m := Messages{Warnings: int(v.warnings), Errors: int(v.errors)}
	for _, c := range unsafe.Slice((*C.rs_msg)(unsafe.Pointer(v.msgs)), int(v.nmsgs)) {
		m.Distinct = append(m.Distinct, Message{
			Text:  strings.TrimSpace(C.GoString(&c.text[0])),
			Count: int(c.count),
			Error: c.error != 0,
		})
	}
	return m
}

// checkContext reports whether a MuPDF context can be made with the
// headers in include/.
func checkContext() bool { return C.rs_check_context() == 1 }
