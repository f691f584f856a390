package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/fault"
	"github.com/ranstream/ranstream/pkg/formats"
)

// wantBad checks a permanent error with its cause and the words a user needs.
func wantBad(t *testing.T, err, cause error, words ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", cause)
	}
	if !errors.Is(err, cause) || !fault.IsPermanent(err) {
		t.Fatalf("error %q: want a permanent %v", err, cause)
	}
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
}

func TestWalk_fansOutMembers(t *testing.T) {
	docx := zipOf(t,
		entry{name: "[Content_Types].xml", body: []byte(`<Types/>`)},
		entry{name: "word/document.xml", body: text(4000)})
	doc := append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), text(3000)...)
	inner := zipOf(t, entry{name: "36331-dc0.docx", body: docx, store: true})
	b := zipOf(t,
		entry{name: "Rel-18/"},
		entry{name: "Rel-18/38_series/"},
		entry{name: "38331-i40.docx", body: docx},
		entry{name: "Rel-18/38_series/38300-i00.doc", body: doc},
		entry{name: "__MACOSX/._38331-i40.docx", body: []byte("resource fork")},
		entry{name: ".DS_Store", body: []byte("finder")},
		entry{name: "Rel-18/Thumbs.db", body: []byte("thumbs")},
		entry{name: "~$331-i40.docx", body: []byte("owner file")},
		entry{name: "Spécifications/résumé.txt", body: []byte("UTF-8 name, flag set")},
		entry{name: "r\x82sum\x82 \x9c.txt", nonUTF8: true, body: []byte("CP437 name")},
		entry{name: "??.txt", nonUTF8: true, extra: unicodePathField("??.txt", "仕様.txt"), body: []byte("Unicode Path field")},
		entry{name: `docs\readme.txt`, body: []byte("backslash separators")},
		entry{name: "./notes/../notes.md", body: []byte("# notes")},
		entry{name: "empty.txt"},
		entry{name: "inner.zip", body: inner, store: true},
	)
	g, rep, err := walkAll(t, b, 0, Config{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"38331-i40.docx", "Rel-18/38_series/38300-i00.doc", "Spécifications/résumé.txt",
		"résumé £.txt", "仕様.txt", "docs/readme.txt", "notes.md", "empty.txt", "inner.zip"}
	if !reflect.DeepEqual(g.names, want) {
		t.Errorf("members\n got %q\nwant %q", g.names, want)
	}
	if rep.Members != len(want) || rep.Junk != 4 || len(rep.Skipped) != 0 {
		t.Errorf("report %+v: want %d members, 4 junk, nothing skipped", rep, len(want))
	}
	if !bytes.Equal(g.bodies["38331-i40.docx"], docx) || !bytes.Equal(g.bodies["Rel-18/38_series/38300-i00.doc"], doc) ||
		!bytes.Equal(g.bodies["inner.zip"], inner) {
		t.Error("member bytes differ from what was archived")
	}
	for i, n := range g.names {
		if g.sizes[i] != int64(len(g.bodies[n])) {
			t.Errorf("%s: size %d, read %d bytes", n, g.sizes[i], len(g.bodies[n]))
		}
	}
	// The nested archive comes back through the pipeline one level deeper.
	g2, _, err := walkAll(t, g.bodies["inner.zip"], 1, Config{})
	if err != nil || len(g2.names) != 1 || g2.names[0] != "36331-dc0.docx" {
		t.Errorf("nested archive: %q, %v", g2.names, err)
	}
}

func TestWalk_refusesPathTraversal(t *testing.T) {
	tests := []struct {
		name, reason string
	}{
		{"../evil.docx", "path escapes the archive"},
		{"specs/../../evil.docx", "path escapes the archive"},
		{"..", "path escapes the archive"},
		{`..\..\Windows\evil.doc`, "path escapes the archive"},
		{`specs\..\..\evil.doc`, "path escapes the archive"},
		{"/etc/passwd", "absolute path"},
		{`\\server\share\evil.doc`, "absolute path"},
		{`\evil.doc`, "absolute path"},
		{"C:/Windows/evil.doc", "drive letter"},
		{`c:\evil.doc`, "drive letter"},
		{"C:evil.doc", "drive letter"},
		{"spec\x00.docx", "control characters"},
		{"spec\n.docx", "control characters"},
		{".", "empty name"},
	}
	entries := []entry{{name: "ok.docx", body: []byte("fine")}}
	for _, tt := range tests {
		entries = append(entries, entry{name: tt.name, body: []byte("payload")})
	}
	entries = append(entries, entry{name: "specs/../inside.doc", body: []byte("stays inside")})
	g, rep, err := walkAll(t, zipOf(t, entries...), 0, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"ok.docx", "inside.doc"}; !reflect.DeepEqual(g.names, want) {
		t.Errorf("members %q, want %q", g.names, want)
	}
	if len(rep.Skipped) != len(tests) {
		t.Fatalf("skipped %+v: want %d", rep.Skipped, len(tests))
	}
	for i, tt := range tests {
		if s := rep.Skipped[i]; !strings.Contains(s.Reason, tt.reason) {
			t.Errorf("%q: skipped as %q (%q), want %q", tt.name, s.Name, s.Reason, tt.reason)
		}
	}
	if rep.Skipped[11].Name != "spec\uFFFD.docx" {
		t.Errorf("skip names keep no control characters: %q", rep.Skipped[11].Name)
	}
}

func TestWalk_skipsEncryptedEntries(t *testing.T) {
	secret := []byte("ciphertext ciphertext ciphertext")
	enc := entry{name: "secret.docx", flags: 0x1, store: true, raw: secret,
		usize: uint64(len(secret)) - 12, csize: uint64(len(secret)), crc: 0xdeadbeef}
	aes := entry{name: "aes.doc", flags: 0x1, method: 99, raw: secret, usize: 20, csize: uint64(len(secret))}

	t.Run("mixed", func(t *testing.T) {
		g, rep, err := walkAll(t, zipOf(t, enc, entry{name: "open.docx", body: []byte("readable")}, aes), 0, Config{})
		if err != nil {
			t.Fatal(err)
		}
		if len(g.names) != 1 || g.names[0] != "open.docx" {
			t.Errorf("members %q, want only open.docx", g.names)
		}
		want := []Skip{{"secret.docx", "encrypted (password-protected)"}, {"aes.doc", "encrypted (password-protected)"}}
		if !reflect.DeepEqual(rep.Skipped, want) {
			t.Errorf("skipped %+v, want %+v", rep.Skipped, want)
		}
	})
	t.Run("every entry", func(t *testing.T) {
		b := zipOf(t, entry{name: "specs/"}, enc, aes, entry{name: "__MACOSX/._secret.docx", body: []byte("x")})
		called := false
		_, err := Walk(context.Background(), bytes.NewReader(b), int64(len(b)), 0, Config{}, func(Member, io.Reader) error {
			called = true
			return nil
		})
		wantBad(t, err, formats.ErrEncrypted, "all 2 members are encrypted")
		if called {
			t.Error("fn was called on a wholly encrypted archive")
		}
	})
}

func TestWalk_zipBombRatio(t *testing.T) {
	z, crc := deflatedZeros(t)
	t.Run("one member", func(t *testing.T) {
		b := zipOf(t, entry{name: "fine.docx", body: []byte("fine")},
			entry{name: "zeros.bin", raw: z, usize: uint64(zeros.n), csize: uint64(len(z)), crc: crc})
		called := 0
		_, err := Walk(context.Background(), bytes.NewReader(b), int64(len(b)), 0, Config{}, func(Member, io.Reader) error {
			called++
			return nil
		})
		wantBad(t, err, formats.ErrTooLarge, "zeros.bin", "100.0 MiB", "ratio", "limit 200", "zip bomb")
		if called != 0 {
			t.Errorf("fn called %d times before the bomb was refused: the directory gives it away", called)
		}
	})
	t.Run("many small members", func(t *testing.T) {
		// Each member stays under the 1 MiB floor; together they are a bomb.
		mib := make([]byte, 1<<20-1)
		small := deflated(t, mib)
		var entries []entry
		for i := range 300 {
			entries = append(entries, entry{name: fmt.Sprintf("part%03d.txt", i), raw: small,
				usize: uint64(len(mib)), csize: uint64(len(small)), crc: crc32.ChecksumIEEE(mib)})
		}
		_, _, err := walkAll(t, zipOf(t, entries...), 0, Config{})
		wantBad(t, err, formats.ErrTooLarge, "300.0 MiB", "archive", "zip bomb")
	})
	t.Run("42.zip nesting", func(t *testing.T) {
		// Layers of archives of the same bomb: each layer is handed over whole,
		// the pipeline brings it back one level deeper, the bomb at the bottom
		// is refused and nothing was ever inflated past a layer.
		layer := zipOf(t, entry{name: "zeros.bin", raw: z, usize: uint64(zeros.n), csize: uint64(len(z)), crc: crc})
		for range 2 {
			var entries []entry
			for i := range 16 {
				entries = append(entries, entry{name: fmt.Sprintf("%x.zip", i), body: layer})
			}
			layer = zipOf(t, entries...)
		}
		depth := 0
		for {
			g, _, err := walkAll(t, layer, depth, Config{})
			if err != nil {
				wantBad(t, err, formats.ErrTooLarge, "zip bomb")
				break
			}
			if len(g.names) != 16 {
				t.Fatalf("depth %d: %d members, want 16", depth, len(g.names))
			}
			layer, depth = g.bodies[g.names[0]], depth+1
		}
		if depth != 2 {
			t.Errorf("bomb refused at depth %d, want 2", depth)
		}
	})
	t.Run("honest text passes", func(t *testing.T) {
		body := text(4 << 20)
		g, _, err := walkAll(t, zipOf(t, entry{name: "38331.txt", body: body}), 0, Config{})
		if err != nil || len(g.bodies["38331.txt"]) != len(body) {
			t.Fatalf("%d bytes, %v", len(g.bodies["38331.txt"]), err)
		}
	})
}

func TestWalk_lyingSizes(t *testing.T) {
	z, crc := deflatedZeros(t)
	t.Run("inflates past its size", func(t *testing.T) {
		b := zipOf(t, entry{name: "first.docx", body: []byte("accepted")},
			entry{name: "liar.docx", raw: z, usize: 10 << 10, csize: uint64(len(z)), crc: crc},
			entry{name: "after.docx", body: []byte("never reached")})
		var read int
		var readErr error
		var names []string
		rep, err := Walk(context.Background(), bytes.NewReader(b), int64(len(b)), 0, Config{}, func(m Member, rd io.Reader) error {
			names = append(names, m.Name)
			n, err := io.Copy(io.Discard, rd)
			if m.Name == "liar.docx" {
				read, readErr = int(n), err
			}
			return err
		})
		if !errors.Is(readErr, formats.ErrTooLarge) {
			t.Errorf("fn's reader failed with %v, want ErrTooLarge", readErr)
		}
		if read > 10<<10 {
			t.Errorf("fn read %d bytes of a member declared 10 KiB", read)
		}
		wantBad(t, err, formats.ErrTooLarge, "liar.docx", "inflates past its declared size of 10.0 KiB")
		if rep.Members != 1 || len(rep.Skipped) != 1 || rep.Skipped[0].Name != "liar.docx" {
			t.Errorf("report %+v: want first.docx accepted, liar.docx skipped", rep)
		}
		if want := []string{"first.docx", "liar.docx"}; !reflect.DeepEqual(names, want) {
			t.Errorf("fn saw %q, want %q", names, want)
		}
	})
	t.Run("fn ignoring the error cannot keep it", func(t *testing.T) {
		b := zipOf(t, entry{name: "liar.docx", raw: z, usize: 10 << 10, csize: uint64(len(z)), crc: crc})
		rep, err := Walk(context.Background(), bytes.NewReader(b), int64(len(b)), 0, Config{}, func(_ Member, rd io.Reader) error {
			io.Copy(io.Discard, rd)
			return nil
		})
		wantBad(t, err, formats.ErrTooLarge)
		if rep.Members != 0 {
			t.Errorf("members %d, want 0", rep.Members)
		}
	})
	body := text(64 << 10)
	def := deflated(t, body)
	sum := crc32.ChecksumIEEE(body)
	tests := []struct {
		name   string
		e      entry
		reason string
	}{
		{"declares more than it holds",
			entry{raw: def, usize: 1 << 20, csize: uint64(len(def)), crc: sum}, "ends after 65536 of its declared 1048576 bytes"},
		{"compressed size cuts the stream",
			entry{raw: def, usize: uint64(len(body)), csize: uint64(len(def) / 2), crc: sum}, "corrupt: damaged data"},
		{"stored, shorter than declared",
			entry{store: true, raw: body, usize: uint64(len(body)) + 100, csize: uint64(len(body)), crc: sum}, "ends after"},
		{"wrong checksum",
			entry{raw: def, usize: uint64(len(body)), csize: uint64(len(def)), crc: sum + 1}, "checksum mismatch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.e.name = "bad.docx"
			g, rep, err := walkAll(t, zipOf(t, tt.e, entry{name: "good.docx", body: []byte("good")}), 0, Config{})
			if err != nil {
				t.Fatalf("a damaged member must not condemn the archive: %v", err)
			}
			if len(g.names) != 1 || g.names[0] != "good.docx" {
				t.Errorf("members %q, want good.docx only", g.names)
			}
			if len(rep.Skipped) != 1 || !strings.Contains(rep.Skipped[0].Reason, tt.reason) {
				t.Errorf("skipped %+v, want %q", rep.Skipped, tt.reason)
			}
			// Alone, the damaged member makes the archive worthless.
			_, _, err = walkAll(t, zipOf(t, tt.e), 0, Config{})
			wantBad(t, err, formats.ErrCorrupt, "every member is damaged", "bad.docx")
		})
	}
	t.Run("stored, longer than declared", func(t *testing.T) {
		b := zipOf(t, entry{name: "s.doc", store: true, raw: body, usize: 1000, csize: uint64(len(body)), crc: sum})
		_, _, err := walkAll(t, b, 0, Config{})
		wantBad(t, err, formats.ErrTooLarge, "s.doc", "inflates past its declared size of 1000 bytes")
	})
}

func TestWalk_tooManyEntries(t *testing.T) {
	t.Run("over a small limit", func(t *testing.T) {
		var entries []entry
		for i := range 6 {
			entries = append(entries, entry{name: fmt.Sprintf("%d.doc", i), body: []byte("x")})
		}
		b := zipOf(t, entries...)
		_, _, err := walkAll(t, b, 0, Config{MaxEntries: 5})
		wantBad(t, err, formats.ErrTooLarge, "6 entries", "limit of 5")
		if _, _, err := walkAll(t, b, 0, Config{MaxEntries: 6}); err != nil {
			t.Errorf("6 entries with a limit of 6: %v", err)
		}
	})
	t.Run("zip64 directory", func(t *testing.T) {
		// Over 65535 entries the count lives in the zip64 end record; it is read
		// before the directory is parsed.
		var buf bytes.Buffer
		w := zip.NewWriter(&buf)
		for i := range 70000 {
			if _, err := w.CreateHeader(&zip.FileHeader{Name: fmt.Sprint(i), Method: zip.Store}); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		b := buf.Bytes()
		if n, ok := declaredEntries(bytes.NewReader(b), int64(len(b))); !ok || n != 70000 {
			t.Errorf("declared entries %d, %v: want 70000", n, ok)
		}
		_, _, err := walkAll(t, b, 0, Config{})
		wantBad(t, err, formats.ErrTooLarge, "70000 entries", "limit of 10000")
	})
}

func TestWalk_depthLimit(t *testing.T) {
	b := zipOf(t, entry{name: "38331-i40.docx", body: []byte("spec")})
	tests := []struct {
		depth, max int
		refused    string
	}{
		{0, 0, ""},
		{3, 0, ""},
		{4, 0, "nested archives deeper than 3 (this one is at depth 4)"},
		{1, 1, ""},
		{2, 1, "nested archives deeper than 1"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("depth %d of %d", tt.depth, tt.max), func(t *testing.T) {
			g, _, err := walkAll(t, b, tt.depth, Config{MaxDepth: tt.max})
			if tt.refused == "" {
				if err != nil || len(g.names) != 1 {
					t.Fatalf("%q, %v", g.names, err)
				}
				return
			}
			wantBad(t, err, formats.ErrTooLarge, tt.refused)
			if len(g.names) != 0 {
				t.Errorf("members handed over past the depth limit: %q", g.names)
			}
		})
	}
}

func TestWalk_corrupt(t *testing.T) {
	good := zipOf(t, entry{name: "a.docx", body: text(5000)}, entry{name: "b.docx", body: text(5000)})
	cdir := bytes.LastIndex(good, []byte("PK\x01\x02"))
	second := bytes.LastIndex(good, []byte("PK\x03\x04"))
	patch := func(at int, with string) []byte {
		b := bytes.Clone(good)
		copy(b[at:], with)
		return b
	}
	tests := []struct {
		name  string
		b     []byte
		cause error
		words []string
	}{
		{"empty", nil, formats.ErrNotFormat, []string{"empty file"}},
		{"office lock file", append([]byte("\x0bJohn Smith"), make([]byte, 150)...), formats.ErrNotFormat, []string{"no zip signature"}},
		{"text", []byte("# Placeholder for PDF file"), formats.ErrNotFormat, []string{"no zip signature"}},
		{"directory signature damaged", patch(cdir, "XXXX"), formats.ErrCorrupt, []string{"central directory"}},
		{"end record pointing nowhere", patch(len(good)-6, "\xff\xff\xff\x7f"), formats.ErrCorrupt, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := walkAll(t, tt.b, 0, Config{})
			wantBad(t, err, tt.cause, tt.words...)
		})
	}
	t.Run("local header damaged", func(t *testing.T) {
		g, rep, err := walkAll(t, patch(second, "XXXX"), 0, Config{})
		if err != nil {
			t.Fatal(err)
		}
		if len(g.names) != 1 || len(rep.Skipped) != 1 || !strings.Contains(rep.Skipped[0].Reason, "corrupt: unreadable local header") {
			t.Errorf("members %q, skipped %+v", g.names, rep.Skipped)
		}
	})
	t.Run("member data damaged", func(t *testing.T) {
		g, rep, err := walkAll(t, patch(second-200, "\xff\xff\xff\xff\xff\xff"), 0, Config{})
		if err != nil {
			t.Fatal(err)
		}
		if len(g.names) != 1 || g.names[0] != "b.docx" || len(rep.Skipped) != 1 ||
			!strings.HasPrefix(rep.Skipped[0].Reason, "corrupt: ") {
			t.Errorf("members %q, skipped %+v", g.names, rep.Skipped)
		}
	})
}

func TestWalk_truncated(t *testing.T) {
	b := zipOf(t, entry{name: "38331-i40.docx", body: text(20000)}, entry{name: "38300-i00.doc", body: text(20000)})
	for cut := 1; cut < len(b); cut += 97 {
		_, _, err := walkAll(t, b[:cut], 0, Config{})
		if cut < 2 {
			wantBad(t, err, formats.ErrNotFormat)
			continue
		}
		wantBad(t, err, formats.ErrCorrupt, "cut short")
	}
	// A reader whose size claims more than it holds is a truncated archive too.
	_, err := Walk(context.Background(), bytes.NewReader(b[:len(b)-10]), int64(len(b)), 0, Config{},
		func(Member, io.Reader) error { return nil })
	wantBad(t, err, formats.ErrCorrupt)
}

func TestWalk_skipsLinksDevicesAndMethods(t *testing.T) {
	b := zipOf(t,
		entry{name: "link.docx", body: []byte("/etc/passwd"), mode: fs.ModeSymlink | 0o777},
		entry{name: "fifo", mode: fs.ModeNamedPipe | 0o644},
		entry{name: "bz.doc", method: 12, raw: []byte("BZh91AY&SY"), usize: 100, csize: 10},
		entry{name: "real.docx", body: []byte("real"), mode: 0o644},
		entry{name: "folder_", body: []byte("hidden payload")},
	)
	// The zip writer refuses data in a folder entry; rename the entry afterwards.
	b = bytes.ReplaceAll(b, []byte("folder_"), []byte("folder/"))
	g, rep, err := walkAll(t, b, 0, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.names) != 1 || g.names[0] != "real.docx" {
		t.Errorf("members %q, want real.docx", g.names)
	}
	want := []Skip{
		{"link.docx", "symbolic link"},
		{"fifo", "not a regular file (p---------)"},
		{"bz.doc", "compression method 12 (bzip2) is not supported"},
		{"folder/", "folder entry carrying data"},
	}
	if !reflect.DeepEqual(rep.Skipped, want) {
		t.Errorf("skipped\n got %+v\nwant %+v", rep.Skipped, want)
	}
}

func TestWalk_sizeLimits(t *testing.T) {
	b := zipOf(t, entry{name: "small.doc", body: text(1000)}, entry{name: "big.doc", body: text(200 << 10)},
		entry{name: "other.doc", body: text(1000)})
	t.Run("member over MaxEntry is skipped", func(t *testing.T) {
		g, rep, err := walkAll(t, b, 0, Config{MaxEntry: 100 << 10})
		if err != nil {
			t.Fatal(err)
		}
		want := []Skip{{"big.doc", "declares 200.0 KiB, over the per-member limit of 100.0 KiB"}}
		if len(g.names) != 2 || !reflect.DeepEqual(rep.Skipped, want) {
			t.Errorf("members %q, skipped %+v", g.names, rep.Skipped)
		}
	})
	t.Run("total over MaxTotal refuses the archive", func(t *testing.T) {
		_, _, err := walkAll(t, b, 0, Config{MaxTotal: 150 << 10})
		wantBad(t, err, formats.ErrTooLarge, "over the limit of 150.0 KiB")
	})
	t.Run("skipped members do not count toward the total", func(t *testing.T) {
		if _, _, err := walkAll(t, b, 0, Config{MaxTotal: 150 << 10, MaxEntry: 100 << 10}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestWalk_lastDuplicateWins(t *testing.T) {
	b := zipOf(t, entry{name: "spec.docx", body: []byte("old")}, entry{name: "a.doc", body: []byte("a")},
		entry{name: "./spec.docx", body: []byte("new")})
	g, rep, err := walkAll(t, b, 0, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g.names, []string{"a.doc", "spec.docx"}) || string(g.bodies["spec.docx"]) != "new" {
		t.Errorf("members %q, spec.docx %q", g.names, g.bodies["spec.docx"])
	}
	if len(rep.Skipped) != 1 || !strings.Contains(rep.Skipped[0].Reason, "superseded") {
		t.Errorf("skipped %+v", rep.Skipped)
	}
}

func TestWalk_refusesOfficeDocuments(t *testing.T) {
	docx := zipOf(t, entry{name: "[Content_Types].xml", body: []byte("<Types/>")},
		entry{name: "_rels/.rels", body: []byte("<Relationships/>")},
		entry{name: "word/document.xml", body: []byte("<w:document/>")})
	_, _, err := walkAll(t, docx, 0, Config{})
	wantBad(t, err, formats.ErrNotFormat, "Office document", ".docx")
	odt := zipOf(t, entry{name: "mimetype", store: true, body: []byte("application/vnd.oasis.opendocument.text")},
		entry{name: "content.xml", body: []byte("<office:document-content/>")})
	_, _, err = walkAll(t, odt, 0, Config{})
	wantBad(t, err, formats.ErrNotFormat, "OpenDocument")
}

func TestWalk_stopsWhenCancelled(t *testing.T) {
	b := zipOf(t, entry{name: "a.docx", body: text(100 << 10)}, entry{name: "b.docx", body: text(100 << 10)})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var readErr error
	calls := 0
	rep, err := Walk(ctx, bytes.NewReader(b), int64(len(b)), 0, Config{}, func(_ Member, rd io.Reader) error {
		calls++
		buf := make([]byte, 1000)
		if _, err := rd.Read(buf); err != nil {
			return err
		}
		cancel()
		_, readErr = io.Copy(io.Discard, rd)
		return readErr
	})
	if !errors.Is(readErr, context.Canceled) || !errors.Is(err, context.Canceled) || fault.IsPermanent(err) {
		t.Errorf("read error %v, walk error %v: want a transient context.Canceled", readErr, err)
	}
	if calls != 1 || rep.Members != 0 {
		t.Errorf("%d calls, %d members after cancel", calls, rep.Members)
	}
	_, err = Walk(ctx, bytes.NewReader(b), int64(len(b)), 0, Config{}, func(Member, io.Reader) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("walk on a cancelled context: %v", err)
	}
}

func TestWalk_readErrorsAreTransient(t *testing.T) {
	b := zipOf(t, entry{name: "a.docx", body: text(50 << 10)}, entry{name: "b.docx", body: text(50 << 10)})
	cdir := int64(bytes.LastIndex(b, []byte("PK\x01\x02")))
	for _, off := range []int64{int64(len(b)) - 5, cdir + 10, 2000} {
		r := failingAt{r: bytes.NewReader(b), off: off, err: errStore}
		_, err := Walk(context.Background(), r, int64(len(b)), 0, Config{}, func(_ Member, rd io.Reader) error {
			_, err := io.Copy(io.Discard, rd)
			return err
		})
		if !errors.Is(err, errStore) || fault.IsPermanent(err) {
			t.Errorf("failing at %d: %v: want the store's error, transient", off, err)
		}
	}
}

func TestWalk_callbackErrors(t *testing.T) {
	b := zipOf(t, entry{name: "a.docx", body: []byte("a")}, entry{name: "b.docx", body: []byte("b")})
	errPut := errors.New("blobs: put failed")
	for _, fnErr := range []error{errPut, fault.Permanent(errPut)} {
		rep, err := Walk(context.Background(), bytes.NewReader(b), int64(len(b)), 0, Config{}, func(Member, io.Reader) error {
			return fnErr
		})
		if !errors.Is(err, errPut) || fault.IsPermanent(err) != fault.IsPermanent(fnErr) || !strings.Contains(err.Error(), `"a.docx"`) {
			t.Errorf("fn error %v came back as %v", fnErr, err)
		}
		if rep.Members != 0 {
			t.Errorf("members %d after fn failed", rep.Members)
		}
	}
}

func TestWalk_readerDiesWithItsCallback(t *testing.T) {
	b := zipOf(t, entry{name: "a.docx", body: []byte("abc")})
	var kept io.Reader
	if _, err := Walk(context.Background(), bytes.NewReader(b), int64(len(b)), 0, Config{}, func(_ Member, rd io.Reader) error {
		kept = rd
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := kept.Read(make([]byte, 10)); !errors.Is(err, errDone) {
		t.Errorf("read after fn returned: %v", err)
	}
}

func TestConfig_Validate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"defaults", Config{}, true},
		{"negative entries", Config{MaxEntries: -1}, false},
		{"negative total", Config{MaxTotal: -1}, false},
		{"negative entry", Config{MaxEntry: -1}, false},
		{"ratio below one", Config{MaxRatio: 0.5}, false},
		{"negative depth", Config{MaxDepth: -1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.setDefaults()
			if err := tt.cfg.Validate(); (err == nil) != tt.ok {
				t.Errorf("Validate() = %v, want ok=%v", err, tt.ok)
			}
			_, err := Walk(context.Background(), bytes.NewReader(nil), 0, 0, tt.cfg, nil)
			if !tt.ok && (err == nil || fault.IsPermanent(err)) {
				t.Errorf("Walk with a bad config: %v, want a config error", err)
			}
		})
	}
}

func TestCleanName(t *testing.T) {
	tests := []struct{ in, want, reason string }{
		{"a.docx", "a.docx", ""},
		{"./a//b/./c.doc", "a/b/c.doc", ""},
		{`a\b\c.doc`, "a/b/c.doc", ""},
		{"a/../b.doc", "b.doc", ""},
		{"..a/b..doc", "..a/b..doc", ""},
		{"a/..", "", "empty name"},
		{"a/../../b", "", "path escapes the archive (..)"},
		{"/a", "", "absolute path"},
		{"Z:a", "", "drive letter in the path"},
		{"1:a", "1:a", ""},
		{"a\tb", "", "control characters in the name"},
		{"a\u0085b", "", "control characters in the name"},
	}
	for _, tt := range tests {
		got, reason := cleanName(tt.in)
		if got != tt.want || reason != tt.reason {
			t.Errorf("cleanName(%q) = %q, %q; want %q, %q", tt.in, got, reason, tt.want, tt.reason)
		}
	}
}

func TestDecodeName(t *testing.T) {
	if len(cp437) != 128 {
		t.Fatalf("cp437 table has %d runes, want 128", len(cp437))
	}
	tests := []struct {
		name string
		f    zip.FileHeader
		want string
	}{
		{"ascii", zip.FileHeader{Name: "38331-i40.docx"}, "38331-i40.docx"},
		{"utf-8 without flag", zip.FileHeader{Name: "Übersicht.doc"}, "Übersicht.doc"},
		{"cp437", zip.FileHeader{Name: "\x8e\x99\x9a \xe1 \xb3.doc"}, "ÄÖÜ ß │.doc"},
		{"cp437 top", zip.FileHeader{Name: "\xff\xfe"}, "\u00a0■"},
		{"unicode path", zip.FileHeader{Name: "??.doc", Extra: unicodePathField("??.doc", "仕様.doc")}, "仕様.doc"},
		{"stale unicode path", zip.FileHeader{Name: "new.doc", Extra: unicodePathField("old.doc", "古い.doc")}, "new.doc"},
		{"truncated extra", zip.FileHeader{Name: "x.doc", Extra: []byte{0x75, 0x70, 50, 0, 1}}, "x.doc"},
	}
	for _, tt := range tests {
		if got := decodeName(&zip.File{FileHeader: tt.f}); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestIsJunk(t *testing.T) {
	for name, want := range map[string]bool{
		"__MACOSX/._a.docx": true, "docs/__MACOSX/x": true, ".DS_Store": true, "a/.DS_Store": true,
		"Thumbs.db": true, "THUMBS.DB": true, "desktop.ini": true, "a/._b.doc": true, "~$331-i40.docx": true,
		"a.docx": false, "MACOSX/a.doc": false, "thumbs.db.doc": false, "_a.doc": false,
	} {
		if isJunk(name) != want {
			t.Errorf("isJunk(%q) = %v", name, !want)
		}
	}
}
