package app

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFinishInbox_moveKeepDelete(t *testing.T) {
	inbox := t.TempDir()
	put := func(rel, body string) string {
		p := filepath.Join(inbox, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// move: under its path in .done/; a second file of the same name does
	// not overwrite the first.
	for i, body := range []string{"v1", "v2"} {
		p := put("sub/a.md", body)
		to, err := finishInbox(InboxMove, inbox, p, "sub/a.md")
		if err != nil {
			t.Fatal(err)
		}
		want := filepath.Join(inbox, ".done", "sub", []string{"a.md", "a.1.md"}[i])
		if to != want {
			t.Errorf("moved to %s, want %s", to, want)
		}
		if b, err := os.ReadFile(want); err != nil || string(b) != body {
			t.Errorf("%s: %q %v", want, b, err)
		}
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s still in the inbox", p)
		}
	}
	p := put("keep.md", "k")
	if _, err := finishInbox(InboxKeep, inbox, p, "keep.md"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Errorf("keep: %v", err)
	}
	p = put("del.md", "d")
	if _, err := finishInbox(InboxDelete, inbox, p, "del.md"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Errorf("delete: %v", err)
	}
	if _, err := finishInbox("archive", inbox, p, "del.md"); err == nil {
		t.Error("a bad mode accepted")
	}
}
