// Login limits and the cookies: who is asking, how often they may guess, and how the session and device cookies are set.
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { sql } from 'kysely';
import { hashToken } from './users';
import type { Store } from './store';

export const SESSION_COOKIE = 'lk_session';
/** A phone that logged in before: it passes the account's slowdown (OWASP "device cookies"). */
export const DEVICE_COOKIE = 'lk_device';
/** The session key of a bound session (users.ts createSession), sent by the app with every API call. */
export const KEY_HEADER = 'x-lk-key';

const MIN = 60_000;

/**
 * The login limits, all counted in the database so several server processes share them:
 * - `pair` (name + IP): 5 failures block that name from that address for 15 minutes — today's rule;
 * - `account` (name, from phones it does not know): from the 5th failure each further try waits longer
 *   (30 s, 1, 2, 4, 8, 15 min), so guessing one account slows to a few tries an hour from any number of addresses;
 * - `device` (a phone with the account's device cookie): the same slowdown, counted for that phone alone, so a
 *   stranger failing for the name never keeps its real owner out;
 * - `ip`: 30 failures in 15 minutes block the address for every name (a buurthuis shares one address; 30 is
 *   far above what a room of volunteers mistypes).
 */
interface Rule {
  /** Failures before the block starts. */
  max: number;
  /** A quiet spell this long starts the count afresh. */
  resetMs: number;
  /** The block after `count` failures (count ≥ max). */
  blockMs(count: number): number;
}

const backoff = (count: number) => Math.min(30_000 * 2 ** (count - 5), 15 * MIN);

export const RULES = {
  pair: { max: 5, resetMs: 15 * MIN, blockMs: () => 15 * MIN },
  account: { max: 5, resetMs: 60 * MIN, blockMs: backoff },
  device: { max: 5, resetMs: 60 * MIN, blockMs: backoff },
  ip: { max: 30, resetMs: 15 * MIN, blockMs: () => 15 * MIN },
} satisfies Record<string, Rule>;

export type RuleName = keyof typeof RULES;

export interface LimitKey {
  rule: RuleName;
  key: string;
}

/** Seconds until every one of `keys` allows another try, or 0. */
export async function retryAfter(store: Store, keys: LimitKey[], now: number): Promise<number> {
  const rows = await store.db
    .selectFrom('login_limits')
    .select('blocked_until')
    .where(
      'key',
      'in',
      keys.map((k) => k.key),
    )
    .execute();
  const until = Math.max(0, ...rows.map((r) => Number(r.blocked_until)));
  return until > now ? Math.max(1, Math.ceil((until - now) / 1000)) : 0;
}

/** Counts one failure against each key (one upsert each, atomic per key), and starts its block when due. */
export async function countFailure(store: Store, keys: LimitKey[], now: number): Promise<boolean> {
  let blocked = false;
  for (const { rule, key } of keys) {
    const r: Rule = RULES[rule];
    const row = await sql<{ count: number | string }>`
      insert into login_limits (key, count, last_at, blocked_until) values (${key}, 1, ${now}, 0)
      on conflict (key) do update set
        count = case when login_limits.last_at < ${now - r.resetMs} then 1 else login_limits.count + 1 end,
        last_at = excluded.last_at
      returning count`.execute(store.db);
    const count = Number(row.rows[0]?.count ?? 1);
    if (count >= r.max) {
      blocked = true;
      await store.db.updateTable('login_limits').set({ blocked_until: now + r.blockMs(count) }).where('key', '=', key).execute();
    }
  }
  return blocked;
}

export async function clearLimits(store: Store, keys: LimitKey[]): Promise<void> {
  if (keys.length) await store.db.deleteFrom('login_limits').where('key', 'in', keys.map((k) => k.key)).execute();
}

/** Counters that lie idle are forgotten; run with the session housekeeping. */
export async function pruneLimits(store: Store, now: number): Promise<void> {
  await store.db.deleteFrom('login_limits').where('last_at', '<', now - 24 * 60 * MIN).execute();
}

/** The address the request came from. Behind a trusted proxy that is the hop the proxy itself added — the
 * rightmost X-Forwarded-For entry; everything left of it the client wrote and may be made up. */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const hops = c.req.header('x-forwarded-for')?.split(',').map((h) => h.trim()).filter(Boolean);
    const last = hops?.at(-1);
    if (last) return tidyIp(last);
  }
  try {
    return tidyIp(getConnInfo(c).remote.address ?? 'onbekend');
  } catch {
    // app.fetch without a socket (tests): every request comes from the same place.
    return 'lokaal';
  }
}

/** Keys and the audit log take the address as a token; anything that is not one is one bucket. */
function tidyIp(ip: string): string {
  return /^[0-9A-Za-z:.]{1,64}$/.test(ip) ? ip : 'ongeldig';
}

/** The user a device cookie was handed to, if it is one. */
export async function knownDeviceUser(store: Store, c: Context): Promise<{ userId: string; tokenHash: string } | undefined> {
  const token = getCookie(c, DEVICE_COOKIE);
  if (!token || token.length > 100) return undefined;
  const tokenHash = hashToken(token);
  const row = await store.db.selectFrom('known_devices').select('user_id').where('token_hash', '=', tokenHash).executeTakeFirst();
  return row && { userId: row.user_id, tokenHash };
}

export async function rememberDevice(store: Store, c: Context, userId: string, now: number, secure: boolean): Promise<void> {
  const token = randomBytes(32).toString('base64url');
  await store.db.insertInto('known_devices').values({ token_hash: hashToken(token), user_id: userId, created_at: now }).execute();
  setCookie(c, DEVICE_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/api/auth', secure, maxAge: 365 * 24 * 3600 });
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Whether the browser reached us over HTTPS. Behind a trusted proxy only its X-Forwarded-Proto counts — the
 * proxy may well call us as `localhost` — and a proxy that says nothing is taken to terminate TLS, since that is
 * what TRUST_PROXY=1 is for. Without one, the request URL decides and localhost is plain HTTP for development. */
export function viaHttps(c: Context, trustProxy: boolean): boolean {
  if (trustProxy) {
    const proto = c.req.header('x-forwarded-proto')?.split(',').at(-1)?.trim().toLowerCase();
    return proto === undefined || proto === '' || proto === 'https';
  }
  const url = new URL(c.req.url);
  return url.protocol === 'https:' && !LOCAL_HOSTS.has(url.hostname);
}

/** The session cookie is Secure whenever the browser could be on HTTPS; only plain-HTTP localhost (development,
 * the tests) goes without, since a browser drops a Secure cookie set over http. */
export function secureCookie(c: Context, trustProxy: boolean): boolean {
  if (trustProxy) return viaHttps(c, true);
  return !LOCAL_HOSTS.has(new URL(c.req.url).hostname);
}

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

export function writeSessionCookie(c: Context, token: string, maxAgeMs: number, secure: boolean): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure,
    maxAge: Math.max(1, Math.floor(maxAgeMs / 1000)),
  });
}

export function clearSessionCookie(c: Context, secure: boolean): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Strict', secure });
}
