// Sync server benchmarks (docs/design.md §6): first sync of a new device, incremental pull at 10 k vs 1 M rows, 50-device load on SQLite and PostgreSQL, PouchDB side by side.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import PouchDB from 'pouchdb-core';
import pouchHttp from 'pouchdb-adapter-http';
import pouchIdb from 'pouchdb-adapter-idb';
import pouchMemory from 'pouchdb-adapter-memory';
import pouchReplication from 'pouchdb-replication';
import { demoOrganisation, type DemoRecord } from '../src/shared/demo';
import { formatHlc } from '../src/shared/hlc';
import { attendanceId, randomId, roundId } from '../src/shared/ids';
import { MAX_BATCH, type Change, type RemoteRow, type SyncResponse } from '../src/shared/schema';
import { openStore, type Store } from '../src/server/store';
import { PAGE_SIZE, push, sync, type Actor } from '../src/server/sync';
import { SESSION_COOKIE } from '../src/server/auth';
import { hashPassword } from '../src/server/passwords';
import { createSession, createUser } from '../src/server/users';
import { freshPostgresDatabase } from '../test-setup/postgres';
import type { BenchResult } from './run';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** Nearest-rank percentile of an ascending list. */
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
const ms = (x: number) => Math.round(x * 10) / 10;
const NOISE = 'shared 2-core machine: other work running beside the benchmark makes these figures noisy';

// ---------------------------------------------------------------------------------------------------------------
// The organisation: four demo organisations side by side (32 groups), each over two years.

const COPIES = 4;
const YEARS = [2024, 2025];
/** The begeleider whose new phone syncs: two fortnightly groups, the busiest kind. */
const MY_GROUPS = ['gdemo1x1', 'gdemo1x2'];

/** Ids made unique per copy (groups) and per copy and year (people, stories, person links); groups and locations
 * carry on into the second year, as they do in a real organisation. */
function organisation(): DemoRecord[] {
  const out: DemoRecord[] = [];
  for (let k = 1; k <= COPIES; k++) {
    for (const year of YEARS) {
      const tag = `${k}y${year}x`;
      for (const r of demoOrganisation(k, { year }).records) {
        const text = JSON.stringify(r).replace(/\b([gpsh])demo(\d+)/g, (_, kind: string, n: string) => (kind === 'g' ? `gdemo${k}x${n}` : `${kind}demo${tag}${n}`));
        out.push(JSON.parse(text) as DemoRecord);
      }
    }
  }
  return out;
}

async function head(store: Store): Promise<number> {
  const r = await store.db.selectFrom('counters').select('value').where('name', '=', 'version').executeTakeFirstOrThrow();
  return Number(r.value);
}

/** Writes the records through the server's own sync path as a coördinator's device, so every row gets a real version. */
async function seed(store: Store, records: DemoRecord[], now: number): Promise<void> {
  const actor: Actor = { id: 'ubenchseed', role: 'coordinator', groups: [] };
  const changes: Change[] = records.map((r, i) => ({
    mid: i + 1,
    table: r.table,
    id: r.id,
    groupId: r.groupId,
    values: r.values as Record<string, unknown>,
    hlc: formatHlc(now, i, 'bench-seed'),
  }));
  for (let i = 0; i < changes.length; i += MAX_BATCH) {
    // The cursor at the head keeps the answer to what this batch wrote: the seeding device needs nothing back.
    const res = await sync(store, actor, { deviceId: 'bench-seed', cursor: String(await head(store)), changes: changes.slice(i, i + MAX_BATCH) }, now);
    if (res.rejected.length) throw new Error(`testgegevens geweigerd: ${res.rejected[0].reason}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The real server (src/server/main.ts) in its own process, so it has a core of its own as it would in production.

interface Running {
  url: string;
  /** CPU time the process has used so far in ms (Linux /proc), or null where that cannot be read. */
  cpuMs(): number | null;
  stop(): Promise<void>;
}

/** utime + stime of a process; /proc counts in clock ticks of 10 ms on Linux. */
function processCpuMs(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** CPU time so far of the PostgreSQL backends serving one database (their title names it), or null off Linux. */
function backendsCpuMs(database: string): number | null {
  try {
    let total = 0;
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (title.startsWith('postgres: ') && title.split(' ').includes(database)) total += processCpuMs(Number(pid)) ?? 0;
    }
    return total;
  } catch {
    return null;
  }
}

function startProcess(args: string[], env: Record<string, string>, ready: RegExp, what: string): Promise<Running> {
  // BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the child, which NODE_OPTIONS cannot.
  const extra = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child: ChildProcess = spawn(process.execPath, [...extra, '--import', 'tsx', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  let output = '';
  let started = false;
  // Both pipes are read to the end: a pipe nobody reads fills up and stalls the child.
  const keep = (b: Buffer) => (output = (output + b.toString()).slice(-4000));
  child.stderr?.on('data', keep);
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`${what} startte niet binnen 60 s: ${output.slice(-300)}`));
    }, 60_000);
    child.stdout?.on('data', (b: Buffer) => {
      keep(b);
      const m = started ? null : ready.exec(output);
      if (!m) return;
      started = true;
      clearTimeout(timer);
      ok({
        url: m[1],
        cpuMs: () => processCpuMs(child.pid),
        async stop() {
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          await exited;
          clearTimeout(killer);
        },
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${what} stopte meteen (code ${code}): ${output.slice(-300)}`));
    });
  });
}

function startServer(dataDir: string, databaseUrl?: string): Promise<Running> {
  return startProcess(
    ['src/server/main.ts'],
    { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', TRUST_PROXY: '' },
    /luistert op (http:\/\/127\.0\.0\.1:\d+)/,
    'de server',
  );
}

async function login(base: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-lk': '1' },
    body: JSON.stringify({ username, password }),
  });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!res.ok || !cookie) throw new Error(`inloggen als ${username} mislukt: HTTP ${res.status}`);
  return cookie;
}

async function postSync(base: string, cookie: string, body: { deviceId: string; cursor: string; changes: Change[] }): Promise<SyncResponse> {
  const res = await fetch(`${base}/api/sync`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-lk': '1', cookie },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`sync: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  return (await res.json()) as SyncResponse;
}

// ---------------------------------------------------------------------------------------------------------------
// 1. A new device's first sync.

const FIRST_RUNS = 7;

/** Dexie picks up the global IndexedDB when it loads, so fake-indexeddb goes global first and the client side
 * (src/data, src/sync) is imported only after this. */
async function installFakeIndexedDb(): Promise<void> {
  const { indexedDB, IDBKeyRange } = await import('fake-indexeddb');
  Object.assign(globalThis, { indexedDB, IDBKeyRange });
}

/** The real server on a seeded organisation, a logged-in begeleider of two groups, and two ways to sync a new device. */
interface FirstSyncRig {
  storedRows: number;
  /** What a new device of this begeleider receives. */
  rows: RemoteRow[];
  pages: number;
  /** One full paged pull over HTTP, nothing stored: milliseconds. */
  network(): Promise<number>;
  /** One full sync by the app's engine (src/sync) into a fresh Dexie database on fake-indexeddb: milliseconds. */
  endToEnd(): Promise<number>;
  stop(): Promise<void>;
}

async function firstSyncRig(): Promise<FirstSyncRig> {
  const dir = mkdtempSync(join(tmpdir(), 'lk-bench-first-'));
  let server: Running | undefined;
  try {
    const now = Date.now();
    const store = openStore({ dataDir: dir });
    await store.migrate();
    await seed(store, organisation(), now);
    const { user, password } = await createUser(store, { username: 'bench-begeleider', role: 'begeleider', groups: MY_GROUPS }, now);
    // As after her first login: the one-time code has been swapped for her own password.
    await store.db.updateTable('users').set({ must_change: 0 }).where('id', '=', user.id).execute();
    const storedRows = await head(store);
    await store.close();
    const running = (server = await startServer(dir));
    const base = running.url;
    const cookie = await login(base, user.username, password);

    const pullAll = async () => {
      const got: RemoteRow[] = [];
      let cursor = '0';
      let pages = 0;
      for (let more = true; more; pages++) {
        const res = await postSync(base, cookie, { deviceId: `dnew${randomId()}`, cursor, changes: [] });
        got.push(...res.changes);
        cursor = res.cursor;
        more = res.more;
      }
      return { rows: got, pages };
    };
    // The first pull warms the server's statement and page caches, as a running server has them warm.
    const { rows, pages } = await pullAll();

    await installFakeIndexedDb();
    const { LkDb } = await import('../src/data/db');
    const { syncOnce } = await import('../src/sync/engine');
    const transport = {
      baseUrl: base,
      // Node's fetch keeps no cookies; the browser would send the session cookie by itself.
      fetch: (input: string, init?: RequestInit) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie } }),
    };
    const endToEnd = async () => {
      const d = new LkDb(`lk-bench-first-${randomId()}`);
      await d.open();
      const t0 = performance.now();
      const outcome = await syncOnce({ db: d, ...transport });
      const t = performance.now() - t0;
      d.close();
      await d.delete();
      if (outcome.kind !== 'ok') throw new Error(`eerste sync via de sync-engine mislukt: ${JSON.stringify(outcome)}`);
      if (outcome.pulled !== rows.length) throw new Error(`sync-engine haalde ${outcome.pulled} rijen op, het netwerk ${rows.length}`);
      return t;
    };
    await endToEnd();
    return {
      storedRows,
      rows,
      pages,
      async network() {
        const t0 = performance.now();
        await pullAll();
        return performance.now() - t0;
      },
      endToEnd,
      async stop() {
        await running.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

const spread = (xs: number[]) => `median of ${xs.length} (min ${ms(Math.min(...xs))}, max ${ms(Math.max(...xs))} ms)`;

export async function benchFirstSync(): Promise<BenchResult[]> {
  const rig = await firstSyncRig();
  try {
    const network: number[] = [];
    const endToEnd: number[] = [];
    for (let run = 0; run < FIRST_RUNS; run++) {
      network.push(await rig.network());
      endToEnd.push(await rig.endToEnd());
    }
    const what = `${rig.rows.length} rows of 2 groups × 2 years, ${rig.pages} pages of ≤ ${PAGE_SIZE}; server holds ${rig.storedRows} rows of ${COPIES * 8} groups (SQLite)`;
    return [
      {
        name: 'first sync of a new device, network only (POST /api/sync until done)',
        value: ms(median(network)),
        unit: 'ms',
        budget: 1000,
        note: `${what}; ${spread(network)}; real server process (src/server/main.ts) over loopback; ${NOISE}`,
      },
      {
        name: 'first sync of a new device, end to end (sync engine into Dexie)',
        value: ms(median(endToEnd)),
        unit: 'ms',
        budget: 1000,
        note: `src/sync syncOnce + applyRemote into fake-indexeddb (pure JS, stands in for a phone's IndexedDB); ${spread(endToEnd)}`,
      },
    ];
  } finally {
    await rig.stop();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 2. An incremental pull of 100 changes over 10 k and over 1 M stored rows.

const SCALES = [10_000, 1_000_000];
const BULK_GROUPS = 200;
const TAIL_MINE = 100;
const TAIL_OTHERS = 900;
const PULL_RUNS = 300;
const BULK_MINE = ['gbulk0', 'gbulk1'];

/** The fast path straight into the file: one transaction, one prepared statement, versions after the current head.
 * Rows are attendance (most of a real organisation's rows) spread over 200 groups. */
function bulkInsert(file: string, from: number, count: number): void {
  const db = new Database(file);
  try {
    db.pragma('synchronous = OFF');
    // A large page cache keeps the three indexes in memory while a million rows go in.
    db.pragma('cache_size = -262144');
    const start = Number((db.prepare(`select value from counters where name = 'version'`).get() as { value: number }).value);
    const insert = db.prepare('insert into records (tbl, id, group_id, data, hlcs, deleted, version) values (?, ?, ?, ?, ?, null, ?)');
    const hlc = formatHlc(Date.UTC(2025, 0, 1), 0, 'dbulk');
    const hlcs = JSON.stringify({ roundId: hlc, participantId: hlc, present: hlc });
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const n = from + i;
        const g = `gbulk${n % BULK_GROUPS}`;
        const day = Math.floor(n / BULK_GROUPS / 10);
        const r = roundId(g, new Date(Date.UTC(2000, 0, 1) + day * 86_400_000).toISOString().slice(0, 10));
        const p = `pbulk${n}`;
        insert.run('attendance', attendanceId(r, p), g, JSON.stringify({ roundId: r, participantId: p, present: true }), hlcs, start + i + 1);
      }
      db.prepare(`update counters set value = ? where name = 'version'`).run(start + count);
    })();
  } finally {
    db.close();
  }
}

/** The newest changes, through the real write path: 100 in my groups among 900 elsewhere, as other phones write meanwhile. */
async function writeTail(store: Store, scale: number, now: number): Promise<void> {
  const actor: Actor = { id: 'ubenchtail', role: 'coordinator', groups: [] };
  const changes: Change[] = [];
  for (let i = 0; i < TAIL_MINE + TAIL_OTHERS; i++) {
    const mine = i % 10 === 0;
    const g = mine ? BULK_MINE[(i / 10) % 2] : `gbulk${2 + (i % (BULK_GROUPS - 2))}`;
    // Participants: attendance would need its round and person stored first, which would add rows to the tail.
    const p = `ptail${scale}x${i}`;
    changes.push({ mid: changes.length + 1, table: 'participants', id: p, groupId: g, values: { name: `Tail ${i}` }, hlc: formatHlc(now, i, `dtail${scale}`) });
  }
  for (let i = 0; i < changes.length; i += MAX_BATCH) {
    await sync(store, actor, { deviceId: `dtail${scale}`, cursor: String(await head(store)), changes: changes.slice(i, i + MAX_BATCH) }, now);
  }
}

interface Scaled {
  scale: number;
  store: Store;
  dir: string;
  file: string;
  bulkMs: number;
  /** The head before the last 1,000 changes: the begeleider's device last synced there. */
  before: number;
  head: number;
}

async function scaledStore(scale: number, now: number): Promise<Scaled> {
  const dir = mkdtempSync(join(tmpdir(), `lk-bench-incr-${scale}-`));
  const store = openStore({ dataDir: dir });
  await store.migrate();
  const file = join(dir, 'luisterkring.sqlite');
  const t0 = performance.now();
  bulkInsert(file, 0, scale - TAIL_MINE - TAIL_OTHERS);
  const bulkMs = performance.now() - t0;
  const before = await head(store);
  await writeTail(store, scale, now);
  return { scale, store, dir, file, bulkMs, before, head: await head(store) };
}

export async function benchIncremental(): Promise<BenchResult[]> {
  const now = Date.now();
  const scaled: Scaled[] = [];
  try {
    for (const scale of SCALES) scaled.push(await scaledStore(scale, now));
    const [small, big] = scaled;
    const actors = {
      mine: { actor: { id: 'ubenchbeg', role: 'begeleider', groups: BULK_MINE } as Actor, cursor: (s: Scaled) => s.before },
      all: { actor: { id: 'ubenchcoo', role: 'coordinator', groups: [] } as Actor, cursor: (s: Scaled) => s.head - TAIL_MINE },
    };
    type Who = keyof typeof actors;
    const pull = (s: Scaled, who: Who) => sync(s.store, actors[who].actor, { deviceId: 'dpull', cursor: String(actors[who].cursor(s)), changes: [] }, now);
    const rows = new Map<string, number>();
    const times = new Map<string, number[]>();
    for (const s of scaled) {
      for (const who of ['mine', 'all'] as const) {
        rows.set(`${s.scale}${who}`, (await pull(s, who)).changes.length);
        times.set(`${s.scale}${who}`, []);
      }
    }
    // Both sizes take turns, so warm-up and the machine's other work weigh on them alike.
    for (let i = -20; i < PULL_RUNS; i++) {
      for (const s of scaled) {
        for (const who of ['mine', 'all'] as const) {
          const t0 = performance.now();
          await pull(s, who);
          if (i >= 0) times.get(`${s.scale}${who}`)!.push(performance.now() - t0);
        }
      }
    }
    const wal = statSync(`${big.file}-wal`, { throwIfNoEntry: false });
    const size = statSync(big.file).size + (wal?.size ?? 0);
    const line = (label: string, who: Who): BenchResult => {
      const [a, b] = [median(times.get(`${small.scale}${who}`)!), median(times.get(`${big.scale}${who}`)!)];
      return {
        name: `incremental pull of 100 changes (${label}), 1 M ÷ 10 k stored rows`,
        value: Math.round((b / a) * 100) / 100,
        unit: '×',
        budget: 1.5,
        note:
          `medians ${a.toFixed(3)} ms at 10 k, ${b.toFixed(3)} ms at 1 M (${PULL_RUNS} pulls each, interleaved; ` +
          `${rows.get(`${small.scale}${who}`)}/${rows.get(`${big.scale}${who}`)} rows returned); in-process sync() on SQLite, no HTTP` +
          (who === 'all' ? `; 1 M rows bulk-inserted in ${ms(big.bulkMs / 1000)} s, file ${Math.round(size / 1e6)} MB` : ''),
      };
    };
    return [line('begeleider of 2 of 200 groups', 'mine'), line('coördinator, all groups', 'all')];
  } finally {
    for (const s of scaled) {
      await s.store.close();
      rmSync(s.dir, { recursive: true, force: true });
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Throughput: 50 devices in a closed loop of small push+pull requests.

/** Requests in flight at once: 50 devices, each waiting for its answer before it sends again. */
const DEVICES = 50;
/** Each of the 50 stands for several phones (own account, session, device id and cursor) in turn, so no account
 * outruns the server's per-user sync budget (src/server/limits.ts) and the figure is the server's, not the limiter's. */
const PHONES_PER_DEVICE = 8;
/** Groups the phones write in: the organisation's 32 and more beside them, so each group has 4 phones, as a group
 * with two begeleiders who each carry a phone and a tablet would. With the 32 alone each group had 25 phones and
 * every request paged back ~15 rows written by strangers to the group, a fifth of the server's CPU. */
const LOAD_GROUPS = (DEVICES * PHONES_PER_DEVICE) / 2;
const WARMUP_MS = 2_000;
const LOAD_MS = 10_000;
/** The paced run's offered load: the throughput budget. */
const PACED_RATE = 500;

interface Device {
  id: string;
  cookie: string;
  groups: string[];
  cursor: string;
  mid: number;
  counter: number;
}

/** One to three changes as a begeleider makes them during a round: ticking attendance, now and then a note. */
function roundChanges(dev: Device, today: string): Change[] {
  const out: Change[] = [];
  for (let k = 1 + (dev.mid % 3); k > 0; k--) {
    const mid = ++dev.mid;
    const g = dev.groups[mid % dev.groups.length];
    const r = roundId(g, today);
    const hlc = formatHlc(Date.now(), dev.counter++, dev.id);
    if (mid % 10 === 0) {
      out.push({ mid, table: 'notes', id: `n${dev.id}x${mid}`, groupId: g, values: { roundId: r, step: null, text: 'Veel herkenning bij het thema geld; volgende keer meer tijd voor de verbreding.', author: 'Begeleider' }, hlc });
    } else {
      const p = `p${g}x${mid % 12}`;
      out.push({ mid, table: 'attendance', id: attendanceId(r, p), groupId: g, values: { roundId: r, participantId: p, present: mid % 4 !== 0 }, hlc });
    }
  }
  return out;
}

async function postgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  // DATABASE_URL, when set, is used like TEST_DATABASE_URL: a fresh database is created beside what it holds.
  const admin = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (admin) process.env.TEST_DATABASE_URL = admin;
  let url: string;
  try {
    url = await freshPostgresDatabase();
  } catch (e) {
    throw new Error(`overgeslagen: ${(e as Error).message.split('\n')[0]}`);
  }
  return {
    url,
    async drop() {
      const base = new URL(url);
      const name = base.pathname.slice(1);
      base.pathname = admin ? new URL(admin).pathname : '/postgres';
      const client = new pg.Client({ connectionString: base.toString() });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** `processes` server processes share the database (PostgreSQL only); each device talks to one of them. */
async function measureLoad(kind: 'sqlite' | 'postgres', processes = 1): Promise<BenchResult[]> {
  const pgDb = kind === 'postgres' ? await postgresDatabase() : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'lk-bench-load-'));
  const servers: Running[] = [];
  try {
    const now = Date.now();
    const store = openStore({ dataDir: dir, databaseUrl: pgDb?.url });
    await store.migrate();
    const org = organisation();
    await seed(store, org, now);
    const seeded = org.filter((r) => r.table === 'groups').map((r) => r.id);
    const groups = [...seeded, ...Array.from({ length: LOAD_GROUPS - seeded.length }, (_, n) => `gload${n}`)];
    const today = new Date().toISOString().slice(0, 10);
    // What the phones' attendance points at (the server checks it): today's round and twelve participants per group.
    const refs = groups.flatMap((g) => [
      { table: 'rounds' as const, id: roundId(g, today), groupId: g, values: { date: today, status: 'bezig' } },
      ...Array.from({ length: 12 }, (_, k) => ({ table: 'participants' as const, id: `p${g}x${k}`, groupId: g, values: { name: `P${k}` } })),
    ]);
    const refChanges: Change[] = refs.map((r, i) => ({ ...r, mid: i + 1, hlc: formatHlc(now, i, 'dbenchrefs') }));
    for (let i = 0; i < refChanges.length; i += MAX_BATCH) {
      await push(store, { id: 'ubenchrefs', role: 'coordinator', groups: [] }, { deviceId: 'bench-refs', changes: refChanges.slice(i, i + MAX_BATCH) }, now);
    }
    const cursor = String(await head(store));
    // Accounts are written straight into the store with one password hash and a session each: 400 scrypt logins
    // would take longer than the measurement. Each phone has two groups and each group four phones, so pulls bring
    // back what the group's other phones wrote.
    const hash = await hashPassword(randomId());
    const phones: Device[] = [];
    for (let i = 0; i < DEVICES * PHONES_PER_DEVICE; i++) {
      const mine = [groups[i % groups.length], groups[(i + 7) % groups.length]];
      const id = `ubenchphone${i}`;
      await store.db
        .insertInto('users')
        .values({ id, username: `bench-phone${i}`, role: 'begeleider', password_hash: hash, must_change: 0, active: 1, groups: JSON.stringify(mine), created_at: now })
        .execute();
      phones.push({ id: `dload${i}`, cookie: `${SESSION_COOKIE}=${await createSession(store, id, now)}`, groups: mine, cursor, mid: 0, counter: 0 });
    }
    await store.close();
    for (let n = 0; n < processes; n++) servers.push(await startServer(dir, pgDb?.url));
    const baseOf = (d: number) => servers[d % servers.length].url;
    const serversCpuMs = () => {
      const each = servers.map((s) => s.cpuMs());
      return each.includes(null) ? null : (each as number[]).reduce((a, b) => a + b, 0);
    };
    const latencies: number[] = [];
    let errors = 0;
    let firstError = '';
    let pulled = 0;
    let pushed = 0;
    const start = performance.now();
    const measureFrom = start + WARMUP_MS;
    let cpuFrom: number | null = null;
    let clientFrom = process.cpuUsage();
    const database = pgDb ? new URL(pgDb.url).pathname.slice(1) : '';
    let backendsFrom: number | null = null;
    setTimeout(() => {
      cpuFrom = serversCpuMs();
      clientFrom = process.cpuUsage();
      backendsFrom = pgDb ? backendsCpuMs(database) : null;
    }, WARMUP_MS);
    const end = measureFrom + LOAD_MS;
    await Promise.all(
      Array.from({ length: DEVICES }, async (_, d) => {
        for (let turn = 0; performance.now() < end; turn++) {
          const dev = phones[d * PHONES_PER_DEVICE + (turn % PHONES_PER_DEVICE)];
          const changes = roundChanges(dev, today);
          const t0 = performance.now();
          try {
            const res = await postSync(baseOf(d), dev.cookie, { deviceId: dev.id, cursor: dev.cursor, changes });
            dev.cursor = res.cursor;
            if (t0 >= measureFrom) {
              latencies.push(performance.now() - t0);
              pulled += res.changes.length;
              pushed += changes.length;
            }
          } catch (e) {
            errors++;
            firstError ||= (e as Error).message;
          }
        }
      }),
    );
    if (latencies.length === 0) throw new Error(`geen enkel sync-verzoek gelukt: ${firstError}`);
    const seconds = (performance.now() - measureFrom) / 1000;
    const cpuTo = serversCpuMs();
    // Backends live as long as the server's pool keeps them, which outlasts the run.
    const backendsTo = pgDb ? backendsCpuMs(database) : null;
    const client = process.cpuUsage(clientFrom);

    // The closed loop's latency is 50 ÷ throughput whatever the server does (Little's law): its p99 could meet 50 ms
    // only above 1,000 req/s. So the same 50 connections also send on a fixed schedule that offers the budgeted rate,
    // and latency counts from the scheduled send time, so a server falling behind shows (no coordinated omission).
    const paced: number[] = [];
    let pacedErrors = 0;
    const interval = (DEVICES / PACED_RATE) * 1000;
    const pacedStart = performance.now() + 200;
    const pacedEnd = pacedStart + LOAD_MS;
    await Promise.all(
      Array.from({ length: DEVICES }, async (_, d) => {
        for (let turn = 0; ; turn++) {
          const at = pacedStart + (d * interval) / DEVICES + turn * interval;
          if (at >= pacedEnd) break;
          const wait = at - performance.now();
          if (wait > 0) await sleep(wait);
          const dev = phones[d * PHONES_PER_DEVICE + (turn % PHONES_PER_DEVICE)];
          try {
            const res = await postSync(baseOf(d), dev.cookie, { deviceId: dev.id, cursor: dev.cursor, changes: roundChanges(dev, today) });
            dev.cursor = res.cursor;
            paced.push(performance.now() - at);
          } catch {
            pacedErrors++;
          }
        }
      }),
    );
    if (paced.length === 0) throw new Error('geen enkel gedoseerd sync-verzoek gelukt');
    paced.sort((a, b) => a - b);
    const pacedSeconds = (performance.now() - pacedStart) / 1000;
    // CPU per request does not depend on how much of the machine others took meanwhile: the steadier figure here.
    const cpuPerRequest = cpuFrom !== null && cpuTo !== null ? (cpuTo - cpuFrom) / latencies.length : null;
    const cpuNote = cpuPerRequest
      ? `; server process${processes > 1 ? 'es' : ''} used ${cpuPerRequest.toFixed(2)} ms CPU per request (≈ ${Math.round(1000 / cpuPerRequest)} req/s on one free core${kind === 'postgres' ? ', PostgreSQL backends not counted' : ''})`
      : '';
    const backendsNote =
      backendsFrom !== null && backendsTo !== null ? `; the PostgreSQL backends used ${((backendsTo - backendsFrom) / latencies.length).toFixed(2)} ms CPU per request` : '';
    const clientNote = `; the load generator itself used ${((client.user + client.system) / 1000 / latencies.length).toFixed(2)} ms CPU per request`;
    latencies.sort((a, b) => a - b);
    const label = kind === 'sqlite' ? 'SQLite' : processes > 1 ? `PostgreSQL, ${processes} server processes` : 'PostgreSQL';
    const common = `${DEVICES * PHONES_PER_DEVICE} phones (own account and session, 2 of ${LOAD_GROUPS} groups each, 4 phones per group) take turns on ${DEVICES} connections; ${latencies.length} requests in ${seconds.toFixed(1)} s after ${WARMUP_MS / 1000} s warm-up; ${pushed} changes pushed, ${pulled} rows pulled; ${errors} errors${firstError ? ` (${firstError})` : ''}; server holds ${cursor} rows`;
    const budgetNote = kind === 'postgres' ? '; the budget is set for SQLite, shown here for comparison' : '';
    return [
      {
        name: `sync requests per second, ${DEVICES} devices push+pull (${label})`,
        value: Math.round(latencies.length / seconds),
        unit: 'req/s',
        budget: 500,
        higherIsBetter: true,
        note: `${common}${cpuNote}${backendsNote}${clientNote}${budgetNote}; load generator shares the 2 cores with the server; ${NOISE}`,
      },
      {
        name: `sync request p99 latency, ${DEVICES} devices (${label})`,
        value: ms(percentile(latencies, 0.99)),
        unit: 'ms',
        budget: 50,
        note: `closed loop (each device sends again as soon as answered): p50 ${ms(percentile(latencies, 0.5))} ms, p90 ${ms(percentile(latencies, 0.9))} ms, max ${ms(latencies.at(-1) ?? 0)} ms; mean latency here is 50 ÷ throughput by construction${budgetNote}`,
      },
      {
        name: `sync request p99 latency at ${PACED_RATE} req/s offered, ${DEVICES} devices (${label})`,
        value: ms(percentile(paced, 0.99)),
        unit: 'ms',
        budget: 50,
        note: `each device sends every ${interval} ms, latency from the scheduled time; ${paced.length} answered in ${pacedSeconds.toFixed(1)} s (${Math.round(paced.length / pacedSeconds)} req/s), ${pacedErrors} errors; p50 ${ms(percentile(paced, 0.5))} ms, p90 ${ms(percentile(paced, 0.9))} ms, max ${ms(paced.at(-1) ?? 0)} ms${budgetNote}`,
      },
    ];
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
    await pgDb?.drop().catch(() => {});
  }
}

export const benchLoadSqlite = () => measureLoad('sqlite');
export const benchLoadPostgres = () => measureLoad('postgres');
export const benchLoadPostgresTwo = () => measureLoad('postgres', 2);

// ---------------------------------------------------------------------------------------------------------------
// 4. PouchDB side by side: the same rows replicated from a pouchdb-server to a fresh PouchDB.

export async function benchPouchDb(): Promise<BenchResult[]> {
  const rig = await firstSyncRig();
  const dir = mkdtempSync(join(tmpdir(), 'lk-bench-pouch-'));
  let server: Running | undefined;
  try {
    // PouchDB's idb adapter reads navigator.userAgent, which Node has only from version 21 on.
    if (!('navigator' in globalThis)) Object.assign(globalThis, { navigator: { userAgent: `Node.js/${process.versions.node}` } });
    const docs = rig.rows.filter((r) => !r.deleted).map((r) => ({ _id: `${r.table}:${r.id}`, table: r.table, groupId: r.groupId, ...r.values }));
    server = await startProcess(['bench/pouchdb-host.ts'], { POUCH_LOG: join(dir, 'log.txt') }, /luistert op (http:\/\/127\.0\.0\.1:\d+)/, 'pouchdb-server');
    const Pouch = PouchDB.plugin(pouchIdb).plugin(pouchMemory).plugin(pouchHttp).plugin(pouchReplication);
    const remote = new Pouch(`${server.url}/luisterkring`);
    for (let i = 0; i < docs.length; i += MAX_BATCH) {
      const res = await remote.bulkDocs(docs.slice(i, i + MAX_BATCH));
      const bad = res.find((r) => r.error);
      if (bad) throw new Error(`pouchdb-server weigerde een document: ${bad.reason ?? bad.error}`);
    }
    const replicate = async (adapter: 'idb' | 'memory') => {
      const local = new Pouch(`lk-bench-${adapter}-${randomId()}`, { adapter });
      const t0 = performance.now();
      // Pages as large as ours, so both sides make about as many round trips.
      const r = await local.replicate.from(remote, { batch_size: PAGE_SIZE });
      const t = performance.now() - t0;
      await local.destroy();
      if (r.docs_written !== docs.length) throw new Error(`PouchDB (${adapter}) schreef ${r.docs_written} van ${docs.length} documenten`);
      return t;
    };
    await replicate('idb');
    await replicate('memory');
    // Turn by turn, so the machine's other work weighs on both sides alike.
    const t = { ours: [] as number[], network: [] as number[], idb: [] as number[], memory: [] as number[] };
    for (let run = 0; run < FIRST_RUNS; run++) {
      t.ours.push(await rig.endToEnd());
      t.idb.push(await replicate('idb'));
      t.network.push(await rig.network());
      t.memory.push(await replicate('memory'));
    }
    const [ours, idb, network, memory] = [median(t.ours), median(t.idb), median(t.network), median(t.memory)];
    return [
      {
        name: `PouchDB replication of the same ${docs.length} documents, pouchdb-server → PouchDB in fake-indexeddb`,
        value: ms(idb),
        unit: 'ms',
        budget: 1000,
        note:
          `express-pouchdb 4.2 (memory adapter, own process) → PouchDB 9 idb adapter on fake-indexeddb, batch_size ${PAGE_SIZE}; ${spread(t.idb)}; ` +
          `documents carry the field values only (no per-field clocks); ${NOISE}`,
      },
      {
        name: 'PouchDB replication ÷ our first sync, both end to end into fake-indexeddb',
        value: Math.round((idb / ours) * 100) / 100,
        unit: '×',
        budget: 1,
        higherIsBetter: true,
        note:
          `above 1: ours is faster. Ours ${ms(ours)} ms end to end, ${ms(network)} ms network only (runs interleaved with PouchDB's); ` +
          `PouchDB into its memory adapter ${ms(memory)} ms (÷ our network-only ${(memory / network).toFixed(2)}, though PouchDB still stores where ours only fetches)`,
      },
    ];
  } finally {
    await server?.stop();
    await rig.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
