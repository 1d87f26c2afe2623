// Security headers on every response: a strict Content-Security-Policy, HSTS over HTTPS, and no powerful features.
import type { MiddlewareHandler } from 'hono';
import { viaHttps } from './auth';

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

export function securityHeaders(opts: { trustProxy: boolean }): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header('Content-Security-Policy', APP_CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    c.header('Permissions-Policy', PERMISSIONS_POLICY);
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    // Only where HTTPS is certain (auth.ts viaHttps): over plain HTTP it would be ignored at best and lock a test
    // setup out of HTTP at worst.
    if (viaHttps(c, opts.trustProxy)) c.header('Strict-Transport-Security', HSTS);
  };
}
