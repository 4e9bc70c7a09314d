#include "stamp_raster.h"

#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

static void append_bytes(png_structp png, png_bytep data, png_size_t length) {
    stamp_png_buffer *buffer = (stamp_png_buffer *)png_get_io_ptr(png);
    if (buffer->size + length > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity : 1024;
        while (capacity < buffer->size + length) capacity *= 2;
        unsigned char *grown = realloc(buffer->data, capacity);
        if (!grown) png_error(png, "out of memory");
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->size, data, length);
    buffer->size += length;
}

static void no_flush(png_structp png) { (void)png; }

static void quiet_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

int stamp_png_write(const unsigned char *modules, int width, int scale, int margin,
                    int compression_level, stamp_png_buffer *buffer) {
    const int size = (width + 2 * margin) * scale;
    const int row_bytes = (size + 7) / 8;
    buffer->size = 0;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, quiet_warning);
    if (!png) return -1;
    png_infop info = png_create_info_struct(png);
    /* volatile: changed between setjmp and a possible longjmp. */
    unsigned char *volatile row = NULL;
    if (!info || setjmp(png_jmpbuf(png))) {
        free(row);
        png_destroy_write_struct(&png, info ? &info : NULL);
        return -1;
    }
    row = malloc((size_t)row_bytes);
    if (!row) png_error(png, "out of memory");
    png_set_write_fn(png, buffer, append_bytes, no_flush);
    png_set_IHDR(png, info, (png_uint_32)size, (png_uint_32)size, 1, PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    /* 1-bit rows of a QR symbol gain nothing from filters; zlib's level is the caller's choice. */
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_set_compression_level(png, compression_level);
    png_write_info(png, info);

    /* The quiet-zone rows are all light. */
    memset(row, 0xff, (size_t)row_bytes);
    for (int y = 0; y < margin * scale; y++) png_write_row(png, row);
    for (int my = 0; my < width; my++) {
        memset(row, 0xff, (size_t)row_bytes);
        const unsigned char *line = modules + (size_t)my * (size_t)width;
        int x = margin * scale;
        for (int mx = 0; mx < width; mx++) {
            if (line[mx] & 1) {
                for (int k = 0; k < scale; k++, x++) row[x >> 3] &= (unsigned char)~(0x80 >> (x & 7));
            } else {
                x += scale;
            }
        }
        for (int k = 0; k < scale; k++) png_write_row(png, row);
    }
    memset(row, 0xff, (size_t)row_bytes);
    for (int y = 0; y < margin * scale; y++) png_write_row(png, row);

    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(row);
    return 0;
}

void stamp_png_buffer_free(stamp_png_buffer *buffer) {
    free(buffer->data);
    buffer->data = NULL;
    buffer->size = 0;
    buffer->capacity = 0;
}
