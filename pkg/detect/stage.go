package detect

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/fault"
)

// Blobs reads the start of a blob.
type Blobs interface {
	Head(ctx context.Context, name string, n int) ([]byte, error)
}

// binaryExt are the extensions of binary document formats.
var binaryExt = map[string]bool{".pdf": true, ".docx": true, ".doc": true, ".xlsx": true, ".xls": true, ".zip": true, ".pptx": true}

// Stage is the detect stage's logic.
type Stage struct {
	blobs Blobs
}

// NewStage returns the stage reading document heads from blobs.
func NewStage(blobs Blobs) *Stage { return &Stage{blobs: blobs} }

// Handle detects the format and encoding of a received document. Documents that
// are no document at all (empty, a Git LFS pointer, unknown binary) end here
// with a reason a user can act on.
func (s *Stage) Handle(ctx context.Context, in event.Received) ([]event.Event, error) {
	head, err := s.blobs.Head(ctx, in.Doc.Blob, HeadSize)
	if err != nil {
		return nil, fmt.Errorf("detect %s: %w", in.Doc.Source, err)
	}
	r := Detect(in.Doc.Source, head)
	switch r.Format {
	case "empty":
		return nil, fault.Permanentf("detect %s: empty document", in.Doc.Source)
	case "lfs-pointer":
		return nil, fault.Permanentf("detect %s: a Git LFS pointer, not the document itself (run git lfs pull)", in.Doc.Source)
	case "unknown", "":
		if strings.Contains(path.Base(in.Doc.Source), "~$") {
			return nil, fault.Permanentf("detect %s: an Office owner/lock file (~$ in its name, %d bytes), not a document", in.Doc.Source, in.Doc.Size)
		}
		if r.MIME != "" && r.MIME != "application/octet-stream" {
			return nil, fault.Permanentf("detect %s: unsupported format (%s)", in.Doc.Source, r.MIME)
		}
		return nil, fault.Permanentf("detect %s: unrecognized format (neither a known document type nor text)", in.Doc.Source)
	case FormatText, FormatMarkdown:
		// Plain text under a binary document's name is a placeholder or a broken
		// export, not the document: say so rather than index the stub. (HTML or
		// XML saved under such a name is read for what it is.)
		if ext := strings.ToLower(path.Ext(in.Doc.Source)); binaryExt[ext] {
			return nil, fault.Permanentf("detect %s: named %s but holds %d bytes of plain text, not a %s document (a placeholder?)",
				in.Doc.Source, ext, in.Doc.Size, strings.ToUpper(strings.TrimPrefix(ext, ".")))
		}
	}
	return []event.Event{event.Detected{V: event.Version, Doc: in.Doc, Format: r.Format, Encoding: r.Encoding}}, nil
}
