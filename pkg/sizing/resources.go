package sizing

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/shirou/gopsutil/v4/cpu"
	"github.com/shirou/gopsutil/v4/mem"
)

// Detect reads the machine's resources: logical cores (no more than GOMAXPROCS, which
// follows a container's CPU quota) and total and available RAM (no more than a
// cgroup memory limit allows, when the process runs in one). On error the returned
// Resources still hold what could be read, with at least one core, so a caller may
// log the error and go on.
func Detect(ctx context.Context) (Resources, error) {
	var errs []error
	cores, err := cpu.CountsWithContext(ctx, true)
	if err != nil || cores < 1 {
		errs = append(errs, fmt.Errorf("sizing: count cores: %w", errOr(err, "none reported")))
		cores = runtime.NumCPU()
	}
	res := Resources{Cores: min(cores, runtime.GOMAXPROCS(0))}
	vm, err := mem.VirtualMemoryWithContext(ctx)
	if err != nil {
		errs = append(errs, fmt.Errorf("sizing: read memory: %w", err))
	} else {
		res.TotalRAM, res.AvailableRAM = vm.Total, vm.Available
	}
	res = limitByCgroup(res, os.DirFS("/"))
	return res, errors.Join(errs...)
}

// AvailableRAM samples the available memory as Detect computes it; it is the sampler
// a stage gives NewPressure.
func AvailableRAM(ctx context.Context) (uint64, error) {
	vm, err := mem.VirtualMemoryWithContext(ctx)
	if err != nil {
		return 0, fmt.Errorf("sizing: read memory: %w", err)
	}
	res := limitByCgroup(Resources{TotalRAM: vm.Total, AvailableRAM: vm.Available}, os.DirFS("/"))
	return res.AvailableRAM, nil
}

// limitByCgroup lowers the RAM figures to the memory limit of the cgroup the process
// sees at the root of its cgroup mount (v2, else v1), as in a container: there the
// machine's memory is not what the process may use. Available RAM inside the limit is
// the limit minus the usage that cannot be reclaimed (inactive page cache can).
func limitByCgroup(res Resources, root fs.FS) Resources {
	type layout struct{ limit, usage, stat, inactive string }
	for _, l := range [...]layout{
		{"sys/fs/cgroup/memory.max", "sys/fs/cgroup/memory.current", "sys/fs/cgroup/memory.stat", "inactive_file"},
		{"sys/fs/cgroup/memory/memory.limit_in_bytes", "sys/fs/cgroup/memory/memory.usage_in_bytes",
			"sys/fs/cgroup/memory/memory.stat", "total_inactive_file"},
	} {
		limit, ok := readUint(root, l.limit)
		if !ok {
			continue
		}
		if limit == 0 || limit >= 1<<60 { // "max", or v1's page-rounded MaxInt64
			return res
		}
		usage, _ := readUint(root, l.usage)
		if inactive, ok := statValue(root, l.stat, l.inactive); ok && inactive <= usage {
			usage -= inactive
		}
		avail := uint64(0)
		if usage < limit {
			avail = limit - usage
		}
		if res.TotalRAM == 0 || limit < res.TotalRAM {
			res.TotalRAM = limit
		}
		if res.AvailableRAM == 0 || avail < res.AvailableRAM {
			res.AvailableRAM = avail
		}
		return res
	}
	return res
}

// readUint reads a file holding one number; "max" reads as 0 with ok set.
func readUint(root fs.FS, name string) (uint64, bool) {
	b, err := fs.ReadFile(root, name)
	if err != nil {
		return 0, false
	}
	s := strings.TrimSpace(string(b))
	if s == "max" {
		return 0, true
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}

// statValue reads one "key value" line of a memory.stat file.
func statValue(root fs.FS, name, key string) (uint64, bool) {
	b, err := fs.ReadFile(root, name)
	if err != nil {
		return 0, false
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), " ")
		if ok && k == key {
			n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

func errOr(err error, msg string) error {
	if err != nil {
		return err
	}
	return errors.New(msg)
}
