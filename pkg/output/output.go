// Package output renders the files of the output contract (DESIGN.md) from the
// accepted results and the dead letters: extractions.jsonl, chunks.jsonl,
// dataset/{train,valid,test}.jsonl, dead-letters.jsonl, report.json and
// report.txt, report.html and docs/<name>.{md,json}. Files are written to a temporary name and renamed, so a reader never
// sees half a file.
package output

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	json "github.com/go-json-experiment/json/v1"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/results"
)

// Input is everything the files are rendered from.
type Input struct {
	// Docs are the document records, in output order.
	Docs []results.DocRecord
	// EachChunk calls fn with the accepted chunk records of d one at a time, in
	// index order, and stops at the first error; rendering never holds more
	// than one chunk of a document.
	EachChunk func(d results.DocRecord, fn func(results.ChunkRecord) error) error
	// DeadLetters are the failures to report.
	DeadLetters []event.DeadLetter
	// Formats gives the detected format of documents that have no record
	// (dead-lettered before any chunk was accepted), for the report.
	Formats map[string]string
	// About gives, per document id, what extraction learned: title, metadata
	// (3GPP spec/version/release, PDF text quality), warnings. May be nil.
	About map[string]*event.Chunked
	// Expanded maps archives whose members became documents to their format.
	Expanded map[string]string
	// Pending counts documents still in work when rendering (run mode).
	Pending int
	// PendingSources are sources seen but not yet ingested (their ingest is
	// being retried), with the last failure: counted as pending, never lost.
	PendingSources []Problem
	// Unreadable are records found but not readable before rendering (a
	// document record that does not decode); Write adds those whose chunks
	// it cannot read. Each is reported, and skipped.
	Unreadable []Problem
	// Superseded maps documents that a later version of their source
	// replaced to that version's doc id: they keep their extractions.jsonl
	// line, with superseded_by, and are left out of chunks.jsonl and the
	// dataset.
	Superseded map[string]string
	// Run describes the run for the report.
	Run RunInfo
	// Dataset decides how the fine-tuning set is built; zero fields take
	// their defaults.
	Dataset DatasetConfig
	// Workers build documents ahead of the writer; 0 is one per core, 1
	// builds none ahead. EachChunk must allow concurrent calls.
	Workers int
}

// ExtractionLine is one line of extractions.jsonl.
type ExtractionLine struct {
	DocID      string            `json:"doc_id"`
	Source     string            `json:"source"`
	Parent     string            `json:"parent,omitempty"`
	Format     string            `json:"format"`
	Family     extraction.Family `json:"family,omitempty"`
	Mode       extraction.Mode   `json:"mode"`
	Quality    float64           `json:"quality"`
	ModesTried []extraction.Mode `json:"modes_tried"`
	Chunks     int               `json:"chunks"`
	Complete   bool              `json:"complete"`
	// SupersededBy is the doc id of the later version of the same source that
	// replaced this one.
	SupersededBy string            `json:"superseded_by,omitempty"`
	Notes        []string          `json:"notes,omitempty"`
	Title        string            `json:"title,omitempty"`
	Meta         map[string]string `json:"meta,omitempty"`
	Warnings     []string          `json:"warnings,omitempty"`
	// LLM counts what hybrid's LLM pass kept and dropped, when one ran.
	LLM        *extraction.LLMUse `json:"llm,omitempty"`
	Extraction extraction.Result  `json:"extraction"`
}

// ChunkLine is one line of chunks.jsonl.
type ChunkLine struct {
	DocID    string            `json:"doc_id"`
	Source   string            `json:"source"`
	ChunkID  string            `json:"chunk_id"`
	Family   extraction.Family `json:"family,omitempty"`
	Index    int               `json:"index"`
	Headings []string          `json:"headings"`
	Text     string            `json:"text"`
	Mode     extraction.Mode   `json:"mode"`
	Quality  float64           `json:"quality"`
}

// DeadLetterLine is one line of dead-letters.jsonl.
type DeadLetterLine struct {
	Stage  string `json:"stage"`
	Reason string `json:"reason"`
	Source string `json:"source"`
	DocID  string `json:"doc_id,omitempty"`
	Chunk  *int   `json:"chunk,omitempty"`
}

// Write renders every file into dir.
func Write(dir string, in Input) (Report, error) {
	if err := os.MkdirAll(filepath.Join(dir, "dataset"), 0o755); err != nil {
		return Report{}, fmt.Errorf("output dir: %w", err)
	}
	rep := newReport(in)
	ds, err := newDataset(filepath.Join(dir, "dataset"), in.Dataset)
	if err != nil {
		return rep, err
	}
	defer ds.close()
	docs, err := newDocsWriter(dir, in.Dataset.SkipDocs)
	if err != nil {
		return rep, err
	}
	err = writeJSONL(filepath.Join(dir, "extractions.jsonl"), func(emitDoc func(any) error) error {
		return writeFileOf(filepath.Join(dir, "chunks.jsonl"), func(f *os.File, w *bufio.Writer) error {
			chunks := newUndoable(f, w)
			built := buildAhead(in, ds.cfg, in.Workers)
			defer built.stop()
			for i, d := range in.Docs {
				mark, snap := chunks.mark(), rep.snapshot()
				ds.begin()
				err := writeDoc(in, d, built.get(i), &rep, ds, docs, emitDoc, chunks.emit)
				if err == nil {
					continue
				}
				var werr writeError
				if errors.As(err, &werr) {
					return fmt.Errorf("document %s: %w", d.DocID, werr.err)
				}
				// The document's records cannot be read: leave what was
				// written of it out, report it, and go on with the others.
				if err := chunks.undo(mark); err != nil {
					return err
				}
				ds.drop(d.DocID)
				rep.restore(snap)
				rep.unreadable(Problem{DocID: d.DocID, Source: d.Source, Reason: err.Error()}, d.Format)
			}
			return nil
		})
	})
	if err != nil {
		return rep, err
	}
	if rep.Dataset, err = ds.write(); err != nil {
		return rep, err
	}
	err = writeJSONL(filepath.Join(dir, "dead-letters.jsonl"), func(emit func(any) error) error {
		for _, dl := range in.DeadLetters {
			line := DeadLetterLine{Stage: dl.Stage, Reason: dl.Reason, Source: dl.Source, DocID: dl.DocID}
			if dl.Chunk >= 0 {
				line.Chunk = &dl.Chunk
			}
			if err := emit(line); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	rep.finish()
	if err := writeFile(filepath.Join(dir, "report.json"), func(w *bufio.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}); err != nil {
		return rep, err
	}
	if err := writeFile(filepath.Join(dir, "report.txt"), func(w *bufio.Writer) error {
		_, err := w.WriteString(rep.Text())
		return err
	}); err != nil {
		return rep, err
	}
	if err := writeFile(filepath.Join(dir, "report.html"), func(w *bufio.Writer) error {
		return rep.HTML(w)
	}); err != nil {
		return rep, err
	}
	return rep, nil
}

// writeDoc renders one document: its chunks into chunks.jsonl, the report and
// the dataset, then its extraction.jsonl line. A complete document carries its
// merged extraction and its chunks are read once; a document still in work (run
// mode) gets the merge of the chunks accepted so far, which reads them twice. A
// superseded document gets its line only. b is the document built ahead, or
// nil for writeDoc to read the document's chunks itself. Errors writing the
// files are writeErrors; any other error is one of reading the document's
// records.
func writeDoc(in Input, d results.DocRecord, b *builtDoc, rep *Report, ds *dataset, docs *docsWriter, emitDoc, emitChunk func(any) error) error {
	by := in.Superseded[d.DocID]
	each := func(fn func(results.ChunkRecord) error) error { return in.EachChunk(d, fn) }
	add := ds.add
	if b != nil {
		if b.err != nil {
			return b.err
		}
		if b.merged != nil {
			d.Extraction = *b.merged
		}
		each = func(fn func(results.ChunkRecord) error) error { return visitChunks(b.chunks, fn) }
		add = func(results.ChunkRecord) error { return nil }
	} else if !d.Complete() && by == "" {
		if err := d.Merge(each); err != nil {
			return err
		}
	}
	if by == "" {
		if b != nil {
			if err := ds.built(b); err != nil {
				return writeError{err}
			}
		} else {
			ds.start(d)
		}
		doc, err := docs.start(d)
		if err != nil {
			return writeError{err}
		}
		defer doc.abort()
		err = each(func(c results.ChunkRecord) error {
			if c.Family == "" {
				c.Family = d.Family
			}
			rep.addChunk(c)
			if err := add(c); err != nil {
				return writeError{err}
			}
			if err := doc.add(c); err != nil {
				return writeError{err}
			}
			headings := c.Headings
			if headings == nil {
				headings = []string{}
			}
			return wrapWrite(emitChunk(ChunkLine{
				DocID: c.DocID, Source: c.Source, ChunkID: c.ChunkID, Family: c.Family, Index: c.Index,
				Headings: headings, Text: c.Text, Mode: c.Mode, Quality: round(c.Quality),
			}))
		})
		if err != nil {
			return err
		}
		if err := ds.finish(); err != nil {
			return writeError{err}
		}
		if err := doc.finish(in.About[d.DocID]); err != nil {
			return writeError{err}
		}
	}
	line := ExtractionLine{
		DocID: d.DocID, Source: d.Source, Parent: d.Parent, Format: d.Format, Family: d.Family,
		Mode: d.Mode(), Quality: round(d.Quality()), ModesTried: d.ModesTried(),
		Chunks: d.Total, Complete: d.Complete(), SupersededBy: by, Notes: d.Notes(), Extraction: d.Extraction,
	}
	if a := in.About[d.DocID]; a != nil {
		line.Title, line.Meta, line.Warnings = a.Title, a.Meta, a.Warnings
	}
	if d.LLMChunks > 0 {
		use := d.LLM
		line.LLM = &use
		if by == "" {
			rep.addLLM(d.LLM, d.LLMChunks)
		}
	}
	if err := emitDoc(line); err != nil {
		return writeError{err}
	}
	rep.addDoc(in, d)
	return nil
}

// writeError is a failure to write the output files, which stops rendering,
// as opposed to a document whose records cannot be read, which is skipped.
type writeError struct{ err error }

func (e writeError) Error() string { return e.err.Error() }
func (e writeError) Unwrap() error { return e.err }

func wrapWrite(err error) error {
	if err == nil {
		return nil
	}
	return writeError{err}
}

// undoable writes JSON lines to a file and can take back the lines written
// since a mark, so that a document whose chunks cannot all be read leaves none
// behind.
type undoable struct {
	f   *os.File
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
	n   int64
}

func newUndoable(f *os.File, w *bufio.Writer) *undoable {
	u := &undoable{f: f, w: w}
	u.enc = json.NewEncoder(&u.buf)
	u.enc.SetEscapeHTML(false)
	return u
}

func (u *undoable) emit(v any) error {
	u.buf.Reset()
	if err := u.enc.Encode(v); err != nil {
		return err
	}
	n, err := u.w.Write(u.buf.Bytes())
	u.n += int64(n)
	return err
}

func (u *undoable) mark() int64 { return u.n }

// undo drops everything written after mark.
func (u *undoable) undo(mark int64) error {
	if mark == u.n {
		return nil
	}
	if err := u.w.Flush(); err != nil {
		return err
	}
	if err := u.f.Truncate(mark); err != nil {
		return err
	}
	if _, err := u.f.Seek(mark, io.SeekStart); err != nil {
		return err
	}
	u.w.Reset(u.f)
	u.n = mark
	return nil
}

func writeJSONL(path string, body func(emit func(any) error) error) error {
	return writeFile(path, func(w *bufio.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return body(func(v any) error { return enc.Encode(v) })
	})
}

// writeFile writes through a temporary file renamed into place.
func writeFile(path string, body func(w *bufio.Writer) error) error {
	return writeFileOf(path, func(_ *os.File, w *bufio.Writer) error { return body(w) })
}

// writeFileOf is writeFile for a body that needs the temporary file too.
func writeFileOf(path string, body func(f *os.File, w *bufio.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<16)
	if err := body(tmp, w); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	// CreateTemp makes the file private; outputs are for other tools to read.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func round(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }
