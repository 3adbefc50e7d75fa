import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";

/** The cookie that carries the token after a browser opened `/?token=...`. */
export const TOKEN_COOKIE = "ascent_dashboard_token";

/**
 * Whether `given` is the token. Both are hashed first so that the comparison takes the same time
 * whatever the lengths, and `timingSafeEqual` then compares in constant time.
 */
export function tokenMatches(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(token).digest();
  return timingSafeEqual(a, b);
}

/**
 * Requires the token on every request: as `Authorization: Bearer T` (API clients), as the cookie, or as
 * `?token=T` on a page, which sets the cookie (HttpOnly, SameSite=Strict) and redirects to the same URL
 * without the token, so it does not stay in the address bar or the history.
 */
export function requireToken(token: string): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    const fromQuery = url.searchParams.get("token") ?? undefined;
    if (fromQuery !== undefined && tokenMatches(fromQuery, token)) {
      setCookie(c, TOKEN_COOKIE, token, { httpOnly: true, sameSite: "Strict", path: "/" });
      url.searchParams.delete("token");
      return c.redirect(`${url.pathname}${url.search}`, 303);
    }
    const header = c.req.header("authorization");
    const bearer = header?.match(/^Bearer\s+(.+)$/i)?.[1];
    if (tokenMatches(bearer, token) || tokenMatches(getCookie(c, TOKEN_COOKIE), token)) return next();
    c.header("WWW-Authenticate", 'Bearer realm="ascent dashboard"');
    return c.text(
      "401 Unauthorized: this dashboard needs its token. Open it as /?token=TOKEN (the token given to " +
        "ascent dashboard with --token or ASCENT_DASHBOARD_TOKEN), or send Authorization: Bearer TOKEN.\n",
      401,
    );
  };
}
