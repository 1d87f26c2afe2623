// Users and sessions on the server: accounts, group assignment, password changes and session tokens.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { randomId } from '../shared/ids';
import { ID_RE } from '../shared/schema';
import { hashOneTimeCode, hashPassword, oneTimePassword } from './passwords';
import type { Store, UsersTable } from './store';

export type Role = 'coordinator' | 'begeleider';
export const ROLES: readonly Role[] = ['coordinator', 'begeleider'];

export interface User {
  id: string;
  username: string;
  role: Role;
  groups: string[];
  mustChangePassword: boolean;
  active: boolean;
  /** Until when the one-time code still opens a session (only while mustChangePassword). */
  codeExpiresAt: number | null;
}

const DAY = 24 * 3600 * 1000;
/** Sessions end after this long without a request. */
export const SESSION_IDLE_MS = 14 * DAY;
/** …and this long after the login, however busy (SESSION_MAX_DAYS): a phone lost while logged in stops opening the
 * group's history after a month at most. */
export const SESSION_MAX_MS = 30 * DAY;
/** A one-time code opens a first session within this long, and only once (ONE_TIME_CODE_DAYS). */
export const CODE_TTL_MS = 7 * DAY;
/** last_seen is written at most this often, so reads do not turn into writes. */
const TOUCH_MS = 3600 * 1000;

export const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{1,39}$/;

export function normaliseUsername(name: string): string {
  return name.trim().toLowerCase();
}

export function isGroupList(v: unknown): v is string[] {
  return Array.isArray(v) && v.length <= 200 && v.every((g) => typeof g === 'string' && ID_RE.test(g));
}

type UserColumns = Pick<UsersTable, 'id' | 'username' | 'role' | 'groups' | 'must_change' | 'active' | 'code_expires_at'>;

function toUser(r: UserColumns): User {
  return {
    id: r.id,
    username: r.username,
    role: r.role,
    groups: JSON.parse(r.groups) as string[],
    mustChangePassword: Number(r.must_change) === 1,
    active: Number(r.active) === 1,
    codeExpiresAt: r.code_expires_at === null || r.code_expires_at === undefined ? null : Number(r.code_expires_at),
  };
}

/** What a client may see of a user. */
export function publicUser(u: User) {
  return { id: u.id, username: u.username, role: u.role, groups: u.groups, mustChangePassword: u.mustChangePassword };
}

export async function countUsers(store: Store): Promise<number> {
  const r = await store.db.selectFrom('users').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function listUsers(store: Store): Promise<User[]> {
  const rows = await store.db.selectFrom('users').selectAll().orderBy('username').execute();
  return rows.map(toUser);
}

export async function getUser(store: Store, id: string): Promise<User | undefined> {
  const r = await store.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toUser(r);
}

export async function findLogin(store: Store, username: string): Promise<{ user: User; hash: string } | undefined> {
  const r = await store.db.selectFrom('users').selectAll().where('username', '=', normaliseUsername(username)).executeTakeFirst();
  return r && { user: toUser(r), hash: r.password_hash };
}

export class UserExistsError extends Error {}

/** Creates an account with a one-time password the coördinator hands over; it must be changed at first login. */
export async function createUser(
  store: Store,
  input: { username: string; role: Role; groups?: string[] },
  now: number,
  codeTtlMs = CODE_TTL_MS,
): Promise<{ user: User; password: string }> {
  const username = normaliseUsername(input.username);
  const existing = await store.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
  if (existing) throw new UserExistsError(`Gebruikersnaam ${username} bestaat al`);
  const password = oneTimePassword();
  const row: UsersTable = {
    id: `u${randomId()}`,
    username,
    role: input.role,
    password_hash: await hashOneTimeCode(password),
    must_change: 1,
    active: 1,
    groups: JSON.stringify(input.groups ?? []),
    created_at: now,
    code_expires_at: now + codeTtlMs,
  };
  try {
    await store.db.insertInto('users').values(row).execute();
  } catch (e) {
    // Two coördinators creating the same name at once: the unique index decides.
    if (await store.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst()) {
      throw new UserExistsError(`Gebruikersnaam ${username} bestaat al`);
    }
    throw e;
  }
  return { user: toUser(row), password };
}

export async function setGroups(store: Store, id: string, groups: string[]): Promise<void> {
  await store.db.updateTable('users').set({ groups: JSON.stringify([...new Set(groups)]) }).where('id', '=', id).execute();
}

/** A new one-time password; every session of the user ends. A deactivated account stays deactivated: switching
 * it back on is a decision of its own, not a side effect of handing out a code. */
export async function resetPassword(store: Store, id: string, now: number, codeTtlMs = CODE_TTL_MS): Promise<string> {
  const password = oneTimePassword();
  const hash = await hashOneTimeCode(password);
  await store.db.updateTable('users').set({ password_hash: hash, must_change: 1, code_expires_at: now + codeTtlMs }).where('id', '=', id).execute();
  await store.db.deleteFrom('sessions').where('user_id', '=', id).execute();
  return password;
}

/** The first login with a one-time code spends it, in one statement, so two logins racing with the same code
 * (someone read it over a shoulder) cannot both get in. */
export async function spendCode(store: Store, id: string, now: number): Promise<boolean> {
  const r = await store.db
    .updateTable('users')
    .set({ code_expires_at: now })
    .where('id', '=', id)
    .where('must_change', '=', 1)
    .where('code_expires_at', '>', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Stores a stronger hash of the same password, unless it changed meanwhile. */
export async function rehash(store: Store, id: string, oldHash: string, newHash: string): Promise<void> {
  await store.db.updateTable('users').set({ password_hash: newHash }).where('id', '=', id).where('password_hash', '=', oldHash).execute();
}

/** Ends every session of one user (a lost phone): how many there were. */
export async function signOutEverywhere(store: Store, id: string): Promise<number> {
  const r = await store.db.deleteFrom('sessions').where('user_id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deactivate(store: Store, id: string): Promise<void> {
  await store.db.updateTable('users').set({ active: 0 }).where('id', '=', id).execute();
  await store.db.deleteFrom('sessions').where('user_id', '=', id).execute();
}

/** Sets a chosen password; other sessions of the user end, the current one stays. */
export async function changePassword(store: Store, id: string, password: string, keepTokenHash: string): Promise<void> {
  await store.db.updateTable('users').set({ password_hash: await hashPassword(password), must_change: 0, code_expires_at: null }).where('id', '=', id).execute();
  await store.db.deleteFrom('sessions').where('user_id', '=', id).where('token_hash', '!=', keepTokenHash).execute();
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Only SHA-256s are stored: a leaked database holds no usable session. With `bound` the session also gets a
 * session key that the phone keeps sealed under its app lock and sends with every call: the cookie alone opens
 * nothing. */
export async function createSession(store: Store, userId: string, now: number, bound = false): Promise<{ token: string; key: string | null }> {
  const token = randomBytes(32).toString('base64url');
  const key = bound ? randomBytes(32).toString('base64url') : null;
  await store.db
    .insertInto('sessions')
    .values({ token_hash: hashToken(token), user_id: userId, created_at: now, last_seen: now, key_hash: key === null ? null : hashToken(key) })
    .execute();
  return { token, key };
}

export interface SessionInfo {
  user: User;
  tokenHash: string;
  /** The session was prolonged now; the cookie should be sent again with a fresh Max-Age. */
  touched: boolean;
  /** Milliseconds left before the absolute end, for the cookie's Max-Age. */
  leftMs: number;
}

export interface SessionPolicy {
  maxMs: number;
}

/** Session and account in one statement: every API request asks this first. */
const SESSION_QUERY = `select s.last_seen, s.created_at, s.key_hash, u.id, u.username, u.role, u.groups, u.must_change, u.active, u.code_expires_at
  from sessions s left join users u on u.id = s.user_id where s.token_hash = ?`;

type SessionRow = Omit<UserColumns, 'id'> & { id: string | null; last_seen: number | string; created_at: number | string; key_hash: string | null };

/** The session of a cookie, if it lives and — when it was bound to a session key — `key` is that key. */
export async function sessionUser(store: Store, token: string, now: number, key?: string, policy: SessionPolicy = { maxMs: SESSION_MAX_MS }): Promise<SessionInfo | undefined> {
  const tokenHash = hashToken(token);
  const [s] = await store.read((q) => q.all<SessionRow>(SESSION_QUERY, [tokenHash]));
  if (!s) return undefined;
  const lastSeen = Number(s.last_seen);
  const leftMs = Number(s.created_at) + policy.maxMs - now;
  if (now - lastSeen > SESSION_IDLE_MS || leftMs <= 0) {
    await store.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    return undefined;
  }
  if (s.key_hash !== null && (key === undefined || !sameHash(hashToken(key), s.key_hash))) return undefined;
  const user = s.id === null ? undefined : toUser({ ...s, id: s.id });
  if (!user || !user.active) return undefined;
  const touched = now - lastSeen > TOUCH_MS;
  if (touched) await store.db.updateTable('sessions').set({ last_seen: now }).where('token_hash', '=', tokenHash).execute();
  return { user, tokenHash, touched, leftMs };
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function deleteSession(store: Store, tokenHash: string): Promise<void> {
  await store.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** Idle and worn-out sessions are removed now and then so the table does not grow forever. */
export async function pruneSessions(store: Store, now: number, policy: SessionPolicy = { maxMs: SESSION_MAX_MS }): Promise<void> {
  await store.db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('last_seen', '<', now - SESSION_IDLE_MS), eb('created_at', '<', now - policy.maxMs)]))
    .execute();
}
