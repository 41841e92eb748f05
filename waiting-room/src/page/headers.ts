// The headers every HTML page of the project sends (the queue page here, the booking page in
// booking-api) and those of its static assets.

/**
 * Scripts and styles from this origin only, no inline code, no framing, and no Referer: the
 * booking URL carries the admission token, and the booking page's address does until its script
 * removes it.
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** An HTML page's headers; `vary` is the caller's, as what a page depends on differs. */
export const pageHeaders = {
  'content-security-policy': contentSecurityPolicy,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
  'content-type': 'text/html; charset=utf-8',
} as const;

export function assetHeaders(asset: { contentType: string; cacheControl: string }) {
  return {
    'content-type': asset.contentType,
    'cache-control': asset.cacheControl,
    'x-content-type-options': 'nosniff',
  };
}
