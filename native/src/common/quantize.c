/* Palette quantisation for compact PNGs (screenshots for models).
 *
 * An image with at most 256 distinct colours keeps them all, exactly (flat
 * user interfaces stay pixel-exact). Otherwise:
 * 1. colours that fill horizontal runs of at least 3 equal pixels (window
 *    backgrounds, text, borders: what a screen draws flat) are counted, and
 *    the most frequent of them (up to 32, each covering at least 1/20000 of
 *    the image) enter the palette exactly. More cost bytes for little: on
 *    the benchmark's typical desktop, 128 exact colours gave 308 KB (mean
 *    error 0.27 levels), 64 gave 270 KB (0.35), 32 gave 237 KB (0.40), 16
 *    gave 229 KB (0.44), text equally sharp;
 * 2. the other pixels go into a histogram of 5 bits per channel, cut by
 *    median cut (the box with the largest count x extent^2 is split at its
 *    weighted median along its longest axis) into the remaining entries,
 *    each the mean colour of its box;
 * 3. every pixel takes its exact entry when it has one, else its cell's box.
 * No dithering: it would turn flat areas of photos into noise that
 * compresses badly, and models read edges, not gradients. */
#include "_common.h"

#include <stdlib.h>
#include <string.h>

#define OD_Q_HASH_BITS 12
#define OD_Q_HASH (1u << OD_Q_HASH_BITS)
#define OD_Q_HASH_FULL (OD_Q_HASH * 3 / 4)
#define OD_Q_CELLS 32768u
#define OD_Q_MAX_EXACT 32u
#define OD_Q_MIN_RUN 3u
#define OD_Q_NONE 0xffffu

typedef struct {
  uint32_t key; /* 0x1RRGGBB when used, 0 when free */
  uint32_t count;
} od_qslot;

typedef struct {
  uint32_t count, r, g, b;
} od_qcell;

typedef struct {
  uint32_t start, end; /* range of `order` */
  uint64_t count;
  uint8_t lo[3], hi[3];
} od_qbox;

static inline uint32_t od_q_rgb(const uint8_t *p) {
  return (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static inline uint32_t od_q_cell(uint32_t rgb) {
  return (rgb >> 9 & 0x7c00) | (rgb >> 6 & 0x3e0) | (rgb >> 3 & 0x1f);
}

/* The slot of `rgb`; inserts it when `insert` and the table has room, else NULL. */
static od_qslot *od_q_slot(od_qslot *t, uint32_t *used, uint32_t rgb, int insert) {
  uint32_t key = rgb | 0x1000000u;
  for (uint32_t i = (rgb * 2654435761u) >> (32 - OD_Q_HASH_BITS);; i = (i + 1) & (OD_Q_HASH - 1)) {
    if (t[i].key == key) return &t[i];
    if (t[i].key != 0) continue;
    if (!insert || *used >= OD_Q_HASH_FULL) return NULL;
    t[i] = (od_qslot){key, 0};
    (*used)++;
    return &t[i];
  }
}

/* Collects the distinct colours; 0 when there are more than 256. */
static int od_q_exact(const uint8_t *px, uint32_t stride, uint32_t w, uint32_t h, od_qslot *t,
                      uint32_t *used) {
  uint32_t prev = 0xffffffffu;
  for (uint32_t y = 0; y < h; y++) {
    const uint8_t *p = px + (size_t)y * stride;
    for (uint32_t x = 0; x < w; x++, p += 4) {
      uint32_t rgb = od_q_rgb(p);
      if (rgb == prev) continue;
      prev = rgb;
      if (!od_q_slot(t, used, rgb, 1) || *used > 256) return 0;
    }
  }
  return 1;
}

/* Counts the pixels of each colour that fills runs of OD_Q_MIN_RUN or more. */
static void od_q_runs(const uint8_t *px, uint32_t stride, uint32_t w, uint32_t h, od_qslot *t,
                      uint32_t *used) {
  for (uint32_t y = 0; y < h; y++) {
    const uint8_t *row = px + (size_t)y * stride;
    uint32_t x = 0;
    while (x < w) {
      uint32_t rgb = od_q_rgb(row + (size_t)x * 4), end = x + 1;
      while (end < w && od_q_rgb(row + (size_t)end * 4) == rgb) end++;
      if (end - x >= OD_Q_MIN_RUN) {
        od_qslot *s = od_q_slot(t, used, rgb, 1);
        if (s) s->count += end - x;
      }
      x = end;
    }
  }
}

/* The exact colours' entries in a table kept at most 1/8 full (misses,
 * the common case on photos, end after a probe or two); OD_Q_NONE when
 * `rgb` has no exact entry. */
#define OD_Q_EXACT_BITS 10
typedef struct {
  uint32_t key[1u << OD_Q_EXACT_BITS];
  uint16_t index[1u << OD_Q_EXACT_BITS];
} od_qexact;

static void od_q_exact_put(od_qexact *e, uint32_t rgb, uint32_t index) {
  uint32_t mask = (1u << OD_Q_EXACT_BITS) - 1;
  uint32_t i = (rgb * 2654435761u) >> (32 - OD_Q_EXACT_BITS);
  while (e->key[i]) i = (i + 1) & mask;
  e->key[i] = rgb | 0x1000000u;
  e->index[i] = (uint16_t)index;
}

static inline uint32_t od_q_exact_get(const od_qexact *e, uint32_t rgb) {
  uint32_t mask = (1u << OD_Q_EXACT_BITS) - 1, key = rgb | 0x1000000u;
  for (uint32_t i = (rgb * 2654435761u) >> (32 - OD_Q_EXACT_BITS);; i = (i + 1) & mask) {
    if (e->key[i] == key) return e->index[i];
    if (!e->key[i]) return OD_Q_NONE;
  }
}

static int od_q_by_count(const void *a, const void *b) {
  uint32_t ca = (*(const od_qslot *const *)a)->count, cb = (*(const od_qslot *const *)b)->count;
  return ca < cb ? 1 : ca > cb ? -1 : 0;
}

/* Gives palette entries (and places in `e`) to the most frequent run
 * colours; returns how many. */
static uint32_t od_q_pick_exact(const od_qslot *t, uint64_t pixels, uint8_t *palette,
                                od_qexact *e) {
  const od_qslot *cand[OD_Q_HASH];
  uint32_t n = 0, min = (uint32_t)(pixels / 20000 > 8 ? pixels / 20000 : 8);
  for (uint32_t i = 0; i < OD_Q_HASH; i++)
    if (t[i].key && t[i].count >= min) cand[n++] = &t[i];
  qsort(cand, n, sizeof cand[0], od_q_by_count);
  if (n > OD_Q_MAX_EXACT) n = OD_Q_MAX_EXACT;
  for (uint32_t i = 0; i < n; i++) {
    od_q_exact_put(e, cand[i]->key & 0xffffff, i);
    palette[i * 3] = (uint8_t)(cand[i]->key >> 16);
    palette[i * 3 + 1] = (uint8_t)(cand[i]->key >> 8);
    palette[i * 3 + 2] = (uint8_t)cand[i]->key;
  }
  return n;
}

static inline uint32_t od_q_channel(uint32_t cell, int axis) {
  return cell >> (10 - 5 * axis) & 31;
}

static void od_q_box_stats(od_qbox *b, const uint16_t *order, const od_qcell *cells) {
  b->count = 0;
  memset(b->lo, 31, 3);
  memset(b->hi, 0, 3);
  for (uint32_t i = b->start; i < b->end; i++) {
    b->count += cells[order[i]].count;
    for (int a = 0; a < 3; a++) {
      uint8_t v = (uint8_t)od_q_channel(order[i], a);
      if (v < b->lo[a]) b->lo[a] = v;
      if (v > b->hi[a]) b->hi[a] = v;
    }
  }
}

/* Splits box `b` at its weighted median along its longest axis into b and *out. */
static void od_q_split(od_qbox *b, od_qbox *out, uint16_t *order, uint16_t *tmp,
                       const od_qcell *cells) {
  int axis = 0;
  for (int a = 1; a < 3; a++)
    if (b->hi[a] - b->lo[a] > b->hi[axis] - b->lo[axis]) axis = a;
  uint64_t weight[32] = {0};
  uint32_t number[33] = {0};
  for (uint32_t i = b->start; i < b->end; i++) {
    uint32_t v = od_q_channel(order[i], axis);
    weight[v] += cells[order[i]].count;
    number[v + 1]++;
  }
  uint32_t cut = b->lo[axis];
  for (uint64_t sum = weight[cut]; cut + 1 < b->hi[axis] && sum * 2 < b->count;)
    sum += weight[++cut];
  for (uint32_t v = 1; v <= 32; v++) number[v] += number[v - 1];
  for (uint32_t i = b->start; i < b->end; i++)
    tmp[number[od_q_channel(order[i], axis)]++] = order[i];
  memcpy(order + b->start, tmp, (b->end - b->start) * sizeof *order);
  uint32_t left = 0;
  for (uint32_t i = b->start; i < b->end && od_q_channel(order[i], axis) <= cut; i++) left++;
  out->start = b->start + left;
  out->end = b->end;
  b->end = b->start + left;
  od_q_box_stats(b, order, cells);
  od_q_box_stats(out, order, cells);
}

static uint64_t od_q_score(const od_qbox *b) {
  uint32_t e = 0;
  for (int a = 0; a < 3; a++)
    if ((uint32_t)(b->hi[a] - b->lo[a]) > e) e = b->hi[a] - b->lo[a];
  return e == 0 ? 0 : b->count * e * e;
}

/* Median cut of the histogram into at most `room` entries written from
 * palette[first] (`*made` of them); fills `lut` (cell -> entry) for the
 * occupied cells. */
static int od_q_median_cut(const od_qcell *cells, uint32_t room, uint32_t first,
                           uint8_t *palette, uint16_t *lut, uint32_t *made) {
  uint16_t *order = malloc(OD_Q_CELLS * 2 * sizeof *order);
  od_qbox *boxes = malloc(256 * sizeof *boxes);
  if (!order || !boxes) {
    free(order);
    free(boxes);
    return OD_ERR_NO_MEMORY;
  }
  uint32_t n = 0;
  for (uint32_t c = 0; c < OD_Q_CELLS; c++)
    if (cells[c].count) order[n++] = (uint16_t)c;
  uint32_t count = 0;
  if (n > 0 && room > 0) {
    boxes[0] = (od_qbox){0, n, 0, {0}, {0}};
    od_q_box_stats(&boxes[0], order, cells);
    count = 1;
    while (count < room) {
      uint32_t best = 0;
      uint64_t best_score = 0;
      for (uint32_t i = 0; i < count; i++) {
        uint64_t s = od_q_score(&boxes[i]);
        if (s > best_score) best_score = s, best = i;
      }
      if (best_score == 0) break;
      od_q_split(&boxes[best], &boxes[count], order, order + OD_Q_CELLS, cells);
      count++;
    }
  }
  for (uint32_t i = 0; i < count; i++) {
    uint64_t r = 0, g = 0, b = 0, k = boxes[i].count;
    for (uint32_t j = boxes[i].start; j < boxes[i].end; j++) {
      const od_qcell *c = &cells[order[j]];
      r += c->r, g += c->g, b += c->b;
      lut[order[j]] = (uint16_t)(first + i);
    }
    uint8_t *e = palette + (size_t)(first + i) * 3;
    e[0] = (uint8_t)((r + k / 2) / k);
    e[1] = (uint8_t)((g + k / 2) / k);
    e[2] = (uint8_t)((b + k / 2) / k);
  }
  free(order);
  free(boxes);
  *made = count;
  return OD_OK;
}

/* Orders the palette by luma (indices of neighbouring shades then differ
 * by little, which the PNG filters turn into small, compressible bytes) and
 * rewrites the indices to match. */
static void od_q_sort_palette(uint8_t *palette, uint32_t colors, uint8_t *indices, size_t n) {
  uint32_t key[256];
  for (uint32_t i = 0; i < colors; i++) {
    const uint8_t *e = palette + i * 3;
    key[i] = (uint32_t)(e[0] * 299 + e[1] * 587 + e[2] * 114) << 8 | i;
  }
  for (uint32_t i = 1; i < colors; i++) /* insertion sort: 256 entries at most */
    for (uint32_t j = i; j > 0 && key[j - 1] > key[j]; j--) {
      uint32_t t = key[j];
      key[j] = key[j - 1];
      key[j - 1] = t;
    }
  uint8_t remap[256], sorted[256 * 3];
  for (uint32_t i = 0; i < colors; i++) {
    uint32_t old = key[i] & 0xff;
    remap[old] = (uint8_t)i;
    memcpy(sorted + i * 3, palette + old * 3, 3);
  }
  memcpy(palette, sorted, (size_t)colors * 3);
  for (size_t i = 0; i < n; i++) indices[i] = remap[indices[i]];
}

int od_quantize(const uint8_t *px, uint32_t stride, uint32_t w, uint32_t h, uint8_t *indices,
                uint8_t *palette, uint32_t *colors) {
  od_qslot *t = calloc(OD_Q_HASH, sizeof *t);
  od_qexact *e = calloc(1, sizeof *e);
  od_qcell *cells = NULL;
  uint16_t *lut = NULL;
  int status = OD_ERR_NO_MEMORY;
  uint32_t used = 0;
  if (!t || !e) goto done;
  if (od_q_exact(px, stride, w, h, t, &used)) {
    uint32_t n = 0;
    for (uint32_t i = 0; i < OD_Q_HASH; i++) {
      if (!t[i].key) continue;
      od_q_exact_put(e, t[i].key & 0xffffff, n);
      palette[n * 3] = (uint8_t)(t[i].key >> 16);
      palette[n * 3 + 1] = (uint8_t)(t[i].key >> 8);
      palette[n * 3 + 2] = (uint8_t)t[i].key;
      n++;
    }
    *colors = n;
  } else {
    memset(t, 0, OD_Q_HASH * sizeof *t);
    used = 0;
    od_q_runs(px, stride, w, h, t, &used);
    uint32_t exact = od_q_pick_exact(t, (uint64_t)w * h, palette, e);
    cells = calloc(OD_Q_CELLS, sizeof *cells);
    lut = calloc(OD_Q_CELLS, sizeof *lut);
    if (!cells || !lut) goto done;
    for (uint32_t y = 0; y < h; y++) {
      const uint8_t *p = px + (size_t)y * stride;
      for (uint32_t x = 0; x < w; x++, p += 4) {
        uint32_t rgb = od_q_rgb(p);
        if (od_q_exact_get(e, rgb) != OD_Q_NONE) continue;
        od_qcell *c = &cells[od_q_cell(rgb)];
        c->count++, c->r += p[2], c->g += p[1], c->b += p[0];
      }
    }
    uint32_t made = 0;
    if (od_q_median_cut(cells, 256 - exact, exact, palette, lut, &made) != OD_OK) goto done;
    *colors = exact + made;
  }
  for (uint32_t y = 0; y < h; y++) {
    const uint8_t *p = px + (size_t)y * stride;
    uint8_t *o = indices + (size_t)y * w;
    uint32_t prev = 0xffffffffu, prev_index = 0;
    for (uint32_t x = 0; x < w; x++, p += 4) {
      uint32_t rgb = od_q_rgb(p);
      if (rgb != prev) {
        prev = rgb;
        prev_index = od_q_exact_get(e, rgb);
        if (prev_index == OD_Q_NONE) prev_index = lut[od_q_cell(rgb)];
      }
      o[x] = (uint8_t)prev_index;
    }
  }
  od_q_sort_palette(palette, *colors, indices, (size_t)w * h);
  status = OD_OK;
done:
  free(t);
  free(e);
  free(cells);
  free(lut);
  return status;
}
