// Package cfb reads OLE2 compound files ([MS-CFB]): the container of Word 97-2003
// documents and of encrypted OOXML packages. It is written for hostile input:
// every sector index is checked against the file, every chain is followed with
// cycle detection and a length bound, and no size is trusted before the chain
// that backs it has been walked. A broken file gives an error that wraps
// formats.ErrCorrupt; it never panics or loops.
package cfb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"

	"github.com/ranstream/ranstream/pkg/formats"
)

// Magic starts every compound file.
var Magic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// ErrNotCFB is returned by Open for input that does not start with Magic.
var ErrNotCFB = errors.New("cfb: not a compound file")

// IsCFB reports whether head starts with the compound-file signature.
func IsCFB(head []byte) bool { return bytes.HasPrefix(head, Magic) }

// Sector markers ([MS-CFB] 2.1).
const (
	maxRegSect = 0xFFFFFFFA
	difSect    = 0xFFFFFFFC
	fatSect    = 0xFFFFFFFD
	endOfChain = 0xFFFFFFFE
	freeSect   = 0xFFFFFFFF
	noStream   = 0xFFFFFFFF
)

// Entry types.
const (
	TypeStorage = 1
	TypeStream  = 2
	TypeRoot    = 5
)

// maxDirEntries bounds the directory (a real document has a few dozen).
const maxDirEntries = 1 << 20

// Entry is one directory entry: a storage or a stream.
type Entry struct {
	// Name as stored (UTF-16 decoded), e.g. "WordDocument", "1Table".
	Name string
	// Type is TypeStorage, TypeStream or TypeRoot.
	Type uint8
	// Size is the stream's length in bytes.
	Size uint64

	left, right, child uint32
	start              uint32
}

// File is an opened compound file.
type File struct {
	r          io.ReaderAt
	size       int64
	sectorSize int
	nSectors   uint32 // sectors that start inside the file
	fat        []uint32
	miniFat    []uint32
	miniCutoff uint64
	dir        []Entry
	mini       []byte // the mini stream, read on first use
	miniRead   bool
}

func corrupt(format string, args ...any) error {
	return fmt.Errorf("cfb: %s: %w", fmt.Sprintf(format, args...), formats.ErrCorrupt)
}

// Open reads the header, the FAT (through the DIFAT), the mini FAT and the
// directory of the compound file in r.
func Open(r io.ReaderAt, size int64) (*File, error) {
	var h [512]byte
	if size < int64(len(Magic)) {
		return nil, ErrNotCFB
	}
	n, err := r.ReadAt(h[:], 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("cfb: read header: %w", err)
	}
	if n < len(Magic) || !IsCFB(h[:n]) {
		return nil, ErrNotCFB
	}
	if n < len(h) {
		return nil, corrupt("header truncated at %d bytes", n)
	}
	le := binary.LittleEndian
	if le.Uint16(h[0x1C:]) != 0xFFFE {
		return nil, corrupt("bad byte-order mark")
	}
	shift := le.Uint16(h[0x1E:])
	if shift != 9 && shift != 12 {
		return nil, corrupt("sector shift %d", shift)
	}
	if ms := le.Uint16(h[0x20:]); ms != 6 {
		return nil, corrupt("mini sector shift %d", ms)
	}
	f := &File{r: r, size: size, sectorSize: 1 << shift}
	f.miniCutoff = uint64(le.Uint32(h[0x38:]))
	if f.miniCutoff != 4096 {
		return nil, corrupt("mini stream cutoff %d", f.miniCutoff)
	}
	ss := int64(f.sectorSize)
	if size <= ss {
		return nil, corrupt("no sectors after the header")
	}
	f.nSectors = uint32(min((size-ss+ss-1)/ss, maxRegSect))

	numFAT := le.Uint32(h[0x2C:])
	firstDir := le.Uint32(h[0x30:])
	firstMiniFAT := le.Uint32(h[0x3C:])
	numMiniFAT := le.Uint32(h[0x40:])
	firstDIFAT := le.Uint32(h[0x44:])
	numDIFAT := le.Uint32(h[0x48:])
	if numFAT == 0 || numFAT > f.nSectors {
		return nil, corrupt("%d FAT sectors in a file of %d sectors", numFAT, f.nSectors)
	}

	// The FAT sector list: 109 entries in the header, the rest in the DIFAT chain.
	fatSectors := make([]uint32, 0, numFAT)
	for i := 0; i < 109 && uint32(len(fatSectors)) < numFAT; i++ {
		fatSectors = append(fatSectors, le.Uint32(h[0x4C+4*i:]))
	}
	per := f.sectorSize/4 - 1
	seen := map[uint32]bool{}
	buf := make([]byte, f.sectorSize)
	for s, steps := firstDIFAT, uint32(0); uint32(len(fatSectors)) < numFAT; steps++ {
		if s == endOfChain || s == freeSect {
			return nil, corrupt("DIFAT ends after %d of %d FAT sectors", len(fatSectors), numFAT)
		}
		if steps >= numDIFAT || steps >= f.nSectors {
			return nil, corrupt("DIFAT longer than its %d sectors", numDIFAT)
		}
		if s >= f.nSectors {
			return nil, corrupt("DIFAT sector %d beyond the file", s)
		}
		if seen[s] {
			return nil, corrupt("DIFAT cycle at sector %d", s)
		}
		seen[s] = true
		if err := f.readSector(s, buf); err != nil {
			return nil, err
		}
		for i := 0; i < per && uint32(len(fatSectors)) < numFAT; i++ {
			fatSectors = append(fatSectors, le.Uint32(buf[4*i:]))
		}
		s = le.Uint32(buf[4*per:])
	}

	// The FAT itself; entries for sectors past the end of the file are dropped.
	f.fat = make([]uint32, 0, min(int(numFAT)*f.sectorSize/4, int(f.nSectors)))
	for _, s := range fatSectors {
		if s >= f.nSectors {
			return nil, corrupt("FAT sector %d beyond the file", s)
		}
		if err := f.readSector(s, buf); err != nil {
			return nil, err
		}
		for i := 0; i < f.sectorSize/4 && uint32(len(f.fat)) < f.nSectors; i++ {
			f.fat = append(f.fat, le.Uint32(buf[4*i:]))
		}
	}

	// Directory.
	dirChain, err := f.chain(firstDir, f.fat, f.nSectors, "directory")
	if err != nil {
		return nil, err
	}
	if len(dirChain) == 0 {
		return nil, corrupt("empty directory")
	}
	dirBytes, err := f.readChain(dirChain, f.sectorSize, uint64(len(dirChain))*uint64(f.sectorSize), nil)
	if err != nil {
		return nil, err
	}
	count := min(len(dirBytes)/128, maxDirEntries)
	f.dir = make([]Entry, count)
	for i := range count {
		f.dir[i] = parseEntry(dirBytes[i*128 : (i+1)*128])
	}
	if f.dir[0].Type != TypeRoot {
		return nil, corrupt("first directory entry is not the root")
	}

	// Mini FAT.
	if numMiniFAT > 0 && firstMiniFAT != endOfChain {
		if numMiniFAT > f.nSectors {
			return nil, corrupt("%d mini FAT sectors", numMiniFAT)
		}
		mc, err := f.chain(firstMiniFAT, f.fat, numMiniFAT, "mini FAT")
		if err != nil {
			return nil, err
		}
		mb, err := f.readChain(mc, f.sectorSize, uint64(len(mc))*uint64(f.sectorSize), nil)
		if err != nil {
			return nil, err
		}
		f.miniFat = make([]uint32, len(mb)/4)
		for i := range f.miniFat {
			f.miniFat[i] = le.Uint32(mb[4*i:])
		}
	}
	return f, nil
}

func parseEntry(b []byte) Entry {
	le := binary.LittleEndian
	nameLen := int(le.Uint16(b[0x40:]))
	if nameLen > 64 {
		nameLen = 64
	}
	u := make([]uint16, 0, 32)
	for i := 0; i+1 < nameLen; i += 2 {
		c := le.Uint16(b[i:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return Entry{
		Name:  string(utf16.Decode(u)),
		Type:  b[0x42],
		left:  le.Uint32(b[0x44:]),
		right: le.Uint32(b[0x48:]),
		child: le.Uint32(b[0x4C:]),
		start: le.Uint32(b[0x74:]),
		Size:  le.Uint64(b[0x78:]),
	}
}

// readSector reads regular sector s into buf (len sectorSize); a final sector
// cut short by the end of the file is padded with zeros.
func (f *File) readSector(s uint32, buf []byte) error {
	off := (int64(s) + 1) * int64(f.sectorSize)
	n, err := f.r.ReadAt(buf, off)
	if n == len(buf) {
		return nil
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("cfb: read sector %d: %w", s, err)
	}
	clear(buf[n:])
	return nil
}

// chain follows a sector chain from start through table, at most limit long.
func (f *File) chain(start uint32, table []uint32, limit uint32, what string) ([]uint32, error) {
	var out []uint32
	seen := make([]uint64, (len(table)+63)/64)
	for s := start; s != endOfChain; {
		if s >= uint32(len(table)) {
			if s == freeSect {
				// A chain left unterminated by a free marker: tolerate at the start only.
				if len(out) == 0 {
					return nil, nil
				}
				return nil, corrupt("%s chain runs into a free sector", what)
			}
			return nil, corrupt("%s chain: sector %d out of range (%d)", what, s, len(table))
		}
		if seen[s/64]&(1<<(s%64)) != 0 {
			return nil, corrupt("%s chain: cycle at sector %d", what, s)
		}
		if uint32(len(out)) >= limit {
			return nil, corrupt("%s chain longer than %d sectors", what, limit)
		}
		seen[s/64] |= 1 << (s % 64)
		out = append(out, s)
		s = table[s]
	}
	return out, nil
}

// readChain reads size bytes from the sectors of chain (regular sectors when
// from is nil, else mini sectors inside from), merging runs of consecutive
// sectors into one read.
func (f *File) readChain(chain []uint32, secSize int, size uint64, from []byte) ([]byte, error) {
	if size > uint64(len(chain))*uint64(secSize) {
		return nil, corrupt("stream of %d bytes on a chain of %d sectors", size, len(chain))
	}
	out := make([]byte, size)
	pos := 0
	for i := 0; i < len(chain) && pos < len(out); {
		j := i + 1
		for j < len(chain) && chain[j] == chain[j-1]+1 {
			j++
		}
		want := min((j-i)*secSize, len(out)-pos)
		if from != nil {
			off := int(chain[i]) * secSize
			if off+want > len(from) {
				return nil, corrupt("mini sector %d beyond the mini stream", chain[i])
			}
			copy(out[pos:pos+want], from[off:off+want])
		} else {
			off := (int64(chain[i]) + 1) * int64(secSize)
			n, err := f.r.ReadAt(out[pos:pos+want], off)
			if n < want {
				if err != nil && !errors.Is(err, io.EOF) {
					return nil, fmt.Errorf("cfb: read: %w", err)
				}
				// The last sector may be cut short by the end of the file.
				if j < len(chain) || off+int64(n) < f.size {
					return nil, corrupt("sector %d truncated", chain[i])
				}
				clear(out[pos+n : pos+want])
			}
		}
		pos += want
		i = j
	}
	return out, nil
}

// Root returns the root storage's top-level entries.
func (f *File) Root() []Entry { return f.Children(0) }

// Children returns the entries directly inside storage entry i, walking its
// red-black tree with cycle detection.
func (f *File) Children(i int) []Entry {
	if i < 0 || i >= len(f.dir) {
		return nil
	}
	var out []Entry
	seen := map[uint32]bool{uint32(i): true}
	stack := []uint32{f.dir[i].child}
	for len(stack) > 0 && len(out) < len(f.dir) {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n == noStream || n >= uint32(len(f.dir)) || seen[n] {
			continue
		}
		seen[n] = true
		e := f.dir[n]
		out = append(out, e)
		stack = append(stack, e.left, e.right)
	}
	return out
}

// Lookup returns the top-level entry called name (compared case-insensitively,
// as compound files do).
func (f *File) Lookup(name string) (Entry, bool) {
	for _, e := range f.Root() {
		if strings.EqualFold(e.Name, name) {
			return e, true
		}
	}
	return Entry{}, false
}

// ReadStream returns the contents of stream e; a stream longer than max bytes
// is refused with formats.ErrTooLarge.
func (f *File) ReadStream(e Entry, max int64) ([]byte, error) {
	if e.Type != TypeStream && e.Type != TypeRoot {
		return nil, corrupt("%q is not a stream", e.Name)
	}
	size := e.Size
	if f.sectorSize == 512 {
		size &= 0xFFFFFFFF // version 3 files leave the high half undefined
	}
	if size > uint64(f.size) {
		return nil, corrupt("stream %q of %d bytes in a file of %d", e.Name, size, f.size)
	}
	if max > 0 && size > uint64(max) {
		return nil, fmt.Errorf("cfb: stream %q of %d bytes: %w", e.Name, size, formats.ErrTooLarge)
	}
	if size == 0 {
		return nil, nil
	}
	if size < f.miniCutoff && e.Type == TypeStream {
		if err := f.loadMini(); err != nil {
			return nil, err
		}
		limit := uint32(len(f.mini) / 64)
		c, err := f.chain(e.start, f.miniFat, limit, "mini stream "+e.Name)
		if err != nil {
			return nil, err
		}
		return f.readChain(c, 64, size, f.mini)
	}
	c, err := f.chain(e.start, f.fat, f.nSectors, "stream "+e.Name)
	if err != nil {
		return nil, err
	}
	return f.readChain(c, f.sectorSize, size, nil)
}

// loadMini reads the mini stream (the root entry's data) once.
func (f *File) loadMini() error {
	if f.miniRead {
		return nil
	}
	f.miniRead = true
	root := f.dir[0]
	size := root.Size
	if f.sectorSize == 512 {
		size &= 0xFFFFFFFF
	}
	if size == 0 {
		return nil
	}
	if size > uint64(f.size) {
		return corrupt("mini stream of %d bytes in a file of %d", size, f.size)
	}
	c, err := f.chain(root.start, f.fat, f.nSectors, "mini stream")
	if err != nil {
		return err
	}
	f.mini, err = f.readChain(c, f.sectorSize, size, nil)
	return err
}
