// Talking to the server: the request shape every /api call shares, and login, logout and "who am I".
import type { LkDb } from '../data/db';

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

/** Every non-GET call carries `x-lk: 1`, which a cross-site form cannot send. */
export function apiRequest(t: Transport, path: string, body?: unknown, timeoutMs?: number): Promise<Response> {
  return t.fetch(`${t.baseUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', 'x-lk': '1' },
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

/** Logs in and remembers who. A different user than before pulls from the start, because the cursor
 * belonged to another set of groups; nothing local is deleted. */
export async function login(t: Transport, d: LkDb, username: string, password: string): Promise<User> {
  if (!username.trim() || !password) throw new LoginError('empty');
  let res: Response;
  try {
    res = await apiRequest(t, '/api/auth/login', { username: username.trim(), password });
  } catch {
    throw new LoginError('offline');
  }
  if (res.status === 429) {
    const s = Number(res.headers.get('retry-after'));
    throw new LoginError('rate-limited', Number.isFinite(s) && s > 0 ? s : null);
  }
  if (res.status === 401 || res.status === 400 || res.status === 403) throw new LoginError('wrong');
  if (!res.ok) throw new LoginError('server');
  const { user } = (await res.json()) as { user: User };
  await rememberLogin(d, user);
  return user;
}

/** Records a successful login: who it is, a fresh cursor for another user, and no more "needs login". */
export async function rememberLogin(d: LkDb, user: User): Promise<void> {
  await d.transaction('rw', d.meta, async () => {
    const cursorOwner = (await d.meta.get('cursorUser'))?.value as string | undefined;
    if (cursorOwner !== user.id) await d.meta.put({ key: 'cursor', value: '0' });
    await d.meta.bulkPut([
      { key: 'user', value: user },
      { key: 'cursorUser', value: user.id },
    ]);
    const state = (await d.meta.get('syncState'))?.value as Record<string, unknown> | undefined;
    if (state) await d.meta.put({ key: 'syncState', value: { ...state, needsLogin: false } });
  });
}

/** Ends the session on the server. Local changes stay; they go out after the next login. */
export async function logout(t: Transport, d: LkDb): Promise<void> {
  const res = await apiRequest(t, '/api/auth/logout', {});
  if (!res.ok && res.status !== 401) throw new Error(`HTTP ${res.status}`);
  await d.transaction('rw', d.meta, async () => {
    await d.meta.delete('user');
    const state = (await d.meta.get('syncState'))?.value as Record<string, unknown> | undefined;
    await d.meta.put({ key: 'syncState', value: { ...state, needsLogin: true } });
  });
}

/** Asks the server who this session belongs to; null when not logged in, undefined when unreachable. */
export async function whoAmI(t: Transport, d: LkDb): Promise<User | null | undefined> {
  let res: Response;
  try {
    res = await apiRequest(t, '/api/auth/me');
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
    res = await apiRequest(t, '/api/auth/password', { old: current, new: next });
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
