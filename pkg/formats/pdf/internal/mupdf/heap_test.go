package mupdf

import (
	"math/rand/v2"
	"testing"
	"unsafe"
)

// TestHeap_keepsEveryBlockWhole allocates, grows, shrinks and frees blocks
// of every size class, the edges between them and large ones, in a random
// order, with many live at once. Each block is filled with its own byte;
// every block is checked whole before it is freed or moved, so two blocks
// that overlap, a block handed out twice or a move that loses bytes fail.
func TestHeap_keepsEveryBlockWhole(t *testing.T) {
	h := newCHeap()
	defer h.release()
	type block struct {
		p    unsafe.Pointer
		n    int
		fill byte
	}
	sizes := []int{0, 1, 15, 16, 17, 31, 32, 100, 1023, 1024, 1025, 4104, 70000}
	size := func(r *rand.Rand) int {
		if r.IntN(2) == 0 {
			return sizes[r.IntN(len(sizes))]
		}
		return r.IntN(3000)
	}
	bytesOf := func(b block) []byte { return unsafe.Slice((*byte)(b.p), b.n) }
	check := func(b block, n int) {
		t.Helper()
		for i, c := range bytesOf(b)[:n] {
			if c != b.fill {
				t.Fatalf("block of %d bytes filled with %d: byte %d is %d", b.n, b.fill, i, c)
			}
		}
	}
	fill := func(b block) {
		for i := range bytesOf(b) {
			bytesOf(b)[i] = b.fill
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	var live []block
	for op := range 200000 {
		switch k := r.IntN(10); {
		case k < 5 || len(live) == 0:
			b := block{n: size(r), fill: byte(op)}
			b.p = h.malloc(b.n)
			if b.p == nil {
				t.Fatalf("malloc(%d) = NULL", b.n)
			}
			if uintptr(b.p)%16 != 0 {
				t.Fatalf("malloc(%d) = %p, not 16-byte aligned", b.n, b.p)
			}
			fill(b)
			live = append(live, b)
		case k < 8:
			i := r.IntN(len(live))
			check(live[i], live[i].n)
			h.free(live[i].p)
			live[i] = live[len(live)-1]
			live = live[:len(live)-1]
		default:
			i := r.IntN(len(live))
			b := live[i]
			n := size(r)
			check(b, b.n)
			q := h.realloc(b.p, n)
			if n == 0 {
				if q != nil {
					t.Fatalf("realloc(%d -> 0) = %p, want NULL", b.n, q)
				}
				live[i] = live[len(live)-1]
				live = live[:len(live)-1]
				continue
			}
			if q == nil || uintptr(q)%16 != 0 {
				t.Fatalf("realloc(%d -> %d) = %p", b.n, n, q)
			}
			moved := block{p: q, n: n, fill: b.fill}
			check(moved, min(b.n, n))
			moved.fill = byte(op)
			fill(moved)
			live[i] = moved
		}
		if len(live) > 5000 {
			i := r.IntN(len(live))
			h.free(live[i].p)
			live[i] = live[len(live)-1]
			live = live[:len(live)-1]
		}
	}
	for _, b := range live {
		check(b, b.n)
	}
}
