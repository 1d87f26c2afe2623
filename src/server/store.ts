// The server's storage: one Kysely database on SQLite (default) or PostgreSQL (DATABASE_URL), its migrations and transactions.
import { accessSync, constants, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Generated,
  type Migration,
} from 'kysely';

export interface RecordsTable {
  tbl: string;
  id: string;
  group_id: string | null;
  /** Field values as JSON; `{}` once the record is a tombstone. */
  data: string;
  /** Per-field HLCs as JSON. */
  hlcs: string;
  /** The tombstone HLC, or null while the record lives. */
  deleted: string | null;
  version: number | string;
}

export interface UsersTable {
  id: string;
  username: string;
  role: 'coordinator' | 'begeleider';
  password_hash: string;
  must_change: number;
  active: number;
  /** Group ids this user may see and write, as a JSON array. */
  groups: string;
  created_at: number | string;
  /** Until when the one-time code (must_change = 1) may open a session; its first login spends it. */
  code_expires_at: number | string | null;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: number | string;
  last_seen: number | string;
  /** SHA-256 of the session key the phone must send with every call (x-lk-key); null for a cookie-only session
   * (an app from before session keys). */
  key_hash?: string | null;
}

/** Login attempt counters, shared by every server process (see auth.ts). */
export interface LoginLimitsTable {
  key: string;
  count: number | string;
  last_at: number | string;
  blocked_until: number | string;
  /** The audit entry that aggregates this window's failures for unknown names. */
  ref: string | null;
}

/** Phones that logged in before: a correct password from one passes the account's slowdown (auth.ts). */
export interface KnownDevicesTable {
  token_hash: string;
  user_id: string;
  created_at: number | string;
}

export interface DevicesTable {
  device_id: string;
  last_mid: number | string;
  user_id: string;
  updated_at: number | string;
}

export interface ErasedTable {
  tbl: string;
  id: string;
  group_id: string | null;
  version: number | string;
  erased_at: number | string;
}

export interface CountersTable {
  name: string;
  value: number | string;
}

/** One audit log entry: ids and counts only, never names or note text (see audit.ts). */
export interface AuditTable {
  id: Generated<number | string>;
  at: number | string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target: string | null;
  /** JSON object of ids and counts. */
  detail: string;
}

/** A change refused for good, kept so a resend of the same mid (its answer lost) gets the same refusal. */
export interface RefusalsTable {
  device_id: string;
  mid: number | string;
  tbl: string;
  id: string;
  reason: string;
  at: number | string;
}

/** What one account stored on one day (Amsterdam date), counted in the database so every server process sees it. */
export interface QuotasTable {
  user_id: string;
  day: string;
  rows: number | string;
  bytes: number | string;
}

/** The account whose push created a record (notes): a begeleider may delete only what they wrote. */
export interface AuthorsTable {
  tbl: string;
  id: string;
  user_id: string;
}

export interface DB {
  records: RecordsTable;
  refusals: RefusalsTable;
  quotas: QuotasTable;
  authors: AuthorsTable;
  users: UsersTable;
  sessions: SessionsTable;
  devices: DevicesTable;
  erased: ErasedTable;
  counters: CountersTable;
  audit: AuditTable;
  login_limits: LoginLimitsTable;
  known_devices: KnownDevicesTable;
}

export type Dialect = 'sqlite' | 'postgres';

/** Plain SQL on one connection, `?` placeholders on both databases: the sync hot path skips Kysely's query
 * building and compiling, which cost more than SQLite running the query. */
export interface Sql {
  dialect: Dialect;
  all<T>(text: string, params?: readonly unknown[]): Promise<T[]>;
  run(text: string, params?: readonly unknown[]): Promise<void>;
}

export interface Store {
  db: Kysely<DB>;
  dialect: Dialect;
  migrate(): Promise<void>;
  /** Runs `fn` in one writing transaction. Writers are serialised (SQLite: BEGIN IMMEDIATE; PostgreSQL: the
   * version counter row is locked first), so versions handed out inside become visible in their order. */
  write<T>(fn: (tx: Kysely<DB>, nextVersion: () => number, sql: Sql) => Promise<T>): Promise<T>;
  /** Runs `fn` with plain SQL outside a transaction (SQLite: holding the one connection, so no other request's
   * open transaction can interleave with these statements). */
  read<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  /** After an erasure: pushes old copies of rows out of the places a database keeps them (SQLite's WAL file,
   * PostgreSQL's dead row versions), so erased values are not left on disk. */
  scrub(): Promise<void>;
  close(): Promise<void>;
}

const bigint = (d: Dialect) => (d === 'postgres' ? 'bigint' : 'integer');

function migrations(d: Dialect): Record<string, Migration> {
  return {
    '001-initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('records')
          .addColumn('tbl', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('group_id', 'text')
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('hlcs', 'text', (c) => c.notNull())
          .addColumn('deleted', 'text')
          .addColumn('version', bigint(d), (c) => c.notNull())
          .addPrimaryKeyConstraint('records_pk', ['tbl', 'id'])
          .execute();
        await db.schema.createIndex('records_group_version').on('records').columns(['group_id', 'version']).execute();
        await db.schema.createIndex('records_version').on('records').column('version').execute();

        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('username', 'text', (c) => c.notNull().unique())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('must_change', 'integer', (c) => c.notNull())
          .addColumn('active', 'integer', (c) => c.notNull())
          .addColumn('groups', 'text', (c) => c.notNull())
          .addColumn('created_at', bigint(d), (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('sessions')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('created_at', bigint(d), (c) => c.notNull())
          .addColumn('last_seen', bigint(d), (c) => c.notNull())
          .execute();
        await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

        await db.schema
          .createTable('devices')
          .addColumn('device_id', 'text', (c) => c.primaryKey())
          .addColumn('last_mid', bigint(d), (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('updated_at', bigint(d), (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('erased')
          .addColumn('tbl', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('group_id', 'text')
          .addColumn('version', bigint(d), (c) => c.notNull())
          .addColumn('erased_at', bigint(d), (c) => c.notNull())
          .addPrimaryKeyConstraint('erased_pk', ['tbl', 'id'])
          .execute();
        await db.schema.createIndex('erased_version').on('erased').column('version').execute();

        await db.schema
          .createTable('counters')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('value', bigint(d), (c) => c.notNull())
          .execute();
        await sql`insert into counters (name, value) values ('version', 0)`.execute(db);
      },
    },
    '002-audit': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('audit')
          // The id orders entries and pages the log (newest first), so it must grow with every insert.
          .addColumn('id', d === 'postgres' ? 'bigserial' : 'integer', (c) => (d === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('at', bigint(d), (c) => c.notNull())
          .addColumn('actor_id', 'text')
          .addColumn('actor_name', 'text')
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('target', 'text')
          .addColumn('detail', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '003-sync-integrity': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('refusals')
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addColumn('mid', bigint(d), (c) => c.notNull())
          .addColumn('tbl', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('at', bigint(d), (c) => c.notNull())
          .addPrimaryKeyConstraint('refusals_pk', ['device_id', 'mid'])
          .execute();
        await db.schema
          .createTable('quotas')
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('day', 'text', (c) => c.notNull())
          .addColumn('rows', bigint(d), (c) => c.notNull())
          .addColumn('bytes', bigint(d), (c) => c.notNull())
          .addPrimaryKeyConstraint('quotas_pk', ['user_id', 'day'])
          .execute();
        await db.schema
          .createTable('authors')
          .addColumn('tbl', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('authors_pk', ['tbl', 'id'])
          .execute();
      },
    },
    '004-sessions-limits': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('sessions').addColumn('key_hash', 'text').execute();
        await db.schema.alterTable('users').addColumn('code_expires_at', bigint(d)).execute();
        // Codes handed out before they could expire get the usual week from now.
        await sql`update users set code_expires_at = ${Date.now() + 7 * 24 * 3600 * 1000} where must_change = 1`.execute(db);
        await db.schema
          .createTable('login_limits')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('count', bigint(d), (c) => c.notNull())
          .addColumn('last_at', bigint(d), (c) => c.notNull())
          .addColumn('blocked_until', bigint(d), (c) => c.notNull())
          .addColumn('ref', 'text')
          .execute();
        await db.schema
          .createTable('known_devices')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('created_at', bigint(d), (c) => c.notNull())
          .execute();
        await db.schema.createIndex('known_devices_user').on('known_devices').column('user_id').execute();
      },
    },
  };
}

export interface StoreOptions {
  /** postgres://… — when set, PostgreSQL is used instead of SQLite. */
  databaseUrl?: string;
  /** Folder for the SQLite file (default ./data). */
  dataDir?: string;
}

/** SQLite's and the OS's words for "no room" or "not writable", and PostgreSQL's (disk_full, out of memory for
 * files, read-only transaction or standby): the request is answered 503 and the next one tries again. */
const FULL_CODES = new Set(['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED', 'SQLITE_IOERR_WRITE', 'SQLITE_CANTOPEN', 'ENOSPC', 'EROFS', 'EDQUOT', '53100', '53000', '25006']);

export function isStorageFull(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && FULL_CODES.has(code)) return true;
  }
  return false;
}

export class NotWritableError extends Error {}

/** Fails with a sentence in Dutch and English when the data folder (or the database file in it) cannot be
 * written: better to refuse to start than to answer every login with an error. */
export function checkWritable(dataDir: string): void {
  const dir = resolve(dataDir);
  const say = (why: string) =>
    new NotWritableError(
      `De gegevensmap ${dir} is niet beschrijfbaar (${why}). Maak de map beschrijfbaar voor deze gebruiker of kies een andere met DATA_DIR.\n` +
        `The data folder ${dir} is not writable (${why}). Make it writable for this user or choose another one with DATA_DIR.`,
    );
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, `.schrijftest-${process.pid}`);
    writeFileSync(probe, 'x');
    rmSync(probe);
    for (const f of ['luisterkring.sqlite', 'luisterkring.sqlite-wal', 'luisterkring.sqlite-shm']) {
      try {
        accessSync(join(dir, f), constants.W_OK);
      } catch (e) {
        if ((e as { code?: string }).code !== 'ENOENT') throw e;
      }
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw say(code === 'ENOSPC' ? 'de schijf is vol / the disk is full' : (code ?? String(e)));
  }
}

export function openStore(opts: StoreOptions = {}): Store {
  if (opts.databaseUrl) return postgresStore(opts.databaseUrl);
  return sqliteStore(opts.dataDir ?? './data');
}

function sqliteStore(dataDir: string): Store {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const file = new Database(join(dir, 'luisterkring.sqlite'));
  file.pragma('journal_mode = WAL');
  file.pragma('synchronous = NORMAL');
  file.pragma('busy_timeout = 5000');
  // Erased values must not linger in free pages of the file (AVG).
  file.pragma('secure_delete = ON');
  // Kysely prepares every query anew; preparing costs more than running our small queries, so keep them.
  const statements = new Map<string, Database.Statement>();
  const database = {
    close: () => file.close(),
    prepare(query: string) {
      let stmt = statements.get(query);
      if (!stmt) {
        // Lists of ids make many distinct texts; start over rather than grow without bound.
        if (statements.size >= 1000) statements.clear();
        stmt = file.prepare(query);
        statements.set(query, stmt);
      }
      return stmt;
    },
  };
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database }) });
  // Only used while Kysely's connection mutex is held (store.read / store.write), like Kysely's own queries.
  const raw: Sql = {
    dialect: 'sqlite',
    async all<T>(text: string, params: readonly unknown[] = []) {
      return database.prepare(text).all(...params) as T[];
    },
    async run(text: string, params: readonly unknown[] = []) {
      database.prepare(text).run(...params);
    },
  };
  return makeStore(db, 'sqlite', 'begin immediate', (fn) => db.connection().execute(() => fn(raw)), (fn) => db.connection().execute((conn) => fn(conn, raw)));
}

/** `?` → `$1, $2, …`, once per text. */
const pgTexts = new Map<string, string>();
function pgText(text: string): string {
  let out = pgTexts.get(text);
  if (out === undefined) {
    let n = 0;
    out = text.replace(/\?/g, () => `$${++n}`);
    if (pgTexts.size >= 1000) pgTexts.clear();
    pgTexts.set(text, out);
  }
  return out;
}

/** Statement names per text. Never cleared: a name must always mean the same text, and the texts come from a
 * fixed set of templates. */
const pgNames = new Map<string, string>();

/** Plain SQL as named statements, so each connection parses a text once instead of per request. */
function pgNamedSql(run: (config: pg.QueryConfig) => Promise<pg.QueryResult>): Sql {
  const query = (text: string, params: readonly unknown[]) => {
    const t = pgText(text);
    let name = pgNames.get(t);
    if (name === undefined) pgNames.set(t, (name = `lk${pgNames.size}`));
    return run({ name, text: t, values: [...params] });
  };
  return {
    dialect: 'postgres',
    async all<T>(text: string, params: readonly unknown[] = []) {
      return (await query(text, params)).rows as T[];
    },
    async run(text: string, params: readonly unknown[] = []) {
      await query(text, params);
    },
  };
}

function postgresStore(url: string): Store {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // A broken idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  // Reads go to the pool statement by statement, so independent ones can run on several connections at once.
  const reads = pgNamedSql((config) => pool.query(config));
  return makeStore(db, 'postgres', 'begin', (fn) => fn(reads), async (fn) => {
    // Kysely hides its connection's client, so a transaction takes a client itself and gives callers a Kysely bound
    // to just that client, while the hot path's statements stay named on the same client.
    const client = await pool.connect();
    try {
      const single = { connect: async () => ({ query: client.query.bind(client), release() {} }), end: async () => {} };
      const tx = new Kysely<DB>({ dialect: new PostgresDialect({ pool: single as unknown as pg.Pool }) });
      return await fn(tx, pgNamedSql((config) => client.query(config)));
    } finally {
      client.release();
    }
  });
}

function makeStore(
  db: Kysely<DB>,
  dialect: Dialect,
  begin: string,
  read: <T>(fn: (sql: Sql) => Promise<T>) => Promise<T>,
  /** Runs `fn` on one connection held for it alone. */
  pinned: <T>(fn: (conn: Kysely<DB>, sql: Sql) => Promise<T>) => Promise<T>,
): Store {
  return {
    db,
    dialect,
    read,
    async migrate() {
      const migrator = new Migrator({
        db,
        provider: { getMigrations: async () => migrations(dialect) },
        migrationTableName: 'lk_migrations',
        migrationLockTableName: 'lk_migrations_lock',
      });
      const { error } = await migrator.migrateToLatest();
      if (error) throw error;
    },
    write(fn) {
      // One pinned connection with an explicit BEGIN: Kysely's own transaction() cannot issue BEGIN IMMEDIATE.
      return pinned(async (conn, q) => {
        await q.run(begin);
        try {
          const [row] = await q.all<{ value: number | string }>(`update counters set value = value where name = 'version' returning value`);
          let version = Number(row.value);
          const start = version;
          const result = await fn(conn, () => ++version, q);
          if (version !== start) await q.run(`update counters set value = ? where name = 'version'`, [version]);
          await q.run('commit');
          return result;
        } catch (e) {
          await q.run('rollback').catch(() => {});
          throw e;
        }
      });
    },
    async scrub() {
      if (dialect === 'sqlite') await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
      else await sql`vacuum records`.execute(db);
    },
    close: () => db.destroy(),
  };
}
