/* Tangled from chapters/02-ipv4.nw, chapters/13-speed.nw by tools/tangle: edit those, not this file. */
#include "field.h"

uint32_t field_get(const uint8_t *hdr, const struct field *f)
{
        size_t first = f->bit / 8, last = (f->bit + f->width - 1) / 8;
        uint64_t v = 0;
        for (size_t i = first; i <= last; i++)
                v = v << 8 | hdr[i];
        unsigned shift = (unsigned)((last + 1) * 8 - (f->bit + f->width));
        uint64_t mask = f->width == 32 ? 0xffffffffu : ((uint64_t)1 << f->width) - 1;
        return (uint32_t)((v >> shift) & mask);
}

void field_set(uint8_t *hdr, const struct field *f, uint32_t value)
{
        for (unsigned i = 0; i < f->width; i++) {
                unsigned bit = f->bit + i;               /* counted from the left */
                unsigned from = f->width - 1 - i;        /* bit of value, from the right */
                uint8_t m = (uint8_t)(0x80u >> (bit % 8));
                if ((value >> from) & 1)
                        hdr[bit / 8] |= m;
                else
                        hdr[bit / 8] &= (uint8_t)~m;
        }
}

void field_print_dot(FILE *out, const char *title,
                     const struct field *fields, size_t n)
{
        fprintf(out, "digraph header {\n"
                "  node [shape=plaintext, fontname=\"Helvetica\"];\n");
        fprintf(out, "  h [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" "
                "cellpadding=\"4\">\n");
        fprintf(out, "  <tr><td colspan=\"32\" border=\"0\"><b>%s</b></td></tr>\n"
                "  <tr>", title);
        for (int b = 0; b < 32; b++)
                fprintf(out, "<td border=\"0\"><font point-size=\"8\">%d</font></td>", b);
        fprintf(out, "</tr>\n  <tr>");
        unsigned col = 0;
        for (size_t i = 0; i < n; i++) {
                unsigned w = fields[i].width;
                while (w > 0) {
                        unsigned span = MIN(w, 32 - col);
                        fprintf(out, "<td colspan=\"%u\" bgcolor=\"%s\">%s</td>", span,
                                i % 2 ? "#eef3fa" : "#ffffff", fields[i].name);
                        w -= span;
                        col += span;
                        if (col == 32) {
                                fprintf(out, "</tr>\n  <tr>");
                                col = 0;
                        }
                }
        }
        fprintf(out, "<td colspan=\"32\" border=\"0\"></td></tr>\n  </table>>];\n}\n");
}
bool wire_fast = true;
