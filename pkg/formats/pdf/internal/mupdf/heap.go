package mupdf

/*
#include <stdlib.h>
#include "heap.h"
*/
import "C"

import "unsafe"

// cHeap drives an rs_heap (heap.c) directly, for its tests: the allocator
// every document's MuPDF context uses is otherwise reached only through
// MuPDF.
type cHeap struct{ h *C.rs_heap }

func newCHeap() cHeap { return cHeap{(*C.rs_heap)(C.calloc(1, C.sizeof_rs_heap))} }

func (h cHeap) malloc(n int) unsafe.Pointer {
	return C.rs_heap_malloc(unsafe.Pointer(h.h), C.size_t(n))
}

func (h cHeap) realloc(p unsafe.Pointer, n int) unsafe.Pointer {
	return C.rs_heap_realloc(unsafe.Pointer(h.h), p, C.size_t(n))
}

func (h cHeap) free(p unsafe.Pointer) { C.rs_heap_free(unsafe.Pointer(h.h), p) }

// release gives the heap's memory back and frees the heap itself.
func (h cHeap) release() {
	C.rs_heap_release(h.h)
	C.free(unsafe.Pointer(h.h))
}
