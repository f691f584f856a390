package pdf

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/ranstream/ranstream/pkg/formats"
	"github.com/ranstream/ranstream/pkg/formats/pdf/internal/mupdf"
)

// Scanned pages carry their text as an image, with no text layer for MuPDF
// to read. A page whose text layer has fewer than OCR.MinChars characters
// while it draws an image is rendered at OCR.DPI and read by tesseract
// (`tesseract stdin stdout tsv`), whose word boxes become frags: words of one
// tesseract line are one frag unless they stand far apart (as MuPDF cuts a
// line where its glyphs jump apart), and the font size of a line is read
// from its words' heights (a word with ascenders, descenders or neither
// spans a known part of the em). From there the page goes through the same
// layout as a text page: rows, paragraphs, tables, running headers.
//
// Tesseract runs in the background while the pages after a scanned page
// are read, at most OCR.Workers at once, each with its own timeout; pages
// are still written in page order.

// OCR configures the recognition of pages that have no text layer.
type OCR struct {
	// Tesseract is the path of the tesseract binary (found once at start
	// with exec.LookPath by whoever builds the options). Empty: no OCR; a
	// document without a text layer is refused, and the scanned pages of
	// others stay empty (with a warning).
	Tesseract string
	// Lang is tesseract's language ("eng+deu" for several). Default "eng".
	Lang string
	// DPI is the resolution a page is rendered at for tesseract. Default 300.
	DPI int
	// PageTimeout bounds tesseract on one page. Default 2 minutes.
	PageTimeout time.Duration
	// Workers is how many pages of one document tesseract reads at once.
	// Default half the cores, at least 1.
	Workers int
	// MinChars: a page that draws an image and has fewer characters of text
	// than this is OCRed. Default 20.
	MinChars int
}

func (o OCR) withDefaults() OCR {
	if o.Lang == "" {
		o.Lang = "eng"
	}
	if o.DPI <= 0 {
		o.DPI = 300
	}
	if o.PageTimeout <= 0 {
		o.PageTimeout = 2 * time.Minute
	}
	if o.Workers <= 0 {
		o.Workers = max(1, runtime.NumCPU()/2)
	}
	if o.MinChars <= 0 {
		o.MinChars = 20
	}
	return o
}

// versionTimeout bounds `tesseract --version`.
const versionTimeout = 10 * time.Second

// ocrWord is one word tesseract read, its box in pixels.
type ocrWord struct {
	block, par, line int
	left, top, w, h  float64
	conf             float64
	text             string
}

// ocrResult is what tesseract made of one page.
type ocrResult struct {
	frags []frag
	words int
	conf  float64 // sum of the words' confidences
	err   error
}

// pending is a page read but not yet handed to the converter, because a
// page before it (or itself) waits for tesseract.
type pending struct {
	num     int
	p       *page // nil while OCR runs, or when MuPDF could not read it
	readErr error
	ocr     chan ocrResult
}

// ocrRunner decides which pages need OCR, runs tesseract on them and hands
// all pages to the converter in order.
type ocrRunner struct {
	cfg OCR
	doc scanSource
	// version is tesseract's, once probed; unavailable is why OCR cannot
	// run (no binary configured, or it does not start).
	probed      bool
	version     string
	unavailable error
	sem         chan struct{}
	queue       []*pending
	// ctx ends the tesseract runs still going when the conversion stops.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	pages, failed, needed []int
	words                 int
	conf                  float64
	lastErr               error
}

// scanSource is what the OCR runner asks of a document (a
// *mupdf.Document), by 0-based page number.
type scanSource interface {
	// Images counts the images page i draws.
	Images(i int) (int, error)
	// RenderPNG renders page i as a grayscale PNG.
	RenderPNG(i int, dpi float64) ([]byte, error)
}

func newOCRRunner(ctx context.Context, cfg OCR, doc scanSource) *ocrRunner {
	cfg = cfg.withDefaults()
	ctx, cancel := context.WithCancel(ctx)
	return &ocrRunner{cfg: cfg, doc: doc, sem: make(chan struct{}, cfg.Workers), ctx: ctx, cancel: cancel}
}

// close stops the tesseract runs still going and waits for them.
func (o *ocrRunner) close() {
	o.cancel()
	o.wg.Wait()
}

// maxQueued bounds the pages held behind a page that waits for tesseract.
const maxQueued = 64

// add takes page num (1-based) as MuPDF read it (or failed to) and hands
// the pages that are ready to c. pg is the Document's until it reads the
// next page: add keeps what it parses from pg, never pg.
func (o *ocrRunner) add(ctx context.Context, c *converter, num int, pg *mupdf.Page, readErr error) error {
	it := &pending{num: num, readErr: readErr}
	if readErr == nil {
		p := parsePage(num, pg, c.vocab)
		if p.chars() < o.cfg.MinChars && o.drawsImages(num) {
			if o.available(ctx) {
				if err := o.start(ctx, it); err != nil {
					return err
				}
			} else {
				o.needed = append(o.needed, num)
				it.p = p
			}
		} else {
			it.p = p
		}
	}
	o.queue = append(o.queue, it)
	return o.drain(ctx, c, false)
}

// drawsImages reports whether page num (1-based) draws an image. A page
// whose images cannot be counted (MuPDF read its text, then failed) is
// taken as it reads: its text layer, the error among MuPDF's messages.
func (o *ocrRunner) drawsImages(num int) bool {
	n, err := o.doc.Images(num - 1)
	return err == nil && n > 0
}

// finish hands every page left to c.
func (o *ocrRunner) finish(ctx context.Context, c *converter) error {
	return o.drain(ctx, c, true)
}

// drain hands the pages at the head of the queue to c: those that are
// ready, and also those still in OCR when all is set or the queue is full.
func (o *ocrRunner) drain(ctx context.Context, c *converter, all bool) error {
	for len(o.queue) > 0 {
		it := o.queue[0]
		if it.ocr != nil {
			wait := all || len(o.queue) > maxQueued
			select {
			case r := <-it.ocr:
				it.ocr = nil
				o.took(it, r)
			default:
				if !wait {
					return nil
				}
				select {
				case r := <-it.ocr:
					it.ocr = nil
					o.took(it, r)
				case <-ctx.Done():
					return fmt.Errorf("%s: %w", format, ctx.Err())
				}
			}
		}
		o.queue = o.queue[1:]
		if err := o.hand(c, it); err != nil {
			return err
		}
	}
	return nil
}

// took records the OCR result of it; a page tesseract could not read is
// written empty.
func (o *ocrRunner) took(it *pending, r ocrResult) {
	if r.err != nil {
		o.failed = append(o.failed, it.num)
		o.lastErr = r.err
		it.p = newPage(it.num, nil)
		return
	}
	o.pages = append(o.pages, it.num)
	o.words += r.words
	o.conf += r.conf
	it.p = newPage(it.num, r.frags)
}

// hand gives one page to the converter; too many pages that MuPDF or
// tesseract cannot read end the conversion.
func (o *ocrRunner) hand(c *converter, it *pending) error {
	if it.p == nil {
		c.failPage(it.num)
		if c.failed*2 > c.total {
			return formats.Bad(format, formats.ErrCorrupt, "MuPDF cannot read %d of %d pages (page %d: %v)", c.failed, c.total, it.num, it.readErr)
		}
		return nil
	}
	if len(o.failed)*2 > c.total {
		return formats.Bad(format, formats.ErrCorrupt, "tesseract cannot read %d of %d pages (%s): %v", len(o.failed), c.total, pageList(o.failed), o.lastErr)
	}
	return c.addParsed(it.p)
}

// available reports whether tesseract can run, probing it once.
func (o *ocrRunner) available(ctx context.Context) bool {
	if !o.probed {
		o.probed = true
		o.version, o.unavailable = tesseractVersion(ctx, o.cfg.Tesseract)
	}
	return o.unavailable == nil
}

// start renders page it.num and runs tesseract on it in the background.
func (o *ocrRunner) start(ctx context.Context, it *pending) error {
	img, err := o.doc.RenderPNG(it.num-1, float64(o.cfg.DPI))
	it.ocr = make(chan ocrResult, 1)
	if err != nil {
		it.ocr <- ocrResult{err: fmt.Errorf("render page %d at %d dpi: %w", it.num, o.cfg.DPI, err)}
		return nil
	}
	select {
	case o.sem <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", format, ctx.Err())
	}
	o.wg.Add(1)
	go func() {
		defer o.wg.Done()
		defer func() { <-o.sem }()
		it.ocr <- o.recognize(o.ctx, img)
	}()
	return nil
}

// recognize runs tesseract on one page image (PNG).
func (o *ocrRunner) recognize(ctx context.Context, img []byte) ocrResult {
	ctx, cancel := context.WithTimeout(ctx, o.cfg.PageTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, o.cfg.Tesseract, "stdin", "stdout", "-l", o.cfg.Lang, "--dpi", strconv.Itoa(o.cfg.DPI), "tsv")
	cmd.Stdin = bytes.NewReader(img)
	// One thread per tesseract: Workers bounds the cores it takes.
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return ocrResult{err: fmt.Errorf("tesseract took over %v", o.cfg.PageTimeout)}
		}
		return ocrResult{err: fmt.Errorf("tesseract: %w: %s", err, lastLine(stderr.String()))}
	}
	words, err := parseTSV(&stdout)
	if err != nil {
		return ocrResult{err: fmt.Errorf("tesseract output: %w", err)}
	}
	r := ocrResult{frags: ocrFrags(words, 72/float64(o.cfg.DPI)), words: len(words)}
	for _, w := range words {
		r.conf += w.conf
	}
	return r
}

// tesseractVersion runs `tesseract --version`; an error says why OCR
// cannot run.
func tesseractVersion(ctx context.Context, path string) (string, error) {
	if path == "" {
		return "", errors.New("no OCR engine configured")
	}
	ctx, cancel := context.WithTimeout(ctx, versionTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "--version").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("%s --version: %w", path, err)
	}
	v, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return strings.TrimSpace(v), nil
}

// putMeta records what OCR did, and warns about what it could not do.
func (o *ocrRunner) putMeta(m map[string]string, total int) []string {
	var warn []string
	if len(o.pages) > 0 || len(o.failed) > 0 {
		m["ocr_engine"] = o.version
		m["ocr_lang"] = o.cfg.Lang
		m["ocr_pages"] = strconv.Itoa(len(o.pages))
	}
	if o.words > 0 {
		mean := o.conf / float64(o.words)
		m["ocr_confidence"] = strconv.FormatFloat(mean, 'f', 1, 64)
		if mean < 60 {
			warn = append(warn, fmt.Sprintf("OCR of %d pages is unsure (mean word confidence %.0f of 100): the text may be wrong", len(o.pages), mean))
		}
	}
	if len(o.failed) > 0 {
		m["ocr_failed_pages"] = strconv.Itoa(len(o.failed))
		warn = append(warn, fmt.Sprintf("tesseract could not read %d of %d pages (%s): %v", len(o.failed), total, pageList(o.failed), o.lastErr))
	}
	if len(o.needed) > 0 {
		m["ocr_needed_pages"] = strconv.Itoa(len(o.needed))
		warn = append(warn, fmt.Sprintf("%d of %d pages are scanned images without a text layer (%s), not OCRed: %v; install tesseract-ocr to OCR them", len(o.needed), total, pageList(o.needed), o.unavailable))
	}
	return warn
}

// refusal explains a document with no text on any page.
func (o *ocrRunner) refusal(pages int) error {
	switch {
	case len(o.failed) > 0:
		return formats.Bad(format, formats.ErrCorrupt, "no text layer on any of the %d pages (scanned images), and tesseract could not read them (%s): %v", pages, pageList(o.failed), o.lastErr)
	case o.unavailable != nil:
		return formats.Bad(format, formats.ErrNotFormat, "no text layer on any of the %d pages (scanned images); %v; install tesseract-ocr to OCR it", pages, o.unavailable)
	case len(o.pages) > 0:
		return formats.Bad(format, formats.ErrNotFormat, "no text layer on any of the %d pages, and tesseract found no text on the %d scanned pages", pages, len(o.pages))
	}
	return formats.Bad(format, formats.ErrNotFormat, "no text on any of the %d pages (blank pages, or drawings without text)", pages)
}

// parseTSV reads the words of tesseract's TSV output (level 5 rows).
func parseTSV(b *bytes.Buffer) ([]ocrWord, error) {
	var out []ocrWord
	sc := bufio.NewScanner(b)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	first := true
	for sc.Scan() {
		line := sc.Text()
		if first {
			first = false
			if !strings.HasPrefix(line, "level\t") {
				return nil, fmt.Errorf("no TSV header: %q", lastLine(line))
			}
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 12 || f[0] != "5" {
			continue
		}
		text := cleanLine(f[11])
		if text == "" {
			continue
		}
		n := make([]float64, 10)
		for i := range n {
			v, err := strconv.ParseFloat(f[i+1], 64)
			if err != nil {
				return nil, fmt.Errorf("field %d of %q: %w", i+2, line, err)
			}
			n[i] = v
		}
		out = append(out, ocrWord{block: int(n[1]), par: int(n[2]), line: int(n[3]),
			left: n[5], top: n[6], w: n[7], h: n[8], conf: max(n[9], 0), text: text})
	}
	return out, sc.Err()
}

// ocrFrags turns the words of a page into frags, in points (scale points
// per pixel): the words of one tesseract line make one frag, cut where two
// words stand further apart than the line's font size.
func ocrFrags(words []ocrWord, scale float64) []frag {
	type key struct{ block, par, line int }
	var order []key
	lines := map[key][]ocrWord{}
	for _, w := range words {
		k := key{w.block, w.par, w.line}
		if _, ok := lines[k]; !ok {
			order = append(order, k)
		}
		lines[k] = append(lines[k], w)
	}
	var out []frag
	var sizes []float64
	for _, k := range order {
		ws := lines[k]
		slices.SortFunc(ws, func(a, b ocrWord) int { return int(a.left - b.left) })
		size, base := lineMetrics(ws)
		sizes = append(sizes, size)
		start := 0
		for i := 1; i <= len(ws); i++ {
			if i < len(ws) && ws[i].left-(ws[i-1].left+ws[i-1].w) <= size {
				continue
			}
			out = append(out, wordsFrag(ws[start:i], scale, base, size))
			start = i
		}
	}
	// Line sizes read from word heights scatter by a few percent: sizes close
	// to the page's most common one are that size, so that the lines of one
	// paragraph join.
	if len(sizes) > 0 {
		slices.Sort(sizes)
		body := sizes[len(sizes)/2] * scale
		for i := range out {
			if math.Abs(out[i].size-body) <= 0.12*body {
				out[i].size = body
			}
			out[i].size = math.Round(out[i].size*2) / 2
		}
	}
	return out
}

// wordsFrag makes one frag of words on one line (base and size in pixels):
// its right edge is the last word's, and each character of a word is
// placed at an even share of the word's box (tesseract gives no glyph
// positions), a space at the end of the word before it.
func wordsFrag(ws []ocrWord, scale, base, size float64) frag {
	last := ws[len(ws)-1]
	f := frag{x: ws[0].left * scale, y: (base - 0.9*size) * scale, x1: (last.left + last.w) * scale, size: size * scale}
	var sb strings.Builder
	for k, w := range ws {
		if k > 0 {
			sb.WriteByte(' ')
			prev := ws[k-1]
			f.xs = append(f.xs, float32((prev.left+prev.w)*scale))
		}
		sb.WriteString(w.text)
		n := utf8.RuneCountInString(w.text)
		j := -1
		for b := range len(w.text) {
			if utf8.RuneStart(w.text[b]) {
				j++
			}
			f.xs = append(f.xs, float32((w.left+w.w*float64(j)/float64(n))*scale))
		}
	}
	f.text = sb.String()
	return f
}

// lineMetrics estimates the font size and the baseline of a line of words,
// in pixels: a word's box spans from its highest glyph top (capital height
// or ascender, or x-height when it has neither) to its lowest glyph bottom
// (baseline, or descender).
func lineMetrics(ws []ocrWord) (size, base float64) {
	var sizes, bases []float64
	for _, w := range ws {
		top, bottom := glyphExtent(w.text)
		if top-bottom <= 0 || w.h <= 0 {
			continue
		}
		s := w.h / (top - bottom)
		sizes = append(sizes, s)
		bases = append(bases, w.top+w.h+bottom*s)
	}
	if len(sizes) == 0 {
		w := ws[0]
		return w.h, w.top + w.h
	}
	slices.Sort(sizes)
	slices.Sort(bases)
	return sizes[len(sizes)/2], bases[len(bases)/2]
}

// glyphExtent is how far a word's glyphs reach above and below the
// baseline, in ems, for a common sans or serif font.
func glyphExtent(s string) (top, bottom float64) {
	for _, r := range s {
		switch {
		case strings.ContainsRune("gjpqy", r):
			top, bottom = max(top, 0.52), min(bottom, -0.21)
		case strings.ContainsRune("()[]{}|/\\", r):
			top, bottom = max(top, 0.73), min(bottom, -0.21)
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("bdfhklt!?", r):
			top = max(top, 0.72)
		case r >= 'a' && r <= 'z':
			top = max(top, 0.52)
		case r > 0x7f:
			top = max(top, 0.72)
		}
	}
	return top, bottom
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

func pageList(nums []int) string {
	var s []string
	for i, n := range nums {
		if i == 10 {
			s = append(s, "...")
			break
		}
		s = append(s, strconv.Itoa(n))
	}
	if len(nums) == 1 {
		return "page " + s[0]
	}
	return "pages " + strings.Join(s, ", ")
}
