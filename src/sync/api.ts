// Talking to the server: the request shape every /api call shares, and login, logout and "who am I".
import { db as appDb, type LkDb, type OutboxEntry as OutboxRow, type RejectedEntry as RejectedRow } from '../data/db';
import { TABLES } from '../shared/records';

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

/** How to reach the server: the page passes the global fetch and '', tests an in-process app. */
export interface Transport {
  fetch: FetchFn;
  baseUrl: string;
}

/** The page's and the service worker's own server: same origin, the session cookie goes along. */
export const sameOrigin: Transport = { fetch: (input, init) => globalThis.fetch(input, init), baseUrl: '' };

export interface User {
  id: string;
  username: string;
  role: string;
  groups: string[];
  /** Logged in with a one-time code: the person should choose their own password now. */
  mustChangePassword?: boolean;
}

/** Where the session's session key lives in `meta`. The app lock seals it (sealed.ts), so while the app is locked
 * no page, worker or copied profile can present it, and the session cookie alone opens nothing on the server. */
export const SESSION_KEY = 'sessionKey';

/** The session key header for this phone's session; empty while locked, logged out, or for a session from before. */
export async function keyHeaders(d: LkDb = appDb()): Promise<Record<string, string>> {
  const v = (await d.meta.get(SESSION_KEY))?.value;
  return typeof v === 'string' ? { 'x-lk-key': v } : {};
}

/** Every non-GET call carries `x-lk: 1`, which a cross-site form cannot send; every call the session key. */
export async function apiRequest(t: Transport & { db?: LkDb }, path: string, body?: unknown, timeoutMs?: number): Promise<Response> {
  const key = await keyHeaders(t.db);
  return t.fetch(`${t.baseUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? { accept: 'application/json', ...key } : { 'content-type': 'application/json', 'x-lk': '1', ...key },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    signal: timeoutMs && typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(timeoutMs) : undefined,
  });
}

export type LoginProblem = 'empty' | 'wrong' | 'rate-limited' | 'offline' | 'server';

export class LoginError extends Error {
  constructor(
    readonly problem: LoginProblem,
    /** Seconds to wait, when the server said so after too many attempts. */
    readonly retryAfter: number | null = null,
  ) {
    super(problem);
    this.name = 'LoginError';
  }
}

export async function storedUser(d: LkDb): Promise<User | null> {
  return ((await d.meta.get('user'))?.value as User | undefined) ?? null;
}

/** Logs in and remembers who. The session is bound to a session key the server hands out now (see SESSION_KEY).
 * Another user than before gets a phone without the previous user's data (see rememberLogin). */
export async function login(t: Transport, d: LkDb, username: string, password: string): Promise<User> {
  if (!username.trim() || !password) throw new LoginError('empty');
  const via = { ...t, db: d };
  await sendPendingLogout(via, d);
  let res: Response;
  try {
    res = await apiRequest(via, '/api/auth/login', { username: username.trim(), password, sessionKey: true });
  } catch {
    throw new LoginError('offline');
  }
  if (res.status === 429) {
    const s = Number(res.headers.get('retry-after'));
    throw new LoginError('rate-limited', Number.isFinite(s) && s > 0 ? s : null);
  }
  if (res.status === 401 || res.status === 400 || res.status === 403) throw new LoginError('wrong');
  if (!res.ok) throw new LoginError('server');
  const { user, sessionKey } = (await res.json()) as { user: User; sessionKey?: string };
  await rememberLogin(d, user, sessionKey);
  return user;
}

/** Where a previous user's unsynced changes wait on this phone while someone else is logged in: in the quarantine
 * store (sealed like the outbox under the app lock), until that user logs in here again. Never dropped. */
const parkedFor = (userId: string, store: 'outbox' | 'rejected') => `${store}:${userId}`;

/** Records a successful login: who it is, a fresh cursor for another user, and no more "needs login".
 * Another user than the last one gets none of the previous user's groups: the synced rows go (the server has them
 * and gives the new user what they may see), and the previous user's waiting and refused changes are set aside
 * for them, not sent under the wrong account. Their own set-aside changes come back into the outbox. */
export async function rememberLogin(d: LkDb, user: User, sessionKey?: string): Promise<void> {
  const tables = TABLES.map((n) => d.table(n));
  await d.transaction('rw', [d.meta, d.outbox, d.rejected, d.quarantine, ...tables], async () => {
    const cursorOwner = (await d.meta.get('cursorUser'))?.value as string | undefined;
    if (cursorOwner !== user.id) {
      await d.meta.put({ key: 'cursor', value: '0' });
      if (cursorOwner !== undefined) {
        const at = Date.now();
        for (const e of await d.outbox.toArray()) await d.quarantine.add({ table: parkedFor(cursorOwner, 'outbox'), row: e, reason: 'wacht op het inloggen van die gebruiker', at });
        for (const e of await d.rejected.toArray()) await d.quarantine.add({ table: parkedFor(cursorOwner, 'rejected'), row: e, reason: 'wacht op het inloggen van die gebruiker', at });
        await d.outbox.clear();
        await d.rejected.clear();
        for (const t of tables) await t.clear();
      }
      let mid = ((await d.meta.get('lastMid'))?.value as number | undefined) ?? 0;
      for (const q of await d.quarantine.where('table').equals(parkedFor(user.id, 'outbox')).toArray()) {
        await d.outbox.add({ ...(q.row as OutboxRow), mid: ++mid });
        await d.quarantine.delete(q.key!);
      }
      for (const q of await d.quarantine.where('table').equals(parkedFor(user.id, 'rejected')).toArray()) {
        await d.rejected.add({ ...(q.row as RejectedRow), mid: ++mid });
        await d.quarantine.delete(q.key!);
      }
      await d.meta.put({ key: 'lastMid', value: mid });
    }
    await d.meta.bulkPut([
      { key: 'user', value: user },
      { key: 'cursorUser', value: user.id },
    ]);
    if (sessionKey) await d.meta.put({ key: SESSION_KEY, value: sessionKey });
    else await d.meta.delete(SESSION_KEY);
    await d.meta.delete('pendingLogout');
    const state = (await d.meta.get('syncState'))?.value as Record<string, unknown> | undefined;
    if (state) await d.meta.put({ key: 'syncState', value: { ...state, needsLogin: false, loggedOut: false } });
  });
}


/** Ends the session: at once on this phone, also offline — the session key goes, so the cookie left in the browser
 * opens nothing — and on the server now or, when it cannot be reached, before the next login. Local changes stay;
 * they go out after the next login. Until then the app shows no group data (App.tsx). */
export async function logout(t: Transport, d: LkDb): Promise<void> {
  await d.transaction('rw', d.meta, async () => {
    await d.meta.bulkDelete(['user', SESSION_KEY]);
    await d.meta.put({ key: 'pendingLogout', value: true });
    const state = (await d.meta.get('syncState'))?.value as Record<string, unknown> | undefined;
    await d.meta.put({ key: 'syncState', value: { ...state, needsLogin: true, loggedOut: true } });
  });
  await sendPendingLogout({ ...t, db: d }, d);
}

/** Tells the server about a logout made offline; quietly tries again later when it still cannot be reached. */
export async function sendPendingLogout(t: Transport & { db?: LkDb }, d: LkDb): Promise<void> {
  if ((await d.meta.get('pendingLogout'))?.value !== true) return;
  try {
    const res = await apiRequest(t, '/api/auth/logout', {});
    if (res.ok || res.status === 401) await d.meta.delete('pendingLogout');
  } catch {
    // offline: the next login or sync says it
  }
}

/** Asks the server who this session belongs to; null when not logged in, undefined when unreachable. */
export async function whoAmI(t: Transport, d: LkDb): Promise<User | null | undefined> {
  await sendPendingLogout({ ...t, db: d }, d);
  // Logged out on this phone: nobody is logged in here, whatever cookie the browser still holds.
  if (((await d.meta.get('syncState'))?.value as { loggedOut?: boolean } | undefined)?.loggedOut) return null;
  let res: Response;
  try {
    res = await apiRequest({ ...t, db: d }, '/api/auth/me');
  } catch {
    return undefined;
  }
  if (res.status === 401) {
    // The session ended on the server (expired, or logged out elsewhere): say so before a sync finds out.
    const state = (await d.meta.get('syncState'))?.value as Record<string, unknown> | undefined;
    await d.meta.put({ key: 'syncState', value: { ...state, needsLogin: true } });
    return null;
  }
  if (!res.ok) return undefined;
  const { user } = (await res.json()) as { user: User };
  await d.meta.put({ key: 'user', value: user });
  return user;
}

/** Replaces the one-time code (or the current password) with one the person chose; the server's Dutch reason on refusal. */
export async function changePassword(t: Transport, d: LkDb, current: string, next: string): Promise<User> {
  let res: Response;
  try {
    res = await apiRequest({ ...t, db: d }, '/api/auth/password', { old: current, new: next });
  } catch {
    throw new PasswordError(null);
  }
  const body = (await res.json().catch(() => null)) as { user?: User; error?: string } | null;
  if (!res.ok || !body?.user) throw new PasswordError(typeof body?.error === 'string' ? body.error : null, res.status);
  await d.meta.put({ key: 'user', value: body.user });
  return body.user;
}

/** `reason` is the server's own message; null when the server could not be reached or gave none. */
export class PasswordError extends Error {
  constructor(
    readonly reason: string | null,
    readonly status: number | null = null,
  ) {
    super(reason ?? 'password change failed');
    this.name = 'PasswordError';
  }
}
