package archive

import (
	"bytes"
	"context"
	"fmt"
	"hash/crc32"
	"io"
	"path"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/fault"
)

// FuzzWalk holds Walk to its promises on any input: no panic, every failure
// permanent (the reader and the context never fail here), every member name
// clean and inside the archive, and never more bytes than the limits allow.
func FuzzWalk(f *testing.F) {
	body := text(3000)
	def := deflated(f, body)
	seeds := [][]byte{
		zipOf(f, entry{name: "38331-i40.docx", body: body}, entry{name: "docs/"}, entry{name: "docs/a.doc", body: body, store: true}),
		zipOf(f, entry{name: "../evil", body: body}, entry{name: `C:\x`, body: body}, entry{name: "r\x82sum\x82", nonUTF8: true}),
		zipOf(f, entry{name: "enc.doc", flags: 1, store: true, raw: body, usize: 3000, csize: 3000}),
		zipOf(f, entry{name: "liar.doc", raw: def, usize: 100, csize: uint64(len(def)), crc: crc32.ChecksumIEEE(body)}),
		zipOf(f, entry{name: "short.doc", raw: def, usize: 5000, csize: uint64(len(def)) / 2}),
		zipOf(f, entry{name: "inner.zip", body: zipOf(f, entry{name: "x.docx", body: body})}),
		zipOf(f, entry{name: "__MACOSX/._x"}, entry{name: ".DS_Store"}),
		zipOf(f),
		[]byte("PK\x03\x04"),
		[]byte("not a zip at all"),
	}
	for _, s := range seeds {
		f.Add(s)
	}
	cfg := Config{MaxEntries: 64, MaxTotal: 1 << 20, MaxEntry: 256 << 10, MaxRatio: 200, MaxDepth: 3}
	f.Fuzz(func(t *testing.T, b []byte) {
		var total int64
		accepted := 0
		rep, err := Walk(context.Background(), bytes.NewReader(b), int64(len(b)), 0, cfg, func(m Member, rd io.Reader) error {
			if reason := badMemberName(m.Name); reason != "" {
				t.Errorf("member name %q: %s", m.Name, reason)
			}
			n, err := io.Copy(io.Discard, rd)
			if n > m.Size || n > cfg.MaxEntry {
				t.Errorf("%s: read %d bytes, declared %d, limit %d", m.Name, n, m.Size, cfg.MaxEntry)
			}
			total += n
			if err == nil {
				accepted++
			}
			return err
		})
		if err != nil && !fault.IsPermanent(err) {
			t.Errorf("transient error on in-memory input: %v", err)
		}
		if total > cfg.MaxTotal {
			t.Errorf("read %d bytes in all, limit %d", total, cfg.MaxTotal)
		}
		if rep.Members > accepted {
			t.Errorf("report counts %d members, fn accepted %d", rep.Members, accepted)
		}
		for _, s := range rep.Skipped {
			if s.Reason == "" {
				t.Errorf("skip of %q without a reason", s.Name)
			}
		}
	})
}

// badMemberName says what is wrong with a member name, or returns "".
func badMemberName(name string) string {
	switch {
	case name == "" || name == ".":
		return "empty"
	case strings.HasPrefix(name, "/"), strings.Contains(name, `\`):
		return "absolute or backslashed"
	case len(name) > 1 && name[1] == ':' && isASCIILetter(name[0]):
		return "drive letter"
	case path.Clean(name) != name:
		return "not clean"
	case name == ".." || strings.HasPrefix(name, "../"):
		return "escapes"
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return fmt.Sprintf("control character %U", r)
		}
	}
	return ""
}
