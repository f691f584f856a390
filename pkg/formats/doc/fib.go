package doc

import (
	"encoding/binary"

	"github.com/ranstream/ranstream/pkg/formats"
)

// fib holds the parts of the File Information Block ([MS-DOC] 2.5.1) that
// text extraction needs.
type fib struct {
	nFib      uint16
	complex   bool
	encrypted bool
	obfusc    bool
	table1    bool // the table stream is 1Table, else 0Table
	ccp       [7]uint32
	// fc/lcb pairs of fibRgFcLcb97, by index.
	fcLcb [][2]uint32
}

// Indexes into fib.ccp: the text parts in the order they follow each other
// in CP space.
const (
	ccpText = iota
	ccpFtn
	ccpHdd
	ccpAtn
	ccpEdn
	ccpTxbx
	ccpHdrTxbx
)

// Indexes of fibRgFcLcb97 pairs.
const (
	fcStshf        = 1
	fcPlcfBteChpx  = 12
	fcPlcfBtePapx  = 13
	fcClx          = 33
	minFcLcbPairs  = 34
	wordIdent      = 0xA5EC
	minWord97NFib  = 0xC0
	fibFlagComplex = 0x0004
	fibFlagEncrypt = 0x0100
	fibFlagTable1  = 0x0200
	fibFlagObfusc  = 0x8000
)

func parseFIB(b []byte) (fib, error) {
	le := binary.LittleEndian
	var f fib
	if len(b) < 34 {
		return f, formats.Bad(format, formats.ErrCorrupt, "WordDocument stream of %d bytes has no FIB", len(b))
	}
	if le.Uint16(b) != wordIdent {
		return f, formats.Bad(format, formats.ErrNotFormat, "WordDocument stream does not start with a Word FIB")
	}
	f.nFib = le.Uint16(b[2:])
	flags := le.Uint16(b[10:])
	f.complex = flags&fibFlagComplex != 0
	f.encrypted = flags&fibFlagEncrypt != 0
	f.obfusc = flags&fibFlagObfusc != 0
	f.table1 = flags&fibFlagTable1 != 0
	if f.encrypted || f.obfusc {
		return f, nil
	}
	if f.nFib < minWord97NFib {
		return f, formats.Bad(format, formats.ErrNotFormat, "Word 6.0/95 document (nFib %d): only Word 97-2003 is read", f.nFib)
	}
	pos := 32
	csw := int(le.Uint16(b[pos:]))
	pos += 2 + 2*csw
	if pos+2 > len(b) {
		return f, formats.Bad(format, formats.ErrCorrupt, "FIB truncated")
	}
	cslw := int(le.Uint16(b[pos:]))
	pos += 2
	if cslw < 11 || pos+4*cslw+2 > len(b) {
		return f, formats.Bad(format, formats.ErrCorrupt, "FIB has %d long words", cslw)
	}
	// fibRgLw97: cbMac, reserved1, reserved2, ccpText, ccpFtn, ccpHdd,
	// reserved3, ccpAtn, ccpEdn, ccpTxbx, ccpHdrTxbx.
	for i, at := range [...]int{3, 4, 5, 7, 8, 9, 10} {
		f.ccp[i] = le.Uint32(b[pos+4*at:])
	}
	pos += 4 * cslw
	n := int(le.Uint16(b[pos:]))
	pos += 2
	if n < minFcLcbPairs || pos+8*n > len(b) {
		return f, formats.Bad(format, formats.ErrCorrupt, "FIB has %d fc/lcb pairs", n)
	}
	f.fcLcb = make([][2]uint32, n)
	for i := range f.fcLcb {
		f.fcLcb[i] = [2]uint32{le.Uint32(b[pos+8*i:]), le.Uint32(b[pos+8*i+4:])}
	}
	return f, nil
}

// slice returns the bytes of fc/lcb pair i in the table stream, or nil when
// the pair is empty or points outside the stream.
func (f fib) slice(i int, table []byte) []byte {
	if i >= len(f.fcLcb) {
		return nil
	}
	fc, lcb := uint64(f.fcLcb[i][0]), uint64(f.fcLcb[i][1])
	if lcb == 0 || fc+lcb > uint64(len(table)) {
		return nil
	}
	return table[fc : fc+lcb]
}
