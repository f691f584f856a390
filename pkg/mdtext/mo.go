package mdtext

import "strings"

// ParameterHeader reports whether a table header cell heads a column of
// parameter names: Parameter(s), Attribute(s), MO Attribute(s), with an
// optional "MO", "New", "Introduced", "Existing" or "Legacy" before and
// "Name" after, case folded (the regexp
// ^(?:mo |new |introduced |existing |legacy )?(?:parameters?|attributes?|mo attributes?)(?: name)?$
// over the lower-cased, whitespace-collapsed cell).
func ParameterHeader(cell string) bool {
	s := strings.ToLower(Collapse(cell))
	for _, p := range [...]string{"mo ", "new ", "introduced ", "existing ", "legacy "} {
		if strings.HasPrefix(s, p) {
			rest := s[len(p):]
			if parameterWord(rest) || parameterWord(strings.TrimSuffix(rest, " name")) {
				return true
			}
		}
	}
	return parameterWord(s) || parameterWord(strings.TrimSuffix(s, " name"))
}

func parameterWord(s string) bool {
	switch s {
	case "parameter", "parameters", "attribute", "attributes", "mo attribute", "mo attributes":
		return true
	}
	return false
}

// tooltipFlag is the word a converter leaves after a name it took from a
// tooltip link ("dscp TOOLTIPFLAG").
const tooltipFlag = "TOOLTIPFLAG"

// BareAttribute reads the name cell of a parameters table row that holds an
// attribute without its MO class ("dscp", "logicalChannelGroupRef
// TOOLTIPFLAG", "termPointToENBId(1)"): one lowerCamel name (a lower-case
// letter, then letters and digits) once the converter's TOOLTIPFLAG words
// and a footnote mark "(1)" are dropped. A pm name (pm and an upper-case
// letter) is a counter, not an attribute; ok is false for it and for any
// other cell (prose, several names, MoClass.attribute).
func BareAttribute(cell string) (name string, ok bool) {
	var word string
	for _, f := range strings.Fields(cell) {
		if f == tooltipFlag {
			continue
		}
		if word != "" {
			return "", false
		}
		word = f
	}
	if i := strings.IndexByte(word, '('); i > 0 && strings.HasSuffix(word, ")") && len(word)-i <= 4 {
		digits := word[i+1 : len(word)-1]
		if digits == "" || strings.Trim(digits, "0123456789") != "" {
			return "", false
		}
		word = word[:i]
	}
	if !AttributeShaped(word) {
		return "", false
	}
	if strings.HasPrefix(word, "pm") && isUpper(word[2]) {
		return "", false
	}
	return word, true
}

// ClassShaped reports whether s has the shape of an MO class name:
// ^[A-Z][A-Za-z0-9]+$ (UtranCell, Eul). Where markup or a table says a
// word is a class, the shape is all there is to check; in running text
// see IsMOClassName.
func ClassShaped(s string) bool { return len(s) > 1 && isUpper(s[0]) && alnum(s[1:]) }

// AttributeShaped reports whether s has the shape of an MO attribute
// name: ^[a-z][A-Za-z0-9]+$ (localCellId, tCell).
func AttributeShaped(s string) bool { return len(s) > 1 && isLower(s[0]) && alnum(s[1:]) }

// alnum reports whether s is ASCII letters and digits only.
func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) {
			return false
		}
	}
	return true
}

// IsMOClassName reports whether w is shaped like an MO class name written
// in running text: an upper-case letter, letters and digits with a
// lower-case letter among them, and a second upper-case letter or a digit
// (QciTable, EUtranCellFDD, RdData). A capitalized English word (Naming,
// Relations) is none; so are the few classes of one capitalized word, which
// prose cannot tell from one, and the word MOs.
func IsMOClassName(w string) bool {
	if len(w) < 2 || !isUpper(w[0]) || w == "MOs" {
		return false
	}
	lower, hump := false, false
	for i := 1; i < len(w); i++ {
		switch c := w[i]; {
		case isLower(c):
			lower = true
		case isUpper(c) || isDigit(c):
			hump = true
		default:
			return false
		}
	}
	return lower && hump
}

// moFillers are the words that may stand between "MO" or "managed object"
// and the class it names: "the MO class EUtranCellFDD", "the managed object
// configuration QciProfilePredefined".
var moFillers = map[string]bool{"class": true, "classes": true, "instance": true, "instances": true,
	"configuration": true, "type": true, "types": true}

// NamedMOs returns the MO classes s names as MO classes, each once, in the
// order of their first mention: a class after "MO", "MOs" or "managed
// object(s)" ("MO RdData", "Managed Object (MO) QciTable", "the MO class
// X", "the managed object configuration X") or before it ("the TimeSettings
// MO", "CellPortionRd MOs"), several joined by "/" each
// ("MO AuxPlugInUnit/FieldReplaceableUnit"). A class named as the parent of
// another ("... has MO QciTable as parent", "as a child to the
// EUtranCellFDD MO", "the parent MO X") is not named for its own sake and
// left out. Classes listed together are each named ("the A and the B MOs",
// "MO A, B or C"). A class is shaped as IsMOClassName says.
func NamedMOs(s string) []string {
	words := strings.Fields(s)
	bare := make([]string, len(words))
	for i, w := range words {
		bare[i] = strings.Trim(w, ".,;:!?()\"'")
	}
	var out []string
	add := func(i int) {
		if isParentMention(bare, i) {
			return
		}
		for _, cls := range strings.Split(bare[i], "/") {
			if IsMOClassName(cls) && !contains(out, cls) {
				out = append(out, cls)
			}
		}
	}
	for i := 0; i < len(bare); i++ {
		end, ok := moWordAt(bare, i)
		if !ok {
			continue
		}
		// forward: MO [(MO)] [filler] Class
		j := end
		if j < len(bare) && (bare[j] == "MO" || bare[j] == "MOs") && strings.HasPrefix(words[j], "(") {
			j++
		}
		if j < len(bare) && moFillers[strings.ToLower(bare[j])] {
			j++
		}
		if j < len(bare) && classWord(bare[j]) {
			add(j)
			// and the classes listed after it: MO A, B and C
			for k := j; !strings.HasSuffix(words[k], "."); {
				n := k + 1
				if n < len(bare) && (bare[n] == "and" || bare[n] == "or") {
					n++
				} else if !strings.HasSuffix(words[k], ",") {
					break
				}
				if n < len(bare) && strings.EqualFold(bare[n], "the") {
					n++
				}
				if n >= len(bare) || !classWord(bare[n]) {
					break
				}
				add(n)
				k = n
			}
		}
		// backward: Class MO
		if i > 0 && classWord(bare[i-1]) && !strings.HasSuffix(words[i-1], ".") && !strings.HasSuffix(words[i-1], ",") {
			add(i - 1)
			// and the classes listed before it: A, B and the C MOs
			for k := i - 1; ; {
				p := k - 1
				if p >= 0 && strings.EqualFold(bare[p], "the") {
					p--
				}
				if p >= 0 && (bare[p] == "and" || bare[p] == "or") {
					p--
					if p >= 0 && strings.EqualFold(bare[p], "the") {
						p--
					}
				} else if p < 0 || !strings.HasSuffix(words[p], ",") {
					break
				}
				if p < 0 || !classWord(bare[p]) || strings.HasSuffix(words[p], ".") {
					break
				}
				add(p)
				k = p
			}
		}
		i = end - 1
	}
	return out
}

// classWord reports whether a word is a class, or classes joined by "/".
func classWord(w string) bool {
	for _, x := range strings.Split(w, "/") {
		if !IsMOClassName(x) {
			return false
		}
	}
	return true
}

// moWordAt reports whether the words at i say "MO", "MOs" or "managed
// object(s)", and where they end.
func moWordAt(words []string, i int) (end int, ok bool) {
	switch w := words[i]; {
	case w == "MO" || w == "MOs":
		return i + 1, true
	case strings.EqualFold(w, "managed") && i+1 < len(words):
		switch strings.ToLower(words[i+1]) {
		case "object", "objects":
			return i + 2, true
		}
	}
	return 0, false
}

// isParentMention reports whether the class word at i is named as the
// parent of another class: followed by "as (its|a) parent", or after
// "parent", "child of/to" (and "the", "MO", "managed object").
func isParentMention(words []string, i int) bool {
	j := i + 1
	for j < len(words) && (words[j] == "MO" || words[j] == "MOs" || strings.EqualFold(words[j], "managed") || strings.EqualFold(words[j], "object")) {
		j++
	}
	if j+1 < len(words) && strings.EqualFold(words[j], "as") {
		k := j + 1
		if k+1 < len(words) && (strings.EqualFold(words[k], "its") || strings.EqualFold(words[k], "a") || strings.EqualFold(words[k], "the")) {
			k++
		}
		if strings.EqualFold(words[k], "parent") {
			return true
		}
	}
	k := i - 1
	for k >= 0 && (words[k] == "MO" || words[k] == "(MO)" || strings.EqualFold(words[k], "the") ||
		strings.EqualFold(words[k], "managed") || strings.EqualFold(words[k], "object") || moFillers[strings.ToLower(words[k])]) {
		k--
	}
	if k >= 0 && strings.EqualFold(words[k], "parent") {
		return true
	}
	return k >= 1 && (strings.EqualFold(words[k], "of") || strings.EqualFold(words[k], "to")) &&
		(strings.EqualFold(words[k-1], "child") || strings.EqualFold(words[k-1], "children"))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
