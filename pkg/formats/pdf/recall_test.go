package pdf

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"unicode"

	"github.com/ranstream/ranstream/pkg/formats"
)

// pageMarker matches the page marker lines Convert writes.
var pageMarker = regexp.MustCompile(`(?m)^<!-- page \d+ -->$`)

// words splits text into word tokens: maximal runs of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// wordRecall is the share of ref's word tokens, as a multiset, found in got.
// Page markers are not counted as found words. Two tokens of ref in a row
// that got has as one word count as found: mutool writes a word broken
// without a hyphen at a narrow table cell's edge ("RAN2#10" over "0") as
// two, which the converter joins.
func wordRecall(ref, got string) float64 {
	have := map[string]int{}
	for _, w := range words(pageMarker.ReplaceAllString(got, "")) {
		have[w]++
	}
	total, found := 0, 0
	rw := words(ref)
	for i := 0; i < len(rw); i++ {
		w := rw[i]
		total++
		if have[w] > 0 {
			have[w]--
			found++
			continue
		}
		if i+1 < len(rw) && have[w+rw[i+1]] > 0 {
			have[w+rw[i+1]]--
			total++
			found += 2
			i++
		}
	}
	if total == 0 {
		return 1
	}
	return float64(found) / float64(total)
}

// mutoolText runs `mutool draw -F txt` on path; ok is false without mutool.
func mutoolText(path string) (string, bool, error) {
	if _, err := exec.LookPath("mutool"); err != nil {
		return "", false, nil
	}
	out, err := exec.Command("mutool", "draw", "-q", "-F", "txt", "-o", "-", path).Output()
	return string(out), true, err
}

// convertFile converts the PDF at path with the default limits.
func convertFile(path string) (string, formats.Info, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", formats.Info{}, err
	}
	var out bytes.Buffer
	info, err := Convert(context.Background(), bytes.NewReader(b), int64(len(b)), &out, formats.Limits{})
	return out.String(), info, err
}
