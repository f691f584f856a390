package specfetch

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"
)

// archivePrefix is where the fake archive lives on its server, as on www.3gpp.org.
const archivePrefix = "/ftp/Specs/archive"

// fakeArchive is an HTTP server on 127.0.0.1 laid out like the 3GPP archive:
// listing pages from testdata/archive (IIS markup, invented entries) and, for
// every *.zip path, a real zip made for that name. A fault hook per file name
// can take over any request.
type fakeArchive struct {
	t   *testing.T
	srv *httptest.Server

	mu     sync.Mutex
	hits   map[string]int
	faults map[string]faultFunc
}

// faultFunc handles the hit-th request (from 1) for a file and reports true, or
// reports false to let the archive serve it normally.
type faultFunc func(w http.ResponseWriter, r *http.Request, hit int) bool

func newFakeArchive(t *testing.T) *fakeArchive {
	t.Helper()
	a := &fakeArchive{t: t, hits: make(map[string]int), faults: make(map[string]faultFunc)}
	a.srv = httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(a.srv.Close)
	return a
}

// url is the archive root to configure.
func (a *fakeArchive) url() string { return a.srv.URL + archivePrefix }

// fault installs f for the file (or listing directory) named name.
func (a *fakeArchive) fault(name string, f faultFunc) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.faults[name] = f
}

// hitCount is how many requests reached name (a file or a directory name).
func (a *fakeArchive) hitCount(name string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.hits[name]
}

func (a *fakeArchive) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, archivePrefix+"/")
	if !ok {
		http.NotFound(w, r)
		return
	}
	name := path.Base(strings.TrimSuffix(rest, "/"))
	a.mu.Lock()
	a.hits[name]++
	hit, f := a.hits[name], a.faults[name]
	a.mu.Unlock()
	if f != nil && f(w, r, hit) {
		return
	}
	if strings.HasSuffix(rest, ".zip") {
		body := specZip(a.t, name)
		w.Header().Set("Content-Type", "application/x-zip-compressed")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
		return
	}
	page, err := os.ReadFile(filepath.Join("testdata", "archive", filepath.FromSlash(rest), "index.html"))
	if err != nil || !strings.HasSuffix(rest, "/") {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html")
	w.Write(page)
}

// specZip is a real zip for a spec file name: one .docx-named member with text
// that names the file, so deliveries can be told apart.
func specZip(t testing.TB, name string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(strings.TrimSuffix(name, ".zip") + ".docx")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, strings.Repeat("3GPP TS body of "+name+"\n", 64))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// testConfig is a Config for a against the fake archive, with short waits.
func testConfig(t *testing.T, a *fakeArchive) Config {
	return Config{
		ArchiveURL:     a.url(),
		Attempts:       3,
		Backoff:        time.Millisecond,
		BreakerErrors:  50,
		BreakerTimeout: 10 * time.Second,
		Timeout:        2 * time.Second,
		TempDir:        t.TempDir(),
	}
}

func newTestFetcher(t *testing.T, cfg Config, seen Seen) *Fetcher {
	t.Helper()
	f, err := New(cfg, seen, zaptest.NewLogger(t, zaptest.Level(zap.DebugLevel)))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// deliveries records what a Fetch delivered.
type deliveries struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (d *deliveries) deliver(_ context.Context, s Spec, body io.Reader, size int64) error {
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	if int64(len(b)) != size {
		return io.ErrShortBuffer
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.files == nil {
		d.files = make(map[string][]byte)
	}
	d.files[s.File] = b
	return nil
}

func (d *deliveries) names() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []string
	for n := range d.files {
		out = append(out, n)
	}
	return out
}

// mustDeliverExactly fails unless exactly the real zip for file was delivered.
func (d *deliveries) mustDeliverExactly(t *testing.T, file string) {
	t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.files) != 1 {
		t.Fatalf("delivered %d files, want only %s", len(d.files), file)
	}
	got, ok := d.files[file]
	if !ok {
		t.Fatalf("delivered %v, want %s", d.files, file)
	}
	if !bytes.Equal(got, specZip(t, file)) {
		t.Fatalf("delivered %d bytes for %s, not the archive's zip", len(got), file)
	}
}
