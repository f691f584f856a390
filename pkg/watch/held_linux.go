package watch

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// heldForWriting reports which of paths some process holds open for writing,
// with "pid N (command)": each process's open files are the links in
// /proc/<pid>/fd, and /proc/<pid>/fdinfo/<fd> gives the mode each was opened
// in. Processes whose /proc entries this process may not read (other users',
// without privileges) are not seen.
func heldForWriting(paths []string) map[string]string {
	want := make(map[string]string, len(paths))
	for _, p := range paths {
		c, err := filepath.EvalSymlinks(p)
		if err != nil {
			c = p
		}
		if abs, err := filepath.Abs(c); err == nil {
			c = abs
		}
		want[c] = p
	}
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	held := map[string]string{}
	for _, proc := range procs {
		pid := proc.Name()
		if _, err := strconv.Atoi(pid); err != nil {
			continue
		}
		dir := "/proc/" + pid + "/fd/"
		fds, err := os.ReadDir(dir)
		if err != nil {
			continue // gone, or not ours to read
		}
		for _, fd := range fds {
			target, err := os.Readlink(dir + fd.Name())
			if err != nil {
				continue
			}
			p, ok := want[target]
			if !ok || held[p] != "" || !openForWriting(pid, fd.Name()) {
				continue
			}
			held[p] = "pid " + pid + " (" + command(pid) + ")"
		}
	}
	return held
}

// openForWriting reads the access mode of a process's open file.
func openForWriting(pid, fd string) bool {
	b, err := os.ReadFile("/proc/" + pid + "/fdinfo/" + fd)
	if err != nil {
		return false // closed since: not held
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		v, ok := strings.CutPrefix(sc.Text(), "flags:")
		if !ok {
			continue
		}
		flags, err := strconv.ParseUint(strings.TrimSpace(v), 8, 64)
		if err != nil {
			return false
		}
		return flags&syscall.O_ACCMODE != syscall.O_RDONLY
	}
	return false
}

func command(pid string) string {
	b, err := os.ReadFile("/proc/" + pid + "/comm")
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(b))
}
