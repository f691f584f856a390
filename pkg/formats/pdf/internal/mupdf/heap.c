// heap.c: see heap.h.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "heap.h"

// Every block has a header of RS_GRAIN bytes in front of it (so blocks stay
// 16-byte aligned, as malloc's are): its class (1..RS_CLASSES) for a
// small block, 0 for a large one, and a large block's size.
typedef struct {
	size_t cls, size;
} rs_header;

// A free small block holds the next free block of its class.
typedef struct rs_free {
	struct rs_free *next;
} rs_free;

// A chunk is one malloc'd run of RS_CHUNK bytes, small blocks carved from
// it in order; its first RS_GRAIN bytes link it to the chunk before.
typedef struct rs_chunk {
	struct rs_chunk *next;
} rs_chunk;

_Static_assert(sizeof(rs_header) == RS_GRAIN, "rs_header must be one grain");

static void *rs_heap_carve(rs_heap *h, size_t cls)
{
	size_t need = RS_GRAIN + cls * RS_GRAIN;
	rs_header *hd;
	if ((size_t)(h->end - h->bump) < need) {
		rs_chunk *c = malloc(RS_CHUNK);
		if (!c)
			return NULL;
		c->next = h->chunks;
		h->chunks = c;
		h->bump = (char *)c + RS_GRAIN;
		h->end = (char *)c + RS_CHUNK;
	}
	hd = (rs_header *)h->bump;
	h->bump += need;
	hd->cls = cls;
	return hd + 1;
}

void *rs_heap_malloc(void *user, size_t n)
{
	rs_heap *h = user;
	rs_header *hd;
	if (n <= RS_SMALL) {
		size_t cls = n ? (n + RS_GRAIN - 1) / RS_GRAIN : 1;
		rs_free *f = h->free[cls];
		if (f) {
			h->free[cls] = f->next;
			return f;
		}
		return rs_heap_carve(h, cls);
	}
	if (n > SIZE_MAX - RS_GRAIN)
		return NULL;
	hd = malloc(RS_GRAIN + n);
	if (!hd)
		return NULL;
	hd->cls = 0;
	hd->size = n;
	return hd + 1;
}

void rs_heap_free(void *user, void *p)
{
	rs_heap *h = user;
	rs_header *hd;
	rs_free *f;
	if (!p)
		return;
	hd = (rs_header *)p - 1;
	if (hd->cls == 0) {
		free(hd);
		return;
	}
	f = p;
	f->next = h->free[hd->cls];
	h->free[hd->cls] = f;
}

void *rs_heap_realloc(void *user, void *p, size_t n)
{
	rs_header *hd;
	size_t have;
	void *q;
	if (!p)
		return rs_heap_malloc(user, n);
	if (n == 0) {
		rs_heap_free(user, p);
		return NULL;
	}
	hd = (rs_header *)p - 1;
	if (hd->cls == 0 && n > RS_SMALL) {
		// A large block stays large: malloc may grow it in place.
		if (n > SIZE_MAX - RS_GRAIN)
			return NULL;
		hd = realloc(hd, RS_GRAIN + n);
		if (!hd)
			return NULL;
		hd->size = n;
		return hd + 1;
	}
	have = hd->cls ? hd->cls * RS_GRAIN : hd->size;
	// A small block that still fits, and is not mostly empty, stays.
	if (hd->cls && n <= have && n > have / 2)
		return p;
	q = rs_heap_malloc(user, n);
	if (!q)
		return NULL;
	memcpy(q, p, n < have ? n : have);
	rs_heap_free(user, p);
	return q;
}

void rs_heap_release(rs_heap *h)
{
	rs_chunk *c = h->chunks, *next;
	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	memset(h, 0, sizeof *h);
}
