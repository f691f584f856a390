package mdtext

import "strings"

// BulkCMAttributes returns the MO attributes a 3GPP bulk CM export (TS
// 32.615 bulkCmConfigDataFile, as Ericsson OSS and ENM write it) sets, each
// once, in order of appearance:
//
//   - the children of an NRM class's attributes element: <un:UtranCell
//     id="C1"><un:attributes><un:localCellId> gives UtranCell.localCellId;
//   - the children of a vendor-specific data element: <es:vsDataEul>
//     <es:numEagchCodes> gives Eul.numEagchCodes.
//
// A struct attribute is one attribute (its members are not); the
// VsDataContainer's own vsDataType and vsDataFormatVersion are no
// attributes of the class. The text is read line by line, as the exports
// write one element per line; an element cut off by the chunk's start
// gives nothing.
func BulkCMAttributes(text string) []MOAttribute {
	if !strings.Contains(text, "attributes>") && !strings.Contains(text, "<es:vsData") {
		return nil
	}
	var out []MOAttribute
	seen := map[MOAttribute]bool{}
	var stack []string // local names of the open elements
	for line := range strings.Lines(text) {
		l := strings.TrimSpace(line)
		if !strings.HasPrefix(l, "<") || strings.HasPrefix(l, "<?") || strings.HasPrefix(l, "<!") {
			continue
		}
		if strings.HasPrefix(l, "</") {
			name := localName(l[2:])
			for i := len(stack) - 1; i >= 0; i-- {
				if stack[i] == name {
					stack = stack[:i]
					break
				}
			}
			continue
		}
		qname := elementName(l[1:])
		name := localName(qname)
		if cls, ok := bulkCMOwner(stack); ok && AttributeShaped(name) && !strings.HasPrefix(name, "vsData") {
			if m := (MOAttribute{cls, name}); !seen[m] {
				seen[m] = true
				out = append(out, m)
			}
		}
		if !strings.HasSuffix(l, "/>") && !strings.Contains(l, "</"+qname+">") {
			stack = append(stack, name)
		}
	}
	return out
}

// bulkCMOwner returns the class whose attributes the innermost open element
// holds: X of vsDataX, or the class element around an attributes element.
func bulkCMOwner(stack []string) (string, bool) {
	n := len(stack)
	if n == 0 {
		return "", false
	}
	top := stack[n-1]
	if cls, ok := strings.CutPrefix(top, "vsData"); ok && ClassShaped(cls) {
		return cls, true
	}
	if top == "attributes" && n >= 2 && stack[n-2] != "VsDataContainer" && ClassShaped(stack[n-2]) {
		return stack[n-2], true
	}
	return "", false
}

// elementName returns the qualified name at the start of s, the text after
// "<": up to a blank, "/" or ">".
func elementName(s string) string {
	if i := strings.IndexAny(s, " \t/>"); i >= 0 {
		return s[:i]
	}
	return s
}

// localName returns the name at the start of s without its namespace
// prefix.
func localName(s string) string {
	q := elementName(s)
	return q[strings.IndexByte(q, ':')+1:]
}

// ConfigAttributes returns the MO attributes that configuration text names
// plainly: MoShell command lines and hget tables (MoshellAttributes), then
// bulk CM exports (BulkCMAttributes), each once.
func ConfigAttributes(text string) []MOAttribute {
	out := MoshellAttributes(text)
	cm := BulkCMAttributes(text)
	if len(cm) == 0 {
		return out
	}
	seen := make(map[MOAttribute]bool, len(out))
	for _, m := range out {
		seen[m] = true
	}
	for _, m := range cm {
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	return out
}
