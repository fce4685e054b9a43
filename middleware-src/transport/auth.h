/* OAuth 2.1 resource server (MCP authorization, RFC 9728, RFC 6750): whether a request's bearer
 * token lets it in. Off unless the environment says `WACPY_AUTH_MODE=oauth`; settings:
 *
 *   JWT_ISSUER            the issuer every token must name (`iss`, exactly)      required
 *   JWT_JWKS              the issuer's keys as a JWKS (JSON), given inline
 *   JWT_JWKS_URI          or where to fetch them (over wasi:http, cached)         one of the two
 *   JWT_JWKS_REFETCH      seconds before an unknown kid fetches the keys again (default 60)
 *   JWT_AUDIENCE          accepted audiences, comma-separated                     optional
 *   JWT_REQUIRED_SCOPES   scopes every token needs, space- or comma-separated     optional
 *   WACPY_AUTH_RESOURCE   this server's URL (metadata `resource`; an accepted audience)
 *
 * Tokens are JWTs signed with RS256, PS256, ES256 or EdDSA (BearSSL's RSA, ECDSA P-256, SHA-2;
 * Monocypher's Ed25519 check over BearSSL's SHA-512): `alg` must fit the key's `kty`/`crv`,
 * `kid` picks the key, `exp` is required, `exp`/`nbf`/`iat` have 60 s of leeway. */
#ifndef TRANSPORT_AUTH_H
#define TRANSPORT_AUTH_H

#include "dispatch.h"

/* How a request fares: served, or refused with 401 (no token, or a bad one), 403 (a scope is
 * missing) or 500 (oauth mode without a usable configuration). */
enum { AUTH_PASS = 0, AUTH_NO_TOKEN = 1, AUTH_INVALID = 2, AUTH_SCOPE = 3, AUTH_MISCONFIGURED = 4 };

typedef struct {
  str subject; /* `sub` */
  str scopes;  /* space-separated */
  str claims;  /* the whole claims object, raw JSON */
} auth_identity;

/* First thing in a request: read the settings (once), and fetch JWT_JWKS_URI's keys when they are
 * due (first use, Cache-Control max-age passed, an unknown kid a while ago); what it reads stays
 * for the instance. */
void auth_prepare(void);
/* Whether the server runs in oauth mode (or meant to and is misconfigured). */
int auth_required(void);
/* Check a request's `Authorization` header (`count` of them, the first is `authorization`);
 * AUTH_PASS fills `who` (empty in public mode), anything else says why in `*why`. */
int auth_check(str authorization, uint32_t count, auth_identity *who, str *why);
/* The `WWW-Authenticate` value for a refusal (`outcome`), pointing at the metadata of `base`
 * (`http://host`). */
str auth_challenge(int outcome, str why, str base);
/* The 403 challenge for a handler that needs `scopes` (space-separated) the token lacks. */
str auth_scope_challenge(str scopes, str base);
/* The protected resource metadata (RFC 9728) of the server at `base`. */
str auth_metadata(str base);

#endif
