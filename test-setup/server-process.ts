// The real server as a child process the e2e tests may kill and start again on the same port and data dir,
// and a coördinator's API client for setting up accounts and groups the way an organisation would.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatHlc } from '../src/shared/hlc';
import { DEFAULT_PLAN } from '../src/shared/method';
import type { Change, SyncResponse, TableName } from '../src/shared/schema';
import Database from 'better-sqlite3';
import pg from 'pg';
import { freePort, ownPasswordFor, ROOT } from './browser';

export interface ServerProcess {
  url: string;
  port: number;
  dataDir: string;
  /** The first coördinator's one-time password, printed on the very first start. */
  password: string;
  logs: () => string;
  pid: () => number | undefined;
  /** Reads the server's database directly, behind its back (`?` placeholders on both databases). */
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** Ends the process with this signal and waits until it is gone (SIGKILL: no shutdown code runs). */
  kill: (signal: NodeJS.Signals) => Promise<void>;
  /** Starts the server again on the same port and data dir. */
  restart: () => Promise<void>;
  /** Stops the server and removes its data dir. */
  stop: () => Promise<void>;
}

/** The real server (src/server/main.ts) on its own port: with its embedded SQLite in a throwaway dir, or on the
 * PostgreSQL database `databaseUrl` (a fresh one from test-setup/postgres.ts). It must print the first coördinator's
 * one-time password, unless `firstStart` is 'either' (several processes on one database: one of them prints it, and
 * `password` is empty for the others). */
export async function startServerProcess(opts: { databaseUrl?: string; firstStart?: 'this' | 'either' } = {}): Promise<ServerProcess> {
  if (!existsSync(join(ROOT, 'dist', 'index.html'))) throw new Error('dist/ ontbreekt: eerst `npm run build`');
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'lk-e2e-kill-'));
  const url = `http://127.0.0.1:${port}`;
  // A developer's DATABASE_URL must never receive test data.
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, NODE_ENV: 'production' };
  delete env.DATABASE_URL;
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  let out = '';
  let child: ChildProcess | null = null;

  const launch = async () => {
    const c = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    c.stdout!.on('data', (d) => (out += d));
    c.stderr!.on('data', (d) => (out += d));
    await waitForHttp(url, c, () => out);
  };
  const kill = async (signal: NodeJS.Signals) => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill(signal);
    const force = setTimeout(() => c.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(force);
  };

  try {
    await launch();
  } catch (e) {
    await kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const password = /eenmalig wachtwoord: (\S+)/.exec(out)?.[1] ?? '';
  if (!password && opts.firstStart !== 'either') throw new Error(`server gaf geen eerste wachtwoord:\n${out}`);
  return {
    url,
    port,
    dataDir,
    password,
    logs: () => out,
    pid: () => child?.pid,
    async query<T>(text: string, params: unknown[] = []): Promise<T[]> {
      if (!opts.databaseUrl) {
        const file = new Database(join(dataDir, 'luisterkring.sqlite'), { readonly: true });
        try {
          return file.prepare(text).all(...params) as T[];
        } finally {
          file.close();
        }
      }
      const client = new pg.Client({ connectionString: opts.databaseUrl });
      await client.connect();
      try {
        let n = 0;
        return (await client.query(text.replace(/\?/g, () => `$${++n}`), params)).rows as T[];
      } finally {
        await client.end();
      }
    },
    kill,
    restart: launch,
    stop: async () => {
      await kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function waitForHttp(url: string, child: ChildProcess, logs: () => string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server stopte (code ${child.exitCode}):\n${logs()}`);
    try {
      const res = await fetch(url + '/api/auth/me', { signal: AbortSignal.timeout(2000) });
      // 401 is the answer of a server that is up; the port may still belong to nobody a moment before.
      if (res.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server antwoordde niet binnen ${timeoutMs} ms:\n${logs()}`);
}

/** One-time codes already swapped, so a later login with the code (a second client, a restart) uses the own password. */
const swapped = new Set<string>();

/** A logged-in API session from Node, as the coördinator's admin screens would use it. */
export class ApiClient {
  private cookie = '';
  private mid = 0;
  private cursor = '0';
  readonly deviceId = `dtest${Math.random().toString(36).slice(2, 10)}`;
  private wall = Date.now();

  constructor(readonly url: string) {}

  /** What a request of this session carries besides its body: the session cookie and the CSRF header. */
  headers(): Record<string, string> {
    return { 'x-lk': '1', cookie: this.cookie };
  }

  async call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const res = await fetch(this.url + path, {
      method,
      headers: { 'content-type': 'application/json', ...this.headers() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0];
    return { status: res.status, json: await res.json() };
  }

  /** Logs in; with a one-time code it first chooses the own password (ownPasswordFor), as a person must. */
  async login(username: string, password: string): Promise<void> {
    const using = swapped.has(password) ? ownPasswordFor(password) : password;
    const r = await this.call('POST', '/api/auth/login', { username, password: using });
    if (r.status !== 200) throw new Error(`inloggen als ${username}: ${r.status} ${JSON.stringify(r.json)}`);
    if (!r.json.user?.mustChangePassword) return;
    const c = await this.call('POST', '/api/auth/password', { old: using, new: ownPasswordFor(using) });
    if (c.status !== 200) throw new Error(`eigen wachtwoord voor ${username}: ${c.status} ${JSON.stringify(c.json)}`);
    swapped.add(using);
  }

  /** Pushes records as this client's own device; fails the test when the server refuses any. */
  async push(records: { table: TableName; id: string; groupId: string | null; values: Record<string, unknown> }[]): Promise<void> {
    const changes: Change[] = records.map((r) => ({ mid: ++this.mid, ...r, hlc: formatHlc(this.wall++, 0, this.deviceId) }));
    const r = await this.call('POST', '/api/sync', { deviceId: this.deviceId, cursor: '0', changes });
    const body = r.json as SyncResponse;
    if (r.status !== 200 || body.rejected.length) throw new Error(`push: ${r.status} ${JSON.stringify(body.rejected ?? body)}`);
  }

  /** Every row this user may see, pulled page by page from the start like a brand-new phone. */
  async pullAll(): Promise<SyncResponse['changes']> {
    const rows: SyncResponse['changes'] = [];
    this.cursor = '0';
    for (;;) {
      const r = await this.call('POST', '/api/sync', { deviceId: this.deviceId, cursor: this.cursor, changes: [] });
      if (r.status !== 200) throw new Error(`pull: ${r.status} ${JSON.stringify(r.json)}`);
      const body = r.json as SyncResponse;
      rows.push(...body.changes);
      this.cursor = body.cursor;
      if (!body.more) return rows;
    }
  }

  /** A location and a group with participants, written by the coördinator. Returns the ids. */
  async createGroup(name: string, participants: string[]): Promise<{ groupId: string; locationId: string; participantIds: string[] }> {
    const tag = Math.random().toString(36).slice(2, 8);
    const locationId = `l${tag}`;
    const groupId = `g${tag}`;
    const participantIds = participants.map((_, i) => `p${tag}${i}`);
    await this.push([
      { table: 'locations', id: locationId, groupId: null, values: { name: 'Buurthuis De Linde', wijk: 'Oost', address: '' } },
      { table: 'groups', id: groupId, groupId, values: { name, locationId, rhythm: 'tweewekelijks', plan: DEFAULT_PLAN, begeleiders: [], active: true } },
      ...participants.map((p, i) => ({
        table: 'participants' as const,
        id: participantIds[i],
        groupId,
        values: { name: p, firstVisit: '2025-01-07', foundVia: 'flyer', status: 'actief', gender: null, ageBand: null, consentDate: null, personId: null },
      })),
    ]);
    return { groupId, locationId, participantIds };
  }

  /** A begeleider account assigned to these groups, with her own password already chosen (as after her first
   * login): returns that password. */
  async createBegeleider(username: string, groups: string[]): Promise<string> {
    const r = await this.call('POST', '/api/users', { username, role: 'begeleider', groups });
    if (r.status !== 201) throw new Error(`account ${username}: ${r.status} ${JSON.stringify(r.json)}`);
    const code = r.json.password as string;
    await new ApiClient(this.url).login(username, code);
    return ownPasswordFor(code);
  }
}
