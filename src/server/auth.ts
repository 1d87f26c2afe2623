// Login rate limiting and the session cookie: who is asking, and how often they may guess.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { SESSION_IDLE_MS } from './users';

export const SESSION_COOKIE = 'lk_session';
export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MS = 5 * 60 * 1000;

/** Counts failed logins per username + IP in memory; a restart forgets them, which only helps a guesser once. */
export class LoginLimiter {
  private failures = new Map<string, number[]>();

  /** Seconds until another attempt is allowed, or 0. */
  retryAfter(key: string, now: number): number {
    const recent = this.recent(key, now);
    if (recent.length < MAX_FAILURES) return 0;
    return Math.max(1, Math.ceil((recent[0] + FAILURE_WINDOW_MS - now) / 1000));
  }

  fail(key: string, now: number): void {
    const recent = this.recent(key, now);
    recent.push(now);
    this.failures.set(key, recent.slice(-MAX_FAILURES));
    if (this.failures.size > 10_000) this.prune(now);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => now - t < FAILURE_WINDOW_MS);
  }

  private prune(now: number): void {
    for (const [k, v] of this.failures) if (v.every((t) => now - t >= FAILURE_WINDOW_MS)) this.failures.delete(k);
  }
}

function isLocalHost(c: Context): boolean {
  const host = new URL(c.req.url).hostname;
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '::1';
}

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

export function writeSessionCookie(c: Context, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: !isLocalHost(c),
    maxAge: Math.floor(SESSION_IDLE_MS / 1000),
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Strict', secure: !isLocalHost(c) });
}
