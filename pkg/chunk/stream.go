package chunk

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// DefaultWindow is how much text Stream reads before it looks for a place to
// parse up to.
const DefaultWindow = 1 << 20

// Stream splits the text read from r exactly as Split would split all of it,
// handing each piece to emit as soon as it is complete. It holds about window
// bytes of text (DefaultWindow when window <= 0) plus the chunk being built, so
// memory does not grow with the size of the text. It reads up to a blank line
// outside any code fence, where no block can continue, and parses that much;
// a single block longer than the window (one huge table or code fence with no
// blank line in it) is read whole. YAML front matter is recognized only when it
// closes within the first window. An error of emit stops Stream and is
// returned; so is a read error, wrapped.
func (c *Chunker) Stream(r io.Reader, window int, emit func(Piece) error) error {
	if window <= 0 {
		window = DefaultWindow
	}
	sp := c.newSplitter(emit)
	buf := make([]byte, 0, window+window/4)
	first, eof := true, false
	want := window
	for !eof {
		for len(buf) < want && !eof {
			if cap(buf) == len(buf) {
				buf = append(buf, 0)[:len(buf)]
			}
			n, err := r.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			switch {
			case errors.Is(err, io.EOF):
				eof = true
			case err != nil:
				return fmt.Errorf("chunk: read text: %w", err)
			}
		}
		end := len(buf)
		if !eof {
			end = safeCut(buf)
			if end <= 0 {
				want = 2 * len(buf) // one block longer than the window: read more
				continue
			}
		}
		seg := string(buf[:end])
		if first {
			seg = stripFrontMatter(strings.TrimPrefix(seg, "\uFEFF"))
			first = false
		}
		sp.feed(seg)
		if sp.p.err != nil {
			return sp.p.err
		}
		buf = buf[:copy(buf, buf[end:])]
		want = window
	}
	return sp.finish()
}

// safeCut returns the offset just past the last blank line of buf that lies
// outside any code fence, or 0 when there is none. Only whole lines count: the
// bytes after the last newline may be the start of a longer line. buf starts at
// a block boundary, outside any fence.
func safeCut(buf []byte) int {
	cut, fence := 0, ""
	for pos := 0; ; {
		nl := bytes.IndexByte(buf[pos:], '\n')
		if nl < 0 {
			return cut
		}
		raw := buf[pos : pos+nl]
		pos += nl + 1
		// Most lines start with a letter, a digit or '|': neither blank nor a
		// fence line. Only the others are looked at as strings.
		t := bytes.TrimLeft(raw, " \t\r\v\f")
		if len(t) > 0 && t[0] < utf8.RuneSelf && t[0] != '`' && t[0] != '~' {
			continue
		}
		line := string(raw)
		switch {
		case fence != "":
			if fenceClose(strings.TrimRight(line, "\r"), fence) {
				fence = ""
			}
		case isBlank(line):
			cut = pos
		default:
			if marker, ok := fenceOpen(trimRight(line)); ok {
				fence = marker
			}
		}
	}
}
