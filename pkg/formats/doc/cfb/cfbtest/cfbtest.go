// Package cfbtest builds small OLE2 compound files for tests: Word documents
// made in code, encrypted-OOXML containers, and the broken files that the
// readers must refuse. Files are version 3 (512-byte sectors) and laid out in
// a fixed order, so that a test can corrupt a known place: the header, then
// the FAT sectors (sector 0 on), then the directory, then the mini FAT, then
// the mini stream, then each large stream in the order given.
package cfbtest

import (
	"encoding/binary"
	"sort"
	"strings"
	"unicode/utf16"
)

// Stream is one stream of the root storage.
type Stream struct {
	Name string
	Data []byte
}

// Layout tells where Build put things, in sector numbers.
type Layout struct {
	FATStart, FATCount int
	DirStart, DirCount int
	MiniFATStart       int // -1 without a mini FAT
	// StreamStart gives each stream's first sector, regular or mini.
	StreamStart map[string]int
}

const (
	sectorSize = 512
	miniSize   = 64
	cutoff     = 4096
	endChain   = 0xFFFFFFFE
	freeSect   = 0xFFFFFFFF
	fatMarker  = 0xFFFFFFFD
	noStream   = 0xFFFFFFFF
)

// Build returns a compound file holding streams at its root.
func Build(streams ...Stream) ([]byte, Layout) {
	le := binary.LittleEndian
	lay := Layout{MiniFATStart: -1, StreamStart: map[string]int{}}

	// Mini stream: small streams, 64-byte sectors each.
	var mini []byte
	var miniFAT []uint32
	miniStart := map[string]int{}
	for _, s := range streams {
		if len(s.Data) >= cutoff || len(s.Data) == 0 {
			continue
		}
		n := (len(s.Data) + miniSize - 1) / miniSize
		first := len(miniFAT)
		miniStart[s.Name] = first
		for i := 0; i < n; i++ {
			next := uint32(first + i + 1)
			if i == n-1 {
				next = endChain
			}
			miniFAT = append(miniFAT, next)
		}
		buf := make([]byte, n*miniSize)
		copy(buf, s.Data)
		mini = append(mini, buf...)
	}

	sectors := func(n int) int { return (n + sectorSize - 1) / sectorSize }
	dirEntries := len(streams) + 1
	dirSectors := sectors(dirEntries * 128)
	miniFATSectors := sectors(len(miniFAT) * 4)
	miniStreamSectors := sectors(len(mini))
	dataSectors := 0
	for _, s := range streams {
		if len(s.Data) >= cutoff {
			dataSectors += sectors(len(s.Data))
		}
	}
	rest := dirSectors + miniFATSectors + miniStreamSectors + dataSectors
	fatSectors := 1
	for (fatSectors+rest)*4 > fatSectors*sectorSize {
		fatSectors++
	}
	total := fatSectors + rest
	fat := make([]uint32, fatSectors*sectorSize/4)
	for i := range fat {
		fat[i] = freeSect
	}
	next := 0
	alloc := func(n int) int {
		if n == 0 {
			return endChain
		}
		first := next
		for i := 0; i < n; i++ {
			if i == n-1 {
				fat[next] = endChain
			} else {
				fat[next] = uint32(next + 1)
			}
			next++
		}
		return first
	}
	for i := 0; i < fatSectors; i++ {
		fat[next] = fatMarker
		next++
	}
	lay.FATStart, lay.FATCount = 0, fatSectors
	lay.DirStart, lay.DirCount = alloc(dirSectors), dirSectors
	miniFATStart := alloc(miniFATSectors)
	if miniFATSectors > 0 {
		lay.MiniFATStart = miniFATStart
	}
	miniStreamStart := alloc(miniStreamSectors)
	dataStart := map[string]int{}
	for _, s := range streams {
		if len(s.Data) >= cutoff {
			dataStart[s.Name] = alloc(sectors(len(s.Data)))
		}
	}

	out := make([]byte, sectorSize*(1+total))
	h := out[:sectorSize]
	copy(h, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	le.PutUint16(h[0x18:], 0x3E)
	le.PutUint16(h[0x1A:], 3)
	le.PutUint16(h[0x1C:], 0xFFFE)
	le.PutUint16(h[0x1E:], 9)
	le.PutUint16(h[0x20:], 6)
	le.PutUint32(h[0x2C:], uint32(fatSectors))
	le.PutUint32(h[0x30:], uint32(lay.DirStart))
	le.PutUint32(h[0x38:], cutoff)
	if miniFATSectors > 0 {
		le.PutUint32(h[0x3C:], uint32(miniFATStart))
	} else {
		le.PutUint32(h[0x3C:], endChain)
	}
	le.PutUint32(h[0x40:], uint32(miniFATSectors))
	le.PutUint32(h[0x44:], endChain)
	le.PutUint32(h[0x48:], 0)
	for i := 0; i < 109; i++ {
		v := uint32(freeSect)
		if i < fatSectors {
			v = uint32(i)
		}
		le.PutUint32(h[0x4C+4*i:], v)
	}
	sector := func(s int) []byte { return out[sectorSize*(s+1) : sectorSize*(s+2)] }
	for i := 0; i < fatSectors; i++ {
		for j := 0; j < sectorSize/4; j++ {
			le.PutUint32(sector(i)[4*j:], fat[i*sectorSize/4+j])
		}
	}
	writeChain := func(start int, data []byte) {
		for i := 0; len(data) > 0; i++ {
			n := copy(sector(start+i), data)
			data = data[n:]
		}
	}
	mf := make([]byte, miniFATSectors*sectorSize)
	for i := range mf {
		mf[i] = 0xFF
	}
	for i, v := range miniFAT {
		le.PutUint32(mf[4*i:], v)
	}
	if miniFATSectors > 0 {
		writeChain(miniFATStart, mf)
	}
	if miniStreamSectors > 0 {
		writeChain(miniStreamStart, mini)
	}
	for _, s := range streams {
		if st, ok := dataStart[s.Name]; ok {
			writeChain(st, s.Data)
			lay.StreamStart[s.Name] = st
		} else if st, ok := miniStart[s.Name]; ok {
			lay.StreamStart[s.Name] = st
		}
	}

	// Directory: the root, then the streams sorted as compound files compare
	// names, chained as right siblings (a valid, if unbalanced, tree).
	order := make([]int, len(streams))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool {
		x, y := streams[order[a]].Name, streams[order[b]].Name
		if len(x) != len(y) {
			return len(x) < len(y)
		}
		return strings.ToUpper(x) < strings.ToUpper(y)
	})
	dir := make([]byte, dirSectors*sectorSize)
	entry := func(i int, name string, typ byte, child, right uint32, start uint32, size uint64) {
		e := dir[128*i : 128*(i+1)]
		u := utf16.Encode([]rune(name))
		for j, c := range u {
			le.PutUint16(e[2*j:], c)
		}
		le.PutUint16(e[0x40:], uint16(2*(len(u)+1)))
		e[0x42] = typ
		e[0x43] = 1 // black
		le.PutUint32(e[0x44:], noStream)
		le.PutUint32(e[0x48:], right)
		le.PutUint32(e[0x4C:], child)
		le.PutUint32(e[0x74:], start)
		le.PutUint64(e[0x78:], size)
	}
	rootStart := uint32(endChain)
	if miniStreamSectors > 0 {
		rootStart = uint32(miniStreamStart)
	}
	child := uint32(noStream)
	if len(order) > 0 {
		child = 1
	}
	entry(0, "Root Entry", 5, child, noStream, rootStart, uint64(len(mini)))
	for k, i := range order {
		s := streams[i]
		right := uint32(noStream)
		if k+1 < len(order) {
			right = uint32(k + 2)
		}
		start := uint32(endChain)
		if st, ok := lay.StreamStart[s.Name]; ok {
			start = uint32(st)
		}
		entry(k+1, s.Name, 2, noStream, right, start, uint64(len(s.Data)))
	}
	for i := dirEntries; i < len(dir)/128; i++ {
		e := dir[128*i : 128*(i+1)]
		le.PutUint32(e[0x44:], noStream)
		le.PutUint32(e[0x48:], noStream)
		le.PutUint32(e[0x4C:], noStream)
	}
	writeChain(lay.DirStart, dir)
	return out, lay
}

// SectorOffset is the file offset of sector s.
func SectorOffset(s int) int { return sectorSize * (s + 1) }
