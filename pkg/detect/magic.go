package detect

import (
	"bytes"
	"encoding/binary"
	"strings"
	"unicode/utf16"
)

// Magic bytes.
const (
	magicPDF      = "%PDF-"
	magicZip      = "PK\x03\x04"
	magicZipEmpty = "PK\x05\x06"
	magicOLE      = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
	magicLFS      = "version https://git-lfs.github.com/spec/v1"
	magicLFSOld   = "version https://hawser.github.com/spec/v1"
)

// signature is a binary format no stage reads: it is reported as unknown with its
// MIME type, so the dead letter says what the file was.
type signature struct {
	offset int
	magic  string
	mime   string
}

// signatures is a constant table of binary formats worth naming.
var signatures = [...]signature{
	{0, "\x89PNG\r\n\x1a\n", "image/png"},
	{0, "\xFF\xD8\xFF", "image/jpeg"},
	{0, "GIF87a", "image/gif"},
	{0, "GIF89a", "image/gif"},
	{0, "II*\x00", "image/tiff"},
	{0, "MM\x00*", "image/tiff"},
	{0, "\x1F\x8B", "application/gzip"},
	{0, "\xFD7zXZ\x00", "application/x-xz"},
	{0, "\x28\xB5\x2F\xFD", "application/zstd"},
	{0, "7z\xBC\xAF\x27\x1C", "application/x-7z-compressed"},
	{0, "Rar!\x1A\x07", "application/vnd.rar"},
	{0, "{\\rtf", "application/rtf"},
	{0, "\x7FELF", "application/x-executable"},
	{257, "ustar", "application/x-tar"},
}

// byMagic recognises formats by their leading bytes; ext breaks ties that the bytes
// within the head cannot (OLE containers).
func byMagic(ext string, b []byte) (Result, bool) {
	switch {
	case bytes.HasPrefix(b, []byte(magicPDF)),
		ext == ".pdf" && bytes.Contains(b[:min(len(b), 1024)], []byte(magicPDF)):
		// Readers accept a PDF header anywhere in the first KiB; so do we when the
		// name says PDF.
		return Result{Format: FormatPDF, MIME: mimeOf(FormatPDF)}, true
	case bytes.HasPrefix(b, []byte(magicZip)):
		return zipFormat(ext, b), true
	case bytes.HasPrefix(b, []byte(magicZipEmpty)):
		return Result{Format: FormatZIP, MIME: mimeOf(FormatZIP)}, true
	case bytes.HasPrefix(b, []byte(magicOLE)):
		return oleFormat(ext, b), true
	case bytes.HasPrefix(b, []byte(magicLFS)), bytes.HasPrefix(b, []byte(magicLFSOld)):
		return Result{Format: FormatLFSPointer, MIME: mimeOf(FormatLFSPointer)}, true
	case len(b) > 4 && b[0] == 'B' && b[1] == 'Z' && b[2] == 'h' && b[3] >= '1' && b[3] <= '9' &&
		bytes.HasPrefix(b[4:], []byte("1AY&SY")):
		return Result{Format: FormatUnknown, MIME: "application/x-bzip2"}, true
	}
	for _, s := range signatures {
		if len(b) >= s.offset+len(s.magic) && string(b[s.offset:s.offset+len(s.magic)]) == s.magic {
			return Result{Format: FormatUnknown, MIME: s.mime}, true
		}
	}
	return Result{}, false
}

// zipFormat tells OOXML documents from other zip archives by the names of the local
// file headers within the head: Office writes [Content_Types].xml and the part
// folders (word/, xl/, ppt/) first.
func zipFormat(ext string, b []byte) Result {
	var contentTypes, word, xl, ppt bool
	var odf string
	for off := 0; off < len(b); {
		i := bytes.Index(b[off:], []byte(magicZip))
		if i < 0 {
			break
		}
		i += off
		if i+30 > len(b) {
			break
		}
		method := binary.LittleEndian.Uint16(b[i+8:])
		nameLen := int(binary.LittleEndian.Uint16(b[i+26:]))
		extraLen := int(binary.LittleEndian.Uint16(b[i+28:]))
		end := i + 30 + nameLen
		if end > len(b) {
			break
		}
		name := string(b[i+30 : end])
		switch {
		case name == "[Content_Types].xml":
			contentTypes = true
		case strings.HasPrefix(name, "word/"):
			word = true
		case strings.HasPrefix(name, "xl/"):
			xl = true
		case strings.HasPrefix(name, "ppt/"):
			ppt = true
		case name == "mimetype" && method == 0 && end+extraLen < len(b):
			// OpenDocument: an uncompressed first entry naming the media type.
			data := b[end+extraLen : min(len(b), end+extraLen+80)]
			if j := bytes.Index(data, []byte(magicZip)); j >= 0 {
				data = data[:j]
			}
			odf = string(data)
		}
		off = end
	}
	f, _ := formatByExt(ext)
	switch {
	case word:
		return Result{Format: FormatDOCX, MIME: mimeOf(FormatDOCX)}
	case xl:
		return Result{Format: FormatXLSX, MIME: mimeOf(FormatXLSX)}
	case ppt:
		return Result{Format: FormatUnknown,
			MIME: "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
	case strings.HasPrefix(odf, "application/vnd.oasis.opendocument."):
		return Result{Format: FormatUnknown, MIME: odf}
	case contentTypes && (f == FormatDOCX || f == FormatXLSX):
		// OOXML whose part names lie beyond the head: trust the extension.
		return Result{Format: f, MIME: mimeOf(f)}
	}
	return Result{Format: FormatZIP, MIME: mimeOf(FormatZIP)}
}

// oleFormat names an OLE compound file (legacy Office). The directory that names its
// streams often lies beyond the head, so the extension decides first and stream names
// found in the head second. An encrypted OOXML document is also an OLE file.
func oleFormat(ext string, b []byte) Result {
	const mimeOLE = "application/x-ole-storage"
	if containsUTF16LE(b, "EncryptedPackage") {
		return Result{Format: FormatUnknown, MIME: mimeOLE}
	}
	switch ext {
	case ".doc", ".dot":
		return Result{Format: FormatDOC, MIME: mimeOf(FormatDOC)}
	case ".xls", ".xlt":
		return Result{Format: FormatXLS, MIME: mimeOf(FormatXLS)}
	}
	switch {
	case containsUTF16LE(b, "WordDocument"):
		return Result{Format: FormatDOC, MIME: mimeOf(FormatDOC)}
	case containsUTF16LE(b, "Workbook"), containsUTF16LE(b, "Book\x00"):
		return Result{Format: FormatXLS, MIME: mimeOf(FormatXLS)}
	case containsUTF16LE(b, "PowerPoint Document"):
		return Result{Format: FormatUnknown, MIME: "application/vnd.ms-powerpoint"}
	}
	return Result{Format: FormatUnknown, MIME: mimeOLE}
}

// containsUTF16LE reports whether b holds s encoded as UTF-16LE, as OLE directory
// entries name their streams.
func containsUTF16LE(b []byte, s string) bool {
	u := utf16.Encode([]rune(s))
	enc := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(enc[2*i:], c)
	}
	return bytes.Contains(b, enc)
}
