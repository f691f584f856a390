package chunk

import (
	"slices"
	"strings"
)

// part is a block, or a piece of a cut block, placed in the chunk being built.
type part struct {
	text    string
	n       int
	heading bool
	tight   bool
	path    []string // heading path in force at this part
}

// packer builds chunks from parts.
type packer struct {
	target, max int
	// emit receives every finished piece; the first error it returns sticks in
	// err and stops further emits.
	emit  func(Piece) error
	err   error
	count int    // pieces emitted
	parts []part // the chunk being built
	size  int    // its runes, blank lines between parts included
	body  int    // its parts that are not headings
}

// sep is the number of runes that join a part to the chunk being built.
func (p *packer) sep(tight bool) int {
	switch {
	case len(p.parts) == 0:
		return 0
	case tight:
		return 1
	default:
		return 2
	}
}

// push adds a part to the chunk being built.
func (p *packer) push(pt part) {
	p.size += p.sep(pt.tight) + pt.n
	p.parts = append(p.parts, pt)
	if !pt.heading {
		p.body++
	}
}

// stretchable reports whether the chunk being built is so small (or only headings)
// that it should rather grow up to Max than be emitted as it is.
func (p *packer) stretchable() bool { return p.body == 0 || p.size < p.target/4 }

// flush emits the chunk being built, except its trailing headings, which start the
// next chunk. It does nothing when the chunk holds only headings.
func (p *packer) flush() {
	if p.body == 0 {
		return
	}
	k := len(p.parts)
	for p.parts[k-1].heading {
		k--
	}
	p.send(p.parts[:k])
	carry := slices.Clone(p.parts[k:])
	p.parts, p.size, p.body = p.parts[:0], 0, 0
	for _, pt := range carry {
		p.push(pt)
	}
}

// flushAll emits the chunk being built, headings and all.
func (p *packer) flushAll() {
	if len(p.parts) > 0 {
		p.send(p.parts)
	}
	p.parts, p.size, p.body = p.parts[:0], 0, 0
}

// send emits a Piece made of parts, joined by one blank line (one newline
// within a tight list).
func (p *packer) send(parts []part) {
	if p.err != nil {
		return
	}
	n := 0
	for _, pt := range parts {
		n += len(pt.text) + 2
	}
	var sb strings.Builder
	sb.Grow(n)
	for k, pt := range parts {
		if k > 0 {
			if pt.tight {
				sb.WriteByte('\n')
			} else {
				sb.WriteString("\n\n")
			}
		}
		sb.WriteString(pt.text)
	}
	var headings []string
	if len(parts[0].path) > 0 {
		headings = slices.Clone(parts[0].path)
	}
	p.err = p.emit(Piece{Index: p.count, Headings: headings, Text: sb.String()})
	p.count++
}

// addHeading starts a new chunk at a heading when the current one is substantial or
// full; otherwise the heading joins it.
func (p *packer) addHeading(b *block, path []string) {
	threshold := p.target / 2
	if b.level <= 2 {
		threshold = p.target / 4
	}
	if p.body > 0 && (p.size > threshold || p.size+p.sep(false)+b.n > p.target) {
		p.flush()
	}
	if p.body == 0 && len(p.parts) > 0 && p.size+p.sep(false)+b.n > p.target {
		// A run of headings with nothing under them, like a table of contents.
		p.flushAll()
	}
	p.push(part{text: b.text, n: b.n, heading: true, path: path})
}

// addBlock adds a block that is not a heading: whole if it fits, else in a new
// chunk, else cut.
func (p *packer) addBlock(b *block, path []string) {
	whole := part{text: b.text, n: b.n, tight: b.tight, path: path}
	if n := p.size + p.sep(b.tight) + b.n; n <= p.target || (n <= p.max && p.stretchable()) {
		p.push(whole)
		return
	}
	if b.n <= p.max {
		p.flush()
		if p.size+p.sep(false)+b.n <= p.max {
			whole.tight = false
			p.push(whole)
			return
		}
		// The headings carried over and the block exceed Max together: cut the
		// block rather than leave the headings alone.
	}
	p.addCut(b, path)
}

// addCut adds a block piece by piece. A piece takes as many units as fit in the
// chunk being built up to Target; a small chunk takes a unit that fits up to Max;
// a unit that fits nowhere goes alone (with the prefix and any carried headings).
func (p *packer) addCut(b *block, path []string) {
	c := cut(b, p.max)
	if len(c.units) == 0 {
		p.flush()
		p.push(part{text: b.text, n: b.n, path: path})
		return
	}
	tight := b.tight
	for i := 0; i < len(c.units); {
		s := p.sep(tight)
		room := p.target - p.size - s - c.fixed
		if i == 0 && p.body > 0 && !p.stretchable() && room < p.target/4 {
			// Too little room left to start the block here.
			p.flush()
			tight = false
			continue
		}
		k := take(c.units, i, room)
		if k == i && p.stretchable() && c.units[i].r1-c.units[i].r0 <= p.max-p.size-s-c.fixed {
			k = i + 1
		}
		if k == i {
			if p.body > 0 {
				p.flush()
				tight = false
				continue
			}
			if len(p.parts) > 0 && c.fixed+c.units[i].r1-c.units[i].r0 <= p.max {
				// The unit fits in a chunk, but not with the headings carried
				// over: let them go alone rather than break Max.
				p.flushAll()
				continue
			}
			k = i + 1 // a unit that cannot be cut and fits nowhere
		}
		text, n := c.piece(i, k)
		p.push(part{text: text, n: n, tight: tight && i == 0, path: path})
		tight = false
		if i = k; i < len(c.units) {
			p.flushAll()
		}
	}
}

// take returns the end of the longest run of units from i that fits in room runes.
func take(units []span, i, room int) int {
	k := i
	for k < len(units) && units[k].r1-units[i].r0 <= room {
		k++
	}
	return k
}
