package mdtext

import "strings"

// MOAttribute is an attribute of an MO class: EUtranCellFDD.tac.
type MOAttribute struct {
	Class, Attribute string
}

// moshellCommands are the MoShell/AMOS commands that read or write named
// attributes of the MOs their second word selects: "hget RetSubUnit
// electricalAntennaTilt|userLabel", "set Equipment=1,AlarmPort=3
// normallyOpen false". Commands that act on MOs (acc, bl, deb, cr) or print
// all their attributes (kget, lt) name no attribute of their own.
var moshellCommands = map[string]bool{
	"get": true, "lget": true, "hget": true, "hgetc": true, "lhget": true, "mget": true,
	"set": true, "lset": true, "rset": true, "hset": true,
}

// MoshellAttributes returns the MO attributes that MoShell/AMOS text names
// plainly, each once, in order of appearance:
//
//   - command lines ("hgetc NRCellDU= ^administrativeState$|^nRPCI$",
//     "set Equipment=1,FieldReplaceableUnit=BB-1,AlarmPort=3 normallyOpen
//     false"): the class of the MO filter's last RDN with each attribute of the
//     attribute filter;
//   - the tables hget and hgetc print: a header "MO attr1 attr2 ..." and rows
//     that start with an MO's LDN ("AntennaUnitGroup=1,AntennaNearUnit=RET-1,
//     RetSubUnit=1 80 ..."), the class of the rows' last RDN with each
//     header attribute.
//
// MoShell matches MO and attribute filters as case-insensitive regular
// expressions, so a filter is taken only where it reads as a name written
// in the MOM's own case: a class of upper-case initial with a second hump
// (IsMOClassName: NRCellDU, RetSubUnit) and an attribute of lower-case
// initial with an upper-case letter inside (administrativeState, nRPCI);
// "^EUtranCell.DD", "alarmport", "^tac$" or "label" select MOs and
// attributes without naming them.
func MoshellAttributes(text string) []MOAttribute {
	var out []MOAttribute
	seen := map[MOAttribute]bool{}
	add := func(cls string, attrs []string) {
		for _, a := range attrs {
			m := MOAttribute{cls, a}
			if !seen[m] {
				seen[m] = true
				out = append(out, m)
			}
		}
	}
	var header []string // attributes of the last "MO attr1 attr2" table header
	for line := range strings.Lines(text) {
		// Most lines are prose: their first word tells, without splitting
		// them.
		first := strings.TrimLeft(line, " \t")
		if i := strings.IndexAny(first, " \t\r\n"); i >= 0 {
			first = first[:i]
		}
		if len(header) == 0 && first != "MO" && !moshellCommands[first] {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		switch {
		case fields[0] == "MO" && len(fields) > 1:
			header = header[:0]
			for _, f := range fields[1:] {
				if moshellAttribute(f) {
					header = append(header, f)
				}
			}
		case len(header) > 0 && strings.Trim(fields[0], "=-") == "" && len(fields) == 1:
			// the rule under the header
		case len(header) > 0:
			if cls, ok := moshellClass(strings.TrimPrefix(fields[0], `"`), true); ok {
				add(cls, header)
			}
			header = header[:0] // the first row tells the class of the table
		case len(fields) >= 3 && moshellCommands[fields[0]]:
			cls, ok := moshellClass(fields[1], false)
			if !ok {
				continue
			}
			var attrs []string
			limit := len(fields[2:])
			if strings.HasSuffix(fields[0], "set") {
				limit = 1 // set MO attribute value: the value is no attribute
			}
			for _, f := range fields[2 : 2+limit] {
				if strings.HasPrefix(f, "#") {
					break // a comment
				}
				for alt := range strings.SplitSeq(f, "|") {
					if a := strings.TrimSuffix(strings.TrimPrefix(alt, "^"), "$"); moshellAttribute(a) {
						attrs = append(attrs, a)
					}
				}
			}
			add(cls, attrs)
		}
	}
	return out
}

// moshellClass returns the class of the last RDN of an MO filter or LDN
// ("Equipment=1,FieldReplaceableUnit=BB-1,AlarmPort=3", "NRCellDU=",
// "RetSubUnit"), when it is written as a class name. An LDN (ldn) must
// give the RDN's value.
func moshellClass(filter string, ldn bool) (string, bool) {
	filter = strings.TrimSuffix(strings.TrimPrefix(filter, "^"), "$")
	rdn := filter[strings.LastIndexByte(filter, ',')+1:]
	cls, value, hasValue := strings.Cut(rdn, "=")
	if ldn && (!hasValue || value == "") {
		return "", false
	}
	return cls, IsMOClassName(cls)
}

// moshellAttribute reports whether s is an attribute name written in the
// MOM's case: a lower-case initial, letters and digits, an upper-case
// letter after the first (userLabel, nRPCI, dlChannelBandwidth).
func moshellAttribute(s string) bool {
	if len(s) < 2 || !isLower(s[0]) {
		return false
	}
	hump := false
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case isUpper(c):
			hump = true
		case isLower(c) || isDigit(c):
		default:
			return false
		}
	}
	return hump
}
