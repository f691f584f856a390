// heap.h: the allocator a document's MuPDF context allocates with.
//
// MuPDF allocates and frees small blocks at a high rate while it reads a
// page (paths, text spans, stext characters, dictionary entries), and
// frees all of them again by the next page. Through malloc that was a
// tenth of the time a page took (perf: _int_malloc, _int_free, malloc,
// malloc_consolidate). An rs_heap keeps each freed small block on a list
// by size and hands it out again at the next request of that size, with
// no locking (a context is used by one thread at a time). Small blocks
// come from RS_CHUNK-sized chunks that go back to malloc only when the
// document closes; large ones go to malloc and free directly.
#ifndef RS_HEAP_H
#define RS_HEAP_H

#include <stddef.h>

// RS_GRAIN is the block alignment and the size step between classes;
// RS_SMALL is the largest small block; RS_CHUNK the size of a chunk.
#define RS_GRAIN 16
#define RS_SMALL 1024
#define RS_CLASSES (RS_SMALL / RS_GRAIN)
#define RS_CHUNK (64 * 1024)

typedef struct rs_chunk rs_chunk;
typedef struct rs_free rs_free;

// rs_heap is one document's allocator state; zeroed, it is empty and ready.
typedef struct rs_heap {
	rs_free *free[RS_CLASSES + 1]; // by class; class c holds c*RS_GRAIN bytes
	char *bump, *end;	       // the rest of the newest chunk
	rs_chunk *chunks;
} rs_heap;

// The three calls of an fz_alloc_context whose user is an rs_heap. They
// return NULL where malloc would (MuPDF then empties its store and tries
// again).
void *rs_heap_malloc(void *heap, size_t n);
void *rs_heap_realloc(void *heap, void *p, size_t n);
void rs_heap_free(void *heap, void *p);

// rs_heap_release gives every chunk back to malloc. Every small block is
// gone with them: call it only when nothing uses the heap any more (after
// fz_drop_context).
void rs_heap_release(rs_heap *h);

#endif
