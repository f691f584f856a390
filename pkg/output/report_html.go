package output

import (
	"cmp"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/ranstream/ranstream/pkg/extraction"
)

// qualityBuckets is the number of bars of report.html's quality histograms,
// each a tenth of the 0..1 range.
const qualityBuckets = 10

// maxHTMLList bounds report.html's lists of slowest and largest documents.
const maxHTMLList = 10

// docRow is one document of report.html's per-document table.
type docRow struct {
	DocID        string
	Source       string
	Format       string
	Family       string
	Mode         string
	Quality      float64
	Chunks       int
	Outcome      string
	SupersededBy string
	Items        int
	Features     int
	Parameters   int
	Counters     int
	Events       int
	Related      int
	Procedures   int
	Seconds      float64
	// Done is when the document was done; zero when not known.
	Done time.Time
}

// htmlBar is one rect of an inline SVG chart.
type htmlBar struct {
	X, Y, W, H    float64
	Label, Count  string
	LabelX, TextY float64
}

// htmlHistogram is the quality histogram of one mode.
type htmlHistogram struct {
	Mode   string
	Chunks int
	Mean   float64
	Bars   []htmlBar
	Width  int
	Height int
}

type htmlCount struct {
	Key   string
	Count int
}

type htmlFormat struct {
	Format   string
	Outcomes []htmlCount
	Total    int
}

type htmlDeadLetter struct {
	Stage, Source, Reason, DocID string
	Chunk                        string
}

// htmlData is what report.html's template renders.
type htmlData struct {
	R           Report
	Generated   string
	Outcomes    []htmlCount
	Formats     []htmlFormat
	Families    []htmlCount
	Histograms  []htmlHistogram
	Hops        []htmlCount
	Items       []htmlCount
	DeadLetters []htmlDeadLetter
	Slowest     []docRow
	Largest     []docRow
	Docs        []docRow
	Timeline    *htmlTimeline
	DatasetText string
}

// htmlTimeline is report.html's throughput over time: documents done per
// interval of the run, as bars, with the cumulative count as a line.
type htmlTimeline struct {
	Bars          []htmlBar
	Line          string // polyline points of the cumulative count
	Width, Height int
	// Interval is the width of one bar in seconds, Span the time charted,
	// Peak the highest rate of one interval in documents per second.
	Interval, Span, Peak float64
	Docs                 int
	AxisY                float64
	Ticks                []htmlBar
}

// timelineBars is the number of intervals of the throughput chart.
const timelineBars = 40

// timeline charts when the documents of rows were done, from the start of
// the first (its done time less its seconds) to the last done; nil when no
// document has a done time.
func timeline(rows []docRow) *htmlTimeline {
	var first, last time.Time
	n := 0
	for _, r := range rows {
		if r.Done.IsZero() {
			continue
		}
		start := r.Done.Add(-time.Duration(r.Seconds * float64(time.Second)))
		if n == 0 || start.Before(first) {
			first = start
		}
		if n == 0 || r.Done.After(last) {
			last = r.Done
		}
		n++
	}
	if n == 0 {
		return nil
	}
	const (
		barW, plotH, top, bottom, left = 14.0, 120.0, 16.0, 20.0, 4.0
	)
	span := last.Sub(first)
	if span <= 0 {
		span = time.Millisecond
	}
	step := span / timelineBars
	if step <= 0 {
		step = 1
	}
	var counts [timelineBars]int
	for _, r := range rows {
		if r.Done.IsZero() {
			continue
		}
		b := int(r.Done.Sub(first) / step)
		counts[min(max(b, 0), timelineBars-1)]++
	}
	peak := 0
	for _, c := range counts {
		peak = max(peak, c)
	}
	t := &htmlTimeline{Width: int(left + timelineBars*barW + 40), Height: int(top + plotH + bottom),
		Interval: step.Seconds(), Span: span.Seconds(), Peak: float64(peak) / step.Seconds(), Docs: n, AxisY: top + plotH}
	var line strings.Builder
	cum := 0
	for i, c := range counts {
		h := plotH * float64(c) / float64(peak)
		x := left + float64(i)*barW
		t.Bars = append(t.Bars, htmlBar{X: x, Y: top + plotH - h, W: barW - 2, H: h,
			Label: fmt.Sprintf("%.1f-%.1f s", float64(i)*step.Seconds(), float64(i+1)*step.Seconds()), Count: fmt.Sprint(c)})
		cum += c
		fmt.Fprintf(&line, "%.1f,%.1f ", x+barW-1, top+plotH-plotH*float64(cum)/float64(n))
	}
	t.Line = strings.TrimSpace(line.String())
	for i := 0; i <= 4; i++ {
		x := left + float64(i)*timelineBars*barW/4
		t.Ticks = append(t.Ticks, htmlBar{LabelX: x, Label: fmt.Sprintf("%.0f s", float64(i)*span.Seconds()/4)})
	}
	return t
}

// addHistogram counts one chunk's quality in its mode's histogram.
func (r *Report) addHistogram(mode extraction.Mode, q float64) {
	if r.qhist == nil {
		r.qhist = map[extraction.Mode][qualityBuckets]int{}
	}
	b := int(q * qualityBuckets)
	b = min(max(b, 0), qualityBuckets-1)
	h := r.qhist[mode]
	h[b]++
	r.qhist[mode] = h
}

func (r Report) htmlData(now time.Time) htmlData {
	d := htmlData{R: r, Generated: now.UTC().Format(time.RFC3339), Docs: r.rows, DatasetText: strings.TrimSpace(r.Dataset.text())}
	for _, k := range sortedKeys(r.Outcomes) {
		if r.Outcomes[k] > 0 {
			d.Outcomes = append(d.Outcomes, htmlCount{k, r.Outcomes[k]})
		}
	}
	for _, f := range sortedKeys(r.ByFormat) {
		hf := htmlFormat{Format: f}
		for _, k := range sortedKeys(r.ByFormat[f]) {
			hf.Outcomes = append(hf.Outcomes, htmlCount{k, r.ByFormat[f][k]})
			hf.Total += r.ByFormat[f][k]
		}
		d.Formats = append(d.Formats, hf)
	}
	for _, f := range sortedKeys(r.ByFamily) {
		d.Families = append(d.Families, htmlCount{f, r.ByFamily[f]})
	}
	for _, h := range sortedKeys(r.Hops) {
		d.Hops = append(d.Hops, htmlCount{fmt.Sprint(h), r.Hops[h]})
	}
	for _, k := range sortedKeys(r.Items) {
		d.Items = append(d.Items, htmlCount{k, r.Items[k]})
	}
	for _, m := range extraction.Modes {
		h, ok := r.qhist[m]
		if !ok {
			continue
		}
		d.Histograms = append(d.Histograms, histogram(string(m), h, r.QualityByMode[m]))
	}
	for _, dl := range r.deadLetters {
		hd := htmlDeadLetter{Stage: dl.Stage, Source: dl.Source, Reason: dl.Reason, DocID: dl.DocID}
		if dl.Chunk >= 0 {
			hd.Chunk = fmt.Sprint(dl.Chunk)
		}
		d.DeadLetters = append(d.DeadLetters, hd)
	}
	largest := slices.Clone(r.rows)
	slices.SortStableFunc(largest, func(a, b docRow) int {
		return cmp.Or(cmp.Compare(b.Chunks, a.Chunks), cmp.Compare(a.Source, b.Source))
	})
	d.Largest = largest[:min(len(largest), maxHTMLList)]
	var slow []docRow
	for _, row := range r.rows {
		if row.Seconds > 0 {
			slow = append(slow, row)
		}
	}
	slices.SortStableFunc(slow, func(a, b docRow) int {
		return cmp.Or(cmp.Compare(b.Seconds, a.Seconds), cmp.Compare(a.Source, b.Source))
	})
	d.Slowest = slow[:min(len(slow), maxHTMLList)]
	d.Timeline = timeline(r.rows)
	return d
}

// histogram lays out one mode's quality histogram as SVG bars.
func histogram(mode string, h [qualityBuckets]int, q ModeQuality) htmlHistogram {
	const (
		barW, gap, plotH, top, bottom, left = 36.0, 4.0, 120.0, 16.0, 20.0, 4.0
	)
	peak := 0
	for _, n := range h {
		peak = max(peak, n)
	}
	out := htmlHistogram{Mode: mode, Chunks: q.Chunks, Mean: q.Mean,
		Width: int(left + qualityBuckets*(barW+gap)), Height: int(top + plotH + bottom)}
	for i, n := range h {
		bh := 0.0
		if peak > 0 {
			bh = plotH * float64(n) / float64(peak)
		}
		x := left + float64(i)*(barW+gap)
		out.Bars = append(out.Bars, htmlBar{
			X: x, Y: top + plotH - bh, W: barW, H: bh,
			Label: fmt.Sprintf("%.1f", float64(i)/qualityBuckets), Count: fmt.Sprint(n),
			LabelX: x + barW/2, TextY: top + plotH - bh - 3,
		})
	}
	return out
}

// HTML writes report.html: a self-contained page (inline CSS and SVG, no
// script, no asset from the network) that opens offline.
func (r Report) HTML(w io.Writer) error {
	if err := reportTemplate.Execute(w, r.htmlData(time.Now())); err != nil {
		return fmt.Errorf("render report.html: %w", err)
	}
	return nil
}

var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct": func(f float64) string { return fmt.Sprintf("%.3f", f) },
}).Parse(reportHTML))

const reportHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>ranstream report</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; background: #fff; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: .4em 0; }
th, td { border: 1px solid #ccc; padding: 2px 8px; text-align: left; vertical-align: top; }
th { background: #eef; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5em; }
.chart { border: 1px solid #ddd; padding: .4em; }
svg text { font: 10px sans-serif; fill: #333; }
.sup { color: #888; }
</style>
</head>
<body>
<h1>ranstream report</h1>
<p>Generated {{.Generated}}. {{.R.Documents}} documents, {{.R.Chunks}} chunks in {{printf "%.1f" .R.ElapsedSec}} s
({{printf "%.2f" .R.DocsPerSec}} docs/s, {{printf "%.1f" .R.ChunksPerSec}} chunks/s){{if gt .R.PeakRSSMB 0.0}}; peak RSS {{printf "%.0f" .R.PeakRSSMB}} MB{{end}}.</p>

<h2 id="outcomes">Outcomes</h2>
<table><tr>{{range .Outcomes}}<th>{{.Key}}</th>{{end}}</tr><tr>{{range .Outcomes}}<td class="n">{{.Count}}</td>{{end}}</tr></table>

<h2 id="formats">By format</h2>
<table><tr><th>format</th><th>documents</th><th>outcomes</th></tr>
{{range .Formats}}<tr><td>{{.Format}}</td><td class="n">{{.Total}}</td><td>{{range .Outcomes}}{{.Key}}={{.Count}} {{end}}</td></tr>
{{end}}</table>

<h2 id="families">By family</h2>
<table><tr><th>family</th><th>documents</th></tr>
{{range .Families}}<tr><td>{{.Key}}</td><td class="n">{{.Count}}</td></tr>
{{end}}</table>

<h2 id="quality">Quality by accepted mode</h2>
<div class="charts">
{{range .Histograms}}<div class="chart"><div><b>{{.Mode}}</b>: {{.Chunks}} chunks, mean {{pct .Mean}}</div>
<svg xmlns="http://www.w3.org/2000/svg" class="histogram" width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}" role="img" aria-label="quality histogram of {{.Mode}}">
<line x1="0" y1="136" x2="{{.Width}}" y2="136" stroke="#999"/>
{{range .Bars}}<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" fill="#4a78c2"><title>quality {{.Label}}: {{.Count}} chunks</title></rect>
<text x="{{.LabelX}}" y="150" text-anchor="middle">{{.Label}}</text>{{if ne .Count "0"}}<text x="{{.LabelX}}" y="{{.TextY}}" text-anchor="middle">{{.Count}}</text>{{end}}
{{end}}</svg></div>
{{else}}<p>No chunk accepted.</p>
{{end}}</div>

<h2 id="hops">Routing hops</h2>
<table><tr><th>hops to a richer mode</th><th>chunks</th></tr>
{{range .Hops}}<tr><td class="n">{{.Key}}</td><td class="n">{{.Count}}</td></tr>
{{end}}</table>

<h2 id="items">Items</h2>
<table><tr><th>category</th><th>items</th></tr>
{{range .Items}}<tr><td>{{.Key}}</td><td class="n">{{.Count}}</td></tr>
{{end}}</table>
{{with .R.LLM}}<p>LLM (hybrid) on {{$.R.LLMChunks}} chunks: {{.Kept}} items grounded and kept ({{.Added}} new to the rules), {{.Dropped}} ungrounded dropped.</p>{{end}}

<h2 id="empty">Documents with no items</h2>
<p>{{.R.EmptyDocuments}} documents, {{.R.EmptyChunks}} chunks.</p>
{{if .R.LargestEmpty}}<table><tr><th>source</th><th>format</th><th>family</th><th>chunks</th></tr>
{{range .R.LargestEmpty}}<tr><td>{{.Source}}</td><td>{{.Format}}</td><td>{{.Family}}</td><td class="n">{{.Chunks}}</td></tr>
{{end}}</table>{{end}}

<h2 id="dead-letters">Dead letters</h2>
{{if .DeadLetters}}<table><tr><th>stage</th><th>source</th><th>chunk</th><th>reason</th></tr>
{{range .DeadLetters}}<tr class="dead-letter"><td>{{.Stage}}</td><td>{{.Source}}</td><td class="n">{{.Chunk}}</td><td>{{.Reason}}</td></tr>
{{end}}</table>{{else}}<p>None.</p>{{end}}
{{if .R.Unreadable}}<h2 id="unreadable">Unreadable documents, left out</h2>
<table><tr><th>source</th><th>doc id</th><th>reason</th></tr>
{{range .R.Unreadable}}<tr><td>{{.Source}}</td><td>{{.DocID}}</td><td>{{.Reason}}</td></tr>
{{end}}</table>{{end}}
{{if .R.PendingSources}}<h2 id="pending">Sources not ingested yet</h2>
<table><tr><th>source</th><th>last failure</th></tr>
{{range .R.PendingSources}}<tr><td>{{.Source}}</td><td>{{.Reason}}</td></tr>
{{end}}</table>{{end}}

<h2 id="throughput">Throughput over time</h2>
{{with .Timeline}}<p>{{.Docs}} documents done over {{printf "%.1f" .Span}} s; bars: documents done per {{printf "%.2f" .Interval}} s (peak {{printf "%.1f" .Peak}} docs/s); line: share of them done so far.</p>
<div class="chart"><svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}" role="img" aria-label="documents done over time">
<line x1="0" y1="{{.AxisY}}" x2="{{.Width}}" y2="{{.AxisY}}" stroke="#999"/>
{{range .Bars}}<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" fill="#5a9e5a"><title>{{.Label}}: {{.Count}} documents</title></rect>
{{end}}<polyline points="{{.Line}}" fill="none" stroke="#c24a4a" stroke-width="1.5"/>
{{range .Ticks}}<text x="{{.LabelX}}" y="{{$.Timeline.Height}}" dy="-6">{{.Label}}</text>
{{end}}</svg></div>
{{else}}<p>No document of this run has a done time.</p>{{end}}

{{if .Slowest}}<h2 id="slowest">Slowest documents</h2>
<table><tr><th>source</th><th>format</th><th>chunks</th><th>seconds</th></tr>
{{range .Slowest}}<tr><td>{{.Source}}</td><td>{{.Format}}</td><td class="n">{{.Chunks}}</td><td class="n">{{printf "%.2f" .Seconds}}</td></tr>
{{end}}</table>{{end}}

<h2 id="largest">Largest documents</h2>
<table><tr><th>source</th><th>format</th><th>chunks</th><th>items</th></tr>
{{range .Largest}}<tr><td>{{.Source}}</td><td>{{.Format}}</td><td class="n">{{.Chunks}}</td><td class="n">{{.Items}}</td></tr>
{{end}}</table>

<h2 id="documents">Documents</h2>
<table class="documents"><tr><th>source</th><th>format</th><th>family</th><th>mode</th><th>quality</th><th>chunks</th><th>outcome</th>
<th>features</th><th>parameters</th><th>counters</th><th>events</th><th>related</th><th>procedures</th><th>superseded by</th></tr>
{{range .Docs}}<tr class="doc{{if .SupersededBy}} sup{{end}}"><td>{{.Source}}</td><td>{{.Format}}</td><td>{{.Family}}</td><td>{{.Mode}}</td><td class="n">{{pct .Quality}}</td><td class="n">{{.Chunks}}</td><td>{{.Outcome}}</td>
<td class="n">{{.Features}}</td><td class="n">{{.Parameters}}</td><td class="n">{{.Counters}}</td><td class="n">{{.Events}}</td><td class="n">{{.Related}}</td><td class="n">{{.Procedures}}</td><td>{{.SupersededBy}}</td></tr>
{{end}}</table>
{{if .DatasetText}}<h2 id="dataset">Dataset</h2><pre>{{.DatasetText}}</pre>{{end}}
</body>
</html>
`
