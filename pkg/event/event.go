// Package event defines the versioned messages the stages exchange over JetStream.
// Every event knows its subject and a message id derived from its content and its
// position (document, stage, chunk, mode, replay id), so a redelivered or retried
// publish is deduplicated by JetStream instead of doubling work downstream.
package event

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/scheme"
)

// Version is the schema version written into every event. A consumer refuses
// events of a newer major version than it knows.
const Version = 1

// Event is what a stage publishes: the payload knows where it goes and its id.
type Event interface {
	// Subject is the NATS subject the event is published on.
	Subject() string
	// MsgID is the Nats-Msg-Id: equal ids are one message for JetStream.
	MsgID() string
}

// Versioned is implemented by every event: it reports the schema version the
// event was written with, so a consumer can refuse a newer one.
type Versioned interface {
	SchemaVersion() int
}

func (e Received) SchemaVersion() int   { return e.V }
func (e Detected) SchemaVersion() int   { return e.V }
func (e Extracted) SchemaVersion() int  { return e.V }
func (e Chunked) SchemaVersion() int    { return e.V }
func (e Chunk) SchemaVersion() int      { return e.V }
func (e Extraction) SchemaVersion() int { return e.V }
func (e DeadLetter) SchemaVersion() int { return e.V }

// Doc identifies a document as it travels through the stages.
type Doc struct {
	// ID is "sha256:<hex>" of the document bytes.
	ID string `json:"doc_id"`
	// Source is the name as ingested: a file name, or archive.zip/member.docx.
	Source string `json:"source"`
	// Parent is the doc id of the archive a member came from.
	Parent string `json:"parent,omitempty"`
	// Blob is the Object Store name of the document bytes in bucket blobs.
	Blob string `json:"blob"`
	// Size is the document size in bytes.
	Size int64 `json:"size"`
	// Replay distinguishes a deliberate re-run from a duplicate; empty normally.
	Replay string `json:"replay,omitempty"`
	// Origin names the request a document came from, such as 3gpp:38.331@18.
	Origin string `json:"origin,omitempty"`
	// Depth counts the archives around an archive member: 0 for a top-level file.
	Depth int `json:"depth,omitempty"`
}

// Hex returns the hex digest of the document id, safe for subjects and keys.
func (d Doc) Hex() string { return strings.TrimPrefix(d.ID, "sha256:") }

func (d Doc) id(stage string, parts ...any) string {
	var b strings.Builder
	b.WriteString(stage)
	b.WriteByte(':')
	b.WriteString(d.Hex())
	for _, p := range parts {
		fmt.Fprintf(&b, ":%v", p)
	}
	if d.Replay != "" {
		b.WriteString(":r=")
		b.WriteString(d.Replay)
	}
	return b.String()
}

// Received is published by ingest once the bytes are stored.
type Received struct {
	V   int `json:"v"`
	Doc Doc `json:"doc"`
}

func (e Received) Subject() string { return names.SubjectReceived }
func (e Received) MsgID() string   { return e.Doc.id("received") }

// Detected is published by detect with the format and, for text, the encoding.
type Detected struct {
	V   int `json:"v"`
	Doc Doc `json:"doc"`
	// Format is a short name: markdown, text, html, pdf, docx, doc, xlsx, csv, zip.
	Format string `json:"format"`
	// Encoding is the text encoding found (UTF-8, windows-1252...); empty for binaries.
	Encoding string `json:"encoding,omitempty"`
}

func (e Detected) Subject() string { return names.SubjectDetected }
func (e Detected) MsgID() string   { return e.Doc.id("detected") }

// Extracted is published by extract; the text lives in blobs under TextBlob.
type Extracted struct {
	V        int    `json:"v"`
	Doc      Doc    `json:"doc"`
	Format   string `json:"format"`
	Encoding string `json:"encoding,omitempty"`
	// TextBlob is the Object Store name of the normalized markdown-like text.
	TextBlob string `json:"text_blob"`
	// TextLen is the length of the text in bytes.
	TextLen int `json:"text_len"`
	// Title, Pages, Meta and Warnings are what the converter learned: 3GPP spec,
	// version and release, PDF text-quality measures, problems that did not stop it.
	Title    string            `json:"title,omitempty"`
	Pages    int               `json:"pages,omitempty"`
	Meta     map[string]string `json:"meta,omitempty"`
	Warnings []string          `json:"warnings,omitempty"`
}

func (e Extracted) Subject() string { return names.SubjectExtracted }
func (e Extracted) MsgID() string   { return e.Doc.id("extracted") }

// Expanded is published by extract for an archive once its members went back
// to ingest as documents of their own: the archive itself is then finished.
type Expanded struct {
	V      int    `json:"v"`
	Doc    Doc    `json:"doc"`
	Format string `json:"format"`
	// Members is the number of members published.
	Members int `json:"members"`
	// Skipped lists members refused, with the reason (path traversal, encrypted...).
	Skipped []Skipped `json:"skipped,omitempty"`
}

// Skipped is an archive member that was not ingested, and why.
type Skipped struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

func (e Expanded) Subject() string    { return names.SubjectExpanded }
func (e Expanded) MsgID() string      { return e.Doc.id("expanded") }
func (e Expanded) SchemaVersion() int { return e.V }

// Fetched is published by ingest once a specs.download request is done: the
// documents it produced, what was fetched before, and what failed.
type Fetched struct {
	V int `json:"v"`
	// Request is the request as a reference: 3gpp:38.331@18.
	Request string `json:"request"`
	// Ticket is the requester's id for the request, when it gave one.
	Ticket string `json:"ticket,omitempty"`
	Docs   []Doc  `json:"docs,omitempty"`
	// Skipped are spec versions fetched by an earlier request.
	Skipped []string  `json:"skipped,omitempty"`
	Failed  []Skipped `json:"failed,omitempty"`
}

func (e Fetched) Subject() string { return names.SubjectFetched }
func (e Fetched) MsgID() string {
	return "fetched:" + e.Request + ":" + e.Ticket + ":" + fmt.Sprint(len(e.Docs), len(e.Skipped), len(e.Failed))
}
func (e Fetched) SchemaVersion() int { return e.V }

// Chunked is published by chunk once per document with its chunk count, so that
// whoever waits for the document knows how many chunk results to expect.
type Chunked struct {
	V      int    `json:"v"`
	Doc    Doc    `json:"doc"`
	Format string `json:"format"`
	Total  int    `json:"total"`
	// Title, Meta and Warnings come from extraction, for the output files.
	Title    string            `json:"title,omitempty"`
	Meta     map[string]string `json:"meta,omitempty"`
	Warnings []string          `json:"warnings,omitempty"`
	// Family is the document family the chunk stage decided (3gpp, elex,
	// generic); empty in events of earlier versions.
	Family scheme.Family `json:"family,omitempty"`
}

func (e Chunked) Subject() string { return names.SubjectChunked }
func (e Chunked) MsgID() string   { return e.Doc.id("chunked") }

// Chunk is one retrieval chunk on its way to extraction in Mode.
type Chunk struct {
	V      int    `json:"v"`
	Doc    Doc    `json:"doc"`
	Format string `json:"format"`
	// Index is the position of the chunk in the document, from 0; Total the count.
	Index int `json:"index"`
	Total int `json:"total"`
	// Headings is the heading path above the chunk, outermost first.
	Headings []string `json:"headings,omitempty"`
	// Context is what the chunk needs to know of its document (identity lines).
	Context string `json:"context,omitempty"`
	Text    string `json:"text"`
	// Family is the document's family, which decides the extraction rules.
	Family scheme.Family `json:"family,omitempty"`
	// Mode is the extraction mode this delivery asks for.
	Mode scheme.Mode `json:"mode"`
	// ModesTried lists the modes already run on this chunk, in order.
	ModesTried []scheme.Mode `json:"modes_tried,omitempty"`
}

// ChunkID names the chunk in outputs: the document hex and the index.
func (e Chunk) ChunkID() string { return fmt.Sprintf("%s-%04d", e.Doc.Hex(), e.Index) }

func (e Chunk) Subject() string { return names.SubjectChunkPrefix + string(e.Mode) }
func (e Chunk) MsgID() string   { return e.Doc.id("chunk", e.Index, e.Mode) }

// Extraction is the result of one chunk in one mode, on its way to quality-route.
type Extraction struct {
	V      int           `json:"v"`
	Chunk  Chunk         `json:"chunk"`
	Result scheme.Result `json:"result"`
	// Note says why a mode was not what was asked (hybrid unavailable...).
	Note string `json:"note,omitempty"`
	// LLM counts what hybrid's LLM pass kept and dropped; nil without one.
	LLM *scheme.LLMUse `json:"llm,omitempty"`
}

func (e Extraction) Subject() string { return names.SubjectExtractionPrefix + string(e.Chunk.Mode) }
func (e Extraction) MsgID() string {
	return e.Chunk.Doc.id("extraction", e.Chunk.Index, e.Chunk.Mode)
}

// SourceVersion is published by ingest once a watched file or an inbox object
// is ingested: which document its content is now. The documents of a source's
// earlier versions are superseded by the later ones.
type SourceVersion struct {
	V int `json:"v"`
	// Intake is where the source lives: "watch" (the watched directory) or
	// "inbox" (the Object Store bucket); sources of two intakes never meet.
	Intake string `json:"intake"`
	Source string `json:"source"`
	DocID  string `json:"doc_id"`
	// Version tells this content of the source from the others: a file's size
	// and modification time, an object's NUID.
	Version string `json:"version"`
}

func (e SourceVersion) Subject() string    { return names.SubjectVersion }
func (e SourceVersion) SchemaVersion() int { return e.V }
func (e SourceVersion) MsgID() string {
	h := sha256.New()
	for _, part := range []string{e.Intake, e.Source, e.Version, e.DocID} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return "version:" + hex.EncodeToString(h.Sum(nil)[:16])
}

// DeadLetter records a message that failed for good.
type DeadLetter struct {
	V      int    `json:"v"`
	Stage  string `json:"stage"`
	Reason string `json:"reason"`
	DocID  string `json:"doc_id,omitempty"`
	Source string `json:"source,omitempty"`
	// Parent is the archive's doc id for a member refused before it became a document.
	Parent string `json:"parent,omitempty"`
	// Chunk is the chunk index for chunk-level failures, -1 for whole documents.
	Chunk int `json:"chunk"`
	// FailedSubject and OrigMsgID locate the failed message.
	FailedSubject string `json:"subject"`
	OrigMsgID     string `json:"orig_msg_id,omitempty"`
	// Stream and StreamSeq locate the failed message in its stream (which
	// keeps history): ranstream dlq redrive publishes it again from there.
	Stream    string `json:"stream,omitempty"`
	StreamSeq uint64 `json:"stream_seq,omitempty"`
	// Input tells apart versions of a failed input that no message id names:
	// a file's size and modification time, an inbox object's put, a spec
	// request's ticket, a replay id.
	Input string `json:"input,omitempty"`
	// Deliveries is how often the message was delivered before giving up.
	Deliveries uint64 `json:"deliveries,omitempty"`
}

func (e DeadLetter) Subject() string { return names.SubjectDLQPrefix + e.Stage }

// RefusedMember is the dead letter of a member the archive doc refused
// (path traversal, encryption, a bomb's limits), as the extract stage
// publishes it beside docs.expanded, whose Skipped lists the same members.
func RefusedMember(archive Doc, sk Skipped) DeadLetter {
	dl := DeadLetter{V: Version, Stage: names.StageExtract, Chunk: -1,
		Source: archive.Source + "/" + sk.Name, Parent: archive.ID,
		Reason: "archive member refused: " + sk.Reason, FailedSubject: names.SubjectDetected}
	if archive.Replay != "" {
		// A replay's dead letters are its own: JetStream would drop them
		// as duplicates of the first run's.
		dl.Input = "replay:" + archive.Replay
	}
	return dl
}

// MsgID is derived from everything that tells one failed input from another
// (stage, original message, document, chunk, archive parent, source, subject,
// input version) and never from the reason: a redelivered failure of the same
// input is one dead letter even when its error reads differently, and two
// inputs failing for the same reason are two.
func (e DeadLetter) MsgID() string {
	h := sha256.New()
	for _, part := range []string{e.Stage, e.OrigMsgID, e.DocID, strconv.Itoa(e.Chunk), e.Parent, e.Source, e.FailedSubject, e.Input} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	if e.StreamSeq != 0 {
		// A redriven input is a new stream message: its failure is a new
		// dead letter, not a duplicate of the one it was redriven from.
		h.Write([]byte(e.Stream + ":" + strconv.FormatUint(e.StreamSeq, 10)))
	}
	return "dlq:" + e.Stage + ":" + hex.EncodeToString(h.Sum(nil)[:16])
}
