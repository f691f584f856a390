// Package extract turns a detected document into normalized markdown-like text
// (headings, lists and tables kept), stored in `blobs`; the docs.extracted event
// carries the reference and what the converter learned (title, pages, 3GPP
// metadata, text-quality measures, warnings). Each format has its converter in
// pkg/formats; this package picks one, bounds it, and stores its output.
package extract

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"path"
	"strings"

	json "github.com/go-json-experiment/json/v1"
	"go.uber.org/zap"
	"golang.org/x/text/unicode/norm"

	"github.com/ranstream/ranstream/pkg/detect"
	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/fault"
	"github.com/ranstream/ranstream/pkg/formats"
	"github.com/ranstream/ranstream/pkg/formats/archive"
	"github.com/ranstream/ranstream/pkg/formats/doc"
	"github.com/ranstream/ranstream/pkg/formats/docx"
	"github.com/ranstream/ranstream/pkg/formats/html"
	"github.com/ranstream/ranstream/pkg/formats/pdf"
	"github.com/ranstream/ranstream/pkg/formats/sheet"
	"github.com/ranstream/ranstream/pkg/formats/threegpp"
	"github.com/ranstream/ranstream/pkg/ingest"
	"github.com/ranstream/ranstream/pkg/textnorm"
)

// Blobs reads and writes blobs by name.
type Blobs interface {
	Get(ctx context.Context, name string) ([]byte, error)
	Open(ctx context.Context, name string) (io.ReadCloser, error)
	Put(ctx context.Context, name string, r io.Reader) error
	PutBytes(ctx context.Context, name string, b []byte) error
	Size(ctx context.Context, name string) (int64, bool, error)
}

// Config limits extraction.
type Config struct {
	// MaxInput is the largest document converted, in bytes. Default 512 MiB.
	MaxInput int64
	// Limits bound each converter's output and pages.
	Limits formats.Limits
	// Archive bounds archive expansion (bombs, depth, entries).
	Archive archive.Config
	// PDF configures the PDF converter. An empty PDF.OCR.Tesseract is looked
	// up once, by New, as "tesseract" on the PATH, unless NoOCR is set.
	PDF pdf.Options
	// NoOCR turns off the OCR of PDF pages without a text layer.
	NoOCR bool
	// Log gets, at debug, the messages a converter's library gave while
	// converting (MuPDF's warnings, captured, never printed); nil: none.
	Log *zap.Logger
}

func (c *Config) setDefaults() {
	if c.MaxInput <= 0 {
		c.MaxInput = 512 << 20
	}
	c.Limits = c.Limits.WithDefaults()
	if c.Log == nil {
		c.Log = zap.NewNop()
	}
	if c.NoOCR {
		c.PDF.OCR.Tesseract = ""
	} else if c.PDF.OCR.Tesseract == "" {
		// Not found: scanned PDFs are refused, saying to install it.
		c.PDF.OCR.Tesseract, _ = exec.LookPath("tesseract")
	}
}

// Extractor is the extract stage's logic.
type Extractor struct {
	cfg   Config
	blobs Blobs
	ing   *ingest.Ingester
}

// New returns an extractor over blobs.
func New(cfg Config, blobs Blobs) (*Extractor, error) {
	cfg.setDefaults()
	if err := cfg.Archive.Validate(); err != nil {
		return nil, fmt.Errorf("extract: archive limits: %w", err)
	}
	return &Extractor{cfg: cfg, blobs: blobs, ing: ingest.New(ingest.Config{MaxSize: cfg.MaxInput}, blobs)}, nil
}

// TextBlobName is the blobs object name of a document's extracted text. A
// replay converts again into a text of its own, since a converter upgrade may
// be why it runs.
func TextBlobName(d event.Doc) string {
	if d.Replay != "" {
		return "text-" + d.Hex() + "-r" + d.Replay
	}
	return "text-" + d.Hex()
}

// infoBlobName is the blobs object name of what the converter learned while
// writing the text blob text (title, pages, metadata, warnings).
func infoBlobName(text string) string { return "info-" + strings.TrimPrefix(text, "text-") }

// converter converts a whole document held in memory.
type converter func(ctx context.Context, r io.ReaderAt, size int64, w io.Writer, lim formats.Limits) (formats.Info, error)

// Handle extracts the text of in.
func (x *Extractor) Handle(ctx context.Context, in event.Detected) ([]event.Event, error) {
	src := in.Doc.Source
	if in.Doc.Size > x.cfg.MaxInput {
		return nil, fault.Permanentf("extract %s: %d bytes is over the %d-byte limit", src, in.Doc.Size, x.cfg.MaxInput)
	}
	if in.Format == detect.FormatZIP {
		return x.expand(ctx, in)
	}
	name := TextBlobName(in.Doc)
	// A redelivery after the text was stored: the work is done, publish again
	// with what the converter learned (stored beside the text).
	if size, found, err := x.blobs.Size(ctx, name); err != nil {
		return nil, fmt.Errorf("extract %s: %w", src, err)
	} else if found && size > 0 {
		info := formats.Info{Meta: specMeta(src, nil)}
		if b, err := x.blobs.Get(ctx, infoBlobName(name)); err == nil {
			if err := json.Unmarshal(b, &info); err != nil {
				return nil, fault.Permanentf("extract %s: stored conversion info: %v", src, err)
			}
		}
		return []event.Event{x.extracted(in, name, int(size), info)}, nil
	}
	var (
		info formats.Info
		n    int
		err  error
	)
	switch in.Format {
	case detect.FormatCSV:
		info, n, err = x.streamCSV(ctx, in, name)
	case detect.FormatMarkdown, detect.FormatText, detect.FormatJSON, detect.FormatXML, "asn1":
		info, n, err = x.buffered(ctx, in, name, x.text(in.Encoding))
	case detect.FormatHTML:
		info, n, err = x.buffered(ctx, in, name, func(ctx context.Context, r io.ReaderAt, size int64, w io.Writer, lim formats.Limits) (formats.Info, error) {
			return html.Convert(ctx, r, size, w, lim, html.Options{Encoding: in.Encoding})
		})
	case detect.FormatPDF:
		info, n, err = x.buffered(ctx, in, name, func(ctx context.Context, r io.ReaderAt, size int64, w io.Writer, lim formats.Limits) (formats.Info, error) {
			return pdf.ConvertWith(ctx, r, size, w, lim, x.cfg.PDF)
		})
	case detect.FormatDOCX:
		info, n, err = x.buffered(ctx, in, name, docx.Convert)
	case detect.FormatDOC:
		info, n, err = x.buffered(ctx, in, name, doc.Convert)
	case detect.FormatXLSX:
		info, n, err = x.streamXLSX(ctx, in, name)
	default:
		return nil, fault.Permanentf("extract %s: %s documents are not supported", src, in.Format)
	}
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", src, err)
	}
	if n == 0 {
		return nil, fault.Permanentf("extract %s: no text in document", src)
	}
	if msgs := info.Meta["mupdf_messages"]; msgs != "" {
		x.cfg.Log.Debug("converter messages", zap.String("source", src), zap.String("format", in.Format),
			zap.String("warnings", info.Meta["mupdf_warnings"]), zap.String("errors", info.Meta["mupdf_errors"]), zap.String("messages", msgs))
	}
	info.Meta = specMeta(src, info.Meta)
	b, err := json.Marshal(info)
	if err != nil {
		return nil, fmt.Errorf("extract %s: encode conversion info: %w", src, err)
	}
	if err := x.blobs.PutBytes(ctx, infoBlobName(name), b); err != nil {
		return nil, fmt.Errorf("extract %s: %w", src, err)
	}
	return []event.Event{x.extracted(in, name, n, info)}, nil
}

func (x *Extractor) extracted(in event.Detected, name string, n int, info formats.Info) event.Extracted {
	return event.Extracted{
		V: event.Version, Doc: in.Doc, Format: in.Format, Encoding: in.Encoding,
		TextBlob: name, TextLen: n, Title: info.Title, Pages: info.Pages,
		Meta: info.Meta, Warnings: info.Warnings,
	}
}

// expand sends the members of an archive back to ingest as documents of their
// own (source archive.zip/member.docx, parent link, depth+1); refused members
// are dead-lettered with their reason, and docs.expanded finishes the archive.
func (x *Extractor) expand(ctx context.Context, in event.Detected) ([]event.Event, error) {
	raw, err := x.blobs.Get(ctx, in.Doc.Blob)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", in.Doc.Source, err)
	}
	var out []event.Event
	rep, err := archive.Walk(ctx, bytes.NewReader(raw), int64(len(raw)), in.Doc.Depth, x.cfg.Archive, func(m archive.Member, rd io.Reader) error {
		b, err := io.ReadAll(rd)
		if err != nil {
			return err
		}
		ev, err := x.ing.Bytes(ctx, in.Doc.Source+"/"+m.Name, in.Doc.ID, b)
		if err != nil {
			return err
		}
		ev.Doc.Depth, ev.Doc.Origin, ev.Doc.Replay = in.Doc.Depth+1, in.Doc.Origin, in.Doc.Replay
		out = append(out, ev)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", in.Doc.Source, err)
	}
	exp := event.Expanded{V: event.Version, Doc: in.Doc, Format: in.Format, Members: rep.Members}
	for _, sk := range rep.Skipped {
		skipped := event.Skipped{Name: sk.Name, Reason: sk.Reason}
		exp.Skipped = append(exp.Skipped, skipped)
		out = append(out, event.RefusedMember(in.Doc, skipped))
	}
	return append(out, exp), nil
}

// text is the converter of text formats: decode, nothing else (normalization
// follows for every buffered format).
func (x *Extractor) text(encoding string) converter {
	return func(_ context.Context, r io.ReaderAt, size int64, w io.Writer, _ formats.Limits) (formats.Info, error) {
		raw := make([]byte, size)
		if _, err := r.ReadAt(raw, 0); err != nil && err != io.EOF {
			return formats.Info{}, err
		}
		s, err := textnorm.Decode(raw, encoding)
		if err != nil {
			return formats.Info{}, fault.Permanent(err)
		}
		_, err = io.WriteString(w, s)
		return formats.Info{}, err
	}
}

// buffered converts a document read into memory, normalizes the text and stores it.
func (x *Extractor) buffered(ctx context.Context, in event.Detected, name string, conv converter) (formats.Info, int, error) {
	raw, err := x.blobs.Get(ctx, in.Doc.Blob)
	if err != nil {
		return formats.Info{}, 0, err
	}
	var buf bytes.Buffer
	info, err := conv(ctx, bytes.NewReader(raw), int64(len(raw)), &limited{w: &buf, n: x.cfg.Limits.MaxOutput}, x.cfg.Limits)
	if err != nil {
		return info, 0, err
	}
	text := textnorm.Normalize(stripRunning(buf.String()))
	if strings.TrimSpace(text) == "" {
		return info, 0, nil
	}
	return info, len(text), x.blobs.PutBytes(ctx, name, []byte(text))
}

// streamCSV converts a CSV from the store into the store without holding
// either whole: memory stays flat however large the sheet.
func (x *Extractor) streamCSV(ctx context.Context, in event.Detected, name string) (formats.Info, int, error) {
	src, err := x.blobs.Open(ctx, in.Doc.Blob)
	if err != nil {
		return formats.Info{}, 0, err
	}
	defer src.Close()
	return x.streamed(ctx, name, func(w io.Writer) (formats.Info, error) {
		return sheet.ConvertCSV(ctx, src, w, x.cfg.Limits, sheet.Options{Encoding: in.Encoding, Name: path.Base(in.Doc.Source)})
	})
}

// streamXLSX converts a workbook into the store as it reads it: excelize holds
// the workbook (and spills worksheets over 16 MiB to disk), but its text is
// never held whole, so it is bounded by MaxStreamedOutput, not MaxOutput. The
// text is NFC-normalized on the way, as buffered text is.
func (x *Extractor) streamXLSX(ctx context.Context, in event.Detected, name string) (formats.Info, int, error) {
	raw, err := x.blobs.Get(ctx, in.Doc.Blob)
	if err != nil {
		return formats.Info{}, 0, err
	}
	lim := x.cfg.Limits.WithDefaults()
	lim.MaxOutput = lim.MaxStreamedOutput
	return x.streamed(ctx, name, func(w io.Writer) (formats.Info, error) {
		nw := norm.NFC.Writer(w)
		info, err := sheet.ConvertXLSX(ctx, bytes.NewReader(raw), int64(len(raw)), nw, lim)
		if cerr := nw.Close(); err == nil {
			err = cerr
		}
		return info, err
	})
}

// streamed runs convert into the blob name through a pipe, so that the text
// goes to the store as it is made, and returns the bytes stored.
func (x *Extractor) streamed(ctx context.Context, name string, convert func(w io.Writer) (formats.Info, error)) (formats.Info, int, error) {
	pr, pw := io.Pipe()
	type result struct {
		info formats.Info
		n    int64
		err  error
	}
	done := make(chan result, 1)
	go func() {
		cw := &counter{w: pw}
		info, err := convert(cw)
		pw.CloseWithError(err)
		done <- result{info, cw.n, err}
	}()
	putErr := x.blobs.Put(ctx, name, pr)
	pr.CloseWithError(putErr) // unblocks the converter if the store gave up
	res := <-done
	if res.err != nil {
		return res.info, 0, res.err
	}
	return res.info, int(res.n), putErr
}

// stripRunning drops the PDF converter's running header/footer comment lines,
// which repeat on every page; page markers stay, so a chunk shows its page.
func stripRunning(s string) string {
	if !strings.Contains(s, "<!-- running:") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for line := range strings.Lines(s) {
		if !strings.HasPrefix(line, "<!-- running:") {
			b.WriteString(line)
		}
	}
	return b.String()
}

// specMeta adds what a 3GPP file name says (spec, version, release) when the
// converter did not find a cover page.
func specMeta(source string, meta map[string]string) map[string]string {
	spec, ok := threegpp.ParseFileName(path.Base(source))
	if !ok {
		return meta
	}
	if meta == nil {
		meta = map[string]string{}
	}
	for k, v := range map[string]string{"spec": spec.Number, "version": spec.Version, "release": fmt.Sprint(spec.Release)} {
		if _, set := meta[k]; !set && v != "" && v != "0" {
			meta[k] = v
		}
	}
	return meta
}

// limited refuses output past n bytes, whatever the converter does.
type limited struct {
	w io.Writer
	n int64
}

func (l *limited) Write(p []byte) (int, error) {
	if int64(len(p)) > l.n {
		return 0, formats.Bad("extract", formats.ErrTooLarge, "text over the %d-byte output limit", l.n)
	}
	l.n -= int64(len(p))
	return l.w.Write(p)
}

type counter struct {
	w io.Writer
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
