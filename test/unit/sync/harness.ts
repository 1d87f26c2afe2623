// Test harness: the real server in-process on a temporary SQLite folder, and phones that reach it through app.fetch with a cookie jar.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LkDb } from '../../../src/data/db';
import type { FetchFn } from '../../../src/sync/api';
import { createApp } from '../../../src/server/app';
import { openStore, type Store } from '../../../src/server/store';
import { createUser } from '../../../src/server/users';
import { ownPassword } from '../server/harness';

export const BASE = 'http://localhost';

export class TestServer {
  store!: Store;
  app!: ReturnType<typeof createApp>;
  /** Added to the real clock; lets a test move the server's time. */
  shift = 0;
  readonly dir = mkdtempSync(join(tmpdir(), 'lk-sync-'));

  async open(): Promise<this> {
    this.store = openStore({ dataDir: this.dir });
    await this.store.migrate();
    this.app = createApp({ store: this.store, now: () => Date.now() + this.shift, log: () => {} });
    return this;
  }

  /** Close and reopen the database, as a server process restart would. */
  async restart(): Promise<void> {
    await this.store.close();
    await this.open();
  }

  /** A user who already chose their own password; `oneTimeCode` leaves the account as just created: the code must go first. */
  async user(username: string, role: 'coordinator' | 'begeleider', groups: string[] = [], opts: { oneTimeCode?: boolean } = {}): Promise<{ username: string; password: string; id: string }> {
    const { user, password } = await createUser(this.store, { username, role, groups }, Date.now());
    if (!opts.oneTimeCode) await ownPassword(this.store, user.id);
    return { username, password, id: user.id };
  }

  async close(): Promise<void> {
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  handle(req: Request): Promise<Response> {
    return Promise.resolve(this.app.fetch(req));
  }
}

/** A phone's browser: its own cookie jar, talking to the server through `app.fetch`. */
export class Phone {
  cookie: string | null = null;
  readonly db: LkDb;
  /** A hook that sees every request before it goes out; it may deliver, drop or change it. */
  deliver: (req: Request, send: (req: Request) => Promise<Response>) => Promise<Response> = (req, send) => send(req);

  constructor(
    readonly server: TestServer,
    name: string,
  ) {
    this.db = new LkDb(name);
  }

  readonly fetch: FetchFn = async (input, init) => {
    const headers = new Headers(init?.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    const req = new Request(input, { ...init, headers, signal: undefined });
    const signal = init?.signal;
    // Like a real fetch: an aborted signal ends the wait, whatever the network does.
    const aborted = new Promise<never>((_, reject) => {
      signal?.addEventListener('abort', () => reject(new DOMException('The operation timed out.', 'TimeoutError')));
    });
    const res = await Promise.race([this.deliver(req, (r) => this.server.handle(r)), aborted]);
    this.keepCookie(res);
    return res;
  };

  keepCookie(res: Response): void {
    const set = res.headers.get('set-cookie');
    if (!set) return;
    const m = /lk_session=([^;]*)/.exec(set);
    if (!m) return;
    this.cookie = m[1] && !/max-age=0/i.test(set) ? `lk_session=${m[1]}` : null;
  }

  get transport() {
    return { fetch: this.fetch, baseUrl: BASE, db: this.db };
  }
}

let seq = 0;
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${++seq}-${Math.random().toString(36).slice(2, 8)}`;
}
