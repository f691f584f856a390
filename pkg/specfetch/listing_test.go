package specfetch

import (
	"net/url"
	"reflect"
	"testing"
)

// The two shapes the 3GPP FTP area's IIS has served: upper-case tags with
// server-relative links, and lower-case tags with absolute links (as saved
// pages and mirrors keep them). Entries are invented.
const (
	listingRelative = `<html><head><title>www.3gpp.org - /ftp/Specs/archive/36_series/36.523-1/</title></head><body><H1>www.3gpp.org - /ftp/Specs/archive/36_series/36.523-1/</H1><hr>

<pre><A HREF="/ftp/Specs/archive/36_series/">[To Parent Directory]</A><br><br> 1/16/2019  5:06 PM      4606170 <A HREF="/ftp/Specs/archive/36_series/36.523-1/36523-1-de0.zip">36523-1-de0.zip</A><br>12/30/2016  1:50 AM       589759 <A HREF="/ftp/Specs/archive/36_series/36.523-1/36523-1-d30.zip">36523-1-d30.zip</A><br> 3/2/2021 10:00 AM        &lt;dir&gt; <A HREF="/ftp/Specs/archive/36_series/36.523-1/Archive/">Archive</A><br></pre><hr></body></html>`
	listingAbsolute = `<html><head>
<meta http-equiv="content-type" content="text/html; charset=UTF-8"><title>www.3gpp.org - /ftp/Specs/archive/23_series/23.501/</title></head><body><h1>www.3gpp.org - /ftp/Specs/archive/23_series/23.501/</h1><hr>

<pre><a href="https://www.3gpp.org/ftp/Specs/archive/23_series/">[To Parent Directory]</a><br><br> 3/26/2019  4:49 PM       853676 <a href="https://www.3gpp.org/ftp/Specs/archive/23_series/23.501/23501-g00.zip">23501-g00.zip</a><br>  4/1/2019  1:50 PM      4035920 <a href="https://www.3gpp.org/ftp/Specs/archive/23_series/23.501/23501-g02.zip">23501-g02.zip</a><br></pre><hr></body></html>`
)

func TestParseListing_iisShapes(t *testing.T) {
	cases := []struct {
		name, page, dir string
		want            []entry
	}{
		{
			name: "relative links, upper case",
			page: listingRelative,
			dir:  "https://mirror.example/ftp/Specs/archive/36_series/36.523-1/",
			want: []entry{
				{Name: "36_series", Dir: true, Size: -1},
				{Name: "36523-1-de0.zip", Size: 4606170},
				{Name: "36523-1-d30.zip", Size: 589759},
				{Name: "Archive", Dir: true, Size: -1},
			},
		},
		{
			name: "absolute links, lower case",
			page: listingAbsolute,
			dir:  "http://127.0.0.1:8080/3gpp/23_series/23.501/",
			want: []entry{
				{Name: "23_series", Dir: true, Size: -1},
				{Name: "23501-g00.zip", Size: 853676},
				{Name: "23501-g02.zip", Size: 4035920},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir, _ := url.Parse(tc.dir)
			got := parseListing([]byte(tc.page), dir)
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestSpecFile_versionOrder(t *testing.T) {
	// Listed in archive order; newest first after sorting by (major, technical,
	// editorial) with 0-9 then a=10 ... z=35.
	names := []string{"38331-h90.zip", "38331-ha0.zip", "38331-i09.zip", "38331-i0a.zip", "38331-i10.zip"}
	for i := 1; i < len(names); i++ {
		_, older, ok1 := specFile(names[i-1])
		_, newerV, ok2 := specFile(names[i])
		if !ok1 || !ok2 || !newer(newerV, older) {
			t.Errorf("%s is not newer than %s (%v %v)", names[i], names[i-1], newerV, older)
		}
	}
	s, _, ok := specFile("38331-i40.zip")
	if !ok || s.Number != "38.331" || s.Release != 18 || s.String() != "TS 38.331 V18.4.0" || s.Key() != "3gpp/38331-i40" {
		t.Errorf("38331-i40.zip parsed as %+v (%s, %s)", s, s, s.Key())
	}
	for _, bad := range []string{"38331-i40.doc", "38331-i40_cover.zip", "[To Parent Directory]", "38.331", "readme.zip"} {
		if _, _, ok := specFile(bad); ok {
			t.Errorf("specFile(%q) accepted a non-spec name", bad)
		}
	}
}
