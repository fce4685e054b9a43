#include "json.h"

#pragma clang attribute push(__attribute__((minsize)), apply_to = function)

static int is_ws(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static int is_digit(uint8_t c) { return c >= '0' && c <= '9'; }
static int hex_value(uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* ---- validation ----------------------------------------------------------------------------- */

/* One UTF-8 sequence starting at s[i] (a byte >= 0x80); returns its length or 0 when invalid. */
static uint32_t utf8_sequence(const uint8_t *s, uint32_t n, uint32_t i) {
  uint8_t c = s[i];
  uint32_t len;
  uint8_t lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) len = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F; /* no UTF-16 surrogates */
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else return 0;
  if (n - i < len) return 0;
  if (s[i + 1] < lo || s[i + 1] > hi) return 0;
  for (uint32_t k = 2; k < len; k++)
    if ((s[i + k] & 0xC0) != 0x80) return 0;
  return len;
}

/* A string starting at the quote s[i]; returns the index after the closing quote, or 0. */
static uint32_t scan_string(const uint8_t *s, uint32_t n, uint32_t i) {
  i++;
  while (i < n) {
    uint8_t c = s[i];
    if (c == '"') return i + 1;
    if (c < 0x20) return 0;
    if (c == '\\') {
      if (i + 1 >= n) return 0;
      uint8_t e = s[i + 1];
      if (e == 'u') {
        if (n - i < 6) return 0;
        for (int k = 2; k < 6; k++)
          if (hex_value(s[i + k]) < 0) return 0;
        i += 6;
      } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' ||
                 e == 't') {
        i += 2;
      } else return 0;
    } else if (c >= 0x80) {
      uint32_t len = utf8_sequence(s, n, i);
      if (!len) return 0;
      i += len;
    } else i++;
  }
  return 0;
}

static uint32_t scan_number(const uint8_t *s, uint32_t n, uint32_t i) {
  if (i < n && s[i] == '-') i++;
  if (i >= n) return 0;
  if (s[i] == '0') i++;
  else if (s[i] >= '1' && s[i] <= '9') while (i < n && is_digit(s[i])) i++;
  else return 0;
  if (i < n && s[i] == '.') {
    i++;
    if (i >= n || !is_digit(s[i])) return 0;
    while (i < n && is_digit(s[i])) i++;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-')) i++;
    if (i >= n || !is_digit(s[i])) return 0;
    while (i < n && is_digit(s[i])) i++;
  }
  return i;
}

static uint32_t scan_literal(const uint8_t *s, uint32_t n, uint32_t i, const char *lit) {
  for (; *lit; lit++, i++)
    if (i >= n || s[i] != (uint8_t)*lit) return 0;
  return i;
}

static uint32_t skip_ws(const uint8_t *s, uint32_t n, uint32_t i) {
  while (i < n && is_ws(s[i])) i++;
  return i;
}

int json_valid(str text) {
  const uint8_t *s = (const uint8_t *)text.ptr;
  uint32_t n = text.len, i = 0, depth = 0;
  char stack[JSON_MAX_DEPTH]; /* '{' or '[' per open container */
  for (;;) {
    /* a value */
    i = skip_ws(s, n, i);
    if (i >= n) return 0;
    uint8_t c = s[i];
    if (c == '{' || c == '[') {
      if (depth == JSON_MAX_DEPTH) return 0;
      stack[depth++] = (char)c;
      i = skip_ws(s, n, i + 1);
      if (i < n && s[i] == (c == '{' ? '}' : ']')) {
        depth--;
        i++;
      } else if (c == '{') {
        if (i >= n || s[i] != '"' || !(i = scan_string(s, n, i))) return 0;
        i = skip_ws(s, n, i);
        if (i >= n || s[i] != ':') return 0;
        i++;
        continue;
      } else continue;
    } else if (c == '"') {
      if (!(i = scan_string(s, n, i))) return 0;
    } else if (c == '-' || is_digit(c)) {
      if (!(i = scan_number(s, n, i))) return 0;
    } else if (c == 't') {
      if (!(i = scan_literal(s, n, i, "true"))) return 0;
    } else if (c == 'f') {
      if (!(i = scan_literal(s, n, i, "false"))) return 0;
    } else if (c == 'n') {
      if (!(i = scan_literal(s, n, i, "null"))) return 0;
    } else return 0;
    /* after a value: close containers or move to the next member or item */
    for (;;) {
      i = skip_ws(s, n, i);
      if (depth == 0) return i == n;
      if (i >= n) return 0;
      char open = stack[depth - 1];
      if (s[i] == (open == '{' ? '}' : ']')) {
        depth--;
        i++;
        continue;
      }
      if (s[i] != ',') return 0;
      i = skip_ws(s, n, i + 1);
      if (open == '{') {
        if (i >= n || s[i] != '"' || !(i = scan_string(s, n, i))) return 0;
        i = skip_ws(s, n, i);
        if (i >= n || s[i] != ':') return 0;
        i++;
      }
      break;
    }
  }
}

/* ---- navigation over valid text --------------------------------------------------------------- */

/* The end of the value starting at s[i]. */
static uint32_t skip_value(const uint8_t *s, uint32_t n, uint32_t i) {
  uint32_t depth = 0;
  do {
    uint8_t c = s[i];
    if (c == '"') {
      i++;
      while (i < n && s[i] != '"') i += s[i] == '\\' ? 2 : 1;
      i++;
    } else if (c == '{' || c == '[') {
      depth++;
      i++;
    } else if (c == '}' || c == ']') {
      depth--;
      i++;
    } else if (is_ws(c) || c == ',' || c == ':') {
      i++;
    } else {
      while (i < n && !is_ws(s[i]) && s[i] != ',' && s[i] != '}' && s[i] != ']') i++;
    }
  } while (depth > 0 && i < n);
  return i;
}

str json_trim(str text) {
  const uint8_t *s = (const uint8_t *)text.ptr;
  uint32_t i = skip_ws(s, text.len, 0);
  if (i >= text.len) return (str){text.ptr + i, 0};
  uint32_t end = skip_value(s, text.len, i);
  return (str){text.ptr + i, end - i};
}

char json_kind(str value) {
  if (!value.len) return 0;
  char c = value.ptr[0];
  return c == '-' || is_digit((uint8_t)c) ? '0' : c;
}

json_iter json_iterate(str container) { return (json_iter){container, 1}; }

static int next_value(json_iter *it, str *value) {
  const uint8_t *s = (const uint8_t *)it->text.ptr;
  uint32_t n = it->text.len, i = skip_ws(s, n, it->pos);
  if (i < n && s[i] == ',') i = skip_ws(s, n, i + 1);
  if (i >= n || s[i] == '}' || s[i] == ']') return 0;
  uint32_t end = skip_value(s, n, i);
  *value = (str){it->text.ptr + i, end - i};
  it->pos = end;
  return 1;
}

int json_next_member(json_iter *it, str *raw_key, str *value) {
  if (!next_value(it, raw_key)) return 0;
  const uint8_t *s = (const uint8_t *)it->text.ptr;
  it->pos = skip_ws(s, it->text.len, it->pos) + 1; /* the colon */
  return next_value(it, value);
}

int json_next_item(json_iter *it, str *value) { return next_value(it, value); }

int json_get(str object, const char *key, str *value) {
  if (json_kind(object) != '{') return 0;
  json_iter it = json_iterate(object);
  str k, v;
  int found = 0;
  while (json_next_member(&it, &k, &v))
    if (json_string_equals(k, key)) *value = v, found = 1;
  return found;
}

int json_get_string(str object, const char *key, str *out) {
  str v;
  if (!json_get(object, key, &v) || json_kind(v) != '"') return 0;
  *out = json_decode_string(v);
  return 1;
}

int json_string_equals(str raw, const char *key) {
  for (uint32_t i = 1; i + 1 < raw.len; i++)
    if (raw.ptr[i] == '\\') return str_eq_lit(json_decode_string(raw), key);
  return str_eq_lit((str){raw.ptr + 1, raw.len - 2}, key);
}

static uint32_t hex4(const uint8_t *s) {
  uint32_t v = 0;
  for (int k = 0; k < 4; k++) v = v << 4 | (uint32_t)hex_value(s[k]);
  return v;
}

static uint32_t put_utf8(uint8_t *out, uint32_t cp) {
  if (cp < 0x80) return out[0] = (uint8_t)cp, 1;
  if (cp < 0x800) return out[0] = (uint8_t)(0xC0 | cp >> 6), out[1] = (uint8_t)(0x80 | (cp & 0x3F)), 2;
  if (cp < 0x10000) {
    out[0] = (uint8_t)(0xE0 | cp >> 12);
    out[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
    out[2] = (uint8_t)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (uint8_t)(0xF0 | cp >> 18);
  out[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3F));
  out[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
  out[3] = (uint8_t)(0x80 | (cp & 0x3F));
  return 4;
}

str json_decode_string(str raw) {
  const uint8_t *s = (const uint8_t *)raw.ptr + 1;
  uint32_t n = raw.len - 2, o = 0;
  /* An escape never decodes to more bytes than it takes. */
  uint8_t *out = mem_alloc(n ? n : 1, 1);
  for (uint32_t i = 0; i < n;) {
    if (s[i] != '\\') {
      out[o++] = s[i++];
      continue;
    }
    uint8_t e = s[i + 1];
    i += 2;
    switch (e) {
      case 'b': out[o++] = '\b'; break;
      case 'f': out[o++] = '\f'; break;
      case 'n': out[o++] = '\n'; break;
      case 'r': out[o++] = '\r'; break;
      case 't': out[o++] = '\t'; break;
      case 'u': {
        uint32_t cp = hex4(s + i);
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 <= n && s[i] == '\\' && s[i + 1] == 'u') {
          uint32_t low = hex4(s + i + 2);
          if (low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
          }
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
        o += put_utf8(out + o, cp);
        break;
      }
      default: out[o++] = e; /* " \ / */
    }
  }
  return (str){(const char *)out, o};
}

#pragma clang attribute pop
