package doc

import (
	"encoding/binary"

	"github.com/ranstream/ranstream/pkg/formats"
)

// piece is one entry of the piece table: characters [cp, cpEnd) are stored
// from byte offset fc of the WordDocument stream, one byte each (cp1252) when
// compressed, else UTF-16LE.
type piece struct {
	cp, cpEnd  uint32
	fc         uint32
	compressed bool
	// sprms from the piece's Prm that apply to all its characters.
	deleted, hidden bool
}

// parseClx reads the CLX ([MS-DOC] 2.9.38): the Prc property blocks, then the
// Pcdt piece table. Every piece must lie inside the WordDocument stream of
// docLen bytes.
func parseClx(clx []byte, docLen int) ([]piece, error) {
	le := binary.LittleEndian
	var grpprls [][]byte
	pos := 0
	for pos < len(clx) && clx[pos] == 0x01 {
		if pos+3 > len(clx) {
			return nil, formats.Bad(format, formats.ErrCorrupt, "CLX: Prc truncated")
		}
		cb := int(int16(le.Uint16(clx[pos+1:])))
		if cb < 0 || pos+3+cb > len(clx) {
			return nil, formats.Bad(format, formats.ErrCorrupt, "CLX: Prc of %d bytes", cb)
		}
		grpprls = append(grpprls, clx[pos+3:pos+3+cb])
		pos += 3 + cb
	}
	if pos+5 > len(clx) || clx[pos] != 0x02 {
		return nil, formats.Bad(format, formats.ErrCorrupt, "CLX: no piece table")
	}
	lcb := int(le.Uint32(clx[pos+1:]))
	plc := clx[pos+5:]
	if lcb > len(plc) || lcb < 4+12 || (lcb-4)%12 != 0 {
		return nil, formats.Bad(format, formats.ErrCorrupt, "CLX: piece table of %d bytes", lcb)
	}
	n := (lcb - 4) / 12
	pieces := make([]piece, 0, n)
	lastEnd := uint32(0)
	for i := 0; i < n; i++ {
		cp := le.Uint32(plc[4*i:])
		cpEnd := le.Uint32(plc[4*(i+1):])
		if cpEnd < cp {
			return nil, formats.Bad(format, formats.ErrCorrupt, "piece %d: CPs %d..%d go backwards", i, cp, cpEnd)
		}
		if cp < lastEnd {
			return nil, formats.Bad(format, formats.ErrCorrupt, "piece %d overlaps the one before", i)
		}
		lastEnd = cpEnd
		pcd := plc[4*(n+1)+8*i:]
		fcRaw := le.Uint32(pcd[2:])
		prm := le.Uint16(pcd[6:])
		p := piece{cp: cp, cpEnd: cpEnd, compressed: fcRaw&0x40000000 != 0}
		fc := uint64(fcRaw & 0x3FFFFFFF)
		width := uint64(2)
		if p.compressed {
			fc /= 2
			width = 1
		}
		if fc+uint64(cpEnd-cp)*width > uint64(docLen) {
			return nil, formats.Bad(format, formats.ErrCorrupt, "piece %d (%d characters at %d) beyond the %d-byte WordDocument stream", i, cpEnd-cp, fc, docLen)
		}
		p.fc = uint32(fc)
		if prm&1 != 0 {
			if k := int(prm >> 1); k < len(grpprls) {
				eachSprm(grpprls[k], func(op uint16, arg []byte) {
					switch op {
					case sprmCFRMarkDel:
						p.deleted = arg[0] == 1
					case sprmCFVanish:
						p.hidden = arg[0] == 1
					}
				})
			}
		}
		if cpEnd > cp {
			pieces = append(pieces, p)
		}
	}
	return pieces, nil
}

// nonComplexPieces describes the text of a file saved without a piece table:
// one compressed-or-not run from fcMin. Word 97 and later always write a CLX,
// so this only serves files that declare no CLX.
func nonComplexPieces(doc []byte, total uint32) []piece {
	le := binary.LittleEndian
	if len(doc) < 0x20 {
		return nil
	}
	fcMin := le.Uint32(doc[0x18:])
	fcMac := le.Uint32(doc[0x1C:])
	if fcMac <= fcMin || uint64(fcMac) > uint64(len(doc)) {
		return nil
	}
	n := min(total, fcMac-fcMin)
	return []piece{{cp: 0, cpEnd: n, fc: fcMin, compressed: true}}
}

// cp1252 maps the bytes 0x80-0x9F of compressed pieces; the rest of the
// byte range is Latin-1.
var cp1252 = [32]rune{
	0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
	0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
}

// charAt decodes character cp of piece p, and returns its file offset.
func (p *piece) charAt(doc []byte, cp uint32) (rune, uint32) {
	if p.compressed {
		fc := p.fc + (cp - p.cp)
		c := doc[fc]
		if c >= 0x80 && c < 0xA0 {
			return cp1252[c-0x80], fc
		}
		return rune(c), fc
	}
	fc := p.fc + 2*(cp-p.cp)
	return rune(binary.LittleEndian.Uint16(doc[fc:])), fc
}
