package event_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/names"
)

func TestDeadLetter_MsgIDIsOnePerFailedInput(t *testing.T) {
	member := func(parent, source, reason string) event.DeadLetter {
		return event.DeadLetter{Stage: "extract", Chunk: -1, Parent: parent, Source: source,
			Reason: reason, FailedSubject: names.SubjectDetected}
	}
	refused := "archive member refused: path traversal"
	distinct := map[string]event.DeadLetter{
		"first archive":            member("sha256:aa", "a.zip/../x.md", refused),
		"second archive":           member("sha256:bb", "b.zip/../x.md", refused),
		"same archive, two names":  member("sha256:aa", "copy.zip/../x.md", refused),
		"another member":           member("sha256:aa", "a.zip/../y.md", refused),
		"ingest of a file":         {Stage: "ingest", Chunk: -1, Source: "x.md", Reason: refused, Input: "size=1"},
		"the file changed":         {Stage: "ingest", Chunk: -1, Source: "x.md", Reason: refused, Input: "size=2"},
		"chunk 3":                  {Stage: "llm-extract", DocID: "sha256:aa", Chunk: 3, OrigMsgID: "chunk:aa:3:basic", Reason: refused},
		"chunk 3 in another mode":  {Stage: "llm-extract", DocID: "sha256:aa", Chunk: 3, OrigMsgID: "chunk:aa:3:cmedit", Reason: refused},
		"a replay of the archive":  {Stage: "extract", Chunk: -1, Parent: "sha256:aa", Source: "a.zip/../x.md", Reason: refused, FailedSubject: names.SubjectDetected, Input: "replay:1"},
		"same reason, other stage": {Stage: "detect", Chunk: -1, Parent: "sha256:aa", Source: "a.zip/../x.md", Reason: refused, FailedSubject: names.SubjectDetected},
	}
	seen := map[string]string{}
	for name, dl := range distinct {
		id := dl.MsgID()
		if other, ok := seen[id]; ok {
			t.Errorf("%s and %s share the message id %s", name, other, id)
		}
		seen[id] = name
	}
	// The same input failing again (a redelivery), with an error that reads
	// differently, is the same dead letter.
	a := member("sha256:aa", "a.zip/../x.md", "timeout after 10s")
	b := member("sha256:aa", "a.zip/../x.md", "timeout after 12s")
	if a.MsgID() != b.MsgID() {
		t.Errorf("a redelivered failure got a new id: %s, %s", a.MsgID(), b.MsgID())
	}
}

// The contracts are what every stage and tool decodes: they import only the
// leaf packages of names and result types, never the rule engine or the
// transport, so that a consumer of events does not build them.
func TestEvent_importsOnlyLeafPackages(t *testing.T) {
	allowed := map[string]bool{
		"github.com/ranstream/ranstream/pkg/names":  true,
		"github.com/ranstream/ranstream/pkg/scheme": true,
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		parsed, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range parsed.Imports {
			path := strings.Trim(imp.Path.Value, `"`)
			if strings.Contains(path, ".") && !allowed[path] {
				t.Errorf("%s imports %s", f, path)
			}
		}
	}
}
