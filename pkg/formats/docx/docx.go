// Package docx converts Word OOXML documents (.docx: current 3GPP
// specifications and tdocs) to normalized markdown-like text. It streams
// word/document.xml with encoding/xml, so that a 40 MB specification body is
// never held as a tree: headings come from the paragraph styles (built-in
// "heading N", 3GPP "H6", outline levels of custom styles) with their clause
// numbers kept as written, lists become `-` or `1.` items, tables become pipe
// tables, tracked changes are resolved (insertions kept, deletions and moves
// away dropped), and fields keep their results. The cover page of a 3GPP
// document gives Info.Meta its spec number, version and release.
package docx

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/ranstream/ranstream/pkg/formats"
	"github.com/ranstream/ranstream/pkg/formats/doc/cfb"
	"github.com/ranstream/ranstream/pkg/formats/markdown"
	"github.com/ranstream/ranstream/pkg/formats/threegpp"
)

// format names this converter in errors.
const format = "docx"

// Bounds on the package parts, against zip bombs.
const (
	// xmlPerOutput is how many bytes of document.xml one byte of output may
	// take: WordprocessingML markup is verbose (38.331: 46 MB of XML for
	// 4 MB of text), so this leaves room while still bounding a bomb.
	xmlPerOutput = 32
	// maxSmallPart bounds styles.xml, numbering.xml and the relationships.
	maxSmallPart = 32 << 20
)

// Convert writes the text of the .docx document in r (size bytes) to w and
// returns what it learned: for 3GPP documents, the cover-page facts in
// Info.Meta (spec, version, release, tdoc...) and a title. Bad input gives a
// permanent error wrapping formats.ErrNotFormat (not a Word package),
// ErrEncrypted (a password-protected package), ErrCorrupt or ErrTooLarge.
func Convert(ctx context.Context, r io.ReaderAt, size int64, w io.Writer, lim formats.Limits) (formats.Info, error) {
	lim = lim.WithDefaults()
	var info formats.Info
	r = sourceReader{r}
	var head [8]byte
	n, _ := r.ReadAt(head[:], 0)
	if cfb.IsCFB(head[:n]) {
		return info, oleError(r, size)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		var se *sourceError
		if errors.As(err, &se) {
			return info, fmt.Errorf("docx: %w", err)
		}
		if bytes.HasPrefix(head[:n], []byte("PK")) {
			return info, formats.Bad(format, formats.ErrCorrupt, "zip: %v", err)
		}
		return info, formats.Bad(format, formats.ErrNotFormat, "not a zip package")
	}
	pkg := newPackage(zr)
	mainPart := pkg.target("", "_rels/.rels", "/officeDocument", "word/document.xml")
	docFile := pkg.file(mainPart)
	if docFile == nil {
		return info, formats.Bad(format, formats.ErrNotFormat, "zip without %s", mainPart)
	}
	if docFile.Flags&0x1 != 0 {
		return info, formats.Bad(format, formats.ErrEncrypted, "%s is encrypted", mainPart)
	}
	maxXML := xmlLimit(lim.MaxOutput)
	if docFile.UncompressedSize64 > uint64(maxXML) {
		return info, formats.Bad(format, formats.ErrTooLarge, "%s of %d bytes is over the %d-byte limit", mainPart, docFile.UncompressedSize64, maxXML)
	}

	dir := path.Dir(mainPart)
	rels := path.Join(dir, "_rels", path.Base(mainPart)+".rels")
	var styles *styleSheet
	if f := pkg.file(pkg.target(dir, rels, "/styles", path.Join(dir, "styles.xml"))); f != nil {
		err := readPart(f, func(r io.Reader) (err error) { styles, err = parseStyles(r); return err })
		if err != nil {
			info.Warnings = append(info.Warnings, "styles ignored: "+err.Error())
		}
	}
	var num *numbering
	if f := pkg.file(pkg.target(dir, rels, "/numbering", path.Join(dir, "numbering.xml"))); f != nil {
		err := readPart(f, func(r io.Reader) (err error) { num, err = parseNumbering(r); return err })
		if err != nil {
			info.Warnings = append(info.Warnings, "list numbering ignored: "+err.Error())
		}
	}

	rc, err := docFile.Open()
	if err != nil {
		return info, partError(err)
	}
	defer rc.Close()
	p := &parser{
		ctx:    ctx,
		d:      xml.NewDecoder(bufio.NewReaderSize(&capReader{r: rc, left: maxXML}, 64<<10)),
		styles: styles,
		num:    num,
		md:     markdown.NewWriter(w, lim.MaxOutput, format),
		limit:  lim.MaxOutput,
	}
	if err := p.document(); err != nil {
		return info, partError(err)
	}
	if err := p.md.Flush(); err != nil {
		return info, err
	}
	if p.md.Blocks() == 0 {
		info.Warnings = append(info.Warnings, "no text found")
	}
	if c, ok := threegpp.ParseCover(p.cover); ok {
		info.Title = c.DisplayTitle()
		info.Meta = c.Meta()
	} else if t := pkg.coreTitle(); t != "" {
		info.Title = t
	}
	return info, nil
}

// xmlLimit is the most document.xml may decompress to for an output limit.
func xmlLimit(maxOutput int64) int64 {
	const ceiling = 1 << 40
	if maxOutput > ceiling/xmlPerOutput {
		return ceiling
	}
	return maxOutput * xmlPerOutput
}

// oleError explains a compound file given as .docx: an encrypted OOXML
// package (Office stores those in an OLE container) or a legacy .doc.
func oleError(r io.ReaderAt, size int64) error {
	f, err := cfb.Open(r, size)
	if err != nil {
		if errors.Is(err, formats.ErrCorrupt) {
			return formats.Bad(format, formats.ErrCorrupt, "%v", err)
		}
		return fmt.Errorf("docx: %w", err)
	}
	if _, ok := f.Lookup("EncryptedPackage"); ok {
		return formats.Bad(format, formats.ErrEncrypted, "password-protected OOXML package")
	}
	if _, ok := f.Lookup("WordDocument"); ok {
		return formats.Bad(format, formats.ErrNotFormat, "a Word 97-2003 binary document, not OOXML")
	}
	return formats.Bad(format, formats.ErrNotFormat, "an OLE compound file, not OOXML")
}

// errPartTooLarge is returned by capReader past its limit.
var errPartTooLarge = errors.New("part decompresses past its limit")

// partError classifies an error met while reading a package part: the
// source's own read errors stay as they are (retrying may help), anything else
// the zip or XML layers report is bad input.
func partError(err error) error {
	var se *sourceError
	switch {
	case classified(err):
		return err
	case errors.Is(err, errPartTooLarge):
		return formats.Bad(format, formats.ErrTooLarge, "document.xml: %v", err)
	case errors.As(err, &se):
		return fmt.Errorf("docx: read document.xml: %w", err)
	}
	return formats.Bad(format, formats.ErrCorrupt, "document.xml: %v", err)
}

// sourceError marks an error of the input's own ReadAt, as opposed to the
// errors of decoding what it returned.
type sourceError struct{ err error }

func (e *sourceError) Error() string { return e.err.Error() }
func (e *sourceError) Unwrap() error { return e.err }

// sourceReader tags the errors of the underlying reader (io.EOF aside).
type sourceReader struct{ r io.ReaderAt }

func (s sourceReader) ReadAt(b []byte, off int64) (int, error) {
	n, err := s.r.ReadAt(b, off)
	if err != nil && err != io.EOF {
		err = &sourceError{err}
	}
	return n, err
}

// classified reports an error that is already classified: a converter error, or
// the context's.
func classified(err error) bool {
	return errors.Is(err, formats.ErrTooLarge) || errors.Is(err, formats.ErrCorrupt) ||
		errors.Is(err, formats.ErrNotFormat) || errors.Is(err, formats.ErrEncrypted) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// capReader fails with errPartTooLarge once more than left bytes were read.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(b []byte) (int, error) {
	if c.left <= 0 {
		var one [1]byte
		if n, _ := c.r.Read(one[:]); n > 0 {
			return 0, errPartTooLarge
		}
		return c.r.Read(b)
	}
	if int64(len(b)) > c.left {
		b = b[:c.left]
	}
	n, err := c.r.Read(b)
	c.left -= int64(n)
	return n, err
}

// readPart opens a small part and hands it to parse, bounded.
func readPart(f *zip.File, parse func(io.Reader) error) error {
	if f.UncompressedSize64 > maxSmallPart {
		return fmt.Errorf("%s of %d bytes", f.Name, f.UncompressedSize64)
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return parse(&capReader{r: rc, left: maxSmallPart})
}

// opcPackage finds the parts of an OPC package by name, exactly or, as
// some writers vary the case, case-insensitively.
type opcPackage struct {
	exact map[string]*zip.File
	fold  map[string]*zip.File
}

func newPackage(zr *zip.Reader) *opcPackage {
	p := &opcPackage{exact: map[string]*zip.File{}, fold: map[string]*zip.File{}}
	for _, f := range zr.File {
		name := strings.TrimPrefix(f.Name, "/")
		p.exact[name] = f
		p.fold[strings.ToLower(name)] = f
	}
	return p
}

func (p *opcPackage) file(name string) *zip.File {
	if f, ok := p.exact[name]; ok {
		return f
	}
	return p.fold[strings.ToLower(name)]
}

type relsXML struct {
	Rels []struct {
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
		Mode   string `xml:"TargetMode,attr"`
	} `xml:"Relationship"`
}

// target returns the part that relationship file rels (of a part in dir)
// names with a type ending in typeSuffix, or def.
func (p *opcPackage) target(dir, rels, typeSuffix, def string) string {
	f := p.file(rels)
	if f == nil {
		return def
	}
	var x relsXML
	if readPart(f, func(r io.Reader) error { return xml.NewDecoder(r).Decode(&x) }) != nil {
		return def
	}
	for _, r := range x.Rels {
		if strings.HasSuffix(r.Type, typeSuffix) && r.Mode != "External" && r.Target != "" {
			if strings.HasPrefix(r.Target, "/") {
				return strings.TrimPrefix(r.Target, "/")
			}
			return path.Join(dir, r.Target)
		}
	}
	return def
}

// coreTitle returns the title in the package's core properties, if any.
func (p *opcPackage) coreTitle() string {
	f := p.file(p.target("", "_rels/.rels", "/core-properties", "docProps/core.xml"))
	if f == nil {
		return ""
	}
	var x struct {
		Title string `xml:"title"`
	}
	if readPart(f, func(r io.Reader) error { return xml.NewDecoder(r).Decode(&x) }) != nil {
		return ""
	}
	return markdown.OneLine(x.Title)
}
