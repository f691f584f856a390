package output

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	json "github.com/go-json-experiment/json/v1"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/results"
)

// SystemPrompt is the system message of every extraction example: the
// question hybrid extraction asks its LLM, so a model tuned on the dataset
// answers it.
const SystemPrompt = extraction.Prompt

// QASystemPrompt is the system message of the question-and-answer examples.
const QASystemPrompt = "You answer questions about telecom RAN features and 3GPP specifications. " +
	"State only what the documentation states, and write names and identifiers exactly as it writes them."

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
// document, the kind of example, the chunks its facts come from and the
// document's family.
type ExampleMeta struct {
	DocID    string            `json:"doc_id"`
	Source   string            `json:"source"`
	Kind     string            `json:"kind"`
	ChunkIDs []string          `json:"chunk_ids"`
	Family   extraction.Family `json:"family"`
}

// DatasetConfig decides how the fine-tuning set is built from the accepted
// results.
type DatasetConfig struct {
	// MaxExampleTokens caps the estimated token count of an example; longer
	// chunks are split into examples that stand on their own. The default
	// fits MLX-LM's default max_seq_length of 2,048.
	MaxExampleTokens int
	// Seed, with each document id, decides the split of the document and the
	// phrasing of its questions: the same seed gives the same files.
	Seed string
	// ValidRatio and TestRatio are the shares of documents in valid.jsonl
	// and test.jsonl; train gets the rest.
	ValidRatio, TestRatio float64
	// NearDuplicate is the estimated Jaccard similarity (word 4-shingles,
	// MinHash) above which an example repeats an earlier one and is dropped.
	NearDuplicate float64
	// MaxPerKind bounds the examples about single items (one IE, one timer,
	// one parameter's feature) per document and kind, so that one huge
	// specification does not drown the set.
	MaxPerKind int
	// SkipDocs leaves out docs/<name>.md and <name>.json, each document's
	// converted text and what extraction learned of it (--docs=false).
	SkipDocs bool
}

// DefaultDatasetConfig returns the defaults of every field.
func DefaultDatasetConfig() DatasetConfig {
	c := DatasetConfig{}
	c.setDefaults()
	return c
}

func (c *DatasetConfig) setDefaults() {
	if c.MaxExampleTokens == 0 {
		c.MaxExampleTokens = 2048
	}
	if c.Seed == "" {
		c.Seed = "ranstream"
	}
	if c.ValidRatio == 0 && c.TestRatio == 0 {
		c.ValidRatio, c.TestRatio = 0.1, 0.1
	}
	if c.NearDuplicate == 0 {
		c.NearDuplicate = 0.9
	}
	if c.MaxPerKind == 0 {
		c.MaxPerKind = 60
	}
}

// ErrDatasetConfig is returned for a dataset configuration that cannot work.
var ErrDatasetConfig = errors.New("dataset config")

// Validate reports a configuration that cannot give a usable set.
func (c DatasetConfig) Validate() error {
	switch {
	case c.MaxExampleTokens != 0 && c.MaxExampleTokens < 256:
		return fmt.Errorf("%w: --max-example-tokens %d is below 256", ErrDatasetConfig, c.MaxExampleTokens)
	case c.ValidRatio < 0 || c.TestRatio < 0 || c.ValidRatio+c.TestRatio >= 1:
		return fmt.Errorf("%w: valid %.2f and test %.2f ratios must be >= 0 and leave train a share", ErrDatasetConfig, c.ValidRatio, c.TestRatio)
	case c.NearDuplicate < 0 || c.NearDuplicate > 1:
		return fmt.Errorf("%w: near-duplicate threshold %.2f is not in 0..1", ErrDatasetConfig, c.NearDuplicate)
	}
	return nil
}

// DatasetCounts says how many examples each split got, of which kinds and
// lengths, and what was dropped and why.
type DatasetCounts struct {
	Train int `json:"train"`
	Valid int `json:"valid"`
	Test  int `json:"test"`
	// Documents per split.
	Documents map[string]int `json:"documents,omitempty"`
	// Kinds counts examples per kind and split.
	Kinds map[string]map[string]int `json:"kinds,omitempty"`
	// Tokens are percentiles of the estimated token counts of the examples.
	Tokens TokenStats `json:"tokens"`
	// Duplicates are exact repeats, NearDuplicates examples too close to an
	// earlier one.
	Duplicates     int `json:"duplicates_dropped"`
	NearDuplicates int `json:"near_duplicates_dropped"`
	Placeholders   int `json:"placeholders_dropped"`
	Empty          int `json:"empty_dropped"`
	// Ungrounded counts answer items or lines left out because an
	// identifier they name is not in the example's input or cited chunks.
	Ungrounded int `json:"ungrounded_items_dropped"`
	// SplitChunks counts chunks too long for one example, split into
	// SplitParts examples; OverCap counts parts that still did not fit
	// (one unbreakable line), dropped.
	SplitChunks int `json:"split_chunks"`
	SplitParts  int `json:"split_parts"`
	OverCap     int `json:"over_cap_dropped"`
	// Note says why a split is empty, when it is.
	Note string `json:"note,omitempty"`
}

// TokenStats are percentiles of estimated example lengths in tokens.
type TokenStats struct {
	P50 int `json:"p50"`
	P90 int `json:"p90"`
	P99 int `json:"p99"`
	Max int `json:"max"`
}

// dataset collects examples per document and splits by document, so that one
// document never spans two splits. Its memory does not grow with the texts:
// each example is encoded as it is added and spooled to a temporary file, and
// only the byte ranges of each document's lines, a MinHash signature band per
// example and its kind and length are kept until write copies them into the
// split files.
type dataset struct {
	cfg   DatasetConfig
	dir   string
	spool *os.File
	w     *bufio.Writer
	// size is the number of bytes written to the spool so far.
	size int64
	// spans are the byte ranges of each document's lines in the spool, in add
	// order. Write adds documents one after another, so a document normally
	// has one range; adds interleaving documents would give it several.
	spans map[string][]span
	// info holds the kind and estimated tokens of each document's examples.
	info map[string][]exampleInfo
	// seen holds the first 16 bytes of the sha256 of each example kept, for
	// exact dedup; near finds near-duplicates.
	seen map[[16]byte]bool
	near *nearDup
	// doc builds the examples of the document being added.
	doc    *docBuilder
	counts DatasetCounts
	// since holds what the document being added changed, so that drop can
	// take it back: the counts before it, and the examples it added.
	since struct {
		counts DatasetCounts
		keys   [][16]byte
		mark   nearMark
	}
}

// exampleInfo is what the statistics need of a spooled example.
type exampleInfo struct {
	kind   string
	tokens int
}

// span is a run of whole example lines in the spool.
type span struct {
	off, n int64
	count  int
}

// newDataset starts a dataset whose spool and files live in dir.
func newDataset(dir string, cfg DatasetConfig) (*dataset, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, ".dataset-spool.*")
	if err != nil {
		return nil, fmt.Errorf("dataset spool: %w", err)
	}
	return &dataset{
		cfg: cfg, dir: dir, spool: f, w: bufio.NewWriterSize(f, 1<<16),
		spans: map[string][]span{}, info: map[string][]exampleInfo{}, seen: map[[16]byte]bool{},
		near: newNearDup(cfg.NearDuplicate),
	}, nil
}

// close removes the spool. It is best effort: the files are already written,
// and a spool left behind is a hidden file the next render does not read.
func (d *dataset) close() {
	d.spool.Close()
	os.Remove(d.spool.Name())
}

// begin marks the start of one document's examples, which drop can take
// back.
func (d *dataset) begin() {
	d.since.counts = cloneCounts(d.counts)
	d.since.keys = d.since.keys[:0]
	d.since.mark = d.near.mark()
	d.doc = nil
}

// start gives the document whose chunks add receives: its identity (merged
// main features) is what extraction examples may show beside a chunk.
func (d *dataset) start(doc results.DocRecord) {
	d.doc = newDocBuilder(d.cfg, doc, &d.counts)
}

// add turns a chunk into its extraction examples and keeps what it learns
// for the question-and-answer examples of its document.
func (d *dataset) add(c results.ChunkRecord) error {
	if d.doc == nil || d.doc.id != c.DocID {
		d.start(results.DocRecord{DocID: c.DocID, Source: c.Source, Family: c.Family})
	}
	for _, ex := range d.doc.addChunk(c) {
		if err := d.keep(ex); err != nil {
			return err
		}
	}
	return nil
}

// finish adds the question-and-answer examples of the document begun last.
func (d *dataset) finish() error {
	if d.doc == nil {
		return nil
	}
	exs := d.doc.questions()
	d.doc = nil
	for _, ex := range exs {
		if err := d.keep(ex); err != nil {
			return err
		}
	}
	return nil
}

// candidate is an example with what keeping it needs, all of it made from
// the example alone, so that workers make candidates in parallel and keep
// decides on them in order.
type candidate struct {
	doc, kind string
	tokens    int
	// placeholder: the answer holds a placeholder and is dropped.
	placeholder bool
	// key is the first 16 bytes of the sha256 of the example's turns.
	key [16]byte
	// sig is the MinHash signature of the turns; sigOK is false for texts
	// too short for one.
	sig   [minHashes]uint32
	sigOK bool
	// line is the example's line in a split file.
	line []byte
}

// newCandidate prepares ex for keep.
func newCandidate(ex Example) (candidate, error) {
	c := candidate{doc: ex.Metadata.DocID, kind: ex.Metadata.Kind, tokens: exampleTokens(ex)}
	if c.placeholder = hasPlaceholder(ex.Messages[len(ex.Messages)-1].Content); c.placeholder {
		return c, nil
	}
	var body strings.Builder
	for _, m := range ex.Messages[1:] {
		body.WriteString(m.Content)
		body.WriteByte(0)
	}
	text := body.String()
	sum := sha256.Sum256([]byte(text))
	c.key = [16]byte(sum[:16])
	c.sig, c.sigOK = signature(text)
	var line bytes.Buffer
	enc := json.NewEncoder(&line)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ex); err != nil {
		return c, fmt.Errorf("dataset example: %w", err)
	}
	c.line = line.Bytes()
	return c, nil
}

// newCandidates prepares each of exs for keep.
func newCandidates(exs []Example) ([]candidate, error) {
	out := make([]candidate, 0, len(exs))
	for _, ex := range exs {
		c, err := newCandidate(ex)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// keep spools ex unless it holds a placeholder or repeats an earlier example.
func (d *dataset) keep(ex Example) error {
	c, err := newCandidate(ex)
	if err != nil {
		return err
	}
	return d.keepCandidate(c)
}

// keepCandidate spools c unless it holds a placeholder or repeats an earlier
// example.
func (d *dataset) keepCandidate(c candidate) error {
	switch {
	case c.placeholder:
		d.counts.Placeholders++
		return nil
	case d.seen[c.key]:
		d.counts.Duplicates++
		return nil
	case d.near.seenOrAddSig(c.sig, c.sigOK):
		d.counts.NearDuplicates++
		return nil
	}
	d.seen[c.key] = true
	d.since.keys = append(d.since.keys, c.key)
	return d.spoolLine(c)
}

// built adds a document a worker built ahead (see buildDoc) as add and
// finish would have: its counts, then its candidates in order.
func (d *dataset) built(b *builtDoc) error {
	d.counts.addBuilt(b.counts)
	d.doc = nil
	for _, cs := range b.examples {
		for _, c := range cs {
			if err := d.keepCandidate(c); err != nil {
				return err
			}
		}
	}
	return nil
}

// addBuilt adds the counts a docBuilder keeps (see docBuilder.counts) of
// another count to c.
func (c *DatasetCounts) addBuilt(o DatasetCounts) {
	c.Empty += o.Empty
	c.Ungrounded += o.Ungrounded
	c.SplitChunks += o.SplitChunks
	c.SplitParts += o.SplitParts
	c.OverCap += o.OverCap
}

// drop takes back the examples of doc added since begin: they stay in the
// spool but are never copied out, and an equal example of a later document
// is kept.
func (d *dataset) drop(doc string) {
	delete(d.spans, doc)
	delete(d.info, doc)
	for _, k := range d.since.keys {
		delete(d.seen, k)
	}
	d.near.undo(d.since.mark)
	d.counts = d.since.counts
	d.since.keys = d.since.keys[:0]
	d.doc = nil
}

// spoolLine appends the line of c to the spool and to the ranges of its
// document.
func (d *dataset) spoolLine(c candidate) error {
	if _, err := d.w.Write(c.line); err != nil {
		return fmt.Errorf("dataset spool: %w", err)
	}
	n := int64(len(c.line))
	spans := d.spans[c.doc]
	if last := len(spans) - 1; last >= 0 && spans[last].off+spans[last].n == d.size {
		spans[last].n += n
		spans[last].count++
	} else {
		d.spans[c.doc] = append(spans, span{off: d.size, n: n, count: 1})
	}
	d.info[c.doc] = append(d.info[c.doc], exampleInfo{kind: c.kind, tokens: c.tokens})
	d.size += n
	return nil
}

// splitOrder sorts documents by a hash of the seed and their id: stable for
// a document whatever else is in the set.
func splitOrder(seed string, docs []string) {
	key := func(id string) string {
		h := sha256.Sum256([]byte("split\x00" + seed + "\x00" + id))
		return string(h[:])
	}
	slices.SortFunc(docs, func(a, b string) int { return strings.Compare(key(a), key(b)) })
}

// split assigns documents to train/valid/test by the configured ratios in
// seeded hash order, with at least one document in valid and in test once
// there are three.
func (d *dataset) split() (train, valid, test []string) {
	docs := make([]string, 0, len(d.spans))
	for id := range d.spans {
		docs = append(docs, id)
	}
	splitOrder(d.cfg.Seed, docs)
	n := len(docs)
	nValid, nTest := int(float64(n)*d.cfg.ValidRatio+0.5), int(float64(n)*d.cfg.TestRatio+0.5)
	if n >= 3 {
		nValid, nTest = max(nValid, 1), max(nTest, 1)
		if nValid+nTest > n-1 {
			nValid, nTest = 1, 1
		}
	} else {
		nValid, nTest = 0, 0
		d.counts.Note = fmt.Sprintf("%d document(s) with examples, fewer than 3: valid.jsonl and test.jsonl are empty "+
			"(a document never spans two splits); mlx_lm.lora needs a validation set", n)
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
	d.counts.Documents = map[string]int{}
	d.counts.Kinds = map[string]map[string]int{}
	var lengths []int
	for _, part := range []struct {
		name  string
		docs  []string
		count *int
	}{{"train", train, &d.counts.Train}, {"valid", valid, &d.counts.Valid}, {"test", test, &d.counts.Test}} {
		slices.Sort(part.docs)
		d.counts.Documents[part.name] = len(part.docs)
		err := writeFile(filepath.Join(d.dir, part.name+".jsonl"), func(w *bufio.Writer) error {
			for _, doc := range part.docs {
				for _, sp := range d.spans[doc] {
					if _, err := io.Copy(w, io.NewSectionReader(d.spool, sp.off, sp.n)); err != nil {
						return err
					}
					*part.count += sp.count
				}
				for _, in := range d.info[doc] {
					if d.counts.Kinds[in.kind] == nil {
						d.counts.Kinds[in.kind] = map[string]int{}
					}
					d.counts.Kinds[in.kind][part.name]++
					lengths = append(lengths, in.tokens)
				}
			}
			return nil
		})
		if err != nil {
			return d.counts, fmt.Errorf("dataset %s: %w", part.name, err)
		}
	}
	d.counts.Tokens = tokenStats(lengths)
	return d.counts, nil
}

// tokenStats gives the percentiles of lengths.
func tokenStats(lengths []int) TokenStats {
	if len(lengths) == 0 {
		return TokenStats{}
	}
	slices.Sort(lengths)
	at := func(p float64) int { return lengths[min(len(lengths)-1, int(p*float64(len(lengths))))] }
	return TokenStats{P50: at(0.5), P90: at(0.9), P99: at(0.99), Max: lengths[len(lengths)-1]}
}

// cloneCounts copies c, maps included.
func cloneCounts(c DatasetCounts) DatasetCounts {
	c.Documents, c.Kinds = nil, nil
	return c
}

// text is the dataset section of report.txt.
func (c DatasetCounts) text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "\ndataset  train=%d valid=%d test=%d (duplicates dropped %d, near-duplicates %d, placeholders dropped %d)\n",
		c.Train, c.Valid, c.Test, c.Duplicates, c.NearDuplicates, c.Placeholders)
	fmt.Fprintf(&b, "  documents train=%d valid=%d test=%d; tokens (estimated) p50=%d p90=%d p99=%d max=%d\n",
		c.Documents["train"], c.Documents["valid"], c.Documents["test"], c.Tokens.P50, c.Tokens.P90, c.Tokens.P99, c.Tokens.Max)
	fmt.Fprintf(&b, "  ungrounded items left out %d; chunks split %d into %d examples, %d over the cap dropped\n",
		c.Ungrounded, c.SplitChunks, c.SplitParts, c.OverCap)
	kinds := make([]string, 0, len(c.Kinds))
	for k := range c.Kinds {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		fmt.Fprintf(&b, "  %-22s train=%d valid=%d test=%d\n", k, c.Kinds[k]["train"], c.Kinds[k]["valid"], c.Kinds[k]["test"])
	}
	if c.Note != "" {
		fmt.Fprintf(&b, "  note: %s\n", c.Note)
	}
	return b.String()
}
