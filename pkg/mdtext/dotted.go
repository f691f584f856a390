// Last segments of dotted tokens that make them no MO path: file and host
// names, and sentences a converter glued together.

package mdtext

import "strings"

// fileExtensions are last segments that make a dotted token a file or host
// name (config.xml, MeasDataCollection.xsl, README.md, ericsson.com), never
// an MO attribute.
var fileExtensions = map[string]bool{
	"xml": true, "md": true, "zip": true, "txt": true, "html": true, "htm": true,
	"json": true, "pdf": true, "csv": true, "xls": true, "xlsx": true, "doc": true,
	"docx": true, "log": true, "gz": true, "tgz": true, "tar": true, "sh": true,
	"py": true, "yaml": true, "yml": true, "cfg": true, "conf": true, "ini": true,
	"jar": true, "exe": true, "bin": true, "png": true, "jpg": true, "jpeg": true,
	"gif": true, "svg": true, "bmp": true, "js": true, "css": true, "dat": true,
	"crt": true, "pem": true, "key": true, "der": true, "cer": true, "p12": true,
	"pfx": true, "xsd": true, "xsl": true, "xslt": true, "mib": true, "lkf": true,
	"sql": true, "rpm": true, "deb": true, "img": true, "iso": true, "com": true,
	"org": true, "net": true, "se": true, "io": true, "int": true, "gov": true,
	"edu": true, "html5": true,
}

// IsFileExtension reports whether seg, the last segment of a dotted token,
// makes the token a file or host name; case is ignored.
func IsFileExtension(seg string) bool { return fileExtensions[strings.ToLower(seg)] }

// sentenceWords are words that follow a dot only when a converter glued two
// sentences together ("...in the Node.this means"); they are never attributes.
var sentenceWords = map[string]bool{
	"the": true, "this": true, "that": true, "these": true, "those": true, "a": true,
	"an": true, "and": true, "or": true, "for": true, "in": true, "on": true, "if": true,
	"it": true, "is": true, "see": true, "when": true, "then": true, "with": true,
	"to": true, "of": true, "as": true, "by": true, "at": true, "be": true, "no": true,
	"not": true, "all": true, "its": true, "from": true, "there": true, "which": true,
}

// IsSentenceWord reports whether w, found after a dot, is a word of running
// text a converter glued to the sentence before ("Node.this", "UE.and"):
// never an attribute.
func IsSentenceWord(w string) bool { return sentenceWords[w] }
