package natsbus

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// ErrStoreInUse is returned when another process's embedded server holds the
// JetStream store of DataDir: two servers on one store would corrupt it.
var ErrStoreInUse = errors.New("store in use by another process")

// lockStore takes an exclusive lock on dir/LOCK for the life of the embedded
// server; the kernel releases it when the process ends, however it ends.
func lockStore(dir string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("natsbus: data directory: %w", err)
	}
	name := filepath.Join(dir, "LOCK")
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("natsbus: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		pid, _ := os.ReadFile(name)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: %s is held by a running ranstream (pid %s); reach it with --nats instead (start it with --listen 127.0.0.1:4222)",
				ErrStoreInUse, dir, strings.TrimSpace(string(pid)))
		}
		return nil, fmt.Errorf("natsbus: lock %s: %w", name, err)
	}
	_ = f.Truncate(0)
	_, _ = fmt.Fprintf(f, "%d\n", os.Getpid())
	return f, nil
}
