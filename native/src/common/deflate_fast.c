/* A fast raw-deflate compressor for filtered PNG rows (RFC 1951).
 *
 * Greedy LZ77 with one hash probe per position (6-byte hash, 32 KiB window),
 * an accelerating skip through data that does not match (photos), and one
 * dynamic Huffman block per 64 Ki tokens, falling back to stored blocks when
 * Huffman coding would not save space. Output can end on a byte boundary
 * with an empty stored block (a "sync flush") so that pieces compressed on
 * different threads concatenate into one valid stream. It trades some ratio
 * for speed: see scripts/bench_capture.ts for the figures.
 *
 * The sparse mode (downscaled images) probes every third position and
 * extends each match it finds backwards over the literals before it. On the
 * benchmark desktop scaled to 1568x882 (Sub filter, one core): 9.2 -> 7.7 ms
 * for 3 % more output (1.014 -> 1.045 MB); at full size it would cost 6 %. */
#include "_common.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define HASH_BITS 15
#define WINDOW 32768
#define MAX_MATCH 258
/* Matches start from 6 equal bytes (hashed as such): on screenshots, 4- and
 * 5-byte matches cost a token each for little gain; 6 gave 4-6 % smaller
 * output at the same speed (1080p desktop 1.132 -> 1.084 MB). */
#define MIN_MATCH 6
#define MATCH_MASK 0xffffffffffffull
#define BLOCK_TOKENS 65536
#define LITLEN_SYMS 286
#define DIST_SYMS 30

static const uint16_t len_base[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                      31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {1,    2,    3,    4,    5,    7,     9,     13,    17,  25,
                                       33,   49,   65,   97,   129,  193,   257,   385,   513, 769,
                                       1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
static const uint8_t clen_order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

/* Length (3..258) -> length code index (0..28); distance -> code via two tables. */
static uint8_t len_code[259];
/* Distance code of d: [d - 1] for d - 1 < 256, [256 + ((d - 1) >> 7)] above. */
static uint8_t dist_code_tab[512];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void build_tables(void) {
  for (int c = 0; c < 29; c++)
    for (int l = len_base[c]; l < len_base[c] + (1 << len_extra[c]) && l <= 258; l++)
      len_code[l] = (uint8_t)c;
  len_code[258] = 28;
  for (int c = 0; c < 30; c++)
    for (int d = dist_base[c]; d < dist_base[c] + (1 << dist_extra[c]) && d <= 32768; d++) {
      if (d - 1 < 256) dist_code_tab[d - 1] = (uint8_t)c;
      else dist_code_tab[256 + ((d - 1) >> 7)] = (uint8_t)c;
    }
}

static inline int dist_code(uint32_t d) {
  uint32_t k = d - 1;
  return dist_code_tab[k < 256 ? k : 256 + (k >> 7)]; /* a select, not a branch */
}

typedef struct {
  uint8_t *out, *end;
  uint64_t bits;
  uint32_t count;
  int overflow;
} bitw;

/* Adds n <= 56 bits and writes out the whole bytes: an unconditional 8-byte
 * store, so no branch depends on the data (the pending bits stay below 8). */
static inline void put(bitw *w, uint64_t v, uint32_t n) {
  w->bits |= v << w->count;
  w->count += n;
  if (w->out + 8 > w->end) {
    w->overflow = 1;
    w->out = w->end - 8;
  }
  memcpy(w->out, &w->bits, 8); /* little-endian hosts only (x86-64, arm64) */
  uint32_t bytes = w->count >> 3;
  w->out += bytes;
  w->bits = bytes ? w->bits >> (bytes * 8) : w->bits;
  w->count &= 7;
}

static void align_byte(bitw *w) {
  while (w->count > 0) {
    if (w->out >= w->end) {
      w->overflow = 1;
      return;
    }
    *w->out++ = (uint8_t)w->bits;
    w->bits >>= 8;
    w->count = w->count >= 8 ? w->count - 8 : 0;
  }
  w->bits = 0;
}

/* Huffman code lengths for `n` symbols with frequencies `freq`, at most `limit`
 * bits; at least two symbols get a code so the tree is complete. */
static void huff_lengths(const uint32_t *freq, int n, int limit, uint8_t *len) {
  int sym[LITLEN_SYMS], m = 0;
  memset(len, 0, (size_t)n);
  for (int i = 0; i < n; i++)
    if (freq[i]) sym[m++] = i;
  if (m < 2) {
    int a = m ? sym[0] : 0, b = a == 0 ? 1 : 0;
    len[a] = len[b] = 1;
    return;
  }
  /* Sort used symbols by frequency (insertion sort: at most 286). */
  for (int i = 1; i < m; i++) {
    int s = sym[i], j = i - 1;
    while (j >= 0 && freq[sym[j]] > freq[s]) {
      sym[j + 1] = sym[j];
      j--;
    }
    sym[j + 1] = s;
  }
  /* Two-queue Huffman: leaves in order, internal nodes appended in order. */
  uint64_t w[2 * LITLEN_SYMS];
  int parent[2 * LITLEN_SYMS];
  for (int i = 0; i < m; i++) w[i] = freq[sym[i]];
  int leaf = 0, node = m, next = m;
  while (next < 2 * m - 1) {
    int pick[2];
    for (int k = 0; k < 2; k++) {
      if (leaf < m && (node >= next || w[leaf] <= w[node])) pick[k] = leaf++;
      else pick[k] = node++;
    }
    w[next] = w[pick[0]] + w[pick[1]];
    parent[pick[0]] = parent[pick[1]] = next;
    next++;
  }
  int depth[2 * LITLEN_SYMS];
  depth[2 * m - 2] = 0;
  for (int i = 2 * m - 3; i >= 0; i--) depth[i] = depth[parent[i]] + 1;
  /* Count lengths, cap them at `limit` keeping the Kraft sum (JPEG K.3 method). */
  int count[64] = {0};
  for (int i = 0; i < m; i++) count[depth[i] < 63 ? depth[i] : 63]++;
  for (int i = 63; i > limit; i--) {
    while (count[i] > 0) {
      int j = i - 2;
      while (count[j] == 0) j--;
      count[i] -= 2;
      count[i - 1] += 1;
      count[j + 1] += 2;
      count[j] -= 1;
    }
  }
  /* Most frequent symbols (end of `sym`) get the shortest codes. */
  int k = m - 1;
  for (int l = 1; l <= limit; l++)
    for (int c = 0; c < count[l]; c++) len[sym[k--]] = (uint8_t)l;
}

/* Canonical codes, bit-reversed for LSB-first output. */
static void huff_codes(const uint8_t *len, int n, uint16_t *code) {
  int count[16] = {0}, next[16];
  for (int i = 0; i < n; i++) count[len[i]]++;
  count[0] = 0;
  int c = 0;
  for (int l = 1; l < 16; l++) {
    c = (c + count[l - 1]) << 1;
    next[l] = c;
  }
  for (int i = 0; i < n; i++) {
    if (!len[i]) continue;
    uint32_t v = (uint32_t)next[len[i]]++, r = 0;
    for (int b = 0; b < len[i]; b++) r |= ((v >> b) & 1) << (len[i] - 1 - b);
    code[i] = (uint16_t)r;
  }
}

typedef struct {
  uint32_t tok[BLOCK_TOKENS]; /* literal: byte; match: 1<<31 | (len-3)<<16 | (dist-1) */
  uint32_t ntok;
  uint32_t lfreq[LITLEN_SYMS], dfreq[DIST_SYMS];
} block;

/* An empty non-final stored block: ends the output on a byte boundary. */
static void emit_sync(bitw *w) {
  put(w, 0, 3);
  align_byte(w);
  if (w->out + 4 > w->end) {
    w->overflow = 1;
    return;
  }
  memcpy(w->out, "\x00\x00\xff\xff", 4);
  w->out += 4;
}

static void emit_stored(bitw *w, const uint8_t *in, size_t n, int final) {
  while (n > 0 || final) {
    size_t k = n > 65535 ? 65535 : n;
    int last = final && k == n;
    put(w, (uint64_t)last, 3);
    align_byte(w);
    if (w->out + 4 + k > w->end) {
      w->overflow = 1;
      return;
    }
    w->out[0] = (uint8_t)k;
    w->out[1] = (uint8_t)(k >> 8);
    w->out[2] = (uint8_t)~k;
    w->out[3] = (uint8_t)(~k >> 8);
    memcpy(w->out + 4, in, k);
    w->out += 4 + k;
    in += k;
    n -= k;
    if (last || n == 0) break;
  }
}

/* Writes the block's tokens (covering `in[0..n)`) as one dynamic or stored block. */
static void emit_block(bitw *w, block *b, const uint8_t *in, size_t n, int final) {
  b->lfreq[256] = 1;
  uint8_t llen[LITLEN_SYMS], dlen[DIST_SYMS];
  huff_lengths(b->lfreq, LITLEN_SYMS, 15, llen);
  huff_lengths(b->dfreq, DIST_SYMS, 15, dlen);
  int hlit = LITLEN_SYMS, hdist = DIST_SYMS;
  while (hlit > 257 && !llen[hlit - 1]) hlit--;
  while (hdist > 1 && !dlen[hdist - 1]) hdist--;
  /* Run-length code the code lengths. */
  uint8_t all[LITLEN_SYMS + DIST_SYMS], rle[LITLEN_SYMS + DIST_SYMS];
  uint8_t rle_extra[LITLEN_SYMS + DIST_SYMS];
  int total = hlit + hdist, nr = 0;
  memcpy(all, llen, (size_t)hlit);
  memcpy(all + hlit, dlen, (size_t)hdist);
  uint32_t cfreq[19] = {0};
  for (int i = 0; i < total;) {
    int v = all[i], run = 1;
    while (i + run < total && all[i + run] == v) run++;
    if (v == 0 && run >= 3) {
      int k = run > 138 ? 138 : run;
      rle[nr] = k >= 11 ? 18 : 17;
      rle_extra[nr++] = (uint8_t)(k >= 11 ? k - 11 : k - 3);
      i += k;
    } else if (v != 0 && run >= 4) {
      rle[nr] = (uint8_t)v;
      rle_extra[nr++] = 0;
      int k = run - 1 > 6 ? 6 : run - 1;
      rle[nr] = 16;
      rle_extra[nr++] = (uint8_t)(k - 3);
      i += 1 + k;
    } else {
      rle[nr] = (uint8_t)v;
      rle_extra[nr++] = 0;
      i++;
    }
  }
  for (int i = 0; i < nr; i++) cfreq[rle[i]]++;
  uint8_t clen[19];
  uint16_t ccode[19] = {0}, lcode[LITLEN_SYMS] = {0}, dcode[DIST_SYMS] = {0};
  huff_lengths(cfreq, 19, 7, clen);
  int hclen = 19;
  while (hclen > 4 && !clen[clen_order[hclen - 1]]) hclen--;
  /* Size check: dynamic block vs stored. */
  uint64_t bits = 3 + 14 + 3 * (uint64_t)hclen;
  for (int i = 0; i < nr; i++)
    bits += clen[rle[i]] + (rle[i] == 16 ? 2 : rle[i] == 17 ? 3 : rle[i] == 18 ? 7 : 0);
  for (int s = 0; s < LITLEN_SYMS; s++)
    bits += (uint64_t)b->lfreq[s] * (llen[s] + (s > 256 ? len_extra[s - 257] : 0));
  for (int s = 0; s < DIST_SYMS; s++) bits += (uint64_t)b->dfreq[s] * (dlen[s] + dist_extra[s]);
  if (bits / 8 + 8 > n + 5 * (n / 65535 + 1)) {
    emit_stored(w, in, n, final);
    return;
  }
  huff_codes(clen, 19, ccode);
  huff_codes(llen, LITLEN_SYMS, lcode);
  huff_codes(dlen, DIST_SYMS, dcode);
  put(w, (uint64_t)(final ? 1 : 0) | (2u << 1), 3);
  put(w, (uint64_t)(hlit - 257) | ((uint64_t)(hdist - 1) << 5) | ((uint64_t)(hclen - 4) << 10), 14);
  for (int i = 0; i < hclen; i++) put(w, clen[clen_order[i]], 3);
  for (int i = 0; i < nr; i++) {
    put(w, ccode[rle[i]], clen[rle[i]]);
    if (rle[i] == 16) put(w, rle_extra[i], 2);
    else if (rle[i] == 17) put(w, rle_extra[i], 3);
    else if (rle[i] == 18) put(w, rle_extra[i], 7);
  }
  /* Per literal: code | bits << 16; per match length: code and extra bits | bits << 24. */
  uint32_t lit[256], lens[MAX_MATCH + 1];
  for (int c = 0; c < 256; c++) lit[c] = lcode[c] | ((uint32_t)llen[c] << 16);
  for (int len = 3; len <= MAX_MATCH; len++) {
    int lc = len_code[len], sym = 257 + lc;
    lens[len] = (lcode[sym] | ((uint32_t)(len - len_base[lc]) << llen[sym])) |
                ((uint32_t)(llen[sym] + len_extra[lc]) << 24);
  }
  for (uint32_t i = 0; i < b->ntok; i++) {
    uint32_t t = b->tok[i];
    if (!(t >> 31)) {
      /* Up to three literals (at most 45 bits) per write. */
      uint64_t v = lit[t] & 0xffff;
      uint32_t n = lit[t] >> 16;
      for (uint32_t k = 0; k < 2 && i + 1 < b->ntok && !(b->tok[i + 1] >> 31); k++) {
        uint32_t l2 = lit[b->tok[++i]];
        v |= (uint64_t)(l2 & 0xffff) << n;
        n += l2 >> 16;
      }
      put(w, v, n);
      continue;
    }
    /* A match: length code and extra bits, distance code and extra bits (at most 48 bits). */
    uint32_t lv = lens[((t >> 16) & 0xff) + 3], dist = (t & 0xffff) + 1;
    int dc = dist_code(dist);
    uint32_t ln = lv >> 24;
    uint64_t v = (lv & 0xffffff) |
                 (((uint64_t)dcode[dc] | ((uint64_t)(dist - dist_base[dc]) << dlen[dc])) << ln);
    put(w, v, ln + dlen[dc] + dist_extra[dc]);
  }
  put(w, lcode[256], llen[256]);
}

static inline uint64_t load64(const uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}

struct od_deflate_work {
  block b;
  uint32_t head[1u << HASH_BITS];
};

od_deflate_work *od_deflate_work_create(void) {
  return malloc(sizeof(od_deflate_work));
}

void od_deflate_work_destroy(od_deflate_work *work) {
  free(work);
}

uint64_t od_deflate_fast(od_deflate_work *work, const uint8_t *in, uint64_t n, uint8_t *out,
                         uint64_t cap, int final, int sparse) {
  const uint32_t step_min = sparse ? 3 : 1;
  pthread_once(&tables_once, build_tables);
  if (!work) return 0;
  block *b = &work->b;
  uint32_t *head = work->head;
  memset(head, 0, sizeof work->head);
  bitw w = {out, out + cap, 0, 0, 0};
  uint64_t i = 0, block_start = 0;
  uint32_t misses = 0;
  int final_done = 0;
  memset(b->lfreq, 0, sizeof b->lfreq);
  memset(b->dfreq, 0, sizeof b->dfreq);
  b->ntok = 0;
  while (i < n && !w.overflow) {
    if (i + 8 <= n) {
      uint64_t v = load64(in + i) & MATCH_MASK;
      uint32_t h = (uint32_t)((v * 0x9E3779B97F4A7C15ull) >> (64 - HASH_BITS));
      /* Entries hold earlier positions (0 before any): always readable, so
       * the only checks are the window and the bytes themselves. */
      uint64_t cand = head[h];
      head[h] = (uint32_t)i;
      if (i - cand <= WINDOW && (load64(in + cand) & MATCH_MASK) == v && cand < i) {
        const uint8_t *a = in + i, *c = in + cand;
        uint64_t max = n - i < MAX_MATCH ? n - i : MAX_MATCH, len = MIN_MATCH;
        while (len + 8 <= max) {
          uint64_t x, y;
          memcpy(&x, a + len, 8);
          memcpy(&y, c + len, 8);
          if (x != y) {
            len += (uint64_t)__builtin_ctzll(x ^ y) >> 3;
            goto matched;
          }
          len += 8;
        }
        while (len < max && a[len] == c[len]) len++;
      matched:;
        /* Sparse probing: literals just before the match that also match join it. */
        while (step_min > 1 && b->ntok > 0 && !(b->tok[b->ntok - 1] >> 31) && cand > 0 &&
               len < MAX_MATCH && in[i - 1] == in[cand - 1]) {
          b->ntok--;
          b->lfreq[in[i - 1]]--;
          i--;
          cand--;
          len++;
        }
        uint32_t dist = (uint32_t)(i - cand);
        b->tok[b->ntok++] = (1u << 31) | ((uint32_t)(len - 3) << 16) | (dist - 1);
        b->lfreq[257 + len_code[len]]++;
        b->dfreq[dist_code(dist)]++;
        i += len;
        misses = 0;
        goto maybe_flush;
      }
    }
    /* A literal; after many misses, take a few literals per probe. */
    {
      uint32_t step = step_min + (misses++ >> 6);
      if (step > 8) step = 8;
      for (uint32_t k = 0; k < step && i < n && b->ntok < BLOCK_TOKENS; k++) {
        b->tok[b->ntok++] = in[i];
        b->lfreq[in[i]]++;
        i++;
      }
    }
  maybe_flush:
    if (b->ntok + 8 >= BLOCK_TOKENS) {
      final_done = final && i >= n;
      emit_block(&w, b, in + block_start, (size_t)(i - block_start), final_done);
      block_start = i;
      b->ntok = 0;
      memset(b->lfreq, 0, sizeof b->lfreq);
      memset(b->dfreq, 0, sizeof b->dfreq);
    }
  }
  if (!w.overflow && (b->ntok > 0 || (final && !final_done)))
    emit_block(&w, b, in + block_start, (size_t)(i - block_start), final);
  if (!final && !w.overflow) emit_sync(&w);
  if (!w.overflow) align_byte(&w);
  return w.overflow ? 0 : (uint64_t)(w.out - out);
}
