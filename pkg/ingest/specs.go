package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/fault"
	"github.com/ranstream/ranstream/pkg/names"
	"github.com/ranstream/ranstream/pkg/specfetch"
)

// Specs is the ingest stage's handler of specs.download requests: the spec
// fetcher downloads the zips, which become documents like any other.
type Specs struct {
	fetcher *specfetch.Fetcher
	ing     *Ingester
}

// NewSpecs returns the handler.
func NewSpecs(f *specfetch.Fetcher, ing *Ingester) *Specs { return &Specs{fetcher: f, ing: ing} }

// SpecRequest is a specs.download message: the request, and a ticket that the
// requester chose to tell its request's summary from an earlier one's.
type SpecRequest struct {
	specfetch.Request
	Ticket string `json:"ticket,omitempty"`
}

// Handle fetches what req asks for. Each downloaded zip is published as a
// document with the request as its origin, then a specs.fetched summary. A
// request that fetched nothing because of trouble that may pass is retried;
// once something was fetched (and marked as seen), the specs that failed are
// dead-lettered instead, so that a retry cannot skip what was fetched.
func (s *Specs) Handle(ctx context.Context, msg SpecRequest) ([]event.Event, error) {
	req := msg.Request
	if err := req.Validate(); err != nil {
		return nil, fault.Permanent(fmt.Errorf("specs.download: %w", err))
	}
	ref := req.String()
	var docs []event.Doc
	deliver := func(ctx context.Context, sp specfetch.Spec, body io.Reader, size int64) error {
		h := sha256.New()
		rs, ok := body.(io.ReadSeeker)
		if !ok {
			return fmt.Errorf("spec %s: body cannot be read twice", sp.File)
		}
		if _, err := io.Copy(h, rs); err != nil {
			return fmt.Errorf("spec %s: hash: %w", sp.File, err)
		}
		if _, err := rs.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("spec %s: rewind: %w", sp.File, err)
		}
		ev, err := s.ing.Reader(ctx, sp.File, "", hex.EncodeToString(h.Sum(nil)), size, rs)
		if err != nil {
			return err
		}
		ev.Doc.Origin = ref
		docs = append(docs, ev.Doc)
		return nil
	}
	res, err := s.fetcher.Fetch(ctx, req, syncDeliver(deliver))
	if err != nil && len(docs) == 0 {
		return nil, fmt.Errorf("specs.download %s: %w", ref, err)
	}
	out := make([]event.Event, 0, len(docs)+len(res.Failed)+1)
	for _, d := range docs {
		out = append(out, event.Received{V: event.Version, Doc: d})
	}
	sum := event.Fetched{V: event.Version, Request: ref, Ticket: msg.Ticket, Docs: docs}
	for _, sp := range res.Skipped {
		sum.Skipped = append(sum.Skipped, sp.File)
	}
	for _, f := range res.Failed {
		sum.Failed = append(sum.Failed, event.Skipped{Name: f.Spec.File, Reason: f.Err.Error()})
		out = append(out, event.DeadLetter{V: event.Version, Stage: names.StageIngest, Source: ref + "/" + f.Spec.File, Chunk: -1,
			Reason: fmt.Sprintf("fetch %s for %s: %v", f.Spec.File, ref, f.Err), FailedSubject: names.SubjectSpecs, Input: msg.Ticket})
	}
	return append(out, sum), nil
}

// syncDeliver serializes deliveries: the fetcher calls deliver from several
// goroutines, and the documents are collected in one slice.
func syncDeliver(f specfetch.DeliverFunc) specfetch.DeliverFunc {
	lock := make(chan struct{}, 1)
	return func(ctx context.Context, s specfetch.Spec, body io.Reader, size int64) error {
		select {
		case lock <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		defer func() { <-lock }()
		return f(ctx, s, body, size)
	}
}
