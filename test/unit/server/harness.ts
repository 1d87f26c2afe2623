// Test harness for the server: the app on a fresh SQLite file or PostgreSQL database, a settable clock, and logged-in clients.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPostgresDatabase } from '../../../test-setup/postgres';
import { createApp } from '../../../src/server/app';
import { openStore, type Store } from '../../../src/server/store';
import { createUser, type Role } from '../../../src/server/users';
import { formatHlc } from '../../../src/shared/hlc';
import type { Change, SyncResponse } from '../../../src/shared/schema';

export const DIALECTS = ['sqlite', 'postgres'] as const;
export type Kind = (typeof DIALECTS)[number];

export const T0 = Date.UTC(2026, 2, 1, 10, 0, 0);

export interface Client {
  cookie: string;
  userId: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  sync(deviceId: string, cursor: string, changes: Change[]): Promise<SyncResponse>;
}

export interface Harness {
  store: Store;
  app: ReturnType<typeof createApp>;
  /** The PostgreSQL database (undefined on SQLite), for a second server process on the same data. */
  databaseUrl?: string;
  /** The SQLite folder (undefined on PostgreSQL). */
  dataDir?: string;
  clock: { now: number };
  logs: unknown[][];
  request(method: string, path: string, opts?: { body?: unknown; raw?: string; headers?: Record<string, string>; host?: string }): Promise<Response>;
  /** A new user (unique name) logged in as a client. */
  user(role: Role, groups?: string[]): Promise<Client>;
  /** The newest version handed out: a cursor that skips everything stored so far. */
  head(): Promise<string>;
  /** Every stored record, for "nothing changed" checks. */
  snapshot(): Promise<unknown[]>;
  close(): Promise<void>;
}

let seq = 0;
export const uniq = (p: string) => `${p}${++seq}x${Math.random().toString(36).slice(2, 6)}`;

export async function harness(kind: Kind): Promise<Harness> {
  let dir: string | undefined;
  let databaseUrl: string | undefined;
  let store: Store;
  if (kind === 'sqlite') {
    dir = mkdtempSync(join(tmpdir(), 'lk-sqlite-'));
    store = openStore({ dataDir: dir });
  } else {
    databaseUrl = await freshPostgresDatabase();
    store = openStore({ databaseUrl });
  }
  await store.migrate();
  const clock = { now: T0 };
  const logs: unknown[][] = [];
  const app = createApp({ store, now: () => clock.now, log: (...a) => logs.push(a) });

  const request: Harness['request'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-lk': '1', ...opts.headers };
    for (const [k, v] of Object.entries(headers)) if (v === '') delete headers[k];
    const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    return app.fetch(new Request(`http://${opts.host ?? 'localhost'}${path}`, { method, headers, body }));
  };

  return {
    store,
    app,
    databaseUrl,
    dataDir: dir,
    clock,
    logs,
    request,
    async user(role, groups = []) {
      const { user, password } = await createUser(store, { username: uniq(role.slice(0, 5)), role, groups }, clock.now);
      await ownPassword(store, user.id);
      const res = await request('POST', '/api/auth/login', { body: { username: user.username, password } });
      if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
      const cookie = res.headers.get('set-cookie')!.split(';')[0];
      const call: Client['call'] = (method, path, body, headers = {}) => request(method, path, { body, headers: { cookie, ...headers } });
      return {
        cookie,
        userId: user.id,
        call,
        async sync(deviceId, cursor, changes) {
          const res = await call('POST', '/api/sync', { deviceId, cursor, changes });
          if (res.status !== 200) throw new Error(`sync failed: ${res.status} ${await res.text()}`);
          return (await res.json()) as SyncResponse;
        },
      };
    },
    async head() {
      const r = await store.db.selectFrom('counters').select('value').where('name', '=', 'version').executeTakeFirstOrThrow();
      return String(Number(r.value));
    },
    async snapshot() {
      const rows = await store.db.selectFrom('records').selectAll().orderBy('tbl').orderBy('id').execute();
      const devices = await store.db.selectFrom('devices').selectAll().orderBy('device_id').execute();
      return [rows.map((r) => ({ ...r, version: Number(r.version) })), devices.map((d) => ({ ...d, last_mid: Number(d.last_mid), updated_at: Number(d.updated_at) }))];
    },
    async close() {
      await store.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Routes that answer nothing themselves (headers, auth guards): every per-route test leaves them out. */
export const MIDDLEWARE_ROUTES: ReadonlySet<string> = new Set(['ALL /*', 'ALL /api/users', 'ALL /api/users/*']);
/** The built PWA (when the server has a dist/ folder): public by design, tested on its own. */
export const STATIC_ROUTES: ReadonlySet<string> = new Set(['GET /*', 'HEAD /*']);

/** Every route of an app as "METHOD path", once each. */
export function routeKeys(app: { routes: readonly { method: string; path: string }[] }): string[] {
  return [...new Set(app.routes.map((r) => `${r.method} ${r.path}`))];
}

/** The store's tables (without the migration bookkeeping), for "nothing stored changed" snapshots. */
export async function tableNames(store: Store): Promise<string[]> {
  return (await store.db.introspection.getTables()).map((t) => t.name).filter((n) => !n.startsWith('lk_migrations')).sort();
}

/** As if the person had swapped the one-time code for a password of their own: the server serves nothing else until then. */
export async function ownPassword(store: Store, userId: string): Promise<void> {
  await store.db.updateTable('users').set({ must_change: 0 }).where('id', '=', userId).execute();
}

/** A change as a phone sends it, stamped at `at` by `device`. */
export function change(
  mid: number,
  table: Change['table'],
  id: string,
  groupId: string | null,
  values: Record<string, unknown>,
  opts: { at?: number; device?: string; counter?: number; deleted?: boolean } = {},
): Change {
  return {
    mid,
    table,
    id,
    groupId,
    values,
    hlc: formatHlc(opts.at ?? T0, opts.counter ?? 0, opts.device ?? 'dev'),
    ...(opts.deleted ? { deleted: true } : {}),
  };
}
