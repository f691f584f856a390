package names_test

import (
	"slices"
	"testing"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/streams"
)

func TestNames_matchStreamsDefinitions(t *testing.T) {
	set, err := streams.Load()
	if err != nil {
		t.Fatal(err)
	}
	subjectsOf := map[string][]string{}
	for _, s := range set.Streams {
		subjectsOf[s.Name] = s.Subjects
	}
	var defined []string
	for _, s := range set.Streams {
		defined = append(defined, s.Name)
	}
	slices.Sort(defined)
	ours := names.AllStreams()
	slices.Sort(ours)
	if !slices.Equal(defined, ours) {
		t.Errorf("streams in streams/ %v, in names %v", defined, ours)
	}

	// Every subject lands in exactly one stream; prefixes with any token.
	subjects := map[string]string{
		names.SubjectReceived: names.StreamDocs, names.SubjectDetected: names.StreamDocs,
		names.SubjectExtracted: names.StreamDocs, names.SubjectChunked: names.StreamDocs,
		names.SubjectExpanded: names.StreamDocs, names.SubjectVersion: names.StreamDocs,
		names.SubjectChunkPrefix + "basic":      names.StreamChunks,
		names.SubjectExtractionPrefix + "basic": names.StreamExtractions,
		names.SubjectDLQ(names.StageDetect):     names.StreamDLQ,
		names.SubjectSpecs:                      names.StreamSpecs,
		names.SubjectFetched:                    names.StreamSpecs,
	}
	for subj, want := range subjects {
		var in []string
		for stream, filters := range subjectsOf {
			for _, f := range filters {
				if server.SubjectMatchesFilter(subj, f) {
					in = append(in, stream)
				}
			}
		}
		if len(in) != 1 || in[0] != want {
			t.Errorf("subject %s is stored in %v, want %s", subj, in, want)
		}
	}

	var durables []string
	for _, c := range set.Consumers {
		durables = append(durables, c.Config.Durable)
	}
	var stageConsumers []string
	for _, st := range names.Stages() {
		stageConsumers = append(stageConsumers, names.Consumer(st))
	}
	slices.Sort(durables)
	slices.Sort(stageConsumers)
	if !slices.Equal(durables, stageConsumers) {
		t.Errorf("consumers in streams/consumers %v, stage consumers in names %v", durables, stageConsumers)
	}

	var buckets []string
	for _, b := range set.KV {
		buckets = append(buckets, b.Bucket)
	}
	for _, b := range set.Objects {
		buckets = append(buckets, b.Bucket)
	}
	slices.Sort(buckets)
	want := []string{names.BucketBlobs, names.BucketInbox, names.BucketResults, names.BucketSpecsSeen}
	slices.Sort(want)
	if !slices.Equal(buckets, want) {
		t.Errorf("buckets in streams/buckets %v, in names %v", buckets, want)
	}
}
