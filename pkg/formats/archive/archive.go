// Package archive fans a zip archive out into its members, so that 3GPP spec
// archives (one .docx or .doc each) and documentation libraries (folders of
// documents) become one document per member, with the archive as their parent.
//
// The archive is hostile until proven otherwise. Walk refuses a whole archive
// (a permanent error, for the dead-letter queue) when it is damaged, lists too
// many entries, is a zip bomb by declared total, by ratio, or by members that
// inflate past their declared size, when every entry is encrypted, or when it
// nests deeper than allowed. It skips single members, with a reason in the
// Report, when their name would land outside the archive, when they are
// encrypted, links or devices, use a compression method other than store or
// deflate, are too large on their own, or turn out damaged. Folders are not
// members; junk (__MACOSX/, .DS_Store, Thumbs.db, Office ~$ owner files) is
// skipped and only counted.
//
// Nested archives are not opened here: a member that is itself a zip is handed
// over like any other; when it comes back through the pipeline as a document of
// its own, Walk is called on it with depth+1.
package archive

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/ranstream/ranstream/pkg/formats"
)

// format names the archive format in error messages, as detect names it.
const format = "zip"

// ratioFloor exempts members and archives smaller than this, uncompressed, from
// the ratio check.
const ratioFloor = 1 << 20

// Member is one document inside an archive.
type Member struct {
	// Name is the cleaned path inside the archive: UTF-8, forward slashes, no
	// `.`/`..` elements, never absolute. The source of the child document is
	// the archive's source + "/" + Name.
	Name string
	// Size is the uncompressed size the archive declares, which the reader holds
	// the member to.
	Size int64
}

// Report says what became of the entries of an archive.
type Report struct {
	// Members is the number of members fn accepted (returned nil for).
	Members int `json:"members"`
	// Junk is the number of file-manager and Office litter entries skipped
	// without a reason.
	Junk int `json:"junk,omitempty"`
	// Skipped lists the refused members and why, in archive order.
	Skipped []Skip `json:"skipped,omitempty"`
}

// Skip is a member that was not handed over, or was refused while read.
type Skip struct {
	// Name is the cleaned name, or the decoded raw name when it could not be cleaned.
	Name string `json:"name"`
	// Reason is short and lower case: "path escapes the archive (..)", "encrypted"...
	Reason string `json:"reason"`
}

// step is what Walk does with one entry: skip it with a reason, or hand it over.
type step struct {
	f    *zip.File
	m    Member
	skip string
}

// Walk validates the archive of size bytes read through r, then calls fn for
// each member in archive order with a reader of its decompressed bytes.
//
// The reader enforces the limits while it is read: a member that inflates past
// its declared size makes it fail with an error wrapping formats.ErrTooLarge, and
// a damaged one with formats.ErrCorrupt. fn must stop and return such an error
// (wrapped or not) and keep nothing of that member; whatever fn returns, a member
// whose reader failed is not counted, and is listed in Report.Skipped. A member
// that inflates past its size is a zip bomb: Walk then refuses the whole archive
// with a permanent error. A damaged member is skipped and the walk goes on. The
// reader must not be used after fn returns.
//
// Any other error from fn ends the walk and is returned wrapped, permanent or not
// as fn made it. Errors of r (a failing blob store) and of ctx are returned as
// they are, never as permanent. The Report holds what was done before an error.
func Walk(ctx context.Context, r io.ReaderAt, size int64, depth int, cfg Config, fn func(m Member, rd io.Reader) error) (Report, error) {
	var rep Report
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return rep, err
	}
	if depth < 0 {
		return rep, fmt.Errorf("%s: negative nesting depth %d", format, depth)
	}
	if depth > cfg.MaxDepth {
		return rep, formats.Bad(format, formats.ErrTooLarge, "nested archives deeper than %d (this one is at depth %d)", cfg.MaxDepth, depth)
	}
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	src := &source{r: r}
	zr, err := open(src, size, cfg)
	if err != nil {
		return rep, err
	}
	steps, junk, err := plan(zr, size, cfg)
	rep.Junk = junk
	if err != nil {
		return rep, err
	}

	var dec decoders
	handed, corrupt := 0, 0
	var firstCorrupt string
	for _, s := range steps {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		if s.skip != "" {
			rep.Skipped = append(rep.Skipped, Skip{Name: s.m.Name, Reason: s.skip})
			continue
		}
		handed++
		rd, err := dec.open(s.f)
		if err != nil {
			if ioErr := src.ioError(fmt.Sprintf("member %q", s.m.Name)); ioErr != nil {
				return rep, ioErr
			}
			reason := fmt.Sprintf("corrupt: unreadable local header (%v)", err)
			rep.Skipped = append(rep.Skipped, Skip{Name: s.m.Name, Reason: reason})
			corrupt++
			firstCorrupt = firstOf(firstCorrupt, s.m.Name+": "+reason)
			continue
		}
		m := newMember(ctx, src, s.m.Name, s.f, rd)
		ferr := fn(s.m, m)
		m.err = errDone
		switch {
		case src.err != nil:
			return rep, src.ioError(fmt.Sprintf("member %q", s.m.Name))
		case ctx.Err() != nil:
			return rep, ctx.Err()
		case m.fault != nil:
			rep.Skipped = append(rep.Skipped, Skip{Name: s.m.Name, Reason: m.reason})
			if !strings.HasPrefix(m.reason, "corrupt: ") {
				return rep, formats.Bad(format, formats.ErrTooLarge, "member %q %s: the archive is a zip bomb", s.m.Name, m.reason)
			}
			corrupt++
			firstCorrupt = firstOf(firstCorrupt, s.m.Name+": "+m.reason)
			continue
		case ferr != nil:
			return rep, fmt.Errorf("%s: member %q: %w", format, s.m.Name, ferr)
		}
		rep.Members++
	}
	if handed > 0 && corrupt == handed {
		return rep, formats.Bad(format, formats.ErrCorrupt, "every member is damaged (%s)", firstCorrupt)
	}
	return rep, nil
}

func firstOf(have, next string) string {
	if have != "" {
		return have
	}
	return next
}

// plan decides, from the central directory alone, what happens to each entry,
// and refuses the archive when the directory already gives it away as a bomb,
// as an Office document, or as wholly encrypted. Entries that share a name are
// resolved in favour of the last one, as unzip and Python's zipfile do.
func plan(zr *zip.Reader, size int64, cfg Config) ([]step, int, error) {
	if kind := officePackage(zr.File); kind != "" {
		return nil, 0, formats.Bad(format, formats.ErrNotFormat, "an Office document (%s), not an archive of documents", kind)
	}
	steps := make([]step, 0, len(zr.File))
	last := make(map[string]int) // member name -> index in steps
	junk, candidates, encrypted := 0, 0, 0
	var total uint64
	for _, f := range zr.File {
		if isDir(f.Name) || f.Mode().IsDir() {
			if f.UncompressedSize64 > 0 {
				steps = append(steps, step{f: f, m: Member{Name: printable(decodeName(f))}, skip: "folder entry carrying data"})
			}
			continue
		}
		decoded := decodeName(f)
		name, bad := cleanName(decoded)
		if bad == "" && isJunk(name) {
			junk++
			continue
		}
		candidates++
		s := step{f: f, m: Member{Name: name, Size: int64(min(f.UncompressedSize64, 1<<63-1))}}
		if bad != "" {
			s.m.Name = printable(decoded)
		}
		switch {
		case bad != "":
			s.skip = bad
		case f.Flags&0x41 != 0: // bit 0 traditional or AES, bit 6 strong encryption
			s.skip = "encrypted (password-protected)"
			encrypted++
		case f.Mode()&fs.ModeSymlink != 0:
			s.skip = "symbolic link"
		case !f.Mode().IsRegular():
			s.skip = fmt.Sprintf("not a regular file (%s)", f.Mode().Type())
		case f.Method != zip.Store && f.Method != zip.Deflate:
			s.skip = fmt.Sprintf("compression method %s is not supported", methodName(f.Method))
		case f.UncompressedSize64 > ratioFloor && float64(f.UncompressedSize64) > cfg.MaxRatio*float64(f.CompressedSize64):
			return nil, junk, formats.Bad(format, formats.ErrTooLarge,
				"member %q declares %s from %s compressed (ratio %.0f, limit %g): the archive is a zip bomb",
				name, human(s.m.Size), human(int64(min(f.CompressedSize64, 1<<63-1))),
				float64(f.UncompressedSize64)/max(float64(f.CompressedSize64), 1), cfg.MaxRatio)
		case f.UncompressedSize64 > uint64(cfg.MaxEntry):
			s.skip = fmt.Sprintf("declares %s, over the per-member limit of %s", human(s.m.Size), human(cfg.MaxEntry))
		}
		if s.skip == "" {
			if i, ok := last[name]; ok {
				steps[i].skip = "superseded by a later entry of the same name"
				total -= steps[i].f.UncompressedSize64
			}
			last[name] = len(steps)
			total += f.UncompressedSize64
			if total > uint64(cfg.MaxTotal) {
				return nil, junk, formats.Bad(format, formats.ErrTooLarge,
					"members declare more than %s in all, over the limit of %s", human(int64(min(total, 1<<63-1))), human(cfg.MaxTotal))
			}
		}
		steps = append(steps, s)
	}
	if total > ratioFloor && float64(total) > cfg.MaxRatio*float64(size) {
		return nil, junk, formats.Bad(format, formats.ErrTooLarge,
			"members declare %s from a %s archive (ratio %.0f, limit %g): the archive is a zip bomb",
			human(int64(total)), human(size), float64(total)/float64(size), cfg.MaxRatio)
	}
	if candidates > 0 && encrypted == candidates {
		return nil, junk, formats.Bad(format, formats.ErrEncrypted, "all %d members are encrypted", candidates)
	}
	return steps, junk, nil
}

// officePackage names the Office document a zip really is, or returns "": a
// .docx or .xlsx must go to its converter, not be fanned out into XML parts.
func officePackage(files []*zip.File) string {
	if len(files) > 0 && files[0].Name == "mimetype" && files[0].Method == zip.Store {
		return "OpenDocument"
	}
	var contentTypes bool
	var part string
	for _, f := range files {
		switch {
		case f.Name == "[Content_Types].xml":
			contentTypes = true
		case part == "" && strings.HasPrefix(f.Name, "word/"):
			part = "Word, .docx"
		case part == "" && strings.HasPrefix(f.Name, "xl/"):
			part = "Excel, .xlsx"
		case part == "" && strings.HasPrefix(f.Name, "ppt/"):
			part = "PowerPoint, .pptx"
		}
	}
	if contentTypes && part != "" {
		return part
	}
	return ""
}

// methodName names the compression methods met in the wild.
func methodName(m uint16) string {
	switch m {
	case 9:
		return "9 (Deflate64)"
	case 12:
		return "12 (bzip2)"
	case 14:
		return "14 (LZMA)"
	case 93:
		return "93 (Zstandard)"
	case 95:
		return "95 (XZ)"
	case 98:
		return "98 (PPMd)"
	case 99:
		return "99 (AES)"
	}
	return fmt.Sprint(m)
}
