package doc

import (
	"encoding/binary"
	"sort"
)

// Single property modifiers (sprms) that text extraction reads.
const (
	sprmCFRMarkDel       = 0x0800
	sprmCFVanish         = 0x083C
	sprmPFInTable        = 0x2416
	sprmPFTtp            = 0x2417
	sprmPItap            = 0x6649
	sprmPFInnerTableCell = 0x244B
	sprmPFInnerTtp       = 0x244C
	sprmPIlfo            = 0x460B
	sprmPIlvl            = 0x260A
	sprmPHugePapx        = 0x6646
	sprmTDefTable        = 0xD608
	sprmPChgTabs         = 0xC615
	fkpSize              = 512
	maxPapxFkpRuns       = 0x1D
	maxChpxFkpRuns       = 0x65
	papxBxSize           = 13
	maxCachedFkpPages    = 4096
	pnMask               = 0x3FFFFF
)

// eachSprm calls fn for each sprm of a grpprl with its operand; it stops at
// the first sprm whose operand runs past the end.
func eachSprm(g []byte, fn func(op uint16, arg []byte)) {
	le := binary.LittleEndian
	for i := 0; i+2 <= len(g); {
		op := le.Uint16(g[i:])
		i += 2
		var n int
		switch op >> 13 {
		case 0, 1:
			n = 1
		case 2, 4, 5:
			n = 2
		case 3:
			n = 4
		case 7:
			n = 3
		case 6:
			switch {
			case op == sprmTDefTable:
				if i+2 > len(g) {
					return
				}
				n = int(le.Uint16(g[i:])) - 1
				i += 2
			case op == sprmPChgTabs && i < len(g) && g[i] == 255:
				// PChgTabsOperand with cb 255: deletions (4 bytes each) then
				// additions (3 bytes each), each preceded by its count.
				j := i + 1
				if j >= len(g) {
					return
				}
				j += 1 + 4*int(g[j])
				if j >= len(g) {
					return
				}
				j += 1 + 3*int(g[j])
				n = j - i
			default:
				if i >= len(g) {
					return
				}
				n = int(g[i])
				i++
			}
		}
		if n < 0 || i+n > len(g) {
			return
		}
		fn(op, g[i:i+n])
		i += n
	}
}

// pap is the paragraph property set that extraction uses.
type pap struct {
	istd      uint16
	inTable   bool
	ttp       bool
	itap      int
	innerCell bool
	innerTtp  bool
	ilfo      int
	ilvl      int
	found     bool
}

// chp is the character property set that extraction uses.
type chp struct {
	deleted, hidden bool
}

// bte is a bin table (PlcBtePapx or PlcBteChpx): FC boundaries and the FKP
// page of each range.
type bte struct {
	fcs []uint32
	pns []uint32
}

func parseBte(b []byte) bte {
	if len(b) < 4+8 || (len(b)-4)%8 != 0 {
		return bte{}
	}
	le := binary.LittleEndian
	n := (len(b) - 4) / 8
	t := bte{fcs: make([]uint32, n+1), pns: make([]uint32, n)}
	for i := 0; i <= n; i++ {
		t.fcs[i] = le.Uint32(b[4*i:])
	}
	for i := 0; i < n; i++ {
		t.pns[i] = le.Uint32(b[4*(n+1)+4*i:]) & pnMask
	}
	return t
}

// page returns the FKP page number holding fc, or false.
func (t bte) page(fc uint32) (uint32, bool) {
	n := len(t.pns)
	if n == 0 {
		return 0, false
	}
	// The last i with fcs[i] <= fc.
	i := sort.Search(n, func(i int) bool { return t.fcs[i+1] > fc })
	if i >= n || t.fcs[i] > fc {
		return 0, false
	}
	return t.pns[i], true
}

// fkp is a parsed formatted disk page: run boundaries and, for each run, the
// raw property bytes (PAPX: istd and grpprl; CHPX: grpprl).
type fkp struct {
	fcs   []uint32
	props [][]byte
}

// props reads FKP pages of the WordDocument stream and caches them.
type props struct {
	doc      []byte
	data     []byte // the Data stream, home of huge paragraph properties
	papBins  bte
	chpBins  bte
	papPages map[uint32]*fkp
	chpPages map[uint32]*fkp

	// The last character run looked up, so that a run of characters costs
	// one lookup.
	runStart, runEnd uint32
	runChp           chp
	runValid         bool
}

func newProps(doc, data []byte, papBins, chpBins bte) *props {
	return &props{doc: doc, data: data, papBins: papBins, chpBins: chpBins,
		papPages: map[uint32]*fkp{}, chpPages: map[uint32]*fkp{}}
}

// loadFkp parses FKP page pn; papx selects the paragraph layout.
func (p *props) loadFkp(pn uint32, papx bool) *fkp {
	cache := p.chpPages
	if papx {
		cache = p.papPages
	}
	if f, ok := cache[pn]; ok {
		return f
	}
	var f *fkp
	defer func() {
		if len(cache) < maxCachedFkpPages {
			cache[pn] = f
		}
	}()
	off := uint64(pn) * fkpSize
	if off+fkpSize > uint64(len(p.doc)) {
		return nil
	}
	page := p.doc[off : off+fkpSize]
	crun := int(page[fkpSize-1])
	limit := maxChpxFkpRuns
	if papx {
		limit = maxPapxFkpRuns
	}
	if crun == 0 || crun > limit {
		return nil
	}
	le := binary.LittleEndian
	f = &fkp{fcs: make([]uint32, crun+1), props: make([][]byte, crun)}
	for i := 0; i <= crun; i++ {
		f.fcs[i] = le.Uint32(page[4*i:])
	}
	base := 4 * (crun + 1)
	for i := 0; i < crun; i++ {
		var o int
		if papx {
			o = 2 * int(page[base+papxBxSize*i])
		} else {
			o = 2 * int(page[base+i])
		}
		if o == 0 || o >= fkpSize-1 {
			continue
		}
		if papx {
			cb := int(page[o])
			start, size := o+1, 2*cb-1
			if cb == 0 {
				start, size = o+2, 2*int(page[o+1])
			}
			if start+size <= fkpSize-1 && size >= 2 {
				f.props[i] = page[start : start+size]
			}
		} else {
			cb := int(page[o])
			if o+1+cb <= fkpSize-1 {
				f.props[i] = page[o+1 : o+1+cb]
			}
		}
	}
	return f
}

// run returns the run index of fc in f, or -1.
func (f *fkp) run(fc uint32) int {
	n := len(f.props)
	i := sort.Search(n, func(i int) bool { return f.fcs[i+1] > fc })
	if i >= n || f.fcs[i] > fc {
		return -1
	}
	return i
}

// paragraph returns the properties of the paragraph whose mark is at file
// offset fc.
func (p *props) paragraph(fc uint32) pap {
	var out pap
	pn, ok := p.papBins.page(fc)
	if !ok {
		return out
	}
	f := p.loadFkp(pn, true)
	if f == nil {
		return out
	}
	i := f.run(fc)
	if i < 0 {
		return out
	}
	out.found = true
	var huge []byte
	b := f.props[i]
	if len(b) < 2 {
		return out
	}
	out.istd = binary.LittleEndian.Uint16(b)
	apply := func(op uint16, arg []byte) {
		switch op {
		case sprmPFInTable:
			out.inTable = arg[0] != 0
		case sprmPFTtp:
			out.ttp = arg[0] != 0
		case sprmPItap:
			out.itap = int(binary.LittleEndian.Uint32(arg))
		case sprmPFInnerTableCell:
			out.innerCell = arg[0] != 0
		case sprmPFInnerTtp:
			out.innerTtp = arg[0] != 0
		case sprmPIlfo:
			out.ilfo = int(int16(binary.LittleEndian.Uint16(arg)))
		case sprmPIlvl:
			out.ilvl = int(arg[0])
		case sprmPHugePapx:
			// The properties did not fit the page: they are in the Data
			// stream, as a 2-byte count and a grpprl.
			off := uint64(binary.LittleEndian.Uint32(arg))
			if off+2 <= uint64(len(p.data)) {
				n := uint64(binary.LittleEndian.Uint16(p.data[off:]))
				if off+2+n <= uint64(len(p.data)) {
					huge = p.data[off+2 : off+2+n]
				}
			}
		}
	}
	eachSprm(b[2:], apply)
	if huge != nil {
		eachSprm(huge, func(op uint16, arg []byte) {
			if op != sprmPHugePapx {
				apply(op, arg)
			}
		})
	}
	if out.inTable && out.itap == 0 {
		out.itap = 1
	}
	return out
}

// character returns the properties of the character at file offset fc.
func (p *props) character(fc uint32) chp {
	if p.runValid && fc >= p.runStart && fc < p.runEnd {
		return p.runChp
	}
	p.runValid = false
	var out chp
	pn, ok := p.chpBins.page(fc)
	if !ok {
		return out
	}
	f := p.loadFkp(pn, false)
	if f == nil {
		return out
	}
	i := f.run(fc)
	if i < 0 {
		return out
	}
	eachSprm(f.props[i], func(op uint16, arg []byte) {
		switch op {
		case sprmCFRMarkDel:
			out.deleted = arg[0] == 1
		case sprmCFVanish:
			out.hidden = arg[0] == 1
		}
	})
	p.runStart, p.runEnd, p.runChp, p.runValid = f.fcs[i], f.fcs[i+1], out, true
	return out
}
