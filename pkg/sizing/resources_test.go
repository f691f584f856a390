package sizing

import (
	"context"
	"testing"
	"testing/fstest"
)

func TestLimitByCgroup(t *testing.T) {
	host := Resources{Cores: 8, TotalRAM: 64 * GiB, AvailableRAM: 40 * GiB}
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	tests := []struct {
		name      string
		fs        fstest.MapFS
		wantTotal uint64
		wantAvail uint64
	}{
		{"no cgroup files", fstest.MapFS{}, 64 * GiB, 40 * GiB},
		{"v2 without limit", fstest.MapFS{"sys/fs/cgroup/memory.max": file("max\n")}, 64 * GiB, 40 * GiB},
		{"v2 limit, reclaimable cache not counted as used", fstest.MapFS{
			"sys/fs/cgroup/memory.max":     file("4294967296\n"),
			"sys/fs/cgroup/memory.current": file("3221225472\n"),
			"sys/fs/cgroup/memory.stat":    file("anon 1073741824\ninactive_file 1073741824\n"),
		}, 4 * GiB, 2 * GiB},
		{"v2 limit exceeded", fstest.MapFS{
			"sys/fs/cgroup/memory.max":     file("1073741824"),
			"sys/fs/cgroup/memory.current": file("2147483648"),
		}, 1 * GiB, 0},
		{"v1 unlimited", fstest.MapFS{
			"sys/fs/cgroup/memory/memory.limit_in_bytes": file("9223372036854771712\n"),
		}, 64 * GiB, 40 * GiB},
		{"v1 limit", fstest.MapFS{
			"sys/fs/cgroup/memory/memory.limit_in_bytes": file("8589934592\n"),
			"sys/fs/cgroup/memory/memory.usage_in_bytes": file("1073741824\n"),
			"sys/fs/cgroup/memory/memory.stat":           file("cache 5\ntotal_inactive_file 0\n"),
		}, 8 * GiB, 7 * GiB},
		{"limit above host memory changes nothing", fstest.MapFS{
			"sys/fs/cgroup/memory.max":     file("137438953472"),
			"sys/fs/cgroup/memory.current": file("0"),
		}, 64 * GiB, 40 * GiB},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := limitByCgroup(host, tt.fs)
			if got.TotalRAM != tt.wantTotal || got.AvailableRAM != tt.wantAvail || got.Cores != host.Cores {
				t.Errorf("got total %d, available %d; want %d, %d", got.TotalRAM, got.AvailableRAM, tt.wantTotal, tt.wantAvail)
			}
		})
	}
}

// TestDetect_readsThisMachine is a smoke test of the gopsutil wiring; Decide's tests
// never depend on the machine they run on.
func TestDetect_readsThisMachine(t *testing.T) {
	res, err := Detect(context.Background())
	if err != nil {
		t.Logf("Detect reported: %v", err)
	}
	if res.Cores < 1 {
		t.Errorf("cores = %d", res.Cores)
	}
	if err == nil && (res.TotalRAM == 0 || res.AvailableRAM > res.TotalRAM) {
		t.Errorf("RAM total %d, available %d", res.TotalRAM, res.AvailableRAM)
	}
	avail, err := AvailableRAM(context.Background())
	if err == nil && avail == 0 {
		t.Error("AvailableRAM = 0")
	}
	t.Logf("this machine: %+v", res)
}
