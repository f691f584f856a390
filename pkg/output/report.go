package output

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/extraction"
	"github.com/ranstream/ranstream/pkg/results"
)

// RunInfo describes the run that produced the results.
type RunInfo struct {
	Started time.Time     `json:"started"`
	Elapsed time.Duration `json:"-"`
	// Inputs is the number of documents submitted (files and archive members).
	Inputs int `json:"inputs"`
	// PeakRSS is the process's peak resident memory in bytes, 0 when unknown.
	PeakRSS uint64 `json:"-"`
	// DocSeconds gives, per document id, the time from its arrival to its
	// completion, when known: report.html lists the slowest documents.
	DocSeconds map[string]float64 `json:"-"`
	// DocDone gives, per document id, when it was done, when known:
	// report.html charts the throughput over time from it.
	DocDone map[string]time.Time `json:"-"`
}

// Report is report.json: counts by format and outcome, quality by mode, routing
// hops and throughput.
type Report struct {
	Started    time.Time `json:"started"`
	ElapsedSec float64   `json:"elapsed_seconds"`
	Documents  int       `json:"documents"`
	// Outcomes counts documents by outcome: accepted (every chunk), partial (some
	// chunks dead-lettered), dead_lettered, expanded (archives whose members became
	// documents), superseded (a later version of the same source replaced it),
	// unreadable (its records could not be read), pending (in work, or a source
	// whose ingest is being retried).
	Outcomes map[string]int `json:"outcomes"`
	// Unreadable lists the documents left out because their records could not
	// be read, with the reason.
	Unreadable []Problem `json:"unreadable,omitempty"`
	// PendingSources lists sources not ingested yet, with their last failure.
	PendingSources []Problem `json:"pending_sources,omitempty"`
	// ByFormat counts documents by format and outcome.
	ByFormat map[string]map[string]int `json:"by_format"`
	// ByFamily counts documents with a record by family (3gpp, elex,
	// generic).
	ByFamily map[string]int `json:"by_family"`
	Chunks   int            `json:"chunks"`
	// EmptyDocuments and EmptyChunks count the documents and chunks whose
	// extraction holds no item at all; LargestEmpty lists the largest such
	// documents by chunk count.
	EmptyDocuments int        `json:"empty_documents"`
	EmptyChunks    int        `json:"empty_chunks"`
	LargestEmpty   []EmptyDoc `json:"largest_empty_documents,omitempty"`
	// QualityByMode is the mean chunk quality per accepted mode, with counts.
	QualityByMode map[extraction.Mode]ModeQuality `json:"quality_by_mode"`
	// Hops counts chunks by how many richer modes they were routed to (0: the
	// start mode was accepted).
	Hops map[int]int `json:"routing_hops"`
	// StartModes counts chunks by the mode they started in (the first mode
	// they tried): a start above the cheapest is the router's
	// classification of the chunk (route.Classify) or --mode. Held is how
	// often that start was the accepted mode, Climbed how often the chunk
	// went on to a richer one.
	StartModes map[extraction.Mode]StartOutcome `json:"start_modes"`
	// Items counts extracted items per category over all documents.
	Items        map[string]int `json:"items"`
	DeadLetters  map[string]int `json:"dead_letters_by_stage"`
	DocsPerSec   float64        `json:"docs_per_second"`
	ChunksPerSec float64        `json:"chunks_per_second"`
	Dataset      DatasetCounts  `json:"dataset"`
	PeakRSSMB    float64        `json:"peak_rss_mb"`
	// LLM sums hybrid's LLM pass over LLMChunks chunks: items grounded and kept,
	// dropped as ungrounded, and added to what the rules found.
	LLM       *extraction.LLMUse `json:"llm,omitempty"`
	LLMChunks int                `json:"llm_chunks,omitempty"`

	qsum         map[extraction.Mode]float64
	failedChunks map[string]bool
	// qhist, rows and deadLetters are for report.html: chunk quality per
	// mode in tenths, one row per rendered document, the dead letters.
	qhist       map[extraction.Mode][qualityBuckets]int
	rows        []docRow
	deadLetters []event.DeadLetter
}

// Problem is a document or a source the report accounts for apart: why it is
// not among the rendered documents.
type Problem struct {
	DocID  string `json:"doc_id,omitempty"`
	Source string `json:"source,omitempty"`
	Reason string `json:"reason"`
}

// EmptyDoc is a document whose extraction holds no item.
type EmptyDoc struct {
	Source string `json:"source"`
	Format string `json:"format"`
	Family string `json:"family,omitempty"`
	Chunks int    `json:"chunks"`
}

// maxLargestEmpty bounds the list of the largest empty documents.
const maxLargestEmpty = 10

// StartOutcome counts the chunks that started in one mode: accepted there
// (Held) or routed to a richer mode (Climbed).
type StartOutcome struct {
	Chunks  int `json:"chunks"`
	Held    int `json:"held"`
	Climbed int `json:"climbed"`
}

// ModeQuality is the quality of the chunks accepted in one mode.
type ModeQuality struct {
	Chunks int     `json:"chunks"`
	Mean   float64 `json:"mean"`
}

func newReport(in Input) Report {
	r := Report{
		Started: in.Run.Started, ElapsedSec: round(in.Run.Elapsed.Seconds()),
		PeakRSSMB: round(float64(in.Run.PeakRSS) / (1 << 20)),
		Outcomes:  map[string]int{}, ByFormat: map[string]map[string]int{}, ByFamily: map[string]int{},
		QualityByMode: map[extraction.Mode]ModeQuality{}, Hops: map[int]int{}, StartModes: map[extraction.Mode]StartOutcome{},
		Items: map[string]int{}, DeadLetters: map[string]int{}, qsum: map[extraction.Mode]float64{},
		deadLetters: in.DeadLetters,
	}
	rendered := map[string]bool{}
	for _, d := range in.Docs {
		rendered[d.DocID] = true
	}
	failedDocs := map[string]bool{}
	for _, dl := range in.DeadLetters {
		r.DeadLetters[dl.Stage]++
		switch {
		case dl.Chunk < 0:
			failedDocs[dl.DocID+"\x00"+dl.Source] = true
		case !rendered[dl.DocID]:
			// Every chunk of it failed: no record, still a document.
			failedDocs[dl.DocID+"\x00"] = true
		}
	}
	for key := range failedDocs {
		id, _, _ := strings.Cut(key, "\x00")
		r.count(in.Formats[id], "dead_lettered")
	}
	for _, format := range in.Expanded {
		r.count(format, "expanded")
	}
	for _, p := range in.Unreadable {
		r.unreadable(p, in.Formats[p.DocID])
	}
	r.PendingSources = in.PendingSources
	r.Outcomes["pending"] += in.Pending + len(in.PendingSources)
	return r
}

// count counts one document of format with outcome.
func (r *Report) count(format, outcome string) {
	if format == "" {
		format = "unknown"
	}
	r.Documents++
	r.Outcomes[outcome]++
	if r.ByFormat[format] == nil {
		r.ByFormat[format] = map[string]int{}
	}
	r.ByFormat[format][outcome]++
}

// addDoc counts a rendered document: its outcome and its items.
func (r *Report) addDoc(in Input, d results.DocRecord) {
	outcome := "accepted"
	switch {
	case in.Superseded[d.DocID] != "":
		outcome = "superseded"
	case r.partial(in, d.DocID):
		outcome = "partial"
	case !d.Complete():
		outcome = "pending"
	}
	r.count(d.Format, outcome)
	x := d.Extraction
	r.rows = append(r.rows, docRow{
		DocID: d.DocID, Source: d.Source, Format: d.Format, Family: string(d.Family), Mode: string(d.Mode()),
		Quality: round(d.Quality()), Chunks: d.Total, Outcome: outcome, SupersededBy: in.Superseded[d.DocID],
		Items: x.Items(), Features: len(x.MainFeatures), Parameters: len(x.Parameters), Counters: len(x.Counters),
		Events: len(x.Events), Related: len(x.RelatedFeatures), Procedures: len(x.ActivationProcedures),
		Seconds: round(in.Run.DocSeconds[d.DocID]), Done: in.Run.DocDone[d.DocID],
	})
	if outcome == "superseded" {
		return
	}
	fam := string(d.Family)
	if fam == "" {
		fam = "unknown"
	}
	r.ByFamily[fam]++
	if d.Complete() && d.Extraction.Items() == 0 {
		r.EmptyDocuments++
		r.LargestEmpty = append(r.LargestEmpty, EmptyDoc{Source: d.Source, Format: d.Format, Family: string(d.Family), Chunks: d.Total})
	}
	r.Items["main_features"] += len(x.MainFeatures)
	r.Items["parameters"] += len(x.Parameters)
	r.Items["counters"] += len(x.Counters)
	r.Items["events"] += len(x.Events)
	r.Items["related_features"] += len(x.RelatedFeatures)
	r.Items["activation_procedures"] += len(x.ActivationProcedures)
}

// partial reports whether some chunk of doc was dead-lettered.
func (r *Report) partial(in Input, doc string) bool {
	if r.failedChunks == nil {
		r.failedChunks = map[string]bool{}
		for _, dl := range in.DeadLetters {
			if dl.Chunk >= 0 {
				r.failedChunks[dl.DocID] = true
			}
		}
	}
	return r.failedChunks[doc]
}

// unreadable reports a document left out because its records cannot be read.
func (r *Report) unreadable(p Problem, format string) {
	r.Unreadable = append(r.Unreadable, p)
	r.count(format, "unreadable")
}

// reportSnapshot is what rendering one document changes in the report before
// it is known to be readable.
type reportSnapshot struct {
	chunks int
	empty  int
	modes  map[extraction.Mode]ModeQuality
	qsum   map[extraction.Mode]float64
	hops   map[int]int
	starts map[extraction.Mode]StartOutcome
	qhist  map[extraction.Mode][qualityBuckets]int
}

func (r *Report) snapshot() reportSnapshot {
	return reportSnapshot{r.Chunks, r.EmptyChunks, maps.Clone(r.QualityByMode), maps.Clone(r.qsum), maps.Clone(r.Hops), maps.Clone(r.StartModes), maps.Clone(r.qhist)}
}

func (r *Report) restore(s reportSnapshot) {
	r.Chunks, r.EmptyChunks, r.QualityByMode, r.qsum, r.Hops, r.StartModes, r.qhist = s.chunks, s.empty, s.modes, s.qsum, s.hops, s.starts, s.qhist
}

func (r *Report) addChunk(c results.ChunkRecord) {
	r.Chunks++
	if c.Result.Items() == 0 {
		r.EmptyChunks++
	}
	q := r.QualityByMode[c.Mode]
	q.Chunks++
	r.qsum[c.Mode] += c.Quality
	q.Mean = round(r.qsum[c.Mode] / float64(q.Chunks))
	r.QualityByMode[c.Mode] = q
	r.Hops[max(len(c.ModesTried)-1, 0)]++
	if len(c.ModesTried) > 0 {
		s := r.StartModes[c.ModesTried[0]]
		s.Chunks++
		if len(c.ModesTried) == 1 {
			s.Held++
		} else {
			s.Climbed++
		}
		r.StartModes[c.ModesTried[0]] = s
	}
	r.addHistogram(c.Mode, c.Quality)
}

func (r *Report) finish() {
	slices.SortStableFunc(r.LargestEmpty, func(a, b EmptyDoc) int {
		return cmp.Or(cmp.Compare(b.Chunks, a.Chunks), cmp.Compare(a.Source, b.Source))
	})
	if len(r.LargestEmpty) > maxLargestEmpty {
		r.LargestEmpty = r.LargestEmpty[:maxLargestEmpty]
	}
	if r.ElapsedSec > 0 {
		r.DocsPerSec = round(float64(r.Documents) / r.ElapsedSec)
		r.ChunksPerSec = round(float64(r.Chunks) / r.ElapsedSec)
	}
}

// addLLM counts a document's LLM use.
func (r *Report) addLLM(u extraction.LLMUse, chunks int) {
	if r.LLM == nil {
		r.LLM = &extraction.LLMUse{}
	}
	r.LLM.Add(u)
	r.LLMChunks += chunks
}

// Text is the human view of the report.
func (r Report) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ranstream report\n\n")
	fmt.Fprintf(&b, "documents   %d in %.1fs (%.2f docs/s, %.1f chunks/s)\n", r.Documents, r.ElapsedSec, r.DocsPerSec, r.ChunksPerSec)
	if r.PeakRSSMB > 0 {
		fmt.Fprintf(&b, "peak RSS    %.0f MB\n", r.PeakRSSMB)
	}
	fmt.Fprintf(&b, "outcomes   ")
	for _, k := range sortedKeys(r.Outcomes) {
		if r.Outcomes[k] > 0 {
			fmt.Fprintf(&b, " %s=%d", k, r.Outcomes[k])
		}
	}
	fmt.Fprintf(&b, "\n\nby format\n")
	for _, f := range sortedKeys(r.ByFormat) {
		fmt.Fprintf(&b, "  %-12s", f)
		for _, k := range sortedKeys(r.ByFormat[f]) {
			fmt.Fprintf(&b, " %s=%d", k, r.ByFormat[f][k])
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "\nby family\n")
	for _, f := range sortedKeys(r.ByFamily) {
		fmt.Fprintf(&b, "  %-12s %d\n", f, r.ByFamily[f])
	}
	fmt.Fprintf(&b, "\nno items: %d documents, %d chunks\n", r.EmptyDocuments, r.EmptyChunks)
	for _, e := range r.LargestEmpty {
		fmt.Fprintf(&b, "  %6d chunks  %-8s %-8s %s\n", e.Chunks, e.Format, e.Family, e.Source)
	}
	fmt.Fprintf(&b, "\nchunks %d; quality by accepted mode\n", r.Chunks)
	for _, m := range extraction.Modes {
		if q, ok := r.QualityByMode[m]; ok {
			fmt.Fprintf(&b, "  %-16s %6d chunks  mean %.3f\n", m, q.Chunks, q.Mean)
		}
	}
	fmt.Fprintf(&b, "\nrouting hops\n")
	for _, h := range sortedKeys(r.Hops) {
		fmt.Fprintf(&b, "  %d: %d chunks\n", h, r.Hops[h])
	}
	fmt.Fprintf(&b, "\nstart modes (held: accepted where the chunk started; climbed: routed on)\n")
	for _, m := range extraction.Modes {
		if s, ok := r.StartModes[m]; ok {
			fmt.Fprintf(&b, "  %-16s %6d chunks  held %d  climbed %d\n", m, s.Chunks, s.Held, s.Climbed)
		}
	}
	fmt.Fprintf(&b, "\nitems\n")
	for _, k := range sortedKeys(r.Items) {
		fmt.Fprintf(&b, "  %-22s %d\n", k, r.Items[k])
	}
	if r.LLM != nil {
		fmt.Fprintf(&b, "\nLLM (hybrid) on %d chunks: %d items grounded and kept (%d new to the rules), %d ungrounded dropped\n",
			r.LLMChunks, r.LLM.Kept, r.LLM.Added, r.LLM.Dropped)
	}
	if len(r.Unreadable) > 0 {
		fmt.Fprintf(&b, "\nunreadable documents, left out\n")
		for _, p := range r.Unreadable {
			fmt.Fprintf(&b, "  %s %s: %s\n", p.DocID, p.Source, p.Reason)
		}
	}
	if len(r.PendingSources) > 0 {
		fmt.Fprintf(&b, "\nsources not ingested yet, retrying\n")
		for _, p := range r.PendingSources {
			fmt.Fprintf(&b, "  %s: %s\n", p.Source, p.Reason)
		}
	}
	if len(r.DeadLetters) > 0 {
		fmt.Fprintf(&b, "\ndead letters by stage\n")
		for _, k := range sortedKeys(r.DeadLetters) {
			fmt.Fprintf(&b, "  %-14s %d\n", k, r.DeadLetters[k])
		}
	}
	b.WriteString(r.Dataset.text())
	return b.String()
}

func sortedKeys[K interface{ ~string | ~int }, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
