package pdf

import (
	"regexp"
	"strings"
)

// Running headers and footers ("ETSI" and "ETSI TS 138 201 V19.0.0
// (2026-01) / 6 / 3GPP TS 38.201 version 19.0.0 Release 19" on every ETSI
// page, page numbers, "Company confidential" lines) are page furniture: they
// cut sentences in two at page breaks and repeat in every chunk. A block is
// furniture when it is one of the first or last edgeDepth blocks of its page,
// is short, and the same block (up to its page number) stands at an edge of
// at least half of the pages around it: runningHalfWindow pages before and
// after, so headers that change per chapter are found too. Fewer than
// runningMinPages such pages is never enough, so documents of one or two
// pages keep everything.
const (
	runningHalfWindow = 4
	runningMinPages   = 3
	edgeDepth         = 3
	// furnitureMaxLines and furnitureMaxChars bound what can be furniture.
	furnitureMaxLines = 4
	furnitureMaxChars = 200
)

var (
	// pageNumberLine matches a line that is only a page number: "6",
	// "- 6 -", "Page 6", "Page 6 of 42", "6/42".
	pageNumberLine = regexp.MustCompile(`(?i)^(?:page\s*)?[-–—]?\s*\d{1,5}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,5})?$`)
	// edgeNumber matches a page number standing apart at the start or end of
	// a line: "ETSI TS 138 201 V19.0.0 (2026-01) 6".
	edgeNumber = regexp.MustCompile(`^\d{1,5}\s+|\s+\d{1,5}$`)
)

// markEdges sets the signature of the rows at the top and bottom of p.
func markEdges(p *page) {
	n := len(p.rows)
	p.sig = make([]string, n)
	for i, r := range p.rows {
		if i < edgeDepth || i >= n-edgeDepth {
			p.sig[i] = signature(r.texts())
		}
	}
}

// pageNumberSig stands for a page number in a signature: a row that is only
// a page number has it as its whole signature.
const pageNumberSig = "#"

// signature is what stays the same in a furniture block from page to page:
// its lines with the page number taken out; "" if the block is too long to
// be furniture.
func signature(lines []string) string {
	if len(lines) > furnitureMaxLines {
		return ""
	}
	var sb strings.Builder
	for i, l := range lines {
		if sb.Len()+len(l) > furnitureMaxChars {
			return ""
		}
		if i > 0 {
			sb.WriteByte('\n')
		}
		if isPageNumberLine(l) {
			sb.WriteString(pageNumberSig)
			continue
		}
		sb.WriteString(replaceEdgeNumbers(l))
	}
	return sb.String()
}

// isPageNumberLine reports whether l is only a page number
// (pageNumberLine). A line with no digit, or with a character the
// expression has no place for, is told apart without running it.
func isPageNumberLine(l string) bool {
	digit := false
	for _, r := range l {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r == ' ' || r == '\t' || r == '\n' || r == '\f' || r == '\r',
			r == '-' || r == '–' || r == '—' || r == '/',
			strings.ContainsRune("pageofPAGEOF", r):
		default:
			return false
		}
	}
	return digit && pageNumberLine.MatchString(l)
}

// replaceEdgeNumbers puts " # " for a number of up to five digits standing
// apart at the start or the end of l, as
// edgeNumber.ReplaceAllString(l, " # ") does, without the expression.
func replaceEdgeNumbers(l string) string {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }
	head, rest, tail := "", l, ""
	d := 0
	for d < len(rest) && isDigit(rest[d]) {
		d++
	}
	if d >= 1 && d <= 5 && d < len(rest) && isSpace(rest[d]) {
		for d < len(rest) && isSpace(rest[d]) {
			d++
		}
		head, rest = " # ", rest[d:]
	}
	e := len(rest)
	for e > 0 && isDigit(rest[e-1]) {
		e--
	}
	if n := len(rest) - e; n >= 1 && n <= 5 && e > 0 && isSpace(rest[e-1]) {
		for e > 0 && isSpace(rest[e-1]) {
			e--
		}
		rest, tail = rest[:e], " # "
	}
	if head == "" && tail == "" {
		return l
	}
	return head + rest + tail
}

// edgeSignatures is the set of furniture signatures of p.
func (p *page) edgeSignatures() map[string]bool {
	m := map[string]bool{}
	for _, s := range p.sig {
		if s != "" {
			m[s] = true
		}
	}
	return m
}

// edgeBlocks keeps as furniture only the rows that reach an edge of their
// page through furniture (running marks them, sig holds their signatures,
// in page order): a running header is the top of its page, a running
// footer the bottom. A table's header row, repeated at the top of every
// page the table goes on, reads like a running header; on the page where
// the table starts, the text above it (its heading) keeps it in the body.
// So does a line of the text that happens to recur at page ends ("Access
// Types: Get, Replace" in a list of managed objects). A page number is
// furniture wherever it stands near an edge (beside a slide's title).
func edgeBlocks(running []bool, sig []string) {
	top, bottom := 0, len(running)
	for top < bottom && running[top] {
		top++
	}
	for bottom > top && running[bottom-1] {
		bottom--
	}
	for i := top; i < bottom; i++ {
		running[i] = running[i] && sig[i] == pageNumberSig
	}
}

// isRunning reports whether sig stands at a page edge on at least half of
// the read pages around page num (and on at least runningMinPages). The
// first page keeps everything: it is usually a cover, whose identity line
// ("ETSI TS 138 201 V19.0.0 (2026-01)") may read like the later headers.
func (c *converter) isRunning(num int, sig string) bool {
	if num == 1 {
		return false
	}
	lo, hi := max(1, num-runningHalfWindow), min(c.total, num+runningHalfWindow)
	pages, found := 0, 0
	for i := lo; i <= hi; i++ {
		e := c.edges[i-1]
		if e == nil {
			continue // a page MuPDF could not read
		}
		pages++
		if e[sig] {
			found++
		}
	}
	return found >= runningMinPages && 2*found >= pages
}
