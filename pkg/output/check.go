package output

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	json "github.com/go-json-experiment/json/v1"
)

// DatasetCheck is what CheckDataset found in a dataset directory: whether
// every line is an MLX-LM chat example with complete metadata, whether every
// identifier of an answer stands in its user turn or in the chunks its
// metadata cites, whether a document spans two splits, and the kinds,
// question openings and lengths of the set.
type DatasetCheck struct {
	Examples map[string]int `json:"examples"`
	// Documents per split.
	Documents map[string]int `json:"documents"`
	// Malformed counts lines that are not chat examples with metadata.
	Malformed int `json:"malformed"`
	// Identifiers and Grounded count the identifiers of answers and those
	// that the user turn or the cited chunks name; UngroundedExamples the
	// examples with at least one that they do not.
	Identifiers        int `json:"identifiers"`
	Grounded           int `json:"grounded"`
	UngroundedExamples int `json:"ungrounded_examples"`
	// UngroundedQuestions counts user turns naming an identifier that no
	// cited chunk shows.
	UngroundedQuestions int `json:"ungrounded_questions"`
	// UnknownChunks counts cited chunk ids absent from chunks.jsonl.
	UnknownChunks int `json:"unknown_chunks"`
	// SplitDocuments counts documents found in more than one split.
	SplitDocuments int `json:"documents_in_two_splits"`
	// Kinds counts examples per kind, Openings per first two words of the
	// user turn; TopOpening is the most common one and its share.
	Kinds           map[string]int `json:"kinds"`
	Openings        map[string]int `json:"openings"`
	TopOpening      string         `json:"top_opening"`
	TopOpeningShare float64        `json:"top_opening_share"`
	Tokens          TokenStats     `json:"tokens"`
	// Problems are the first problems found, for a reader.
	Problems []string `json:"problems,omitempty"`
}

// maxOpeningShare is the largest share of the set one question opening may
// have.
const maxOpeningShare = 0.2

// OK reports whether the set passes every check: parsed, fully grounded, no
// document in two splits, no opening above 20 %, and no empty split when
// there are three documents or more.
func (c DatasetCheck) OK() bool {
	docs := c.Documents["train"] + c.Documents["valid"] + c.Documents["test"]
	return c.Malformed == 0 && c.UngroundedExamples == 0 && c.UngroundedQuestions == 0 && c.UnknownChunks == 0 && c.SplitDocuments == 0 &&
		c.TopOpeningShare <= maxOpeningShare &&
		(docs < 3 || c.Examples["train"] > 0 && c.Examples["valid"] > 0 && c.Examples["test"] > 0)
}

// GroundedShare is the share of answer identifiers that are grounded.
func (c DatasetCheck) GroundedShare() float64 {
	if c.Identifiers == 0 {
		return 1
	}
	return float64(c.Grounded) / float64(c.Identifiers)
}

// CheckDataset reads dir/{train,valid,test}.jsonl and checks them against
// the chunks of chunksPath (chunks.jsonl); without chunks.jsonl, identifiers
// are checked against the user turn alone.
func CheckDataset(dir, chunksPath string) (DatasetCheck, error) {
	c := DatasetCheck{Examples: map[string]int{}, Documents: map[string]int{}, Kinds: map[string]int{}, Openings: map[string]int{}}
	chunks := map[string]string{}
	if chunksPath != "" {
		err := eachLine(chunksPath, func(b []byte) error {
			var l ChunkLine
			if err := json.Unmarshal(b, &l); err != nil {
				return fmt.Errorf("chunks: %w", err)
			}
			chunks[l.ChunkID] = strings.Join(l.Headings, "\n") + "\n" + l.Text
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return c, err
		}
	}
	problem := func(format string, args ...any) {
		if len(c.Problems) < 20 {
			c.Problems = append(c.Problems, fmt.Sprintf(format, args...))
		}
	}
	docSplit := map[string]string{}
	var lengths []int
	for _, split := range []string{"train", "valid", "test"} {
		docs := map[string]bool{}
		n := 0
		err := eachLine(filepath.Join(dir, split+".jsonl"), func(b []byte) error {
			n++
			var ex Example
			if err := json.Unmarshal(b, &ex); err != nil || !chatShaped(ex) {
				c.Malformed++
				problem("%s.jsonl line %d: not an MLX-LM chat example with metadata", split, n)
				return nil
			}
			c.Examples[split]++
			m := ex.Metadata
			c.Kinds[m.Kind]++
			docs[m.DocID] = true
			if prev, ok := docSplit[m.DocID]; ok && prev != split {
				c.SplitDocuments++
				problem("document %s in %s and %s", m.DocID, prev, split)
			}
			docSplit[m.DocID] = split
			user, answer := ex.Messages[len(ex.Messages)-2].Content, ex.Messages[len(ex.Messages)-1].Content
			c.Openings[opening(user)]++
			lengths = append(lengths, exampleTokens(ex))
			// The contract grounds an answer in the user turn and the cited
			// chunks together: a dotted name may take its MO class from one
			// cited chunk and its attribute from another.
			cited := tokenSet{}
			for _, id := range m.ChunkIDs {
				text, ok := chunks[id]
				if !ok {
					if len(chunks) > 0 {
						c.UnknownChunks++
						problem("%s.jsonl line %d cites unknown chunk %s", split, n, id)
					}
					continue
				}
				cited.add(text)
			}
			// The user turn's identifiers stand in the cited chunks: a
			// question never names what no source shows.
			if bad := ungrounded(user, cited); len(chunks) > 0 && len(bad) > 0 {
				c.UngroundedQuestions++
				problem("%s.jsonl line %d (%s, %s): %q in the user turn, not in the cited chunks", split, n, m.Kind, m.Source, bad)
			}
			userSet := tokenSet{}
			userSet.add(user)
			sets := []tokenSet{userSet, cited}
			ids := identifiers(answer)
			bad := ungroundedIn(answer, sets...)
			c.Identifiers += len(ids)
			c.Grounded += len(ids) - len(bad)
			if len(bad) > 0 {
				c.UngroundedExamples++
				problem("%s.jsonl line %d (%s, %s): %q in the answer, not in the input or cited chunks", split, n, m.Kind, m.Source, bad)
			}
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return c, err
		}
		c.Documents[split] = len(docs)
	}
	total := 0
	for k, v := range c.Openings {
		total += v
		if v > c.Openings[c.TopOpening] || v == c.Openings[c.TopOpening] && k < c.TopOpening {
			c.TopOpening = k
		}
	}
	if total > 0 {
		c.TopOpeningShare = float64(c.Openings[c.TopOpening]) / float64(total)
	}
	c.Tokens = tokenStats(lengths)
	return c, nil
}

// chatShaped reports an MLX-LM chat example: an optional system message,
// then user and assistant turns alternating, ending with the assistant, no
// empty content, and complete metadata.
func chatShaped(ex Example) bool {
	msgs := ex.Messages
	if len(msgs) > 0 && msgs[0].Role == "system" {
		msgs = msgs[1:]
	}
	if len(msgs) < 2 || len(msgs)%2 != 0 {
		return false
	}
	for i, m := range msgs {
		want := "user"
		if i%2 == 1 {
			want = "assistant"
		}
		if m.Role != want || strings.TrimSpace(m.Content) == "" {
			return false
		}
	}
	m := ex.Metadata
	return m.DocID != "" && m.Source != "" && m.Kind != "" && len(m.ChunkIDs) > 0 && m.Family != "" &&
		!slices.Contains(m.ChunkIDs, "")
}

// opening is the first two words of a question, lower-cased.
func opening(user string) string {
	words := strings.Fields(strings.ToLower(user))
	return strings.Join(words[:min(2, len(words))], " ")
}

// eachLine calls fn with each line of the file at path.
func eachLine(path string, fn func([]byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		if err := fn(sc.Bytes()); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}

// Text renders the check for a terminal.
func (c DatasetCheck) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "examples  train=%d valid=%d test=%d (documents %d/%d/%d), malformed %d\n",
		c.Examples["train"], c.Examples["valid"], c.Examples["test"], c.Documents["train"], c.Documents["valid"], c.Documents["test"], c.Malformed)
	fmt.Fprintf(&b, "grounded  %d of %d answer identifiers (%.2f%%); %d examples with an ungrounded one; %d user turns naming what no cited chunk shows; %d unknown chunks cited\n",
		c.Grounded, c.Identifiers, 100*c.GroundedShare(), c.UngroundedExamples, c.UngroundedQuestions, c.UnknownChunks)
	fmt.Fprintf(&b, "splits    %d documents in two splits\n", c.SplitDocuments)
	fmt.Fprintf(&b, "tokens    (estimated) p50=%d p90=%d p99=%d max=%d\n", c.Tokens.P50, c.Tokens.P90, c.Tokens.P99, c.Tokens.Max)
	b.WriteString("kinds\n")
	for _, k := range sortedKeys(c.Kinds) {
		fmt.Fprintf(&b, "  %-22s %d\n", k, c.Kinds[k])
	}
	keys := sortedKeys(c.Openings)
	slices.SortStableFunc(keys, func(x, y string) int { return c.Openings[y] - c.Openings[x] })
	total := c.Examples["train"] + c.Examples["valid"] + c.Examples["test"]
	b.WriteString("top openings\n")
	for _, k := range keys[:min(10, len(keys))] {
		fmt.Fprintf(&b, "  %-22q %5d  %.1f%%\n", k, c.Openings[k], 100*float64(c.Openings[k])/float64(max(total, 1)))
	}
	for _, p := range c.Problems {
		fmt.Fprintf(&b, "problem: %s\n", p)
	}
	verdict := "PASS"
	if !c.OK() {
		verdict = "FAIL"
	}
	fmt.Fprintf(&b, "check     %s\n", verdict)
	return b.String()
}
