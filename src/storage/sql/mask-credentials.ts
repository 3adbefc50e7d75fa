/**
 * Hides the password of a database URL (`postgres://user:secret@host/db` → `postgres://user:***@host/db`,
 * and `password=` query parameters), so that URLs can appear in messages and logs.
 */
export function maskCredentials(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:)[^@/?#]*@/i, "$1***@")
    .replace(/([?&]password=)[^&#]*/gi, "$1***");
}

/** Removes every occurrence of `secret` from `text` (defence in depth for driver messages). */
export function scrubSecret(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join("***") : text;
}
