package extract_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ranstream/ranstream/pkg/detect"
	"github.com/ranstream/ranstream/pkg/event"
	"github.com/ranstream/ranstream/pkg/extract"
)

// blobs is a blob store in memory that keeps the first bytes put under a name,
// as the Object Store bucket does.
type blobs struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (b *blobs) Get(_ context.Context, name string) ([]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	data, ok := b.m[name]
	if !ok {
		return nil, fmt.Errorf("no blob %s", name)
	}
	return data, nil
}

func (b *blobs) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	data, err := b.Get(ctx, name)
	return io.NopCloser(bytes.NewReader(data)), err
}

func (b *blobs) Put(_ context.Context, name string, r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.m[name]; !ok {
		b.m[name] = data
	}
	return nil
}

func (b *blobs) PutBytes(ctx context.Context, name string, data []byte) error {
	return b.Put(ctx, name, bytes.NewReader(data))
}

func (b *blobs) Size(_ context.Context, name string) (int64, bool, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	data, ok := b.m[name]
	return int64(len(data)), ok, nil
}

const page = `<html><head><title>Zeta Boost</title></head><body><h1>Zeta Boost</h1><p>Sets EUtranCellFDD.zetaLevel.</p></body></html>`

// A redelivery publishes what the first delivery learned (title, metadata);
// a replay converts again, into a text blob of its own.
func TestHandle_redeliveryAndReplay(t *testing.T) {
	store := &blobs{m: map[string][]byte{"doc-z": []byte(page)}}
	x, err := extract.New(extract.Config{}, store)
	if err != nil {
		t.Fatal(err)
	}
	in := event.Detected{V: event.Version, Doc: event.Doc{ID: "sha256:ab12", Source: "zeta.html", Blob: "doc-z", Size: int64(len(page))},
		Format: detect.FormatHTML, Encoding: "UTF-8"}
	handle := func(in event.Detected) event.Extracted {
		t.Helper()
		out, err := x.Handle(context.Background(), in)
		if err != nil || len(out) != 1 {
			t.Fatalf("%v %v", out, err)
		}
		return out[0].(event.Extracted)
	}
	first := handle(in)
	if first.Title != "Zeta Boost" || first.Meta["charset"] == "" {
		t.Fatalf("first delivery: %+v", first)
	}
	store.m["doc-z"] = []byte("changed bytes: proof that a redelivery does not convert again")
	if again := handle(in); !reflect.DeepEqual(again, first) {
		t.Errorf("redelivery published\n%+v\nnot\n%+v", again, first)
	}
	store.m["doc-z"] = []byte(page)
	in.Doc.Replay = "00000000000000000042"
	replayed := handle(in)
	if replayed.TextBlob == first.TextBlob || replayed.Title != "Zeta Boost" || replayed.Doc.Replay != in.Doc.Replay {
		t.Errorf("replay: %+v", replayed)
	}
}

// A workbook's text goes to the store as it is made, NFC-normalized like
// buffered text, and keeps its column names on every record.
func TestHandle_workbookIsStreamedAndNormalized(t *testing.T) {
	f := excelize.NewFile()
	rows := [][]any{{"MO Class Name", "Parameter Name", "Description"},
		{"EUtranCellFDD", "qRxLevMin", "Cafe\u0301 level"}, {"NRCellDU", "ssbPowerBoost", "Boost"}}
	for i, r := range rows {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	store := &blobs{m: map[string][]byte{"doc-x": buf.Bytes()}}
	x, err := extract.New(extract.Config{}, store)
	if err != nil {
		t.Fatal(err)
	}
	out, err := x.Handle(context.Background(), event.Detected{V: event.Version,
		Doc: event.Doc{ID: "sha256:cd34", Source: "params.xlsx", Blob: "doc-x", Size: int64(buf.Len())}, Format: detect.FormatXLSX})
	if err != nil {
		t.Fatal(err)
	}
	e := out[0].(event.Extracted)
	text := string(store.m[e.TextBlob])
	if e.TextLen != len(text) || e.Meta["records"] != "2" {
		t.Errorf("event %+v for %d bytes of text", e, len(text))
	}
	for _, want := range []string{"MO Class Name: EUtranCellFDD", "Parameter Name: qRxLevMin", "Caf\u00e9 level", "Parameter Name: ssbPowerBoost"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}
}
