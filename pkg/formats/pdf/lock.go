package pdf

import "sync"

// mupdfGlobals serializes the documents that may reach MuPDF's process-wide
// variables; all other documents share it and run in parallel.
//
// internal/mupdf gives every document its own fz_context, created without
// lock callbacks; a document stays with one goroutine (it never leaves the
// Convert call that opened it). Separate contexts share
// no store, fonts, colour-management or allocator state, so different
// documents may be read in different goroutines at once. MuPDF does keep a
// few plain globals that it protects only with the context locks, which are
// no-ops here:
//   - load-jpx.c: opj_secret, the context of the thread inside OpenJPEG. Two
//     documents decoding JPEG 2000 images at once swap or clear it under each
//     other, and OpenJPEG then allocates through a NULL context: a crash no
//     recover() can catch. Text extraction in MuPDF 1.24 does not decode
//     images (a debugger on fz_load_jpx and opj_lock saw no call while
//     converting a PDF with a JPEG 2000 image; the shim does not ask for
//     images in the structured text either), so this guards against other
//     paths and future versions, at the price of converting such documents
//     one at a time.
//   - crypt-aes.c: aes_init_done and the AES tables, built on first use, by
//     any document encrypted with AES, even one that opens without a password.
//   - harfbuzz.c: fz_hb_secret, used for HTML/EPUB layout only, never for PDF.
//
// Documents that mention JPX or carry an /Encrypt dictionary therefore take
// the lock exclusively. Image dictionaries and the trailer are never
// compressed or encrypted, so the raw bytes show both.
var mupdfGlobals sync.RWMutex

// lockFor locks mupdfGlobals as the document needs and returns the unlock.
func lockFor(f facts) (unlock func()) {
	if f.jpx || f.encrypted {
		mupdfGlobals.Lock()
		return mupdfGlobals.Unlock
	}
	mupdfGlobals.RLock()
	return mupdfGlobals.RUnlock
}
