package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// What becomes of an inbox file once its ingest is durable (--inbox-done).
const (
	// InboxMove moves it into inbox/.done/, under its path in the inbox, so
	// that a restart does not ingest it again. The default.
	InboxMove = "move"
	// InboxKeep leaves it where it is: a restart ingests it again (the
	// same content is the same document).
	InboxKeep = "keep"
	// InboxDelete removes it.
	InboxDelete = "delete"
)

// doneDir is the folder of the inbox ingested files are moved to; its leading
// dot keeps the watcher out of it.
const doneDir = ".done"

// checkInboxDone validates an --inbox-done value.
func checkInboxDone(mode string) error {
	switch mode {
	case InboxMove, InboxKeep, InboxDelete:
		return nil
	}
	return usagef("--inbox-done %q: want keep, move or delete", mode)
}

// finishInbox disposes of the inbox file at path (rel under inbox) whose
// ingest is durable, as mode says; it returns where the file went ("" when
// kept or deleted).
func finishInbox(mode, inbox, path, rel string) (string, error) {
	switch mode {
	case InboxKeep, "":
		return "", nil
	case InboxDelete:
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("inbox-done delete: %w", err)
		}
		return "", nil
	case InboxMove:
		dest := filepath.Join(inbox, doneDir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
			return "", fmt.Errorf("inbox-done move: %w", err)
		}
		dest = freeName(dest)
		if err := os.Rename(path, dest); err != nil {
			return "", fmt.Errorf("inbox-done move: %w", err)
		}
		return dest, nil
	}
	return "", checkInboxDone(mode)
}

// freeName returns path, or path with .1, .2... before its extension when a
// file of that name is there already (an earlier version of the same file).
func freeName(path string) string {
	if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
		return path
	}
	ext := filepath.Ext(path)
	base := strings.TrimSuffix(path, ext)
	for i := 1; ; i++ {
		p := fmt.Sprintf("%s.%d%s", base, i, ext)
		if _, err := os.Lstat(p); errors.Is(err, os.ErrNotExist) {
			return p
		}
	}
}
