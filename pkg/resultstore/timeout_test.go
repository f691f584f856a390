package resultstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/ranstream/ranstream/pkg/natsbus/natstest"
	"github.com/ranstream/ranstream/pkg/resultstore"
)

// With the server gone, accepting and reading fail within the bound of one KV
// call, not at the handler's deadline minutes later.
func TestStore_failsFastWithoutServer(t *testing.T) {
	ns := natstest.Server(t)
	_, js := natstest.Connect(t, ns)
	natstest.Topology(t, js, 0)
	st, err := resultstore.Open(context.Background(), js, "results")
	if err != nil {
		t.Fatal(err)
	}
	st.WithCallTimeout(300 * time.Millisecond)
	const doc = "sha256:0123"
	if err := st.Accept(context.Background(), chunk(doc, 0, 2)); err != nil {
		t.Fatal(err)
	}
	ns.Shutdown()
	ns.WaitForShutdown()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	for name, op := range map[string]func() error{
		"Accept": func() error { return st.Accept(ctx, chunk(doc, 1, 2)) },
		"Doc":    func() error { _, _, err := st.Doc(ctx, doc); return err },
	} {
		began := time.Now()
		err := op()
		if err == nil {
			t.Errorf("%s succeeded without a server", name)
		}
		if took := time.Since(began); took > 3*time.Second {
			t.Errorf("%s took %s to fail, want about its bound", name, took)
		}
	}
}
