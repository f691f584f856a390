// shim.h: the few calls package mupdf makes into MuPDF, each one a whole
// unit of work (open a document, read a page), so that Go crosses into C a
// handful of times per page instead of once per character.
#ifndef RS_SHIM_H
#define RS_SHIM_H

#include <stddef.h>

// RS_MAX_MSGS bounds the distinct MuPDF messages kept per document;
// RS_MSG_LEN bounds each (longer messages are truncated).
#define RS_MAX_MSGS 8
#define RS_MSG_LEN 160

// RS_MAX_RULES bounds the ruling segments kept per page (a map or a chart
// may draw tens of thousands of paths; a table needs far fewer).
#define RS_MAX_RULES 20000

// rs_line is one MuPDF structured-text line: its bounding box, the top of
// its first glyph (baseline minus 0.8 em, as MuPDF's HTML output places
// it), the font size most of its glyphs have, whether most are bold, and
// its characters chars[first, first+n).
typedef struct {
	float x0, y0, x1, y1;
	float top, size;
	int bold;
	int first, n;
} rs_line;

// rs_char is one character: its code point and horizontal extent.
typedef struct {
	int c;
	float x0, x1;
} rs_char;

// rs_rule is a straight horizontal or vertical stroke or a thin filled
// rectangle: the bounding box of what is painted.
typedef struct {
	float x0, y0, x1, y1;
} rs_rule;

// rs_msg is one distinct warning or error message and how often it came.
typedef struct {
	char text[RS_MSG_LEN];
	int count;
	int error;
} rs_msg;

typedef struct rs_doc rs_doc;

// rs_doc_view is what Go reads from a document after a call: the last
// page's lines, characters and rules (valid until the next rs_page call), the last page rendered as PNG (valid until
// the next rs_render_png call), the messages so far and the last error.
typedef struct {
	rs_line *lines;
	int nlines;
	rs_char *chars;
	int nchars;
	rs_rule *rules;
	int nrules;
	int rules_dropped;
	const unsigned char *png;
	size_t npng;
	rs_msg *msgs;
	int nmsgs;
	int warnings, errors;
	const char *err;
} rs_doc_view;

// rs_open opens a PDF from memory (the bytes must stay in place until
// rs_close). It returns NULL only when no MuPDF context can be made (out of
// memory, or headers that do not match the library). *status is 0 when
// the document is open, 1 when it needs a password, -1 when MuPDF cannot
// open it (rs_view(d)->err says why); the document must be closed in every
// case.
rs_doc *rs_open(const unsigned char *data, size_t len, int *status);

// rs_close frees the document, its context and its buffers.
void rs_close(rs_doc *d);

// rs_view returns the view of d's buffers and messages.
rs_doc_view rs_view(rs_doc *d);

// rs_count_pages returns the page count, or -1 (err says why).
int rs_count_pages(rs_doc *d);

// rs_metadata writes the metadata value for key into buf (NUL-terminated,
// truncated to size) and returns its length, or -1 when there is none.
int rs_metadata(rs_doc *d, const char *key, char *buf, int size);

// rs_page reads page n (0-based) into d's buffers: 0 on success, -1 on
// failure (err says why).
int rs_page(rs_doc *d, int n);

// rs_count_images reads page n (0-based) again, for its images only, and
// returns how many images and image masks it draws, or -1 on failure (err
// says why). rs_page does not see them: it reads pages as MuPDF's
// structured-text device asks, which skips images.
int rs_count_images(rs_doc *d, int n);

// rs_render_png renders page n (0-based) at dpi as a grayscale PNG into
// d's PNG buffer: 0 on success, -1 on failure (err says why).
int rs_render_png(rs_doc *d, int n, float dpi);

// rs_check_context reports whether a MuPDF context can be made with these
// headers: 1 if so, 0 if not.
int rs_check_context(void);

#endif
