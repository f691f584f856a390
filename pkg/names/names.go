// Package names owns the names that tie ranstream's processes together: stages,
// JetStream streams and their subjects, durable consumers and buckets. Code uses
// these constants instead of literals, and a test holds them to the definitions
// in streams/ that the nats CLI applies, so a rename is one edit here and one in
// streams/, caught by the test when only one of them changes.
package names

// Stage names, as in services, dead letter subjects (dlq.<stage>), logs and
// flags (--workers detect=2). Each stage reads the durable consumer of the same
// name.
const (
	StageIngest       = "ingest"
	StageDetect       = "detect"
	StageExtract      = "extract"
	StageChunk        = "chunk"
	StageLLMExtract   = "llm-extract"
	StageQualityRoute = "quality-route"
)

// Stages returns the stages that read a durable consumer, in pipeline order.
func Stages() []string {
	return []string{StageIngest, StageDetect, StageExtract, StageChunk, StageLLMExtract, StageQualityRoute}
}

// Consumer is the durable consumer a stage reads (streams/consumers/STREAM.<durable>.json).
func Consumer(stage string) string { return stage }

// Streams, as in streams/<NAME>.json.
const (
	// StreamDocs holds the document lifecycle: docs.>.
	StreamDocs = "DOCS"
	// StreamChunks holds chunks on their way to extraction: chunks.>.
	StreamChunks = "CHUNKS"
	// StreamExtractions holds chunk results on their way to quality-route: extractions.>.
	StreamExtractions = "EXTRACTIONS"
	// StreamSpecs holds 3GPP download requests and their summaries: specs.>.
	StreamSpecs = "SPECS"
	// StreamDLQ holds dead letters: dlq.>.
	StreamDLQ = "DLQ"
)

// AllStreams returns every stream name.
func AllStreams() []string {
	return []string{StreamDocs, StreamChunks, StreamExtractions, StreamSpecs, StreamDLQ}
}

// Subjects of the pipeline.
const (
	SubjectReceived  = "docs.received"
	SubjectDetected  = "docs.detected"
	SubjectExtracted = "docs.extracted"
	SubjectChunked   = "docs.chunked"
	SubjectExpanded  = "docs.expanded"
	// SubjectVersion says which document a watched file or inbox object now is.
	SubjectVersion = "docs.version"
	// SubjectChunkPrefix is followed by the extraction mode: chunks.extract.basic.
	SubjectChunkPrefix = "chunks.extract."
	// SubjectExtractionPrefix is followed by the mode the result was made in.
	SubjectExtractionPrefix = "extractions.scored."
	// SubjectDLQPrefix is followed by the stage name: dlq.detect.
	SubjectDLQPrefix = "dlq."
	SubjectSpecs     = "specs.download"
	SubjectFetched   = "specs.fetched"
)

// SubjectDLQ is the dead letter subject of stage.
func SubjectDLQ(stage string) string { return SubjectDLQPrefix + stage }

// Buckets, as in streams/buckets/<NAME>.kv.json and <NAME>.obj.json.
const (
	// BucketBlobs (Object Store) holds document bytes and extracted text under their sha256.
	BucketBlobs = "blobs"
	// BucketInbox (Object Store) is where a user drops documents to ingest.
	BucketInbox = "inbox"
	// BucketResults (KV) holds accepted extractions.
	BucketResults = "results"
	// BucketSpecsSeen (KV) holds the 3GPP spec versions already fetched.
	BucketSpecsSeen = "specs-seen"
)
