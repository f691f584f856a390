package html

import (
	"regexp"
	"strings"
	"time"

	"golang.org/x/net/html"
)

// Lines of the directory listings that web servers generate inside <pre>:
// IIS (the 3GPP FTP pages: " 1/16/2019  5:06 PM      4606170 36101-de0.zip",
// "<dir>" for a directory) and Apache ("name  2019-01-16 17:06  4.4M").
var (
	iisLine    = regexp.MustCompile(`^\s*(\d{1,2}/\d{1,2}/\d{4})\s+(\d{1,2}:\d{2}(?:\s*[AaPp][Mm])?)\s+(<dir>|\d+)\s+(\S.*?)\s*$`)
	apacheLine = regexp.MustCompile(`^\s*(\S.*?)\s+(\d{4}-\d{2}-\d{2}\s+\d{2}:\d{2}|\d{1,2}-[A-Za-z]{3}-\d{4}\s+\d{2}:\d{2})\s+(-|\d+(?:\.\d+)?[KMGT]?)\s*$`)
	parentLine = regexp.MustCompile(`(?i)^\s*(\[to parent directory\]|parent directory|\.\./?)\s*`)
)

// entry is one file or directory of a listing.
type entry struct{ name, date, size string }

// listing writes a <pre> that is a server-generated directory listing as a
// table of its entries (name, date, size): the file names are the content of
// such a page (3GPP specification archives). It reports false, writing
// nothing, for any other <pre>.
func (r *renderer) listing(pre *html.Node) bool {
	var entries []entry
	other := 0
	for _, line := range strings.Split(preText(pre), "\n") {
		if strings.TrimSpace(line) == "" || parentLine.MatchString(line) {
			continue
		}
		if m := iisLine.FindStringSubmatch(line); m != nil {
			e := entry{name: m[4], date: isoDate(m[1]+" "+m[2], "1/2/2006 3:04 PM", "1/2/2006 15:04"), size: m[3]}
			if e.size == "<dir>" {
				e.size = "directory"
			}
			entries = append(entries, e)
			continue
		}
		if m := apacheLine.FindStringSubmatch(line); m != nil && !strings.HasPrefix(strings.TrimSpace(m[1]), "Name ") {
			e := entry{name: m[1], date: isoDate(m[2], "2006-01-02 15:04", "02-Jan-2006 15:04"), size: m[3]}
			if strings.HasSuffix(e.name, "/") || e.size == "-" {
				e.size = "directory"
			}
			entries = append(entries, e)
			continue
		}
		other++
	}
	if len(entries) < 2 || len(entries) < 2*other {
		return false
	}
	var sb strings.Builder
	sb.WriteString("| Name | Date | Size |\n| --- | --- | --- |\n")
	for _, e := range entries {
		writeRow(&sb, []string{collapse(e.name), e.date, e.size})
	}
	r.md.block(strings.TrimRight(sb.String(), "\n"))
	r.entries += len(entries)
	r.tables++
	return true
}

// isoDate rewrites a listing's date as "2006-01-02 15:04", or returns it as
// written when no layout fits.
func isoDate(s string, layouts ...string) string {
	s = strings.Join(strings.Fields(s), " ")
	for _, l := range layouts {
		if t, err := time.Parse(l, strings.ToUpper(s)); err == nil {
			return t.Format("2006-01-02 15:04")
		}
		if t, err := time.Parse(l, s); err == nil {
			return t.Format("2006-01-02 15:04")
		}
	}
	return s
}
