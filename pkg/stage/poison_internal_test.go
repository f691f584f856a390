package stage

import (
	"testing"

	"github.com/ranstream/ranstream/pkg/event"
)

// A dead letter names what failed: the document of a document event, the
// chunk of a chunk event, the spec asked for by a specs.download request.
func TestDescribe(t *testing.T) {
	for _, tc := range []struct {
		payload, source string
		chunk           int
	}{
		{`{"v":1,"doc":{"id":"sha256:ab","source":"a.md"}}`, "a.md", -1},
		{`{"v":1,"chunk":{"doc":{"id":"sha256:ab","source":"a.md"},"index":3}}`, "a.md", 3},
		{`{"spec":"24.301","release":19,"ticket":"t1"}`, "3gpp:24.301@19", -1},
		{`{"series":"38","version":"i40"}`, "3gpp:38@i40", -1},
		{`not json`, "", -1},
	} {
		dl := event.DeadLetter{Chunk: -1}
		describe([]byte(tc.payload), &dl)
		if dl.Source != tc.source || dl.Chunk != tc.chunk {
			t.Errorf("%s: source %q chunk %d, want %q %d", tc.payload, dl.Source, dl.Chunk, tc.source, tc.chunk)
		}
	}
}
