// shim.c: see shim.h. Every MuPDF call that can throw runs inside
// fz_try, and everything a call makes is dropped on every path.
#include <mupdf/fitz.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heap.h"
#include "shim.h"

struct rs_doc {
	rs_heap heap; // what ctx allocates from (heap.h)
	fz_alloc_context alloc;
	fz_context *ctx;
	fz_document *doc;

	rs_line *lines;
	int nlines, caplines;
	rs_char *chars;
	int nchars, capchars;
	rs_rule *rules;
	int nrules, caprules;
	int rules_dropped;

	fz_buffer *png; // the last page rendered

	rs_msg msgs[RS_MAX_MSGS];
	int nmsgs;
	int last; // index of the last message, -1 if it was not kept
	int warnings, errors;
	char err[RS_MSG_LEN];
};

// rs_message records a MuPDF message: counted, and kept once per distinct
// text. MuPDF folds a run of one warning into "... repeated N times...",
// which adds to the message before it.
static void rs_message(rs_doc *d, const char *msg, int error)
{
	int n = 0, i;
	if (sscanf(msg, "... repeated %d times", &n) == 1 && n > 1) {
		if (error)
			d->errors += n - 1;
		else
			d->warnings += n - 1;
		if (d->last >= 0)
			d->msgs[d->last].count += n - 1;
		return;
	}
	if (error)
		d->errors++;
	else
		d->warnings++;
	d->last = -1;
	for (i = 0; i < d->nmsgs; i++) {
		if (d->msgs[i].error == error && strncmp(d->msgs[i].text, msg, RS_MSG_LEN - 1) == 0) {
			d->msgs[i].count++;
			d->last = i;
			return;
		}
	}
	if (d->nmsgs < RS_MAX_MSGS) {
		rs_msg *m = &d->msgs[d->nmsgs];
		strncpy(m->text, msg, RS_MSG_LEN - 1);
		m->text[RS_MSG_LEN - 1] = 0;
		m->count = 1;
		m->error = error;
		d->last = d->nmsgs++;
	}
}

static void rs_on_warning(void *user, const char *msg) { rs_message((rs_doc *)user, msg, 0); }
static void rs_on_error(void *user, const char *msg) { rs_message((rs_doc *)user, msg, 1); }

// rs_fail keeps the message of the error just caught as d->err, and
// reports it (to rs_on_error).
static void rs_fail(rs_doc *d)
{
	strncpy(d->err, fz_caught_message(d->ctx), RS_MSG_LEN - 1);
	d->err[RS_MSG_LEN - 1] = 0;
	fz_report_error(d->ctx);
}

int rs_check_context(void)
{
	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	if (!ctx)
		return 0;
	fz_drop_context(ctx);
	return 1;
}

rs_doc *rs_open(const unsigned char *data, size_t len, int *status)
{
	rs_doc *d = calloc(1, sizeof *d);
	fz_stream *stm = NULL;
	fz_var(stm);
	if (!d)
		return NULL;
	d->last = -1;
	d->alloc.user = &d->heap;
	d->alloc.malloc = rs_heap_malloc;
	d->alloc.realloc = rs_heap_realloc;
	d->alloc.free = rs_heap_free;
	d->ctx = fz_new_context(&d->alloc, NULL, FZ_STORE_DEFAULT);
	if (!d->ctx) {
		rs_heap_release(&d->heap);
		free(d);
		return NULL;
	}
	fz_set_warning_callback(d->ctx, rs_on_warning, d);
	fz_set_error_callback(d->ctx, rs_on_error, d);
	*status = 0;
	fz_try(d->ctx) {
		fz_register_document_handlers(d->ctx);
		stm = fz_open_memory(d->ctx, data, len);
		d->doc = fz_open_document_with_stream(d->ctx, "application/pdf", stm);
		if (fz_needs_password(d->ctx, d->doc))
			*status = 1;
	}
	fz_always(d->ctx) {
		fz_drop_stream(d->ctx, stm);
	}
	fz_catch(d->ctx) {
		rs_fail(d);
		*status = -1;
	}
	return d;
}

void rs_close(rs_doc *d)
{
	if (!d)
		return;
	if (d->ctx) {
		fz_drop_document(d->ctx, d->doc);
		fz_free(d->ctx, d->lines);
		fz_free(d->ctx, d->chars);
		fz_free(d->ctx, d->rules);
		fz_drop_buffer(d->ctx, d->png);
		// Dropping the context flushes its warnings: they go nowhere.
		fz_set_warning_callback(d->ctx, NULL, NULL);
		fz_set_error_callback(d->ctx, NULL, NULL);
		fz_drop_context(d->ctx);
	}
	rs_heap_release(&d->heap);
	free(d);
}

rs_doc_view rs_view(rs_doc *d)
{
	rs_doc_view v;
	fz_flush_warnings(d->ctx);
	v.lines = d->lines;
	v.nlines = d->nlines;
	v.chars = d->chars;
	v.nchars = d->nchars;
	v.rules = d->rules;
	v.nrules = d->nrules;
	v.rules_dropped = d->rules_dropped;
	v.png = NULL;
	v.npng = 0;
	if (d->png) {
		unsigned char *data = NULL;
		v.npng = fz_buffer_storage(d->ctx, d->png, &data);
		v.png = data;
	}
	v.msgs = d->msgs;
	v.nmsgs = d->nmsgs;
	v.warnings = d->warnings;
	v.errors = d->errors;
	v.err = d->err;
	return v;
}

int rs_count_pages(rs_doc *d)
{
	int n = -1;
	fz_var(n);
	fz_try(d->ctx)
		n = fz_count_pages(d->ctx, d->doc);
	fz_catch(d->ctx) {
		rs_fail(d);
		n = -1;
	}
	return n;
}

int rs_metadata(rs_doc *d, const char *key, char *buf, int size)
{
	int n = -1;
	fz_var(n);
	buf[0] = 0;
	fz_try(d->ctx)
		n = fz_lookup_metadata(d->ctx, d->doc, key, buf, size);
	fz_catch(d->ctx) {
		rs_fail(d);
		n = -1;
	}
	return n;
}

// rs_grow makes room for need elements of size bytes in *p (capacity *cap).
static void rs_grow(fz_context *ctx, void **p, int *cap, int need, size_t size)
{
	int c;
	if (need <= *cap)
		return;
	c = *cap ? *cap : 256;
	while (c < need)
		c *= 2;
	*p = fz_realloc(ctx, *p, (size_t)c * size);
	*cap = c;
}

static void rs_add_rule(fz_context *ctx, rs_doc *d, float x0, float y0, float x1, float y1)
{
	rs_rule *r;
	if (d->nrules >= RS_MAX_RULES) {
		d->rules_dropped++;
		return;
	}
	rs_grow(ctx, (void **)&d->rules, &d->caprules, d->nrules + 1, sizeof(rs_rule));
	r = &d->rules[d->nrules++];
	r->x0 = fz_min(x0, x1);
	r->x1 = fz_max(x0, x1);
	r->y0 = fz_min(y0, y1);
	r->y1 = fz_max(y0, y1);
}

// The ruling device: a device in front of the structured-text device that
// passes every call on to it and keeps, from the paths drawn, what can be
// a table rule: straight horizontal and vertical strokes, and filled
// rectangles thin enough to be lines.

// rs_thin is the thickness (points) up to which a filled rectangle is a line.
#define rs_thin 3.0f

typedef struct {
	fz_device super;
	fz_device *inner;
	rs_doc *d;
} rs_device;

typedef struct {
	fz_context *ctx;
	rs_doc *d;
	fz_matrix ctm;
	int stroke;
	fz_point start, cur; // in device space
	fz_rect box;	     // of the current subpath
	int points, straight;
} rs_walk;

static void rs_walk_begin(rs_walk *w, fz_point p)
{
	w->start = w->cur = p;
	w->box = fz_make_rect(p.x, p.y, p.x, p.y);
	w->points = 1;
	w->straight = 1;
}

static void rs_walk_point(rs_walk *w, fz_point p)
{
	w->box = fz_include_point_in_rect(w->box, p);
	w->points++;
	w->cur = p;
}

// rs_segment keeps a stroked segment that is horizontal or vertical.
static void rs_segment(rs_walk *w, fz_point a, fz_point b)
{
	float dx = fabsf(a.x - b.x), dy = fabsf(a.y - b.y);
	if ((dy <= 0.5f && dx > 1) || (dx <= 0.5f && dy > 1))
		rs_add_rule(w->ctx, w->d, a.x, a.y, b.x, b.y);
}

// rs_walk_end keeps the filled subpath just finished if it is a thin,
// straight-edged shape.
static void rs_walk_end(rs_walk *w)
{
	float wd, ht;
	if (w->stroke || w->points < 2 || !w->straight)
		return;
	wd = w->box.x1 - w->box.x0;
	ht = w->box.y1 - w->box.y0;
	if ((ht <= rs_thin && wd > 1 && wd >= 2 * ht) || (wd <= rs_thin && ht > 1 && ht >= 2 * wd))
		rs_add_rule(w->ctx, w->d, w->box.x0, w->box.y0, w->box.x1, w->box.y1);
}

static void rs_moveto(fz_context *ctx, void *arg, float x, float y)
{
	rs_walk *w = arg;
	rs_walk_end(w);
	rs_walk_begin(w, fz_transform_point_xy(x, y, w->ctm));
}

static void rs_lineto(fz_context *ctx, void *arg, float x, float y)
{
	rs_walk *w = arg;
	fz_point p = fz_transform_point_xy(x, y, w->ctm);
	if (w->stroke)
		rs_segment(w, w->cur, p);
	rs_walk_point(w, p);
}

static void rs_curveto(fz_context *ctx, void *arg, float x1, float y1, float x2, float y2, float x3, float y3)
{
	rs_walk *w = arg;
	w->straight = 0;
	rs_walk_point(w, fz_transform_point_xy(x3, y3, w->ctm));
}

static void rs_closepath(fz_context *ctx, void *arg)
{
	rs_walk *w = arg;
	if (w->stroke)
		rs_segment(w, w->cur, w->start);
	w->cur = w->start;
}

static void rs_rectto(fz_context *ctx, void *arg, float x0, float y0, float x1, float y1)
{
	rs_walk *w = arg;
	fz_point a = fz_transform_point_xy(x0, y0, w->ctm);
	fz_point b = fz_transform_point_xy(x1, y0, w->ctm);
	fz_point c = fz_transform_point_xy(x1, y1, w->ctm);
	fz_point e = fz_transform_point_xy(x0, y1, w->ctm);
	rs_walk_end(w);
	rs_walk_begin(w, a);
	if (w->stroke) {
		rs_segment(w, a, b);
		rs_segment(w, b, c);
		rs_segment(w, c, e);
		rs_segment(w, e, a);
	}
	rs_walk_point(w, b);
	rs_walk_point(w, c);
	rs_walk_point(w, e);
	rs_walk_end(w);
	w->points = 0;
}

static const fz_path_walker rs_walker = {
	rs_moveto, rs_lineto, rs_curveto, rs_closepath, NULL, NULL, NULL, rs_rectto,
};

// rs_visible reports whether a colour is not white (a white box clears a
// background; it draws no line).
static int rs_visible(fz_context *ctx, fz_colorspace *cs, const float *color, float alpha)
{
	int i, n;
	if (alpha < 0.05f)
		return 0;
	if (!cs || !color)
		return 1;
	n = fz_colorspace_n(ctx, cs);
	switch (fz_colorspace_type(ctx, cs)) {
	case FZ_COLORSPACE_GRAY:
	case FZ_COLORSPACE_RGB:
	case FZ_COLORSPACE_BGR:
		for (i = 0; i < n; i++)
			if (color[i] < 0.97f)
				return 1;
		return 0;
	case FZ_COLORSPACE_CMYK:
		for (i = 0; i < n; i++)
			if (color[i] > 0.03f)
				return 1;
		return 0;
	default:
		return 1;
	}
}

static void rs_collect_path(fz_context *ctx, rs_device *dev, const fz_path *path, fz_matrix ctm, int stroke)
{
	rs_walk w;
	memset(&w, 0, sizeof w);
	w.ctx = ctx;
	w.d = dev->d;
	w.ctm = ctm;
	w.stroke = stroke;
	fz_walk_path(ctx, path, &rs_walker, &w);
	rs_walk_end(&w);
}

static void rs_fill_path(fz_context *ctx, fz_device *dev_, const fz_path *path, int even_odd, fz_matrix ctm, fz_colorspace *cs, const float *color, float alpha, fz_color_params cp)
{
	rs_device *dev = (rs_device *)dev_;
	if (rs_visible(ctx, cs, color, alpha))
		rs_collect_path(ctx, dev, path, ctm, 0);
	if (dev->inner->fill_path)
		dev->inner->fill_path(ctx, dev->inner, path, even_odd, ctm, cs, color, alpha, cp);
}

static void rs_stroke_path(fz_context *ctx, fz_device *dev_, const fz_path *path, const fz_stroke_state *st, fz_matrix ctm, fz_colorspace *cs, const float *color, float alpha, fz_color_params cp)
{
	rs_device *dev = (rs_device *)dev_;
	if (rs_visible(ctx, cs, color, alpha))
		rs_collect_path(ctx, dev, path, ctm, 1);
	if (dev->inner->stroke_path)
		dev->inner->stroke_path(ctx, dev->inner, path, st, ctm, cs, color, alpha, cp);
}

// The calls passed on unchanged. Only those the inner device implements are
// set, so the outer device behaves as the inner one would.
#define IN(dev) (((rs_device *)(dev))->inner)

static void rs_clip_path(fz_context *ctx, fz_device *dev, const fz_path *path, int even_odd, fz_matrix ctm, fz_rect scissor) { IN(dev)->clip_path(ctx, IN(dev), path, even_odd, ctm, scissor); }
static void rs_clip_stroke_path(fz_context *ctx, fz_device *dev, const fz_path *path, const fz_stroke_state *st, fz_matrix ctm, fz_rect scissor) { IN(dev)->clip_stroke_path(ctx, IN(dev), path, st, ctm, scissor); }
static void rs_clip_text(fz_context *ctx, fz_device *dev, const fz_text *text, fz_matrix ctm, fz_rect scissor) { IN(dev)->clip_text(ctx, IN(dev), text, ctm, scissor); }
static void rs_clip_stroke_text(fz_context *ctx, fz_device *dev, const fz_text *text, const fz_stroke_state *st, fz_matrix ctm, fz_rect scissor) { IN(dev)->clip_stroke_text(ctx, IN(dev), text, st, ctm, scissor); }
static void rs_ignore_text(fz_context *ctx, fz_device *dev, const fz_text *text, fz_matrix ctm) { IN(dev)->ignore_text(ctx, IN(dev), text, ctm); }
static void rs_fill_image(fz_context *ctx, fz_device *dev, fz_image *img, fz_matrix ctm, float alpha, fz_color_params cp) { IN(dev)->fill_image(ctx, IN(dev), img, ctm, alpha, cp); }
static void rs_fill_image_mask(fz_context *ctx, fz_device *dev, fz_image *img, fz_matrix ctm, fz_colorspace *cs, const float *color, float alpha, fz_color_params cp) { IN(dev)->fill_image_mask(ctx, IN(dev), img, ctm, cs, color, alpha, cp); }
static void rs_fill_shade(fz_context *ctx, fz_device *dev, fz_shade *shd, fz_matrix ctm, float alpha, fz_color_params cp) { IN(dev)->fill_shade(ctx, IN(dev), shd, ctm, alpha, cp); }
static void rs_clip_image_mask(fz_context *ctx, fz_device *dev, fz_image *img, fz_matrix ctm, fz_rect scissor) { IN(dev)->clip_image_mask(ctx, IN(dev), img, ctm, scissor); }
static void rs_pop_clip(fz_context *ctx, fz_device *dev) { IN(dev)->pop_clip(ctx, IN(dev)); }
static void rs_begin_mask(fz_context *ctx, fz_device *dev, fz_rect area, int luminosity, fz_colorspace *cs, const float *bc, fz_color_params cp) { IN(dev)->begin_mask(ctx, IN(dev), area, luminosity, cs, bc, cp); }
static void rs_end_mask(fz_context *ctx, fz_device *dev, fz_function *fn) { IN(dev)->end_mask(ctx, IN(dev), fn); }
static void rs_begin_group(fz_context *ctx, fz_device *dev, fz_rect area, fz_colorspace *cs, int isolated, int knockout, int blendmode, float alpha) { IN(dev)->begin_group(ctx, IN(dev), area, cs, isolated, knockout, blendmode, alpha); }
static void rs_end_group(fz_context *ctx, fz_device *dev) { IN(dev)->end_group(ctx, IN(dev)); }
static int rs_begin_tile(fz_context *ctx, fz_device *dev, fz_rect area, fz_rect view, float xstep, float ystep, fz_matrix ctm, int id) { return IN(dev)->begin_tile(ctx, IN(dev), area, view, xstep, ystep, ctm, id); }
static void rs_end_tile(fz_context *ctx, fz_device *dev) { IN(dev)->end_tile(ctx, IN(dev)); }
static void rs_render_flags(fz_context *ctx, fz_device *dev, int set, int clear) { IN(dev)->render_flags(ctx, IN(dev), set, clear); }
static void rs_set_default_colorspaces(fz_context *ctx, fz_device *dev, fz_default_colorspaces *dcs) { IN(dev)->set_default_colorspaces(ctx, IN(dev), dcs); }
static void rs_begin_layer(fz_context *ctx, fz_device *dev, const char *name) { IN(dev)->begin_layer(ctx, IN(dev), name); }
static void rs_end_layer(fz_context *ctx, fz_device *dev) { IN(dev)->end_layer(ctx, IN(dev)); }
static void rs_begin_structure(fz_context *ctx, fz_device *dev, fz_structure s, const char *raw, int idx) { IN(dev)->begin_structure(ctx, IN(dev), s, raw, idx); }
static void rs_end_structure(fz_context *ctx, fz_device *dev) { IN(dev)->end_structure(ctx, IN(dev)); }
static void rs_begin_metatext(fz_context *ctx, fz_device *dev, fz_metatext meta, const char *text) { IN(dev)->begin_metatext(ctx, IN(dev), meta, text); }
static void rs_end_metatext(fz_context *ctx, fz_device *dev) { IN(dev)->end_metatext(ctx, IN(dev)); }

// Text is passed on in black RGB whatever its colour. The structured-text
// device converts every text colour to sRGB for the characters' color
// field, which is never read here; from any other colour space the first
// conversion of a document builds an ICC transform (lcms2), about 1 % of a
// document's time.
static const float rs_black[3] = {0, 0, 0};

static void rs_fill_text(fz_context *ctx, fz_device *dev, const fz_text *text, fz_matrix ctm, fz_colorspace *cs, const float *color, float alpha, fz_color_params cp)
{
	IN(dev)->fill_text(ctx, IN(dev), text, ctm, fz_device_rgb(ctx), rs_black, alpha, cp);
}

static void rs_stroke_text(fz_context *ctx, fz_device *dev, const fz_text *text, const fz_stroke_state *st, fz_matrix ctm, fz_colorspace *cs, const float *color, float alpha, fz_color_params cp)
{
	IN(dev)->stroke_text(ctx, IN(dev), text, st, ctm, fz_device_rgb(ctx), rs_black, alpha, cp);
}

#define PASS(f) \
	if (inner->f) \
		dev->super.f = rs_##f

static rs_device *rs_new_device(fz_context *ctx, fz_device *inner, rs_doc *d)
{
	rs_device *dev = fz_new_derived_device(ctx, rs_device);
	dev->inner = inner;
	dev->d = d;
	// The interpreter reads the hints and flags of the device it is given,
	// this one: they are the inner device's. The structured-text device
	// hints FZ_DONT_DECODE_IMAGES, which makes the interpreter skip image
	// XObjects without loading them (as mutool does; loading them was up
	// to a fifth of a document's time).
	dev->super.hints = inner->hints;
	dev->super.flags = inner->flags;
	dev->super.fill_path = rs_fill_path;
	dev->super.stroke_path = rs_stroke_path;
	PASS(fill_image);
	PASS(fill_image_mask);
	PASS(clip_path);
	PASS(clip_stroke_path);
	PASS(fill_text);
	PASS(stroke_text);
	PASS(clip_text);
	PASS(clip_stroke_text);
	PASS(ignore_text);
	PASS(fill_shade);
	PASS(clip_image_mask);
	PASS(pop_clip);
	PASS(begin_mask);
	PASS(end_mask);
	PASS(begin_group);
	PASS(end_group);
	PASS(begin_tile);
	PASS(end_tile);
	PASS(render_flags);
	PASS(set_default_colorspaces);
	PASS(begin_layer);
	PASS(end_layer);
	PASS(begin_structure);
	PASS(end_structure);
	PASS(begin_metatext);
	PASS(end_metatext);
	return dev;
}

// rs_is_bold reports whether a font is bold: MuPDF's flag (from the font
// descriptor and the font file, as its HTML output uses), or a bold name.
static int rs_is_bold(fz_context *ctx, fz_font *font)
{
	const char *name;
	if (!font)
		return 0;
	if (fz_font_is_bold(ctx, font))
		return 1;
	name = fz_font_name(ctx, font);
	return name && (strstr(name, "Bold") || strstr(name, "bold") || strstr(name, "Black") || strstr(name, "Heavy"));
}

// rs_collect copies the text lines of the stext page into d's buffers.
static void rs_collect(fz_context *ctx, rs_doc *d, fz_stext_page *text)
{
	fz_stext_block *b;
	fz_stext_line *ln;
	fz_stext_char *ch;
	fz_font *font = NULL;
	int bold = 0;
	for (b = text->first_block; b; b = b->next) {
		if (b->type != FZ_STEXT_BLOCK_TEXT)
			continue;
		for (ln = b->u.t.first_line; ln; ln = ln->next) {
			float sizes[8];
			int counts[8], nsizes = 0, chars = 0, bolds = 0, i, best = -1;
			rs_line *l;
			if (!ln->first_char)
				continue;
			// A line less than half on the page belongs to the page
			// before or after it: a row the page break cuts that the
			// producer draws whole on both pages, clipped (wkhtmltopdf),
			// shows the line it cuts through on both, more of it on one.
			// Text past the left or right edge stays: a table wider than
			// the page still names what it names.
			if (fz_min(ln->bbox.y1, text->mediabox.y1) - fz_max(ln->bbox.y0, text->mediabox.y0) < 0.5f * (ln->bbox.y1 - ln->bbox.y0))
				continue;
			rs_grow(ctx, (void **)&d->lines, &d->caplines, d->nlines + 1, sizeof(rs_line));
			l = &d->lines[d->nlines++];
			l->x0 = ln->bbox.x0;
			l->y0 = ln->bbox.y0;
			l->x1 = ln->bbox.x1;
			l->y1 = ln->bbox.y1;
			l->top = ln->first_char->origin.y - ln->first_char->size * 0.8f;
			l->first = d->nchars;
			l->n = 0;
			for (ch = ln->first_char; ch; ch = ch->next) {
				rs_char *c;
				rs_grow(ctx, (void **)&d->chars, &d->capchars, d->nchars + 1, sizeof(rs_char));
				c = &d->chars[d->nchars++];
				c->c = ch->c;
				c->x0 = fz_min(ch->quad.ll.x, ch->quad.ul.x);
				c->x1 = fz_max(ch->quad.lr.x, ch->quad.ur.x);
				l->n++;
				if (ch->font != font) {
					font = ch->font;
					bold = rs_is_bold(ctx, font);
				}
				// Spaces count for the weight (as MuPDF's HTML output
				// weighs its spans), not for the size.
				chars++;
				bolds += bold;
				if (ch->c == ' ')
					continue;
				for (i = 0; i < nsizes; i++)
					if (fabsf(sizes[i] - ch->size) < 0.05f)
						break;
				if (i == nsizes && nsizes < 8) {
					sizes[nsizes] = ch->size;
					counts[nsizes++] = 0;
				}
				if (i < nsizes)
					counts[i]++;
			}
			for (i = 0; i < nsizes; i++)
				if (best < 0 || counts[i] > counts[best] || (counts[i] == counts[best] && sizes[i] > sizes[best]))
					best = i;
			l->size = best >= 0 ? sizes[best] : ln->first_char->size;
			l->bold = chars > 0 && 2 * bolds > chars;
		}
	}
}

int rs_page(rs_doc *d, int n)
{
	fz_context *ctx = d->ctx;
	fz_page *page = NULL;
	fz_stext_page *text = NULL;
	fz_device *inner = NULL;
	rs_device *dev = NULL;
	int ok = 0;
	fz_var(page);
	fz_var(text);
	fz_var(inner);
	fz_var(dev);
	fz_var(ok);
	d->nlines = d->nchars = d->nrules = 0;
	d->rules_dropped = 0;
	fz_try(ctx) {
		fz_stext_options opts;
		memset(&opts, 0, sizeof opts);
		page = fz_load_page(ctx, d->doc, n);
		text = fz_new_stext_page(ctx, fz_bound_page(ctx, page));
		inner = fz_new_stext_device(ctx, text, &opts);
		dev = rs_new_device(ctx, inner, d);
		fz_run_page_contents(ctx, page, &dev->super, fz_identity, NULL);
		fz_close_device(ctx, &dev->super);
		fz_close_device(ctx, inner);
		rs_collect(ctx, d, text);
		ok = 1;
	}
	fz_always(ctx) {
		fz_drop_device(ctx, (fz_device *)dev);
		fz_drop_device(ctx, inner);
		fz_drop_stext_page(ctx, text);
		fz_drop_page(ctx, page);
	}
	fz_catch(ctx) {
		rs_fail(d);
		d->nlines = d->nchars = d->nrules = 0;
		ok = 0;
	}
	return ok ? 0 : -1;
}

// The image counter: a device that counts the images and image masks
// drawn, and nothing else. Its hints are empty, so the interpreter draws
// every image (it loads each, but nothing asks for its pixels).
typedef struct {
	fz_device super;
	int images;
} rs_counter;

static void rs_count_image(fz_context *ctx, fz_device *dev, fz_image *img, fz_matrix ctm, float alpha, fz_color_params cp)
{
	((rs_counter *)dev)->images++;
}

static void rs_count_image_mask(fz_context *ctx, fz_device *dev, fz_image *img, fz_matrix ctm, fz_colorspace *cs, const float *color, float alpha, fz_color_params cp)
{
	((rs_counter *)dev)->images++;
}

int rs_count_images(rs_doc *d, int n)
{
	fz_context *ctx = d->ctx;
	fz_page *page = NULL;
	rs_counter *dev = NULL;
	int images = -1;
	fz_var(page);
	fz_var(dev);
	fz_var(images);
	fz_try(ctx) {
		page = fz_load_page(ctx, d->doc, n);
		dev = fz_new_derived_device(ctx, rs_counter);
		dev->super.fill_image = rs_count_image;
		dev->super.fill_image_mask = rs_count_image_mask;
		fz_run_page_contents(ctx, page, &dev->super, fz_identity, NULL);
		fz_close_device(ctx, &dev->super);
		images = dev->images;
	}
	fz_always(ctx) {
		fz_drop_device(ctx, (fz_device *)dev);
		fz_drop_page(ctx, page);
	}
	fz_catch(ctx) {
		rs_fail(d);
		images = -1;
	}
	return images;
}

int rs_render_png(rs_doc *d, int n, float dpi)
{
	fz_context *ctx = d->ctx;
	fz_page *page = NULL;
	fz_pixmap *pix = NULL;
	int ok = 0;
	fz_var(page);
	fz_var(pix);
	fz_var(ok);
	fz_drop_buffer(ctx, d->png);
	d->png = NULL;
	fz_try(ctx) {
		float zoom = dpi / 72.0f;
		page = fz_load_page(ctx, d->doc, n);
		pix = fz_new_pixmap_from_page(ctx, page, fz_scale(zoom, zoom), fz_device_gray(ctx), 0);
		fz_set_pixmap_resolution(ctx, pix, (int)dpi, (int)dpi);
		d->png = fz_new_buffer_from_pixmap_as_png(ctx, pix, fz_default_color_params);
		ok = 1;
	}
	fz_always(ctx) {
		fz_drop_pixmap(ctx, pix);
		fz_drop_page(ctx, page);
	}
	fz_catch(ctx) {
		rs_fail(d);
		ok = 0;
	}
	return ok ? 0 : -1;
}
