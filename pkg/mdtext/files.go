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
