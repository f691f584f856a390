package output

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	json "github.com/go-json-experiment/json/v1"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/results"
)

// DocJSON is docs/<name>.json: what extraction learned of one document.
type DocJSON struct {
	DocID    string            `json:"doc_id"`
	Source   string            `json:"source"`
	Parent   string            `json:"parent,omitempty"`
	Format   string            `json:"format"`
	Family   extraction.Family `json:"family,omitempty"`
	Title    string            `json:"title,omitempty"`
	Meta     map[string]string `json:"meta,omitempty"`
	Warnings []string          `json:"warnings,omitempty"`
	Chunks   int               `json:"chunks"`
	Complete bool              `json:"complete"`
	// Markdown names the converted text beside this file.
	Markdown string    `json:"markdown"`
	Headings []Heading `json:"headings"`
}

// Heading is one heading of a document's converted text.
type Heading struct {
	Level int    `json:"level"`
	Text  string `json:"text"`
}

// maxDocName bounds the bytes of a docs/ file name taken from a source.
const maxDocName = 180

// docsWriter writes docs/<name>.md and <name>.json per document, each name
// made from the source and unique within the render.
type docsWriter struct {
	dir  string
	used map[string]bool
}

// newDocsWriter prepares dir/docs; a nil writer writes nothing.
func newDocsWriter(dir string, skip bool) (*docsWriter, error) {
	if skip {
		return nil, nil
	}
	dir = filepath.Join(dir, "docs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("docs dir: %w", err)
	}
	return &docsWriter{dir: dir, used: map[string]bool{}}, nil
}

// docName makes a file name of a source: path separators and characters
// unsafe in file names replaced by '_', no leading dot, bounded, and unique
// (the doc id's start appended to a name already taken).
func (w *docsWriter) docName(source, docID string) string {
	name := strings.Map(func(r rune) rune {
		switch {
		case r == '/' || r == '\\' || r == ':' || r == '*' || r == '?' || r == '"' || r == '<' || r == '>' || r == '|':
			return '_'
		case unicode.IsControl(r) || unicode.IsSpace(r) && r != ' ':
			return '_'
		}
		return r
	}, source)
	name = strings.TrimLeft(name, ". ")
	if name == "" {
		name = "document"
	}
	if len(name) > maxDocName {
		name = strings.ToValidUTF8(name[:maxDocName], "")
	}
	base := name
	short := strings.TrimPrefix(docID, "sha256:")
	short = short[:min(len(short), 12)]
	for i := 2; w.used[strings.ToLower(name)]; i++ {
		name = base + "-" + short
		if i > 2 {
			name = fmt.Sprintf("%s-%s-%d", base, short, i)
		}
	}
	w.used[strings.ToLower(name)] = true
	return name
}

// docFile is one document's files being written.
type docFile struct {
	w        *docsWriter
	d        results.DocRecord
	name     string
	tmp      *os.File
	buf      *bufio.Writer
	n        int
	fence    bool
	headings []Heading
}

// start opens the converted text of d; nil when w is nil.
func (w *docsWriter) start(d results.DocRecord) (*docFile, error) {
	if w == nil {
		return nil, nil
	}
	f := &docFile{w: w, d: d, name: w.docName(d.Source, d.DocID), headings: []Heading{}}
	tmp, err := os.CreateTemp(w.dir, "."+f.name+".md.*")
	if err != nil {
		return nil, fmt.Errorf("docs: %w", err)
	}
	f.tmp, f.buf = tmp, bufio.NewWriterSize(tmp, 1<<16)
	return f, nil
}

// add appends a chunk's text, in index order, and notes its headings.
func (f *docFile) add(c results.ChunkRecord) error {
	if f == nil {
		return nil
	}
	text := strings.TrimSpace(c.Text)
	if text == "" {
		return nil
	}
	if f.n > 0 {
		f.buf.WriteString("\n\n")
	}
	f.n++
	for line := range strings.SplitSeq(text, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			f.fence = !f.fence
			continue
		}
		if f.fence {
			continue
		}
		if level, title, ok := atxHeading(line); ok {
			f.headings = append(f.headings, Heading{Level: level, Text: title})
		}
	}
	if _, err := f.buf.WriteString(text); err != nil {
		return fmt.Errorf("docs %s.md: %w", f.name, err)
	}
	return nil
}

// atxHeading parses a markdown heading line: one to six '#' and a blank.
func atxHeading(line string) (int, string, bool) {
	level := 0
	for level < len(line) && line[level] == '#' {
		level++
	}
	if level == 0 || level > 6 || (level < len(line) && line[level] != ' ' && line[level] != '\t') {
		return 0, "", false
	}
	title := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(line[level:]), "#"))
	if title == "" {
		return 0, "", false
	}
	return level, title, true
}

// abort drops the document's files being written.
func (f *docFile) abort() {
	if f == nil || f.tmp == nil {
		return
	}
	f.tmp.Close()
	os.Remove(f.tmp.Name())
	f.tmp = nil
}

// finish renames the converted text into place and writes the JSON beside it.
func (f *docFile) finish(about *event.Chunked) error {
	if f == nil {
		return nil
	}
	defer f.abort()
	if f.n > 0 {
		f.buf.WriteByte('\n')
	}
	md := filepath.Join(f.w.dir, f.name+".md")
	if err := f.buf.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", md, err)
	}
	if err := f.tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("write %s: %w", md, err)
	}
	if err := f.tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", md, err)
	}
	if err := os.Rename(f.tmp.Name(), md); err != nil {
		return fmt.Errorf("write %s: %w", md, err)
	}
	f.tmp = nil
	j := DocJSON{
		DocID: f.d.DocID, Source: f.d.Source, Parent: f.d.Parent, Format: f.d.Format, Family: f.d.Family,
		Chunks: f.d.Total, Complete: f.d.Complete(), Markdown: f.name + ".md", Headings: f.headings,
	}
	if about != nil {
		j.Title, j.Meta, j.Warnings = about.Title, about.Meta, about.Warnings
		if j.Family == "" {
			j.Family = about.Family
		}
	}
	return writeFile(filepath.Join(f.w.dir, f.name+".json"), func(w *bufio.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(j)
	})
}
