package output

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/ranstream/ranstream/pkg/results"
)

// SystemPrompt is the system message of every training example.
const SystemPrompt = "You extract structured knowledge from telecom RAN documentation. " +
	"Return a JSON object with the keys main_features, parameters, counters, events, " +
	"related_features and activation_procedures, using only names that appear in the text."

// Message is one chat message in MLX-LM chat format.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Example is one line of a dataset file.
type Example struct {
	Messages []Message `json:"messages"`
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
// document never spans two splits.
type dataset struct {
	byDoc  map[string][]Example
	seen   map[[32]byte]bool
	counts DatasetCounts
}

func newDataset() *dataset {
	return &dataset{byDoc: map[string][]Example{}, seen: map[[32]byte]bool{}}
}

func (d *dataset) add(c results.ChunkRecord) {
	if c.Result.Items() == 0 {
		d.counts.Empty++
		return
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(c.Result); err != nil {
		return
	}
	answer := bytes.TrimSpace(buf.Bytes())
	user := c.Text
	if len(c.Headings) > 0 {
		user = "Section: " + strings.Join(c.Headings, " > ") + "\n\n" + c.Text
	}
	if placeholder.Match(answer) {
		d.counts.Placeholders++
		return
	}
	key := sha256.Sum256([]byte(user + "\x00" + string(answer)))
	if d.seen[key] {
		d.counts.Duplicates++
		return
	}
	d.seen[key] = true
	d.byDoc[c.DocID] = append(d.byDoc[c.DocID], Example{Messages: []Message{
		{Role: "system", Content: SystemPrompt},
		{Role: "user", Content: user},
		{Role: "assistant", Content: string(answer)},
	}})
}

// split assigns documents to train/valid/test, 80/10/10 by a stable hash order,
// with at least one document in valid and test once there are three.
func (d *dataset) split() (train, valid, test []string) {
	docs := make([]string, 0, len(d.byDoc))
	for id := range d.byDoc {
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

func (d *dataset) write(dir string) (DatasetCounts, error) {
	train, valid, test := d.split()
	for _, part := range []struct {
		name  string
		docs  []string
		count *int
	}{{"train", train, &d.counts.Train}, {"valid", valid, &d.counts.Valid}, {"test", test, &d.counts.Test}} {
		slices.Sort(part.docs)
		err := writeFile(filepath.Join(dir, part.name+".jsonl"), func(w *bufio.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetEscapeHTML(false)
			for _, doc := range part.docs {
				for _, ex := range d.byDoc[doc] {
					if err := enc.Encode(ex); err != nil {
						return err
					}
					*part.count++
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
