package output

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/results"
)

// SystemPrompt is the system message of every training example: the question
// hybrid extraction asks its LLM, so a model tuned on the dataset answers it.
const SystemPrompt = extraction.Prompt

// Message is one chat message in MLX-LM chat format.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Example is one line of a dataset file.
type Example struct {
	Messages []Message `json:"messages"`
	// Metadata says where the example comes from.
	Metadata ExampleMeta `json:"metadata"`
}

// ExampleMeta is the metadata of a training example (DESIGN.md): its
// document, the kind of example, the chunks it was made from and the
// document's family.
type ExampleMeta struct {
	DocID    string            `json:"doc_id"`
	Source   string            `json:"source"`
	Kind     string            `json:"kind"`
	ChunkIDs []string          `json:"chunk_ids"`
	Family   extraction.Family `json:"family,omitempty"`
}

// DatasetCounts says how many examples each split got and what was dropped.
type DatasetCounts struct {
	Train        int `json:"train"`
	Valid        int `json:"valid"`
	Test         int `json:"test"`
	Duplicates   int `json:"duplicates_dropped"`
	Placeholders int `json:"placeholders_dropped"`
	Empty        int `json:"empty_dropped"`
}

// placeholder finds template leftovers that must never reach a training set.
var placeholder = regexp.MustCompile(`(?i)<(value|mo|attribute|name|placeholder|todo|x+)>|\bTODO\b|\bTBD\b|\bPLACEHOLDER\b|\{\{|\}\}`)

// dataset collects examples per document and splits by document, so that one
// document never spans two splits. Its memory does not grow with the examples:
// each example is encoded as it is added and spooled to a temporary file, and
// only the byte ranges of each document's lines are kept until write copies
// them into the split files.
type dataset struct {
	dir   string
	spool *os.File
	w     *bufio.Writer
	// size is the number of bytes written to the spool so far.
	size int64
	// spans are the byte ranges of each document's lines in the spool, in add
	// order. Write adds documents one after another, so a document normally
	// has one range; adds interleaving documents would give it several.
	spans map[string][]span
	// seen holds the first 16 bytes of the sha256 of each example kept, for
	// dedup: half the memory of the full sum, with a collision chance (about
	// 2^-64 even for billions of examples) far below any dataset's size.
	seen map[[16]byte]bool
	// line and answer are reused encoding buffers.
	line, answer bytes.Buffer
	counts       DatasetCounts
	// since holds what the document being added changed, so that drop can
	// take it back: the counts before it, and the examples it added.
	since struct {
		counts DatasetCounts
		keys   [][16]byte
	}
}

// span is a run of whole example lines in the spool.
type span struct {
	off, n int64
	count  int
}

// newDataset starts a dataset whose spool and files live in dir.
func newDataset(dir string) (*dataset, error) {
	f, err := os.CreateTemp(dir, ".dataset-spool.*")
	if err != nil {
		return nil, fmt.Errorf("dataset spool: %w", err)
	}
	return &dataset{
		dir: dir, spool: f, w: bufio.NewWriterSize(f, 1<<16),
		spans: map[string][]span{}, seen: map[[16]byte]bool{},
	}, nil
}

// close removes the spool. It is best effort: the files are already written,
// and a spool left behind is a hidden file the next render does not read.
func (d *dataset) close() {
	d.spool.Close()
	os.Remove(d.spool.Name())
}

// add turns a chunk into an example, unless it is empty, holds a placeholder or
// repeats an earlier example, and spools it.
func (d *dataset) add(c results.ChunkRecord) error {
	if c.Result.Items() == 0 {
		d.counts.Empty++
		return nil
	}
	d.answer.Reset()
	enc := json.NewEncoder(&d.answer)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(c.Result); err != nil {
		return nil // a result JSON cannot carry (a NaN) makes no example
	}
	answer := bytes.TrimSpace(d.answer.Bytes())
	user := extraction.UserMessage(c.Headings, c.Text)
	if placeholder.Match(answer) {
		d.counts.Placeholders++
		return nil
	}
	sum := sha256.Sum256([]byte(user + "\x00" + string(answer)))
	key := [16]byte(sum[:16])
	if d.seen[key] {
		d.counts.Duplicates++
		return nil
	}
	d.seen[key] = true
	d.since.keys = append(d.since.keys, key)
	return d.spoolExample(c.DocID, Example{Messages: []Message{
		{Role: "system", Content: SystemPrompt},
		{Role: "user", Content: user},
		{Role: "assistant", Content: string(answer)},
	}, Metadata: ExampleMeta{DocID: c.DocID, Source: c.Source, Kind: "extraction", ChunkIDs: []string{c.ChunkID}, Family: c.Family}})
}

// begin starts the examples of one document, which drop can take back.
func (d *dataset) begin() {
	d.since.counts = d.counts
	d.since.keys = d.since.keys[:0]
}

// drop takes back the examples of doc added since begin: they stay in the
// spool but are never copied out, and an equal example of a later document
// is kept.
func (d *dataset) drop(doc string) {
	delete(d.spans, doc)
	for _, k := range d.since.keys {
		delete(d.seen, k)
	}
	d.counts = d.since.counts
	d.since.keys = d.since.keys[:0]
}

// spoolExample appends the line of ex to the spool and to the ranges of doc.
func (d *dataset) spoolExample(doc string, ex Example) error {
	d.line.Reset()
	enc := json.NewEncoder(&d.line)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ex); err != nil {
		return fmt.Errorf("dataset example: %w", err)
	}
	if _, err := d.w.Write(d.line.Bytes()); err != nil {
		return fmt.Errorf("dataset spool: %w", err)
	}
	n := int64(d.line.Len())
	spans := d.spans[doc]
	if last := len(spans) - 1; last >= 0 && spans[last].off+spans[last].n == d.size {
		spans[last].n += n
		spans[last].count++
	} else {
		d.spans[doc] = append(spans, span{off: d.size, n: n, count: 1})
	}
	d.size += n
	return nil
}

// split assigns documents to train/valid/test, 80/10/10 by a stable hash order,
// with at least one document in valid and test once there are three.
func (d *dataset) split() (train, valid, test []string) {
	docs := make([]string, 0, len(d.spans))
	for id := range d.spans {
		docs = append(docs, id)
	}
	slices.SortFunc(docs, func(a, b string) int {
		ha, hb := sha256.Sum256([]byte("split:"+a)), sha256.Sum256([]byte("split:"+b))
		return strings.Compare(string(ha[:]), string(hb[:]))
	})
	n := len(docs)
	nValid, nTest := n/10, n/10
	if n >= 3 {
		nValid, nTest = max(nValid, 1), max(nTest, 1)
	}
	nTrain := n - nValid - nTest
	return docs[:nTrain], docs[nTrain : nTrain+nValid], docs[nTrain+nValid:]
}

// write splits the documents and copies each one's lines from the spool into
// train.jsonl, valid.jsonl and test.jsonl, documents sorted by id in each.
func (d *dataset) write() (DatasetCounts, error) {
	if err := d.w.Flush(); err != nil {
		return d.counts, fmt.Errorf("dataset spool: %w", err)
	}
	train, valid, test := d.split()
	for _, part := range []struct {
		name  string
		docs  []string
		count *int
	}{{"train", train, &d.counts.Train}, {"valid", valid, &d.counts.Valid}, {"test", test, &d.counts.Test}} {
		slices.Sort(part.docs)
		err := writeFile(filepath.Join(d.dir, part.name+".jsonl"), func(w *bufio.Writer) error {
			for _, doc := range part.docs {
				for _, sp := range d.spans[doc] {
					if _, err := io.Copy(w, io.NewSectionReader(d.spool, sp.off, sp.n)); err != nil {
						return err
					}
					*part.count += sp.count
				}
			}
			return nil
		})
		if err != nil {
			return d.counts, fmt.Errorf("dataset %s: %w", part.name, err)
		}
	}
	return d.counts, nil
}
