/*
 * draw_png.h - PNG encoding (libpng) of an RGB raster with text chunks.
 */
#ifndef PR_DRAW_PNG_H
#define PR_DRAW_PNG_H

#include <stddef.h>

/* PNG of 8-bit RGB rows (stride bytes apart) through sink, with tEXt
 * chunks from text (key, value pairs, ntext pairs).  PR_OK or PR_EINTERNAL
 * (recorded) when libpng fails. */
int draw_png_encode(const unsigned char *rgb, int w, int h, size_t stride,
    const char *const *text, int ntext,
    void (*sink)(void *arg, const unsigned char *data, size_t len), void *arg);

#endif
