package specfetch

import (
	"bytes"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// entry is one link of a directory listing.
type entry struct {
	// Name is the last path segment of the link's target, or its text.
	Name string
	// Dir reports a subdirectory: "<dir>" before the link, or a target ending in "/".
	Dir bool
	// Size is the size in bytes written before the link; -1 when none is.
	Size int64
}

// iisLine matches what an IIS listing writes before each link:
// " 1/16/2019  5:06 PM      4606170 " or "12/20/2024  2:48 PM        <dir> ".
var iisLine = regexp.MustCompile(`(?i)\d{1,2}/\d{1,2}/\d{4}\s+\d{1,2}:\d{2}(?:\s*[AP]M)?\s+(\d+|<dir>)\s*$`)

// parseListing reads the links of a directory listing page: the IIS format of
// the 3GPP FTP area (a <pre> of "date time size-or-<dir> <A HREF=...>name</A><br>"
// lines, relative or absolute targets, either tag case), and, degrading to
// names only, any page whose links name the files.
// Callers pick the entries they want by name (spec files, spec directories),
// so the parent link and other links need no filtering here.
func parseListing(page []byte, dir *url.URL) []entry {
	z := html.NewTokenizer(bytes.NewReader(page))
	var (
		out      []entry
		before   string // text since the previous link
		inLink   bool
		href     string
		linkText strings.Builder
	)
	for {
		switch z.Next() {
		case html.ErrorToken: // io.EOF, or a page cut short: keep what was read
			return out
		case html.TextToken:
			if inLink {
				linkText.Write(z.Text())
			} else {
				before += string(z.Text())
			}
		case html.StartTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "a":
				inLink, href = true, ""
				linkText.Reset()
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					if string(k) == "href" {
						href = string(v)
					}
				}
			case "br", "tr", "p", "li":
				before = ""
			}
		case html.SelfClosingTagToken:
			before = ""
		case html.EndTagToken:
			name, _ := z.TagName()
			if string(name) != "a" || !inLink {
				continue
			}
			inLink = false
			if e, ok := listingEntry(strings.TrimSpace(linkText.String()), href, before, dir); ok {
				out = append(out, e)
			}
			before = ""
		}
	}
}

func listingEntry(text, href, before string, dir *url.URL) (entry, bool) {
	if href == "" {
		return entry{}, false
	}
	target, err := dir.Parse(href)
	if err != nil {
		return entry{}, false
	}
	// The target's last segment is the name: link texts may be shortened or
	// decorated ("[To Parent Directory]"); the target is what the server serves.
	name := path.Base(strings.TrimSuffix(target.Path, "/"))
	if name == "" || name == "." || name == "/" {
		name = text
	}
	e := entry{Name: name, Dir: strings.HasSuffix(target.Path, "/"), Size: -1}
	if m := iisLine.FindStringSubmatch(before); m != nil {
		if strings.EqualFold(m[1], "<dir>") {
			e.Dir = true
		} else if n, err := strconv.ParseInt(m[1], 10, 64); err == nil {
			e.Size = n
		}
	}
	return e, true
}
