// Security headers on every response: a strict Content-Security-Policy, HSTS over HTTPS, and no powerful features.
import type { Context, MiddlewareHandler } from 'hono';

/** The built app loads only its own scripts, styles, images, worker and manifest, and talks only to its own origin.
 * Preact sets `style` props through the CSSOM, which style-src does not govern, so no 'unsafe-inline' is needed.
 * API answers get the same policy: JSON never runs, and a same-origin page opened on an /api address (as the
 * Background Sync e2e test does) may still reach the API. */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=()';

/** Two years, the usual preload minimum; subdomains are left alone, they may belong to other services. */
export const HSTS = 'max-age=63072000';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** HSTS only where HTTPS is certain: the request itself came over TLS, or a trusted proxy says it did. Sent over plain
 * HTTP or to localhost it would be ignored at best and lock a test setup out of HTTP at worst. */
export function isHttps(c: Context, trustProxy: boolean): boolean {
  const url = new URL(c.req.url);
  if (LOCAL_HOSTS.has(url.hostname)) return false;
  if (url.protocol === 'https:') return true;
  return trustProxy && c.req.header('x-forwarded-proto')?.split(',')[0].trim().toLowerCase() === 'https';
}

export function securityHeaders(opts: { trustProxy: boolean }): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header('Content-Security-Policy', APP_CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    c.header('Permissions-Policy', PERMISSIONS_POLICY);
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    if (isHttps(c, opts.trustProxy)) c.header('Strict-Transport-Security', HSTS);
  };
}
