package cfb_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/ranstream/ranstream/pkg/formats"
	"github.com/ranstream/ranstream/pkg/formats/doc/cfb"
	"github.com/ranstream/ranstream/pkg/formats/doc/cfb/cfbtest"
)

func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = seed + byte(i*7)
	}
	return b
}

func TestOpen_readsRegularAndMiniStreams(t *testing.T) {
	big := pattern(9000, 1)
	small := pattern(300, 2)
	file, _ := cfbtest.Build(cfbtest.Stream{Name: "WordDocument", Data: big}, cfbtest.Stream{Name: "1Table", Data: small})
	f, err := cfb.Open(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]byte{"WordDocument": big, "1table": small} {
		e, ok := f.Lookup(name)
		if !ok {
			t.Fatalf("%s not found among %v", name, f.Root())
		}
		got, err := f.ReadStream(e, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: %d bytes differ from the %d written", name, len(got), len(want))
		}
	}
	if _, ok := f.Lookup("Data"); ok {
		t.Fatal("found a stream that is not there")
	}
	e, _ := f.Lookup("WordDocument")
	if _, err := f.ReadStream(e, 100); !errors.Is(err, formats.ErrTooLarge) {
		t.Fatalf("a stream over the limit gave %v", err)
	}
}

func TestOpen_notCFB(t *testing.T) {
	for _, in := range [][]byte{nil, []byte("PK\x03\x04"), []byte("hello world, this is text")} {
		if _, err := cfb.Open(bytes.NewReader(in), int64(len(in))); !errors.Is(err, cfb.ErrNotCFB) {
			t.Fatalf("%q: %v", in, err)
		}
	}
}

// TestOpen_hostile corrupts a valid file in the ways a hostile or damaged
// file would be, and checks each is refused as corrupt without panicking or
// looping.
func TestOpen_hostile(t *testing.T) {
	le := binary.LittleEndian
	base, lay := cfbtest.Build(cfbtest.Stream{Name: "WordDocument", Data: pattern(9000, 1)}, cfbtest.Stream{Name: "1Table", Data: pattern(700, 3)})
	fatEntry := func(s int) int { return cfbtest.SectorOffset(lay.FATStart) + 4*s }
	tests := []struct {
		name   string
		mutate func(b []byte) []byte
		// open: the error comes from Open; else from reading the streams.
		open bool
	}{
		{"truncated header", func(b []byte) []byte { return b[:300] }, true},
		{"bad sector shift", func(b []byte) []byte { le.PutUint16(b[0x1E:], 20); return b }, true},
		{"FAT sector count beyond file", func(b []byte) []byte { le.PutUint32(b[0x2C:], 1<<20); return b }, true},
		{"FAT sector out of range", func(b []byte) []byte { le.PutUint32(b[0x4C:], 99999); return b }, true},
		{"directory out of range", func(b []byte) []byte { le.PutUint32(b[0x30:], 99999); return b }, true},
		{"directory chain cycle", func(b []byte) []byte {
			le.PutUint32(b[fatEntry(lay.DirStart):], uint32(lay.DirStart))
			return b
		}, true},
		{"DIFAT cycle", func(b []byte) []byte {
			le.PutUint32(b[0x2C:], 200) // more FAT sectors than the header holds
			le.PutUint32(b[0x44:], 0)
			le.PutUint32(b[0x48:], 5)
			return b
		}, true},
		{"stream chain cycle", func(b []byte) []byte {
			s := lay.StreamStart["WordDocument"]
			le.PutUint32(b[fatEntry(s+3):], uint32(s))
			return b
		}, false},
		{"stream chain out of range", func(b []byte) []byte {
			s := lay.StreamStart["WordDocument"]
			le.PutUint32(b[fatEntry(s+1):], 0xFFFFFF00)
			return b
		}, false},
		{"stream larger than its chain", func(b []byte) []byte {
			dir := cfbtest.SectorOffset(lay.DirStart)
			for i := 1; i < 3; i++ {
				e := b[dir+128*i:]
				if le.Uint64(e[0x78:]) == 9000 {
					le.PutUint64(e[0x78:], 900000)
				}
			}
			return b
		}, false},
		{"mini FAT cycle", func(b []byte) []byte {
			mf := cfbtest.SectorOffset(lay.MiniFATStart)
			le.PutUint32(b[mf+4*2:], 0)
			return b
		}, false},
		{"truncated body", func(b []byte) []byte { return b[:len(b)/2] }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.mutate(bytes.Clone(base))
			f, err := cfb.Open(bytes.NewReader(b), int64(len(b)))
			if tt.open {
				if !errors.Is(err, formats.ErrCorrupt) {
					t.Fatalf("Open gave %v, want a corrupt error", err)
				}
				return
			}
			if err != nil {
				if !errors.Is(err, formats.ErrCorrupt) {
					t.Fatalf("Open gave %v", err)
				}
				return
			}
			var firstErr error
			for _, e := range f.Root() {
				if _, err := f.ReadStream(e, 0); err != nil && firstErr == nil {
					firstErr = err
				}
			}
			if !errors.Is(firstErr, formats.ErrCorrupt) {
				t.Fatalf("reading the streams gave %v, want a corrupt error", firstErr)
			}
		})
	}
}

func TestChildren_cyclicTree(t *testing.T) {
	le := binary.LittleEndian
	b, lay := cfbtest.Build(cfbtest.Stream{Name: "A", Data: []byte("a")}, cfbtest.Stream{Name: "B", Data: []byte("b")})
	dir := cfbtest.SectorOffset(lay.DirStart)
	le.PutUint32(b[dir+128*2+0x48:], 1) // B's right sibling is A again
	le.PutUint32(b[dir+128*1+0x44:], 0) // A's left sibling is the root
	f, err := cfb.Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.Root()); n != 2 {
		t.Fatalf("a cyclic tree listed %d entries", n)
	}
}
