// Package chunk cuts the markdown-like text of the extract stage into chunks that a
// RAN engineer can read on their own and that fit retrieval and LLM extraction.
//
// The text is first cut into blocks: headings, paragraphs, list items, tables
// (consecutive pipe "| a | b |" or grid "+---+" lines) and code fences. Blocks are
// packed whole into chunks of about Config.Target runes:
//
//   - a heading starts a new chunk once the current one is substantial (a quarter of
//     Target for heading levels 1 and 2, half of Target below), so that sections are
//     not mixed needlessly while small sections are still packed together;
//   - a chunk never ends with a heading: trailing headings move to the next chunk,
//     with the text they introduce;
//   - a block larger than Target but not Max is kept whole; a small chunk (under a
//     quarter of Target) may grow up to Max rather than leave its few lines alone;
//   - only a block larger than Max is cut: a table between rows, every piece
//     repeating the header row and separator row (a grid table its header up to the
//     "+===+" line); a code fence between lines, every piece reopening and closing the
//     fence; a paragraph or list item at sentence ends, and a sentence longer than
//     Max between words. A table row or code line longer than Max is never cut: it
//     is emitted whole, with the header, in a chunk of its own.
//
// YAML front matter at the very start is dropped, and so is a leading byte order
// mark. Blank lines between blocks become one blank line (consecutive list items of
// a tight list stay on consecutive lines) and trailing blanks of lines are dropped.
// Pipe tables lose their alignment padding: runs of blanks in a row become one
// space and separator rows become "|---|:---:|", as converters pad wide tables to
// thousands of characters a row. Nothing else is lost: every other non-whitespace
// character of the input is in the chunks, in order.
//
// Lengths are counted in runes, and Split is linear in the size of its input.
package chunk

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Chunker splits documents into Pieces. It holds only its configuration, so one
// Chunker can serve any number of goroutines.
type Chunker struct {
	cfg Config
}

// New returns a Chunker for cfg, with zero fields set to their defaults. It fails
// with ErrInvalidConfig when the sizes make no sense.
func New(cfg Config) (*Chunker, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("chunk.New: %w", err)
	}
	return &Chunker{cfg: cfg}, nil
}

// Config returns the configuration in use, defaults applied, so a stage can log
// the sizes it runs with.
func (c *Chunker) Config() Config { return c.cfg }

// Piece is one chunk.
type Piece struct {
	Index    int      // 0-based
	Headings []string // heading path above the chunk, outermost first, heading text without '#'
	Text     string   // the chunk text (includes its own heading line(s) if the chunk starts at a heading)
}

// Len returns the size of the piece in runes, the unit of Config.Target and Max.
func (p Piece) Len() int { return utf8.RuneCountInString(p.Text) }

// Split cuts text into pieces, in document order. Empty or whitespace-only text
// (or text that is only front matter) yields no pieces.
func (c *Chunker) Split(text string) []Piece {
	var out []Piece
	sp := c.newSplitter(func(p Piece) error {
		out = append(out, p)
		return nil
	})
	sp.feed(stripFrontMatter(strings.TrimPrefix(text, "\uFEFF")))
	sp.finish()
	return out
}

// splitter carries the state of one document across the segments it is fed:
// the heading path in force and the chunk being packed.
type splitter struct {
	max   int
	p     packer
	stack []level
	path  []string
}

// level is a heading in the path.
type level struct {
	n     int
	title string
}

func (c *Chunker) newSplitter(emit func(Piece) error) *splitter {
	return &splitter{max: c.cfg.Max, p: packer{target: c.cfg.Target, max: c.cfg.Max, emit: emit}}
}

// feed parses seg, which must end at a block boundary (the end of the text, or a
// blank line outside any code fence).
func (s *splitter) feed(seg string) {
	parse(seg, s.max, s.block)
}

func (s *splitter) block(b *block) {
	if b.kind != kindHeading {
		s.p.addBlock(b, s.path)
		return
	}
	for len(s.stack) > 0 && s.stack[len(s.stack)-1].n >= b.level {
		s.stack = s.stack[:len(s.stack)-1]
	}
	if b.title != "" {
		s.stack = append(s.stack, level{b.level, b.title})
	}
	s.path = make([]string, len(s.stack))
	for k, h := range s.stack {
		s.path[k] = h.title
	}
	s.p.addHeading(b, s.path)
}

// finish emits the last chunk and returns the first error of emit.
func (s *splitter) finish() error {
	s.p.flushAll()
	return s.p.err
}
