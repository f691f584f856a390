package output

import (
	"fmt"

	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/results"
)

// datasetInput is a mixed input: documents of several examples, an example
// repeated across documents, placeholders, empty results, headings and text
// the encoder could escape.
func datasetInput() []results.ChunkRecord {
	var out []results.ChunkRecord
	for d := range 23 {
		doc := fmt.Sprintf("sha256:%02x", d*7)
		for i := range 2 + d%4 {
			r := extraction.Result{Counters: []extraction.Counter{{Name: fmt.Sprintf("EUtranCellFDD.pmX%d", i%3), MOClass: "EUtranCellFDD"}}}
			text := fmt.Sprintf("chunk %d of %s: a < b && c > d, \"quoted\", ü", i, doc)
			c := record(doc, i, text, r)
			switch {
			case i == 0 && d%5 == 0:
				c.Text, c.Headings = "Shared boilerplate", []string{"Legal", "Trademarks"}
			case i == 1 && d%6 == 0:
				c.Result = extraction.Result{Parameters: []extraction.Parameter{{Name: "<MO>.<attribute>"}}}
			case i == 1 && d%7 == 0:
				c.Result = extraction.Result{}
			case i%2 == 1:
				c.Headings = []string{"Feature", fmt.Sprintf("Section %d", i)}
			}
			out = append(out, c)
		}
	}
	// A document whose every chunk is dropped has no example and no split slot.
	out = append(out, record("sha256:ff", 0, "TODO", extraction.Result{Events: []extraction.Event{{Name: "TBD"}}}))
	return out
}
