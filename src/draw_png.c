/*
 * draw_png.c - PNG encoding with libpng (not cairo's writer) so the chart
 * files carry tEXt metadata (title, software, job) and the same encoder
 * serves files and the in-memory images embedded in SVG.
 */
#include "draw_png.h"

#include <png.h>
#include <setjmp.h>

#include "error.h"

struct sink {
	void (*fn)(void *arg, const unsigned char *data, size_t len);
	void *arg;
};

static void
png_sink_write(png_structp png, png_bytep data, png_size_t len)
{
	struct sink *s = png_get_io_ptr(png);

	s->fn(s->arg, data, len);
}

static void
png_sink_flush(png_structp png)
{
	(void)png;
}

static void
set_text(png_structp png, png_infop info, const char *const *text, int ntext)
{
	png_text t[8];

	if (ntext > 8)
		ntext = 8;
	for (int i = 0; i < ntext; i++) {
		t[i].compression = PNG_TEXT_COMPRESSION_NONE;
		t[i].key = (char *)text[2 * i];
		t[i].text = (char *)text[2 * i + 1];
		t[i].text_length = 0;
		t[i].itxt_length = 0;
		t[i].lang = NULL;
		t[i].lang_key = NULL;
	}
	png_set_text(png, info, t, ntext);
}

int
draw_png_encode(const unsigned char *rgb, int w, int h, size_t stride,
    const char *const *text, int ntext,
    void (*fn)(void *arg, const unsigned char *data, size_t len), void *arg)
{
	struct sink s = { fn, arg };
	png_structp png;
	png_infop info = NULL;

	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	if (png == NULL || (info = png_create_info_struct(png)) == NULL) {
		png_destroy_write_struct(&png, NULL);
		return pr_fail(PR_EINTERNAL, "cannot start a PNG image (libpng): out of memory?");
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return pr_fail(PR_EINTERNAL, "libpng failed to encode a %dx%d chart", w, h);
	}
	png_set_write_fn(png, &s, png_sink_write, png_sink_flush);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
	    PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	/* Charts are mostly flat colour: fast zlib settings lose little. */
	png_set_compression_level(png, 3);
	png_set_filter(png, 0, PNG_FILTER_SUB | PNG_FILTER_UP);
	set_text(png, info, text, ntext);
	png_write_info(png, info);
	for (int y = 0; y < h; y++)
		png_write_row(png, rgb + (size_t)y * stride);
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	return PR_OK;
}
