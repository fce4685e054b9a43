#include "jsonw.h"

#include "json.h"

#pragma clang attribute push(__attribute__((minsize)), apply_to = function)

/* Kept out of line: it is called from everywhere, and inlined copies made the code twice as big. */
__attribute__((noinline)) void buf_put(buf *b, const void *data, size_t n) {
  if (b->len + n > b->cap) {
    uint32_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n) cap *= 2;
    b->ptr = mem_realloc(b->ptr, b->cap, cap, 1);
    b->cap = cap;
  }
  memcpy(b->ptr + b->len, data, n);
  b->len += (uint32_t)n;
}

void buf_char(buf *b, char c) { buf_put(b, &c, 1); }

void buf_string(buf *b, str s) {
  static const char hex[] = "0123456789abcdef";
  buf_char(b, '"');
  uint32_t run = 0; /* bytes copied as they are, written in one go */
  for (uint32_t i = 0; i < s.len; i++) {
    uint8_t c = (uint8_t)s.ptr[i];
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    buf_put(b, s.ptr + run, i - run);
    run = i + 1;
    char esc[6] = {'\\', 0, '0', '0', 0, 0};
    switch (c) {
      case '"': esc[1] = '"'; break;
      case '\\': esc[1] = '\\'; break;
      case '\n': esc[1] = 'n'; break;
      case '\r': esc[1] = 'r'; break;
      case '\t': esc[1] = 't'; break;
      case '\b': esc[1] = 'b'; break;
      case '\f': esc[1] = 'f'; break;
      default:
        esc[1] = 'u', esc[4] = hex[c >> 4], esc[5] = hex[c & 15];
        buf_put(b, esc, 6);
        continue;
    }
    buf_put(b, esc, 2);
  }
  buf_put(b, s.ptr + run, s.len - run);
  buf_char(b, '"');
}

void buf_u64(buf *b, uint64_t v) {
  char digits[20];
  int n = 0;
  do digits[n++] = (char)('0' + v % 10), v /= 10;
  while (v);
  while (n) buf_char(b, digits[--n]);
}

void buf_i64(buf *b, int64_t v) {
  if (v < 0) {
    buf_char(b, '-');
    buf_u64(b, (uint64_t)0 - (uint64_t)v);
  } else buf_u64(b, (uint64_t)v);
}

void buf_f64(buf *b, double v) {
  if (v != v || v - v != 0) {
    buf_lit(b, "null");
    return;
  }
  if (v < 0) buf_char(b, '-'), v = -v;
  if (v == 0) {
    buf_char(b, '0');
    return;
  }
  if (v < 1e15 && v == (double)(uint64_t)v) {
    buf_u64(b, (uint64_t)v);
    return;
  }
  /* Scale into [1e14, 1e15) and round: 15 significant digits. */
  int exp10 = 14;
  while (v >= 1e15) v /= 10, exp10++;
  while (v < 1e14) v *= 10, exp10--;
  uint64_t m = (uint64_t)(v + 0.5);
  if (m >= 1000000000000000ull) m /= 10, exp10++;
  char d[15];
  for (int k = 14; k >= 0; k--) d[k] = (char)('0' + m % 10), m /= 10;
  int n = 15;
  while (n > 1 && d[n - 1] == '0') n--;
  /* exp10 is the power of ten of the first digit */
  if (exp10 >= 0 && exp10 < 15) {
    for (int k = 0; k < n || k <= exp10; k++) {
      if (k == exp10 + 1) buf_char(b, '.');
      buf_char(b, k < n ? d[k] : '0');
    }
  } else if (exp10 < 0 && exp10 >= -6) {
    buf_lit(b, "0.");
    for (int k = -1; k > exp10; k--) buf_char(b, '0');
    buf_put(b, d, (size_t)n);
  } else {
    buf_char(b, d[0]);
    if (n > 1) buf_char(b, '.'), buf_put(b, d + 1, (size_t)n - 1);
    buf_char(b, 'e');
    buf_i64(b, exp10);
  }
}

void buf_base64(buf *b, const uint8_t *data, size_t n) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  buf_char(b, '"');
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = (uint32_t)data[i] << 16;
    if (i + 1 < n) v |= (uint32_t)data[i + 1] << 8;
    if (i + 2 < n) v |= data[i + 2];
    char out[4] = {alphabet[v >> 18], alphabet[v >> 12 & 63], alphabet[v >> 6 & 63], alphabet[v & 63]};
    if (i + 1 >= n) out[2] = '=';
    if (i + 2 >= n) out[3] = '=';
    buf_put(b, out, 4);
  }
  buf_char(b, '"');
}

int buf_json(buf *b, str json) {
  if (!json_valid(json)) return 0;
  uint32_t run = 0;
  int in_string = 0;
  for (uint32_t i = 0; i < json.len; i++) {
    char c = json.ptr[i];
    if (in_string) {
      if (c == '\\') i++;
      else if (c == '"') in_string = 0;
    } else if (c == '"') {
      in_string = 1;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      buf_put(b, json.ptr + run, i - run);
      run = i + 1;
    }
  }
  buf_put(b, json.ptr + run, json.len - run);
  return 1;
}

#pragma clang attribute pop
