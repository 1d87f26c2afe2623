// Users and sessions on the server: accounts, group assignment, password changes and session tokens.
import { createHash, randomBytes } from 'node:crypto';
import { randomId } from '../shared/ids';
import { ID_RE } from '../shared/schema';
import { hashPassword, oneTimePassword } from './passwords';
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
}

/** Sessions end after this long without a request. */
export const SESSION_IDLE_MS = 30 * 24 * 3600 * 1000;
/** last_seen is written at most this often, so reads do not turn into writes. */
const TOUCH_MS = 3600 * 1000;

export const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{1,39}$/;

export function normaliseUsername(name: string): string {
  return name.trim().toLowerCase();
}

export function isGroupList(v: unknown): v is string[] {
  return Array.isArray(v) && v.length <= 200 && v.every((g) => typeof g === 'string' && ID_RE.test(g));
}

type UserColumns = Pick<UsersTable, 'id' | 'username' | 'role' | 'groups' | 'must_change' | 'active'>;

function toUser(r: UserColumns): User {
  return {
    id: r.id,
    username: r.username,
    role: r.role,
    groups: JSON.parse(r.groups) as string[],
    mustChangePassword: Number(r.must_change) === 1,
    active: Number(r.active) === 1,
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
): Promise<{ user: User; password: string }> {
  const username = normaliseUsername(input.username);
  const existing = await store.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
  if (existing) throw new UserExistsError(`Gebruikersnaam ${username} bestaat al`);
  const password = oneTimePassword();
  const row: UsersTable = {
    id: `u${randomId()}`,
    username,
    role: input.role,
    password_hash: await hashPassword(password),
    must_change: 1,
    active: 1,
    groups: JSON.stringify(input.groups ?? []),
    created_at: now,
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

/** A new one-time password; every session of the user ends. */
export async function resetPassword(store: Store, id: string): Promise<string> {
  const password = oneTimePassword();
  const hash = await hashPassword(password);
  await store.db.updateTable('users').set({ password_hash: hash, must_change: 1, active: 1 }).where('id', '=', id).execute();
  await store.db.deleteFrom('sessions').where('user_id', '=', id).execute();
  return password;
}

export async function deactivate(store: Store, id: string): Promise<void> {
  await store.db.updateTable('users').set({ active: 0 }).where('id', '=', id).execute();
  await store.db.deleteFrom('sessions').where('user_id', '=', id).execute();
}

/** Sets a chosen password; other sessions of the user end, the current one stays. */
export async function changePassword(store: Store, id: string, password: string, keepTokenHash: string): Promise<void> {
  await store.db.updateTable('users').set({ password_hash: await hashPassword(password), must_change: 0 }).where('id', '=', id).execute();
  await store.db.deleteFrom('sessions').where('user_id', '=', id).where('token_hash', '!=', keepTokenHash).execute();
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Only the token's SHA-256 is stored: a leaked database holds no usable session. */
export async function createSession(store: Store, userId: string, now: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await store.db.insertInto('sessions').values({ token_hash: hashToken(token), user_id: userId, created_at: now, last_seen: now }).execute();
  return token;
}

export interface SessionInfo {
  user: User;
  tokenHash: string;
  /** The session was prolonged now; the cookie should be sent again with a fresh Max-Age. */
  touched: boolean;
}

/** Session and account in one statement: every API request asks this first. */
const SESSION_QUERY = `select s.last_seen, u.id, u.username, u.role, u.groups, u.must_change, u.active
  from sessions s left join users u on u.id = s.user_id where s.token_hash = ?`;

export async function sessionUser(store: Store, token: string, now: number): Promise<SessionInfo | undefined> {
  const tokenHash = hashToken(token);
  const [s] = await store.read((q) => q.all<Omit<UserColumns, 'id'> & { id: string | null; last_seen: number | string }>(SESSION_QUERY, [tokenHash]));
  if (!s) return undefined;
  const lastSeen = Number(s.last_seen);
  if (now - lastSeen > SESSION_IDLE_MS) {
    await store.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    return undefined;
  }
  const user = s.id === null ? undefined : toUser({ ...s, id: s.id });
  if (!user || !user.active) return undefined;
  const touched = now - lastSeen > TOUCH_MS;
  if (touched) await store.db.updateTable('sessions').set({ last_seen: now }).where('token_hash', '=', tokenHash).execute();
  return { user, tokenHash, touched };
}

export async function deleteSession(store: Store, tokenHash: string): Promise<void> {
  await store.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** Idle sessions are removed now and then so the table does not grow forever. */
export async function pruneSessions(store: Store, now: number): Promise<void> {
  await store.db.deleteFrom('sessions').where('last_seen', '<', now - SESSION_IDLE_MS).execute();
}
