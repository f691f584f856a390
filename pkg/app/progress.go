package app

import (
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"go.uber.org/zap"
	"golang.org/x/term"
)

// progress shows how many documents are finished: a bar on a terminal,
// a structured log line every few seconds elsewhere.
type progress struct {
	mu   sync.Mutex // update is called from the ingest workers too
	bar  *progressbar.ProgressBar
	log  *zap.Logger
	last time.Time
	prev int
}

func newProgress(w io.Writer, log *zap.Logger) *progress {
	p := &progress{log: log}
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
	if p.bar != nil {
		p.bar.ChangeMax(total)
		_ = p.bar.Set(done)
		return
	}
	if done != p.prev && (time.Since(p.last) > 5*time.Second || done == total) {
		p.log.Info("progress", zap.Int("done", done), zap.Int("total", total))
		p.last, p.prev = time.Now(), done
	}
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
