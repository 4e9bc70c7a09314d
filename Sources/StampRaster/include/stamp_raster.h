#ifndef STAMP_RASTER_H
#define STAMP_RASTER_H

#include <stddef.h>

/// A growable byte buffer that a PNG is written into. Owned by the Swift type `PNGEncoder`,
/// which frees it with stamp_png_buffer_free.
typedef struct {
    unsigned char *data;
    size_t size;
    size_t capacity;
} stamp_png_buffer;

/// Writes a QR symbol as a 1-bit grayscale PNG into `buffer` (replacing what it held).
/// `modules` holds width*width bytes, bit 0 set for a dark module (libqrencode's layout).
/// Each module becomes `scale`×`scale` pixels, with `margin` light modules around the symbol.
/// Returns 0 on success, -1 when libpng reports an error or memory runs out.
///
/// This lives in C because libpng reports errors with longjmp, which Swift cannot catch.
int stamp_png_write(const unsigned char *modules, int width, int scale, int margin,
                    int compression_level, stamp_png_buffer *buffer);

void stamp_png_buffer_free(stamp_png_buffer *buffer);

#endif
