#include "auth.h"

#include "bearssl.h"
#include "inner.h" /* br_mgf1_xor, for PS256 */
#include "json.h"
#include "jsonw.h"
#include "session.h"
#include "monocypher.h"
#include "streams.h"
#include "wacpy_base64url.h"

#pragma clang attribute push(__attribute__((minsize)), apply_to = function)

#define MAX_TOKEN 8192u    /* longer Authorization values are refused, unread */
#define LEEWAY 60u         /* seconds of clock skew allowed on exp, nbf, iat */
#define MIN_RSA_BITS 2048u
#define MAX_JWKS 262144u       /* a JWKS larger than this is refused */
#define DEFAULT_MAX_AGE 300u   /* seconds fetched keys are kept without Cache-Control max-age */
#define REFETCH_AFTER 60u      /* an unknown kid fetches the keys again, at most this often */
#define FETCH_TIMEOUT_NS 5000000000ull

/* ---- settings: read once per instance and kept (mem_keep_all) ------------------------------------ */


static str issuer, jwks, jwks_uri, audiences, required_scopes, resource;
static int mode = -1; /* -1 unread, 0 public, 1 oauth, 2 oauth but misconfigured */
static const char *misconfigured;
/* JWT_JWKS_URI's keys: when they were fetched and for how long they are good (Cache-Control
 * max-age, else DEFAULT_MAX_AGE), and whether the next request should fetch them again */
static uint64_t fetched_at, max_age, refetch_after = REFETCH_AFTER;
static int fetch_again;
static const char *fetch_failed; /* why the last fetch failed, if it did */
/* tokens whose signature verified, by BLAKE2b-256 (see "verified tokens, remembered") */
#define REMEMBERED 64u
static uint8_t remembered[REMEMBERED][32];
static uint32_t remembered_count, remembered_next;

static str value_of(const str *s) { return *s; }

/* Whether `text` (valid JSON) is a JWKS: an object with a `keys` array. */
static int is_key_set(str text) {
  str keys;
  return json_kind(text) == '{' && json_get(text, "keys", &keys) && json_kind(keys) == '[';
}

static void read_settings(void) {
  static const struct {
    const char *name;
    str *into;
  } NAMES[] = {
      {"JWT_ISSUER", &issuer},           {"JWT_JWKS", &jwks},
      {"JWT_JWKS_URI", &jwks_uri},       {"JWT_AUDIENCE", &audiences},
      {"JWT_REQUIRED_SCOPES", &required_scopes}, {"WACPY_AUTH_RESOURCE", &resource},
  };
  str refetch = {0};
  wacpy_list_tuple2_string_string env;
  wasi_cli_environment_get_environment(&env);
  str wanted = {0};
  mode = 0;
  for (size_t i = 0; i < env.len; i++) {
    str name = env.ptr[i].f0, value = str_trim(env.ptr[i].f1);
    if (str_eq_lit(name, "WACPY_AUTH_MODE")) wanted = value;
    if (str_eq_lit(name, "JWT_JWKS_REFETCH")) refetch = value;
    for (size_t j = 0; j < sizeof NAMES / sizeof *NAMES; j++)
      if (str_eq_lit(name, NAMES[j].name)) *NAMES[j].into = value;
  }
  if (!wanted.len || str_eq_lit(wanted, "public")) return;
  if (refetch.len && !wacpy_positive_decimal(refetch.w, 86400, &refetch_after)) refetch_after = REFETCH_AFTER;
  mem_keep_all(); /* the settings point into the environment the host gave: keep it */
  mode = 2;
  if (!str_eq_lit(wanted, "oauth")) misconfigured = "WACPY_AUTH_MODE must be public or oauth";
  else if (!issuer.len) misconfigured = "oauth mode needs JWT_ISSUER (the issuer tokens must name)";
  else if (!jwks.len && !jwks_uri.len) misconfigured = "oauth mode needs JWT_JWKS (inline keys) or JWT_JWKS_URI";
  else if (jwks.len && jwks_uri.len) misconfigured = "set JWT_JWKS or JWT_JWKS_URI, not both";
  else if (jwks.len && !json_valid(jwks)) misconfigured = "JWT_JWKS is not JSON";
  else if (jwks.len && !is_key_set(jwks)) misconfigured = "JWT_JWKS must be a JSON object with a keys array";
  else mode = 1;
}

/* ---- JWT_JWKS_URI: fetching the keys over wasi:http ----------------------------------------------- */

/* `Cache-Control: max-age=N` of a response, else DEFAULT_MAX_AGE. */
static uint64_t cache_max_age(wasi_http_fields headers) {
  wasi_http_list_field_value values;
  wasi_http_fields_get(headers, STR("cache-control"), &values);
  for (size_t i = 0; i < values.len; i++) {
    str v = {(const char *)values.ptr[i].ptr, (uint32_t)values.ptr[i].len};
    for (uint32_t at = 0; at + 8 <= v.len; at++) {
      if (!str_ieq((str){v.ptr + at, 8}, STR("max-age="))) continue;
      uint64_t n = 0;
      uint32_t d = at + 8;
      while (d < v.len && v.ptr[d] >= '0' && v.ptr[d] <= '9' && n < 86400) n = n * 10 + (uint64_t)(v.ptr[d++] - '0');
      return n ? n : 1; /* max-age=0: fetch again, but at most once a second */
    }
  }
  return DEFAULT_MAX_AGE;
}

/* GET `url` (http or https): its 200 body in the arena, or 0 with `fetch_failed` saying why. */
static int fetch(str url, str *body) {
  int https = url.len > 8 && str_ieq((str){url.ptr, 8}, STR("https://"));
  uint32_t skip = https ? 8 : url.len > 7 && str_ieq((str){url.ptr, 7}, STR("http://")) ? 7 : 0;
  if (!skip) return fetch_failed = "JWT_JWKS_URI must be an http or https URL", 0;
  uint32_t slash = skip;
  while (slash < url.len && url.ptr[slash] != '/') slash++;
  str authority = {url.ptr + skip, slash - skip}, path = slash < url.len ? (str){url.ptr + slash, url.len - slash} : STR("/");
  wasi_http_fields headers = wasi_http_fields_new();
  wasi_http_result_void_header_error appended;
  wasi_http_fields_append(headers, STR("accept"), (wasi_http_field_value){(uint8_t *)"application/json", 16}, &appended);
  wasi_http_outgoing_request request = wasi_http_outgoing_request_new(headers);
  wasi_http_option_scheme scheme = {1, {https ? WASI_HTTP_SCHEME_HTTPS : WASI_HTTP_SCHEME_HTTP}};
  wacpy_option_string where = {1, authority}, what = {1, path};
  wasi_http_outgoing_request_set_scheme(request, &scheme);
  wasi_http_outgoing_request_set_authority(request, &where);
  wasi_http_outgoing_request_set_path_with_query(request, &what);
  wasi_http_request_options options = wasi_http_request_options_new();
  wacpy_option_u64 timeout = {1, FETCH_TIMEOUT_NS};
  wasi_http_request_options_set_connect_timeout(options, &timeout);
  wasi_http_request_options_set_first_byte_timeout(options, &timeout);
  wasi_http_request_options_set_between_bytes_timeout(options, &timeout);
  wasi_http_option_request_options with = {1, options};
  wasi_http_result_future_incoming_response_error_code sent;
  wasi_http_outgoing_handler_handle(request, &with, &sent);
  if (sent.is_err) return fetch_failed = "the JWKS request could not be sent", 0;
  wasi_io_poll_pollable ready = wasi_http_future_incoming_response_subscribe(sent.val.ok);
  wasi_io_poll_pollable_block(ready);
  wasi_io_poll_pollable_drop(ready);
  wasi_http_option_result_result_incoming_response_error_code_void got;
  wasi_http_future_incoming_response_get(sent.val.ok, &got);
  wasi_http_future_incoming_response_drop(sent.val.ok);
  if (!got.is_some || got.val.is_err || got.val.val.ok.is_err) return fetch_failed = "the JWKS server did not answer", 0;
  wasi_http_incoming_response response = got.val.val.ok.val.ok;
  int ok = wasi_http_incoming_response_status(response) == 200;
  wasi_http_fields answer_headers = wasi_http_incoming_response_headers(response);
  max_age = cache_max_age(answer_headers);
  wasi_http_fields_drop(answer_headers);
  wasi_http_result_incoming_body_void incoming;
  wasi_http_incoming_response_consume(response, &incoming);
  read_buffer data = {mem_top(), 0};
  if (ok && !incoming.is_err) {
    wasi_io_result_streams_input_stream_void stream;
    wasi_http_incoming_body_stream(incoming.val.ok, &stream);
    int more = stream.is_err ? -1 : 1;
    while (more > 0 && data.len <= MAX_JWKS) more = stream_read_more(stream.val.ok, &data, 16384);
    if (!stream.is_err) wasi_io_streams_input_stream_drop(stream.val.ok);
    ok = more == 0 && data.len <= MAX_JWKS;
  }
  if (!incoming.is_err) wasi_http_incoming_body_drop(incoming.val.ok);
  wasi_http_incoming_response_drop(response);
  *body = (str){(const char *)data.ptr, data.len};
  if (!ok) return fetch_failed = "the JWKS server's answer is not a 200 with a body of at most 256 KiB", 0;
  if (!json_valid(*body) || !is_key_set(*body)) return fetch_failed = "the JWKS server's answer is not a JWKS (a JSON object with keys)", 0;
  fetch_failed = 0;
  return 1;
}

/* The settings, and the keys at JWT_JWKS_URI (when there is no inline JWT_JWKS), kept for the
 * instance. Runs first in a request, so what it keeps is all that is below the arena. */
/* With a store, the fetched keys are shared by every instance and process: entry `jwks` of scope
 * `wacpy-auth` holds `<max-age>\n<the JWKS>`, so a fresh instance reads them instead of fetching. */
#define KEYS_SCOPE STR("wacpy-auth")
#define KEYS_KEY STR("jwks")

static int stored_keys(str *body) {
  if (!sessions_kept()) return 0;
  wacpy_mcp_result_option_store_entry_store_store_error got;
  wacpy_mcp_store_get(KEYS_SCOPE, KEYS_KEY, &got);
  if (got.is_err || !got.val.ok.is_some) return 0;
  str entry = {(const char *)got.val.ok.val.value.ptr, (uint32_t)got.val.ok.val.value.len};
  uint32_t line = 0;
  while (line < entry.len && entry.ptr[line] != '\n') line++;
  uint64_t age = got.val.ok.val.age, kept_for = 0;
  if (line >= entry.len || !wacpy_positive_decimal((str){entry.ptr, line}.w, 86400, &kept_for) || age >= kept_for) return 0;
  *body = (str){entry.ptr + line + 1, entry.len - line - 1};
  if (!json_valid(*body) || json_kind(*body) != '{') return 0;
  max_age = kept_for - age;
  return 1;
}

static void store_keys(str body) {
  if (!sessions_kept() || !max_age) return;
  buf entry = {0};
  buf_u64(&entry, max_age);
  buf_char(&entry, '\n');
  buf_put(&entry, body.ptr, body.len);
  wacpy_mcp_result_void_store_store_error done;
  wacpy_mcp_store_create_scope(KEYS_SCOPE, &done);
  if (!done.is_err) wacpy_mcp_store_set(KEYS_SCOPE, KEYS_KEY, (wacpy_list_u8){(uint8_t *)entry.buf, entry.len}, &done);
}

static void load(void) {
  read_settings();
  if (mode == 1 && !jwks.len && jwks_uri.len) {
    str body;
    fetched_at = wall_seconds();
    int again = fetch_again;
    fetch_again = 0;
    if (!again && stored_keys(&body)) jwks = body; /* an unknown kid asks the issuer itself */
    else if (fetch(jwks_uri, &body)) jwks = body, store_keys(body);
    else jwks = (str){0};
  }
  if (mode) mem_keep_all();
}

void auth_prepare(void) {
  if (mode < 0) {
    load();
    return;
  }
  if (mode != 1 || !jwks_uri.len) return;
  /* without keys (the server was down) try again after a second, else when they are stale */
  if (!fetch_again && wall_seconds() < fetched_at + (jwks.len ? max_age : 1)) return;
  mem_forget_kept(); /* the kept settings and keys are made again, in the same place */
  jwks = (str){0};
  remembered_count = remembered_next = 0; /* the keys may have been withdrawn */
  load();
}

int auth_required(void) {
  if (mode < 0) load();
  return mode != 0;
}

/* ---- small helpers ------------------------------------------------------------------------------- */

/* The bytes of base64url `text` in the arena; 0 when it is not canonical base64url. */
static int unbase64url(str text, uint8_t **bytes, size_t *n) {
  uint8_t *out = mem_alloc(text.len / 4 * 3 + 3, 1);
  long got = wacpy_base64url_decode((const uint8_t *)text.ptr, text.len, out);
  if (got < 0) return 0;
  *bytes = out, *n = (size_t)got;
  return 1;
}

/* A JSON object from a base64url segment; 0 when it is not one. */
static int json_segment(str text, str *object) {
  uint8_t *bytes;
  size_t n;
  if (!unbase64url(text, &bytes, &n)) return 0;
  *object = (str){(const char *)bytes, (uint32_t)n};
  return json_valid(*object) && json_kind(*object) == '{';
}

/* Constant-time comparison of `n` bytes. */
static int same_bytes(const uint8_t *a, const uint8_t *b, size_t n) {
  uint8_t diff = 0;
  for (size_t i = 0; i < n; i++) diff |= a[i] ^ b[i];
  return diff == 0;
}

/* The base64url member `name` of `key`, decoded; 0 when absent or not base64url. */
static int key_bytes(str key, const char *name, uint8_t **bytes, size_t *n) {
  str text;
  return json_get_string(key, name, &text) && text.len && unbase64url(text, bytes, n);
}

/* Whether the space- or comma-separated `list` has `item`. */
/* The next item of a space- or comma-separated `list` from `*at` on: 1 with it, 0 at the end. */
static int next_item(str list, uint32_t *at, str *item) {
  uint32_t i = *at;
  while (i < list.len && (list.ptr[i] == ' ' || list.ptr[i] == ',')) i++;
  uint32_t start = i;
  while (i < list.len && list.ptr[i] != ' ' && list.ptr[i] != ',') i++;
  *at = i;
  *item = (str){list.ptr + start, i - start};
  return i > start;
}

static int listed(str list, str item) {
  str each;
  for (uint32_t at = 0; next_item(list, &at, &each);)
    if (str_eq(each, item)) return 1;
  return 0;
}

/* ---- signatures ---------------------------------------------------------------------------------- */

static void sha256(const void *data, size_t n, uint8_t out[32]) {
  br_sha256_context c;
  br_sha256_init(&c);
  br_sha256_update(&c, data, n);
  br_sha256_out(&c, out);
}

/* An RSA public key from a JWK: its modulus without leading zeros, at least 2048 bits. */
static int rsa_key(str key, br_rsa_public_key *pk) {
  uint8_t *n, *e;
  size_t nlen, elen;
  if (!key_bytes(key, "n", &n, &nlen) || !key_bytes(key, "e", &e, &elen)) return 0;
  while (nlen && !*n) n++, nlen--;
  while (elen && !*e) e++, elen--;
  if (nlen * 8 < MIN_RSA_BITS || nlen > 1024 || !elen || elen > 8) return 0;
  if (!(e[elen - 1] & 1) || (elen == 1 && e[0] < 3)) return 0; /* an exponent is odd, and not 1 */
  *pk = (br_rsa_public_key){n, nlen, e, elen};
  return 1;
}

static int verify_rs256(str key, const uint8_t *sig, size_t n, const uint8_t hash[32]) {
  br_rsa_public_key pk;
  uint8_t recovered[32];
  return rsa_key(key, &pk) && n == pk.nlen &&
         br_rsa_i31_pkcs1_vrfy(sig, n, BR_HASH_OID_SHA256, sizeof recovered, &pk, recovered) &&
         same_bytes(recovered, hash, 32);
}

/* RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 7518 §3.5): BearSSL's RSA
 * public operation, then EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with its SHA-256 and MGF1. */
static int verify_ps256(str key, const uint8_t *sig, size_t n, const uint8_t hash[32]) {
  br_rsa_public_key pk;
  if (!rsa_key(key, &pk) || n != pk.nlen) return 0;
  uint8_t *em = mem_alloc(n, 1);
  memcpy(em, sig, n);
  if (!br_rsa_i31_public(em, n, &pk)) return 0;
  size_t mod_bits = pk.nlen * 8;
  for (uint8_t top = pk.n[0]; !(top & 0x80); top = (uint8_t)(top << 1)) mod_bits--;
  size_t em_bits = mod_bits - 1, em_len = (em_bits + 7) / 8, h_len = 32, s_len = 32;
  if (em_len < h_len + s_len + 2) return 0;
  if (em_len < n) { /* the encoded message is one byte shorter: the first byte must be zero */
    if (em[0]) return 0;
    em++;
  }
  if (em[em_len - 1] != 0xbc) return 0;
  size_t db_len = em_len - h_len - 1;
  uint8_t *db = em, *h = em + db_len, unused = (uint8_t)(8 * em_len - em_bits);
  if (unused && (db[0] >> (8 - unused))) return 0;
  br_mgf1_xor(db, db_len, &br_sha256_vtable, h, h_len);
  if (unused) db[0] &= (uint8_t)(0xff >> unused);
  size_t pad = em_len - h_len - s_len - 2;
  for (size_t i = 0; i < pad; i++)
    if (db[i]) return 0;
  if (db[pad] != 0x01) return 0;
  uint8_t m_prime[8 + 32 + 32] = {0}, expected[32];
  memcpy(m_prime + 8, hash, 32);
  memcpy(m_prime + 40, db + db_len - s_len, s_len);
  sha256(m_prime, sizeof m_prime, expected);
  return same_bytes(expected, h, 32);
}

static int verify_es256(str key, const uint8_t *sig, size_t n, const uint8_t hash[32]) {
  uint8_t *x, *y, q[65];
  size_t xlen, ylen;
  str crv;
  if (n != 64 || !json_get_string(key, "crv", &crv) || !str_eq_lit(crv, "P-256")) return 0;
  if (!key_bytes(key, "x", &x, &xlen) || !key_bytes(key, "y", &y, &ylen) || xlen != 32 || ylen != 32) return 0;
  q[0] = 0x04;
  memcpy(q + 1, x, 32);
  memcpy(q + 33, y, 32);
  br_ec_public_key pk = {BR_EC_secp256r1, q, sizeof q};
  return br_ecdsa_i31_vrfy_raw(&br_ec_p256_m31, hash, 32, &pk, sig, 64) == 1;
}

/* Ed25519 (RFC 8032): Monocypher checks the equation, with h = SHA-512(R || A || M) reduced. */
static int verify_eddsa(str key, const uint8_t *sig, size_t n, str input) {
  uint8_t *x, digest[64], h_ram[32];
  size_t xlen;
  str crv;
  if (n != 64 || !json_get_string(key, "crv", &crv) || !str_eq_lit(crv, "Ed25519")) return 0;
  if (!key_bytes(key, "x", &x, &xlen) || xlen != 32) return 0;
  br_sha512_context c;
  br_sha512_init(&c);
  br_sha512_update(&c, sig, 32);
  br_sha512_update(&c, x, 32);
  br_sha512_update(&c, input.ptr, input.len);
  br_sha512_out(&c, digest);
  crypto_eddsa_reduce(h_ram, digest);
  return crypto_eddsa_check_equation(sig, x, h_ram) == 0;
}

/* The algorithms, and the key type each needs. */
static const struct {
  const char *alg, *kty;
} ALGS[] = {{"RS256", "RSA"}, {"PS256", "RSA"}, {"ES256", "EC"}, {"EdDSA", "OKP"}};

/* Whether `key` (a JWK) is one `alg` (an index of ALGS) may verify with, and `kid` names it. */
static int key_fits(str key, size_t alg, str kid) {
  str kty, key_alg, key_kid, use;
  if (json_kind(key) != '{' || !json_get_string(key, "kty", &kty) || !str_eq_lit(kty, ALGS[alg].kty)) return 0;
  if (json_get_string(key, "alg", &key_alg) && !str_eq_lit(key_alg, ALGS[alg].alg)) return 0;
  if (json_get_string(key, "use", &use) && !str_eq_lit(use, "sig")) return 0;
  if (kid.ptr && !(json_get_string(key, "kid", &key_kid) && str_eq(key_kid, kid))) return 0;
  return 1;
}

/* Whether a key of `keys` has id `kid`. */
static int kid_known(str keys, str kid) {
  str list, key, id;
  if (!json_get(keys, "keys", &list) || json_kind(list) != '[') return 0;
  json_iter it = json_iterate(list);
  while (json_next_item(&it, &key))
    if (json_kind(key) == '{' && json_get_string(key, "kid", &id) && str_eq(id, kid)) return 1;
  return 0;
}

static int signature_verifies(str keys, size_t alg, str kid, str input, const uint8_t *sig, size_t n) {
  str list, key;
  uint8_t hash[32];
  if (!json_get(keys, "keys", &list) || json_kind(list) != '[') return 0;
  sha256(input.ptr, input.len, hash);
  json_iter it = json_iterate(list);
  while (json_next_item(&it, &key)) {
    if (!key_fits(key, alg, kid)) continue;
    int ok = alg == 0   ? verify_rs256(key, sig, n, hash)
             : alg == 1 ? verify_ps256(key, sig, n, hash)
             : alg == 2 ? verify_es256(key, sig, n, hash)
                        : verify_eddsa(key, sig, n, input);
    if (ok) return 1;
  }
  return 0;
}

/* ---- claims -------------------------------------------------------------------------------------- */

/* A NumericDate claim: 1 with it, 0 absent, -1 when it is there but not a number of seconds. */
static int numeric_date(str claims, const char *name, uint64_t *at) {
  str value;
  if (!json_get(claims, name, &value)) return 0;
  uint32_t digits = 0;
  while (digits < value.len && value.ptr[digits] >= '0' && value.ptr[digits] <= '9') digits++;
  if (!digits || digits > 12) return -1;
  if (digits < value.len && value.ptr[digits] != '.') return -1; /* a fraction is allowed, ignored */
  uint64_t n = 0;
  for (uint32_t i = 0; i < digits; i++) n = n * 10 + (uint64_t)(value.ptr[i] - '0');
  *at = n;
  return 1;
}

/* The token's scopes (`scope`, space-separated, or `scp`, an array), space-separated. */
static str token_scopes(str claims) {
  str scope, scp, item;
  if (json_get_string(claims, "scope", &scope)) return scope;
  buf out = {0};
  if (json_get(claims, "scp", &scp) && json_kind(scp) == '[') {
    json_iter it = json_iterate(scp);
    while (json_next_item(&it, &item)) {
      if (json_kind(item) != '"') continue;
      if (out.len) buf_char(&out, ' ');
      str text = json_decode_string(item);
      buf_put(&out, text.ptr, text.len);
    }
  }
  return buf_str(&out);
}

static int audience_named(str value) {
  str text = json_decode_string(value);
  return listed(value_of(&audiences), text) || (resource.len && str_eq(text, value_of(&resource)));
}

/* Whether the token's `aud` (a string or an array) names an accepted audience (any token, when
 * none is configured: the dynamic registration pattern). */
static int audience_accepted(str claims) {
  str aud, item;
  if (!audiences.len && !resource.len) return 1;
  if (!json_get(claims, "aud", &aud)) return 0;
  if (json_kind(aud) == '"') return audience_named(aud);
  if (json_kind(aud) != '[') return 0;
  json_iter it = json_iterate(aud);
  while (json_next_item(&it, &item))
    if (json_kind(item) == '"' && audience_named(item)) return 1;
  return 0;
}

static int invalid(str *why, const char *message) {
  *why = str_from(message);
  return AUTH_INVALID;
}

static int check_claims(str claims, auth_identity *who, str *why) {
  uint64_t now = wall_seconds(), exp = 0, nbf = 0, iat = 0;
  str iss, sub = {0};
  int has_exp = numeric_date(claims, "exp", &exp), has_nbf = numeric_date(claims, "nbf", &nbf);
  int has_iat = numeric_date(claims, "iat", &iat);
  if (has_exp < 0 || has_nbf < 0 || has_iat < 0) return invalid(why, "exp, nbf and iat must be numbers of seconds");
  if (!has_exp) return invalid(why, "the token has no exp");
  if (exp + LEEWAY < now) return invalid(why, "the token expired");
  if (has_nbf && nbf > now + LEEWAY) return invalid(why, "the token is not valid yet (nbf)");
  if (has_iat && iat > now + LEEWAY) return invalid(why, "the token was issued in the future (iat)");
  if (!json_get_string(claims, "iss", &iss) || !str_eq(iss, value_of(&issuer)))
    return invalid(why, "the token's issuer is not JWT_ISSUER");
  if (!audience_accepted(claims)) return invalid(why, "the token is not for this server (aud)");
  json_get_string(claims, "sub", &sub);
  str scopes = token_scopes(claims), need = value_of(&required_scopes);
  str scope;
  for (uint32_t at = 0; next_item(need, &at, &scope);) {
    if (!listed(scopes, scope)) {
      *why = STR("the token lacks a required scope");
      return AUTH_SCOPE;
    }
  }
  *who = (auth_identity){sub, scopes, claims};
  return AUTH_PASS;
}

/* ---- the check ----------------------------------------------------------------------------------- */

/* ---- verified tokens, remembered ---------------------------------------------------------------- */

/* A client sends its token with every request: its signature is checked once and the token's
 * BLAKE2b-256 (Monocypher's) remembered, a few dozen, the oldest forgotten first. A later request
 * with the same bytes skips the header and the signature, whose checks those bytes passed, but not
 * its claims (exp first). Keys fetched again forget them all. */

static int seen_before(const uint8_t digest[32]) {
  for (uint32_t i = 0; i < remembered_count; i++)
    if (same_bytes(remembered[i], digest, 32)) return 1;
  return 0;
}

static void remember(const uint8_t digest[32]) {
  memcpy(remembered[remembered_next], digest, 32);
  remembered_next = (remembered_next + 1) % REMEMBERED;
  if (remembered_count < REMEMBERED) remembered_count++;
}

int auth_check(str authorization, uint32_t count, auth_identity *who, str *why) {
  *who = (auth_identity){{0}, {0}, {0}};
  if (!auth_required()) return AUTH_PASS;
  if (mode == 2) {
    *why = str_from(misconfigured);
    return AUTH_MISCONFIGURED;
  }
  if (!count) return invalid(why, "the request has no bearer token"), AUTH_NO_TOKEN;
  if (count > 1) return invalid(why, "the request has more than one Authorization header");
  if (authorization.len > MAX_TOKEN) return invalid(why, "the token is too long");
  if (authorization.len < 7 || !str_ieq((str){authorization.ptr, 7}, STR("bearer ")))
    return invalid(why, "Authorization must be Bearer <token>");
  str token = str_trim((str){authorization.ptr + 7, authorization.len - 7}), part[3];
  uint32_t dots = 0, start = 0;
  for (uint32_t i = 0; i <= token.len; i++) {
    if (i < token.len && token.ptr[i] != '.') continue;
    if (dots == 3) return invalid(why, "a JWT has three parts");
    part[dots++] = (str){token.ptr + start, i - start};
    start = i + 1;
  }
  str header, claims, alg, kid = {0};
  if (dots != 3) return invalid(why, "the token is not a JWT (base64url JSON header and claims)");
  /* a token seen before: its header and signature checked out then; its claims are checked now */
  uint8_t digest[32];
  crypto_blake2b(digest, sizeof digest, (const uint8_t *)token.ptr, token.len);
  if (jwks.len && seen_before(digest) && json_segment(part[1], &claims)) return check_claims(claims, who, why);
  if (!json_segment(part[0], &header) || !json_segment(part[1], &claims))
    return invalid(why, "the token is not a JWT (base64url JSON header and claims)");
  if (!json_get_string(header, "alg", &alg)) return invalid(why, "the token's header has no alg");
  size_t which = sizeof ALGS / sizeof *ALGS;
  for (size_t i = 0; i < sizeof ALGS / sizeof *ALGS; i++)
    if (str_eq_lit(alg, ALGS[i].alg)) which = i;
  if (which == sizeof ALGS / sizeof *ALGS) return invalid(why, "the token's alg is not RS256, PS256, ES256 or EdDSA");
  str crit;
  if (json_get(header, "crit", &crit)) return invalid(why, "the token's header has crit extensions");
  if (json_get(header, "kid", &crit) && !json_get_string(header, "kid", &kid)) return invalid(why, "kid must be a string");
  uint8_t *sig;
  size_t sig_len;
  if (!unbase64url(part[2], &sig, &sig_len)) return invalid(why, "the token's signature is not base64url");
  str input = {token.ptr, part[1].ptr + part[1].len - token.ptr};
  if (!jwks.len) {
    if (jwks_uri.len && wall_seconds() >= fetched_at + 1) fetch_again = 1;
    return invalid(why, fetch_failed ? fetch_failed : "the issuer's keys could not be fetched");
  }
  if (!signature_verifies(value_of(&jwks), which, kid, input, sig, sig_len)) {
    /* a key the issuer added since: fetch the keys again (at most every REFETCH_AFTER seconds) */
    if (jwks_uri.len && kid.ptr && !kid_known(jwks, kid) && wall_seconds() >= fetched_at + refetch_after) fetch_again = 1;
    return invalid(why, "the token's signature does not verify with the issuer's keys");
  }
  remember(digest);
  return check_claims(claims, who, why);
}

/* ---- the protocol surface ------------------------------------------------------------------------ */

/* The URL this server is known by: WACPY_AUTH_RESOURCE, else `base` + /mcp. */
static void resource_url(buf *out, str base) {
  if (resource.len) buf_put(out, resource.ptr, resource.len);
  else buf_put(out, base.ptr, base.len), buf_lit(out, "/mcp");
}

static void challenge_start(buf *out, str base) {
  buf_lit(out, "Bearer resource_metadata=\"");
  buf_put(out, base.ptr, base.len);
  buf_lit(out, "/.well-known/oauth-protected-resource/mcp\"");
}

/* `, error="insufficient_scope", scope="..."` (commas become spaces, quotes go). */
static void insufficient_scope(buf *out, str scopes) {
  buf_lit(out, ", error=\"insufficient_scope\", scope=\"");
  for (uint32_t i = 0; i < scopes.len; i++)
    if (scopes.ptr[i] != '"') buf_char(out, scopes.ptr[i] == ',' ? ' ' : scopes.ptr[i]);
  buf_char(out, '"');
}

str auth_scope_challenge(str scopes, str base) {
  buf out = {0};
  challenge_start(&out, base);
  insufficient_scope(&out, scopes);
  return buf_str(&out);
}

str auth_challenge(int outcome, str why, str base) {
  buf out = {0};
  challenge_start(&out, base);
  if (outcome == AUTH_INVALID) buf_lit(&out, ", error=\"invalid_token\"");
  if (outcome == AUTH_SCOPE) insufficient_scope(&out, required_scopes);
  if (outcome == AUTH_INVALID || outcome == AUTH_SCOPE) {
    buf_lit(&out, ", error_description=\"");
    for (uint32_t i = 0; i < why.len; i++) buf_char(&out, why.ptr[i] == '"' ? '\'' : why.ptr[i]);
    buf_char(&out, '"');
  }
  return buf_str(&out);
}

str auth_metadata(str base) {
  buf out = {0};
  buf_lit(&out, "{\"resource\":\"");
  resource_url(&out, base);
  buf_lit(&out, "\",\"authorization_servers\":[");
  buf_string(&out, value_of(&issuer));
  buf_lit(&out, "],\"bearer_methods_supported\":[\"header\"],\"scopes_supported\":[");
  str need = value_of(&required_scopes);
  int first = 1;
  str scope;
  for (uint32_t at = 0; next_item(need, &at, &scope);) {
    if (!first) buf_char(&out, ',');
    first = 0;
    buf_string(&out, scope);
  }
  buf_lit(&out, "]}");
  return buf_str(&out);
}

#pragma clang attribute pop
