package output

import (
	"hash/fnv"
	"unicode"
	"unicode/utf8"
)

// MinHash parameters: 32 hashes in 8 bands of 4 rows find pairs above a
// Jaccard similarity of about 0.6 as candidates (a pair at 0.9 with 99.9%
// chance); a candidate is a duplicate when its signatures agree on at least
// the threshold's share of hashes.
const (
	minHashes  = 32
	minBands   = 8
	minRows    = minHashes / minBands
	shingleLen = 4
)

// nearDup finds examples whose word 4-shingles nearly equal an earlier
// example's, by MinHash with locality-sensitive hashing over bands.
type nearDup struct {
	threshold float64
	sigs      [][minHashes]uint32
	bands     map[uint64][]int32
	// added lists the band keys in insertion order, for undo.
	added []uint64
}

// nearMark is a point nearDup can be rolled back to.
type nearMark struct{ sigs, added int }

func newNearDup(threshold float64) *nearDup {
	return &nearDup{threshold: threshold, bands: map[uint64][]int32{}}
}

func (n *nearDup) mark() nearMark { return nearMark{len(n.sigs), len(n.added)} }

// undo forgets the examples added since m.
func (n *nearDup) undo(m nearMark) {
	for _, k := range n.added[m.added:] {
		ids := n.bands[k]
		if len(ids) <= 1 {
			delete(n.bands, k)
		} else {
			n.bands[k] = ids[:len(ids)-1]
		}
	}
	n.added = n.added[:m.added]
	n.sigs = n.sigs[:m.sigs]
}

// seenOrAdd reports whether text nearly repeats an earlier text; if not, it
// remembers text.
func (n *nearDup) seenOrAdd(text string) bool {
	sig, ok := signature(text)
	return n.seenOrAddSig(sig, ok)
}

// seenOrAddSig is seenOrAdd for a signature made already (ok as signature
// returned it), so that signatures can be made in parallel and checked in
// order.
func (n *nearDup) seenOrAddSig(sig [minHashes]uint32, ok bool) bool {
	if !ok {
		return false // too short for shingles: exact dedup covers it
	}
	var keys [minBands]uint64
	for b := range minBands {
		h := fnv.New64a()
		var buf [4]byte
		for r := range minRows {
			v := sig[b*minRows+r]
			for i := range 4 {
				buf[i] = byte(v >> (8 * i))
			}
			h.Write(buf[:])
		}
		keys[b] = h.Sum64() ^ uint64(b)<<56
		for _, id := range n.bands[keys[b]] {
			if similarity(sig, n.sigs[id]) >= n.threshold {
				return true
			}
		}
	}
	id := int32(len(n.sigs))
	n.sigs = append(n.sigs, sig)
	for _, k := range keys {
		n.bands[k] = append(n.bands[k], id)
		n.added = append(n.added, k)
	}
	return false
}

func similarity(a, b [minHashes]uint32) float64 {
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / minHashes
}

// signature is the MinHash signature of the word 4-shingles of text
// (lowercased), false for texts of fewer words than a shingle. It scans the
// text without allocating: a shingle's hash combines its words' hashes.
func signature(text string) ([minHashes]uint32, bool) {
	var sig [minHashes]uint32
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	var ring [shingleLen]uint64
	words := 0
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf && !asciiAlnum(c) {
			i++
			continue
		}
		if r, size := wordRune(text, i); r < 0 {
			i += size
			continue
		}
		h := uint64(14695981039346656037)
		for i < len(text) {
			if c := text[i]; c < utf8.RuneSelf { // ASCII, inline
				if !asciiAlnum(c) {
					break
				}
				if c >= 'A' && c <= 'Z' {
					c += 'a' - 'A'
				}
				h = (h ^ uint64(c)) * 1099511628211
				i++
				continue
			}
			r, size := wordRune(text, i)
			if r < 0 {
				break
			}
			h = (h ^ uint64(r)) * 1099511628211
			i += size
		}
		ring[words%shingleLen] = h
		words++
		if words < shingleLen {
			continue
		}
		var x uint64
		for k := range shingleLen {
			x = mix(x ^ ring[(words+k)%shingleLen])
		}
		for j := range sig {
			if v := uint32(mix(x ^ (uint64(j+1) * 0x9E3779B97F4A7C15))); v < sig[j] {
				sig[j] = v
			}
		}
	}
	return sig, words >= shingleLen
}

// wordRune decodes the rune at text[i]: lower-cased when it is a letter or
// digit, -1 when not, with its size; ASCII without a table lookup.
func wordRune(text string, i int) (rune, int) {
	if c := text[i]; c < utf8.RuneSelf {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			return rune(c), 1
		case c >= 'A' && c <= 'Z':
			return rune(c + 'a' - 'A'), 1
		}
		return -1, 1
	}
	r, size := utf8.DecodeRuneInString(text[i:])
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		return -1, size
	}
	return unicode.ToLower(r), size
}

func asciiAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// mix is splitmix64's finalizer: a cheap family of independent hashes.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 27
	x *= 0x94D049BB133111EB
	x ^= x >> 31
	return x
}
