package app

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"go.uber.org/zap"
	"golang.org/x/term"
)

// progress shows how many documents are finished, and how many chunks of
// them, since a large document finishes only at its last chunk: a bar on a
// terminal, a structured log line every few seconds elsewhere.
type progress struct {
	mu     sync.Mutex // update is called from the ingest workers too
	bar    *progressbar.ProgressBar
	log    *zap.Logger
	chunks func() (done, total int)
	last   time.Time
	prev   [2]int
	// expected is the number of inputs known before any is ingested: the
	// total shown starts there instead of growing while files are ingested
	// (archives may still add members to it).
	expected int
}

// expect sets the number of inputs known up front.
func (p *progress) expect(n int) {
	p.mu.Lock()
	p.expected = n
	p.mu.Unlock()
}

// newProgress reports to w (a bar when it is a terminal) or log; chunks, when
// set, gives the chunk counts.
func newProgress(w io.Writer, log *zap.Logger, chunks func() (done, total int)) *progress {
	p := &progress{log: log, chunks: chunks}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions(-1,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("documents"),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("docs"),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

func (p *progress) update(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	// Two inputs of the same bytes are one document, so the total may end
	// below expected; finish() ends the bar whatever it shows.
	shown := max(total, p.expected)
	var cdone, ctotal int
	if p.chunks != nil {
		cdone, ctotal = p.chunks()
	}
	if p.bar != nil {
		p.bar.ChangeMax(shown)
		if ctotal > 0 {
			p.bar.Describe(fmt.Sprintf("documents (chunks %d/%d)", cdone, ctotal))
		}
		_ = p.bar.Set(done)
		return
	}
	now := [2]int{done, cdone}
	if now != p.prev && (time.Since(p.last) > 5*time.Second || done == total) {
		p.log.Info("progress", zap.Int("done", done), zap.Int("total", shown),
			zap.Int("chunks_done", cdone), zap.Int("chunks_total", ctotal))
		p.last, p.prev = time.Now(), now
	}
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
