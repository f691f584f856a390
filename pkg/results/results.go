// Package results defines what an accepted extraction looks like: the record of
// one chunk and the merged record of a document, as kept in the KV bucket
// `results` and rendered into the output files.
package results

import (
	"fmt"
	"iter"
	"math/bits"
	"slices"

	json "github.com/go-json-experiment/json/v1"

	"github.com/ranstream/ranstream/pkg/extraction"
)

// ChunkRecord is one accepted chunk result.
type ChunkRecord struct {
	DocID  string `json:"doc_id"`
	Source string `json:"source"`
	Parent string `json:"parent,omitempty"`
	Format string `json:"format"`
	// Replay is the run the chunk belongs to: "" for the first, a replay's id
	// (ordered by time) for a re-run.
	Replay string `json:"replay,omitempty"`
	// Family is the document family whose rules made the result.
	Family     extraction.Family `json:"family,omitempty"`
	ChunkID    string            `json:"chunk_id"`
	Index      int               `json:"index"`
	Total      int               `json:"total"`
	Headings   []string          `json:"headings,omitempty"`
	Text       string            `json:"text"`
	Mode       extraction.Mode   `json:"mode"`
	ModesTried []extraction.Mode `json:"modes_tried"`
	Quality    float64           `json:"quality"`
	Note       string            `json:"note,omitempty"`
	// LLM counts what hybrid's LLM pass kept and dropped; nil without one.
	LLM    *extraction.LLMUse `json:"llm,omitempty"`
	Result extraction.Result  `json:"result"`
}

// DocRecord is the merged result of a document's accepted chunks. It grows by
// one bit per chunk, not by a summary per chunk, so that updating it once per
// accepted chunk stays cheap for documents of thousands of chunks.
type DocRecord struct {
	DocID  string `json:"doc_id"`
	Source string `json:"source"`
	Parent string `json:"parent,omitempty"`
	Format string `json:"format"`
	// Family is the document family (3gpp, elex, generic).
	Family extraction.Family `json:"family,omitempty"`
	Total  int               `json:"total"`
	// Replay is the run the record holds: a newer run's first chunk starts the
	// record afresh, and chunks of older runs still in flight are ignored.
	Replay string `json:"replay,omitempty"`
	// Accepted is a bit set of the chunk indexes accepted (bit i of byte i/8).
	Accepted []byte `json:"accepted"`
	// Count is the number of bits set in Accepted.
	Count int `json:"count"`
	// QualitySum adds the quality of the accepted chunks.
	QualitySum float64 `json:"quality_sum"`
	// ModeCounts counts the chunks accepted per mode.
	ModeCounts map[extraction.Mode]int `json:"mode_counts"`
	// Tried lists every mode run on any chunk, cheapest first.
	Tried []extraction.Mode `json:"modes_tried"`
	// NoteList holds the distinct notes of the chunks (hybrid unavailable...).
	NoteList []string `json:"notes,omitempty"`
	// LLM sums what hybrid's LLM pass kept and dropped over LLMChunks chunks.
	LLM        extraction.LLMUse `json:"llm"`
	LLMChunks  int               `json:"llm_chunks,omitempty"`
	Extraction extraction.Result `json:"extraction"`
}

// maxNotes bounds the distinct notes a record keeps.
const maxNotes = 16

// Complete reports whether every chunk of the document was accepted.
func (d DocRecord) Complete() bool { return d.Total > 0 && d.Count >= d.Total }

// Has reports whether chunk i was accepted.
func (d DocRecord) Has(i int) bool {
	return i >= 0 && i/8 < len(d.Accepted) && d.Accepted[i/8]&(1<<(i%8)) != 0
}

// Indexes lists the accepted chunk indexes in order.
func (d DocRecord) Indexes() []int {
	out := make([]int, 0, d.Count)
	for i := range d.IndexSeq() {
		out = append(out, i)
	}
	return out
}

// IndexSeq yields the accepted chunk indexes in order without listing them, so
// that a document of any size is walked in constant memory.
func (d DocRecord) IndexSeq() iter.Seq[int] {
	return func(yield func(int) bool) {
		for n, b := range d.Accepted {
			for b != 0 {
				bit := bits.TrailingZeros8(b)
				if !yield(n*8 + bit) {
					return
				}
				b &^= 1 << bit
			}
		}
	}
}

// Quality is the mean chunk quality, weighted equally per chunk.
func (d DocRecord) Quality() float64 {
	if d.Count == 0 {
		return 0
	}
	return d.QualitySum / float64(d.Count)
}

// Mode is the richest mode any chunk was accepted in.
func (d DocRecord) Mode() extraction.Mode {
	best := -1
	for m, n := range d.ModeCounts {
		if n > 0 {
			best = max(best, slices.Index(extraction.Modes, m))
		}
	}
	if best < 0 {
		return ""
	}
	return extraction.Modes[best]
}

// ModesTried lists every mode run on any chunk, cheapest first.
func (d DocRecord) ModesTried() []extraction.Mode { return d.Tried }

// Notes lists the distinct notes of the chunks.
func (d DocRecord) Notes() []string { return d.NoteList }

// Add records an accepted chunk in the document record. It is idempotent: a
// chunk already recorded (a redelivery) changes nothing. A chunk of a newer
// run (a replay) resets the record first; one of an older run is ignored. The merged extraction
// is made by Merge once every chunk is in.
func (d *DocRecord) Add(rec ChunkRecord) {
	if d.DocID != "" && rec.Replay != d.Replay {
		if rec.Replay < d.Replay {
			return // a chunk of a run a replay superseded
		}
		*d = DocRecord{}
	}
	if d.DocID == "" {
		d.DocID, d.Source, d.Parent, d.Format, d.Replay = rec.DocID, rec.Source, rec.Parent, rec.Format, rec.Replay
	}
	if d.Family == "" {
		d.Family = rec.Family
	}
	d.Total = rec.Total
	if rec.Index < 0 || d.Has(rec.Index) {
		return
	}
	if need := rec.Index/8 + 1; len(d.Accepted) < need {
		d.Accepted = append(d.Accepted, make([]byte, need-len(d.Accepted))...)
	}
	d.Accepted[rec.Index/8] |= 1 << (rec.Index % 8)
	d.Count++
	d.QualitySum += rec.Quality
	if d.ModeCounts == nil {
		d.ModeCounts = map[extraction.Mode]int{}
	}
	d.ModeCounts[rec.Mode]++
	var tried []extraction.Mode
	for _, m := range extraction.Modes {
		if slices.Contains(d.Tried, m) || slices.Contains(rec.ModesTried, m) {
			tried = append(tried, m)
		}
	}
	d.Tried = tried
	if rec.LLM != nil {
		d.LLM.Add(*rec.LLM)
		d.LLMChunks++
	}
	if rec.Note != "" && !slices.Contains(d.NoteList, rec.Note) && len(d.NoteList) < maxNotes {
		d.NoteList = append(d.NoteList, rec.Note)
		slices.Sort(d.NoteList)
	}
}

// Merge sets the document's extraction to the union of the results of the
// chunks each visits, folded in the order they come (index order, from the
// callers), so that a document of any size is merged holding one chunk at a
// time, in time linear in its items (extraction.Merger). each calls its
// argument once per chunk and stops at its first error. On error the
// extraction is partial and the error is returned as is.
func (d *DocRecord) Merge(each func(fn func(ChunkRecord) error) error) error {
	m := extraction.NewMerger()
	err := each(func(c ChunkRecord) error {
		m.Add(c.Result)
		return nil
	})
	d.Extraction = m.Result()
	return err
}

// DecodeDoc parses a document record value.
func DecodeDoc(b []byte) (DocRecord, error) {
	var d DocRecord
	if err := json.Unmarshal(b, &d); err != nil {
		return d, fmt.Errorf("decode document record: %w", err)
	}
	return d, nil
}
