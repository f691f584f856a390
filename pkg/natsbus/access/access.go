// Package access says who may do what on the bus of a ranstream cluster: one
// NATS user per service, allowed to publish only what its stage emits and to
// read only the consumer, streams and buckets its stage uses; an operator user
// for the all-in-one CLI (run, process, replay, fetch-spec); and an admin that
// applies the topology of streams/. Generate writes their nkeys and the
// nats-server authorization (auth.conf) every node of the cluster includes.
//
// The permissions are derived from the topology (streams.Set: streams,
// durable consumers, buckets) and from what each stage does at start and per
// message:
//   - at start, with --apply-streams=false, streams.Check reads the info of
//     every stream and durable consumer (read-only), every process binds the
//     buckets blobs and results (stream info), and each stage creates or updates
//     its own durable consumer (its ack wait and max ack pending come from the
//     machine); it may not touch another stage's consumer;
//   - per message, a stage pulls from its consumer, acks on $JS.ACK of its
//     consumer only, publishes its outputs and its dead letters (dlq.<stage>),
//     and reads or writes the buckets its logic needs;
//   - the ingest service also follows the pipeline to render --out (ordered
//     consumers on DOCS, DLQ and SPECS, a watch of results): read-only.
//
// Nobody but admin creates, updates or deletes a stream, and only the inbox
// bucket may be purged (ingest and the operator remove ingested objects).
package access

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/streams"
)

// The users besides the services, which are named after their stage
// (names.Stages()).
const (
	// Operator is the user of `ranstream run/process/replay/fetch-spec` against
	// a cluster: every stage's permissions, the tracker's reads, spec requests;
	// no topology changes (run it with --apply-streams=false).
	Operator = "ranstream"
	// Admin applies the topology (streams, consumers, buckets) and may do
	// anything in the account.
	Admin = "admin"
)

// Services are the users of the single-stage services, in pipeline order.
var Services = slices.Clone(names.Stages())

// Permissions are the subjects a user may publish to and subscribe to, and
// those it may not publish to although an allowed wildcard covers them; All
// allows everything.
type Permissions struct {
	Publish     []string
	DenyPublish []string
	Subscribe   []string
	All         bool
}

// User is one NATS user of the deployment.
type User struct {
	Name string
	// About says in one line what the user is for (a comment in auth.conf).
	About       string
	Permissions Permissions
}

// bucketUse is what a stage does with a bucket.
type bucketUse int

const (
	// get reads values or objects by key or name.
	get bucketUse = 1 << iota
	// watch follows a bucket or lists its keys (an ordered consumer).
	watch
	// write puts values or objects.
	write
	// remove deletes objects (a delete marker and a purge of their chunks).
	remove
)

// stage is what one stage's service does on the bus.
type stage struct {
	about string
	// emits are the subjects its stage publishes, dead letters apart.
	emits []string
	// objects and kv are the buckets it uses, and how.
	objects, kv map[string]bucketUse
	// follows are the streams it reads from the outside (the tracker).
	follows []string
}

// stages says what each stage publishes and which buckets it uses, from
// pkg/ingest, pkg/detect, pkg/extract, pkg/chunk, pkg/llmextract, pkg/route
// and pkg/pipeline. The subjects are event's, the buckets streams/buckets'.
var stages = map[string]stage{
	names.StageIngest: {
		about: "stores files, inbox objects and fetched 3GPP specs in blobs, announces them; renders --out",
		emits: []string{names.SubjectReceived, names.SubjectFetched, names.SubjectVersion},
		objects: map[string]bucketUse{
			names.BucketBlobs: get | write,
			names.BucketInbox: get | watch | remove,
		},
		kv: map[string]bucketUse{
			names.BucketSpecsSeen: get | write,
			names.BucketResults:   get | watch,
		},
		follows: []string{names.StreamDocs, names.StreamDLQ, names.StreamSpecs},
	},
	names.StageDetect: {
		about:   "reads the head of each document's bytes, publishes its format and encoding",
		emits:   []string{names.SubjectDetected},
		objects: map[string]bucketUse{names.BucketBlobs: get},
	},
	names.StageExtract: {
		about: "converts documents to text (stored in blobs); archive members go back to docs.received",
		emits: []string{names.SubjectExtracted, names.SubjectExpanded, names.SubjectReceived},
		objects: map[string]bucketUse{
			names.BucketBlobs: get | write,
		},
	},
	names.StageChunk: {
		about:   "cuts the stored text into chunks, published in the start mode (--mode)",
		emits:   []string{names.SubjectChunked, names.SubjectChunkPrefix + "*"},
		objects: map[string]bucketUse{names.BucketBlobs: get},
	},
	names.StageLLMExtract: {
		about: "extracts the six categories of each chunk in the mode of its subject",
		emits: []string{names.SubjectExtractionPrefix + "*"},
	},
	names.StageQualityRoute: {
		about: "scores extractions: sends chunks to a richer mode or accepts them into results",
		emits: []string{names.SubjectChunkPrefix + "*"},
		kv:    map[string]bucketUse{names.BucketResults: get | write},
	},
}

const (
	api = "$JS.API."
	// replies is where every reply arrives: JetStream API answers, publish
	// acks, pulled messages and ordered consumers' deliveries.
	replies = "_INBOX.>"
)

// Users derives every user's permissions from the topology.
func Users(set streams.Set) ([]User, error) {
	if err := checkNames(set); err != nil {
		return nil, err
	}
	var users []User
	operator := newPerms()
	for _, name := range Services {
		p, err := servicePermissions(set, name)
		if err != nil {
			return nil, err
		}
		operator.allowed(p)
		users = append(users, User{Name: name, About: stages[name].about, Permissions: p.build()})
	}
	// The operator runs any stage in its process and follows the pipeline
	// (process, replay), and asks for specs (fetch-spec, process 3gpp:...).
	operator.pub(names.SubjectSpecs)
	operator.add(follow(set, Services, names.StreamDocs, names.StreamDLQ, names.StreamSpecs))
	operator.add(kvUse(names.BucketResults, get|watch))
	// ... and drops files into the inbox bucket (nats object put inbox FILE).
	operator.add(objectUse(names.BucketInbox, get|watch|write|remove))
	// ... and repairs dead letters (ranstream dlq, status): reads them and
	// removes them, finds the original inputs in their streams (by sequence,
	// or by a search of their subject) to publish them again.
	operator.add(follow(set, Services, names.StreamChunks, names.StreamExtractions))
	operator.pub(api + "STREAM.NAMES")
	for _, st := range []string{names.StreamDocs, names.StreamChunks, names.StreamExtractions, names.StreamSpecs, names.StreamDLQ} {
		// How many messages an ordered consumer has to read.
		operator.pub(api + "CONSUMER.INFO." + st + ".*")
	}
	for _, st := range set.Streams {
		operator.pub(api+"STREAM.MSG.GET."+st.Name, api+"DIRECT.GET."+st.Name, api+"DIRECT.GET."+st.Name+".>")
	}
	operator.pub(api + "STREAM.MSG.DELETE.DLQ")
	users = append(users,
		User{Name: Operator, About: "the ranstream CLI against the cluster (run, process, replay with --apply-streams=false; fetch-spec; nats object put inbox): every stage, no topology changes", Permissions: operator.build()},
		User{Name: Admin, About: "applies the topology (streams, consumers, buckets: ranstream apply-streams, the nats CLI); anything in the account", Permissions: Permissions{All: true}},
	)
	return users, nil
}

// checkNames makes sure the buckets and streams the stages use are in the
// topology, so that a renamed one fails here rather than as a refusal at run time.
func checkNames(set streams.Set) error {
	kv, objects, names := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, b := range set.KV {
		kv[b.Bucket] = true
	}
	for _, b := range set.Objects {
		objects[b.Bucket] = true
	}
	for _, s := range set.Streams {
		names[s.Name] = true
	}
	for _, name := range sortedKeys(stages) {
		st := stages[name]
		for b := range st.objects {
			if !objects[b] {
				return fmt.Errorf("access: stage %s uses object store %s, which streams/buckets does not define", name, b)
			}
		}
		for b := range st.kv {
			if !kv[b] {
				return fmt.Errorf("access: stage %s uses KV bucket %s, which streams/buckets does not define", name, b)
			}
		}
		for _, s := range st.follows {
			if !names[s] {
				return fmt.Errorf("access: stage %s follows stream %s, which streams/ does not define", name, s)
			}
		}
	}
	return nil
}

func servicePermissions(set streams.Set, name string) (*perms, error) {
	st, ok := stages[name]
	if !ok {
		return nil, fmt.Errorf("access: no stage %q", name)
	}
	cons, err := set.Consumer(name)
	if err != nil {
		return nil, fmt.Errorf("access: %w", err)
	}
	p := newPerms()
	p.sub(replies)
	p.add(checkTopology(set))
	// Its own durable consumer: created or updated at start, pulled, acked.
	s, c := cons.Stream, cons.Config.Durable
	p.pub(api+"CONSUMER.CREATE."+s+"."+c, api+"CONSUMER.CREATE."+s+"."+c+".>",
		api+"CONSUMER.MSG.NEXT."+s+"."+c, "$JS.ACK."+s+"."+c+".>")
	p.pub(st.emits...)
	p.pub(names.SubjectDLQPrefix + name)
	for _, b := range sortedKeys(st.objects) {
		p.add(objectUse(b, st.objects[b]))
	}
	for _, b := range sortedKeys(st.kv) {
		p.add(kvUse(b, st.kv[b]))
	}
	p.add(follow(set, []string{name}, st.follows...))
	return p, nil
}

// checkTopology is what every process does at start: check that every stream
// and durable consumer exists (streams.Check) and bind blobs and results.
func checkTopology(set streams.Set) *perms {
	p := newPerms()
	for _, s := range set.Streams {
		p.pub(api + "STREAM.INFO." + s.Name)
	}
	for _, c := range set.Consumers {
		p.pub(api + "CONSUMER.INFO." + c.Stream + "." + c.Config.Durable)
	}
	p.pub(api+"STREAM.INFO.OBJ_"+names.BucketBlobs, api+"STREAM.INFO.KV_"+names.BucketResults)
	return p
}

// follow reads streams from the outside with ordered consumers: ephemeral,
// named by the client (so any name is allowed), pulled without acks, deleted
// and made again on a gap. The durable consumers of those streams that are not
// the user's own are denied: it may not pull a stage's work, nor change or
// delete its consumer.
func follow(set streams.Set, own []string, names ...string) *perms {
	p := newPerms()
	for _, s := range names {
		p.pub(api+"STREAM.INFO."+s, api+"CONSUMER.CREATE."+s+".>", api+"CONSUMER.MSG.NEXT."+s+".*",
			api+"CONSUMER.DELETE."+s+".*")
		for _, c := range set.Consumers {
			if c.Stream != s || slices.Contains(own, c.Config.Durable) {
				continue
			}
			d := c.Config.Durable
			p.deny(api+"CONSUMER.CREATE."+s+"."+d, api+"CONSUMER.CREATE."+s+"."+d+".>",
				api+"CONSUMER.MSG.NEXT."+s+"."+d, api+"CONSUMER.DELETE."+s+"."+d)
		}
	}
	return p
}

// objectUse is the Object Store API of bucket b: metadata on $O.<b>.M.<name>,
// chunks on $O.<b>.C.<nuid>, read back by direct get (metadata by subject,
// chunks by sequence and subject) and ordered push consumers
// (flow-controlled), in the stream OBJ_<b>.
func objectUse(b string, use bucketUse) *perms {
	p := newPerms()
	s := "OBJ_" + b
	p.pub(api + "STREAM.INFO." + s)
	if use&(get|watch) != 0 {
		// DIRECT.GET.<stream> reads the next chunk of a blob (blobstore's
		// Get and Head); DIRECT.GET.<stream>.<subject>, its metadata.
		p.pub(api+"DIRECT.GET."+s, api+"DIRECT.GET."+s+".>")
		p.add(pushReader(s))
	}
	if use&(write|remove) != 0 {
		p.pub("$O." + b + ".>")
	}
	if use&remove != 0 {
		p.pub(api + "STREAM.PURGE." + s)
	}
	return p
}

// kvUse is the Key-Value API of bucket b: values on $KV.<b>.<key> in the stream
// KV_<b>, read by direct get, watched and listed with ordered push consumers.
func kvUse(b string, use bucketUse) *perms {
	p := newPerms()
	s := "KV_" + b
	p.pub(api + "STREAM.INFO." + s)
	if use&(get|watch) != 0 {
		p.pub(api + "DIRECT.GET." + s + ".>")
	}
	if use&watch != 0 {
		p.add(pushReader(s))
	}
	if use&write != 0 {
		p.pub("$KV." + b + ".>")
	}
	return p
}

// pushReader is an ordered push consumer on stream s (objects read back,
// watches, key lists): created, deleted when done, and answered on flow
// control. Buckets have no durable consumers to protect.
func pushReader(s string) *perms {
	p := newPerms()
	p.pub(api+"CONSUMER.CREATE."+s+".>", api+"CONSUMER.DELETE."+s+".*", "$JS.FC."+s+".>")
	return p
}

// perms collects subjects without duplicates.
type perms struct{ publish, denyPublish, subscribe map[string]bool }

func newPerms() *perms {
	return &perms{publish: map[string]bool{}, denyPublish: map[string]bool{}, subscribe: map[string]bool{}}
}

func (p *perms) deny(subjects ...string) {
	for _, s := range subjects {
		p.denyPublish[s] = true
	}
}

func (p *perms) pub(subjects ...string) {
	for _, s := range subjects {
		p.publish[s] = true
	}
}

func (p *perms) sub(subjects ...string) {
	for _, s := range subjects {
		p.subscribe[s] = true
	}
}

// add takes o's allowed subjects and its denied ones; operator unions take
// the allowed ones only (see allowed).
func (p *perms) add(o *perms) {
	p.allowed(o)
	for s := range o.denyPublish {
		p.denyPublish[s] = true
	}
}

// allowed takes o's allowed subjects.
func (p *perms) allowed(o *perms) {
	for s := range o.publish {
		p.publish[s] = true
	}
	for s := range o.subscribe {
		p.subscribe[s] = true
	}
}

// build sorts the subjects: JetStream API and bucket subjects after the
// pipeline's own.
func (p *perms) build() Permissions {
	return Permissions{Publish: ordered(p.publish), DenyPublish: ordered(p.denyPublish), Subscribe: ordered(p.subscribe)}
}

func ordered(set map[string]bool) []string {
	out := sortedKeys(set)
	slices.SortStableFunc(out, func(a, b string) int {
		return boolCmp(strings.HasPrefix(a, "$"), strings.HasPrefix(b, "$"))
	})
	return out
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
