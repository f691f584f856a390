// Package results defines what an accepted extraction looks like: the record of
// one chunk and the merged record of a document, as kept in the KV bucket
// `results` and rendered into the output files.
package results

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/ranstream/ranstream/pkg/extraction"
)

// ChunkRecord is one accepted chunk result.
type ChunkRecord struct {
	DocID      string            `json:"doc_id"`
	Source     string            `json:"source"`
	Parent     string            `json:"parent,omitempty"`
	Format     string            `json:"format"`
	ChunkID    string            `json:"chunk_id"`
	Index      int               `json:"index"`
	Total      int               `json:"total"`
	Headings   []string          `json:"headings,omitempty"`
	Text       string            `json:"text"`
	Mode       extraction.Mode   `json:"mode"`
	ModesTried []extraction.Mode `json:"modes_tried"`
	Quality    float64           `json:"quality"`
	Note       string            `json:"note,omitempty"`
	Result     extraction.Result `json:"result"`
}

// ChunkSummary is what the document record keeps of each accepted chunk.
type ChunkSummary struct {
	Mode       extraction.Mode   `json:"mode"`
	ModesTried []extraction.Mode `json:"modes_tried"`
	Quality    float64           `json:"quality"`
	Note       string            `json:"note,omitempty"`
}

// DocRecord is the merged result of a document's accepted chunks.
type DocRecord struct {
	DocID  string `json:"doc_id"`
	Source string `json:"source"`
	Parent string `json:"parent,omitempty"`
	Format string `json:"format"`
	Total  int    `json:"total"`
	// Chunks maps a chunk index to its accepted summary.
	Chunks     map[int]ChunkSummary `json:"chunks"`
	Extraction extraction.Result    `json:"extraction"`
}

// Complete reports whether every chunk of the document was accepted.
func (d DocRecord) Complete() bool { return d.Total > 0 && len(d.Chunks) >= d.Total }

// Quality is the mean chunk quality, weighted equally per chunk.
func (d DocRecord) Quality() float64 {
	if len(d.Chunks) == 0 {
		return 0
	}
	var sum float64
	for _, c := range d.Chunks {
		sum += c.Quality
	}
	return sum / float64(len(d.Chunks))
}

// Mode is the richest mode any chunk was accepted in.
func (d DocRecord) Mode() extraction.Mode {
	best := -1
	for _, c := range d.Chunks {
		best = max(best, slices.Index(extraction.Modes, c.Mode))
	}
	if best < 0 {
		return ""
	}
	return extraction.Modes[best]
}

// ModesTried lists every mode run on any chunk, cheapest first.
func (d DocRecord) ModesTried() []extraction.Mode {
	var out []extraction.Mode
	for _, m := range extraction.Modes {
		for _, c := range d.Chunks {
			if slices.Contains(c.ModesTried, m) {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

// Notes lists the distinct notes of the chunks (hybrid unavailable...).
func (d DocRecord) Notes() []string {
	var out []string
	for _, c := range d.Chunks {
		if c.Note != "" && !slices.Contains(out, c.Note) {
			out = append(out, c.Note)
		}
	}
	slices.Sort(out)
	return out
}

// Add records an accepted chunk in the document record. It is idempotent:
// adding the same chunk again changes nothing. The merged extraction is made by
// Merge once every chunk is in, so a document of n chunks costs O(n) merging,
// not O(n²).
func (d *DocRecord) Add(rec ChunkRecord) {
	if d.Chunks == nil {
		d.Chunks = map[int]ChunkSummary{}
	}
	if d.DocID == "" {
		d.DocID, d.Source, d.Parent, d.Format = rec.DocID, rec.Source, rec.Parent, rec.Format
	}
	d.Total = rec.Total
	d.Chunks[rec.Index] = ChunkSummary{Mode: rec.Mode, ModesTried: rec.ModesTried, Quality: rec.Quality, Note: rec.Note}
}

// Merge sets the document's extraction to the union of its chunks' results.
func (d *DocRecord) Merge(chunks []ChunkRecord) {
	d.Extraction = extraction.Result{}
	for _, c := range chunks {
		extraction.Merge(&d.Extraction, c.Result)
	}
}

// DecodeDoc parses a document record value.
func DecodeDoc(b []byte) (DocRecord, error) {
	var d DocRecord
	if err := json.Unmarshal(b, &d); err != nil {
		return d, fmt.Errorf("decode document record: %w", err)
	}
	if d.Chunks == nil {
		d.Chunks = map[int]ChunkSummary{}
	}
	return d, nil
}
