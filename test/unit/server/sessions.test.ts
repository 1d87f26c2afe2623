// Issue 10 (items 2, 6, 10, 11): bound sessions, absolute lifetime, sign-out everywhere, login limits in the
// database, aggregated audit of unknown names, one-time codes, proxy-aware Secure/HSTS, scrypt cost, full disk.
import { randomBytes, scrypt } from 'node:crypto';
import { sql } from 'kysely';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createApp } from '../../../src/server/app';
import { createUser } from '../../../src/server/users';
import { DIALECTS, harness, ownPassword, uniq, type Harness } from './harness';

const DAY = 24 * 3600 * 1000;

for (const kind of DIALECTS) {
  const test = suite(`sessions and logins (${kind})`);
  let h: Harness;
  test.before(async () => {
    h = await harness(kind);
  });
  test.after(async () => h.close());

  /** An account with its own password chosen (a one-time code works only once). */
  async function account(role: 'coordinator' | 'begeleider' = 'begeleider', groups: string[] = []) {
    const r = await createUser(h.store, { username: uniq('u'), role, groups }, h.clock.now);
    await ownPassword(h.store, r.user.id);
    return r;
  }

  type App = ReturnType<typeof createApp>;
  const send = (app: App | null, path: string, opts: { body?: unknown; headers?: Record<string, string>; host?: string; method?: string } = {}) => {
    const headers = { 'content-type': 'application/json', 'x-lk': '1', ...opts.headers };
    const req = new Request(`http://${opts.host ?? 'localhost'}${path}`, { method: opts.method ?? 'POST', headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    return app ? app.fetch(req) : h.request(opts.method ?? 'POST', path, { body: opts.body, headers: opts.headers, host: opts.host });
  };
  const cookieOf = (res: Response, name = 'lk_session') =>
    (res.headers.getSetCookie?.() ?? [res.headers.get('set-cookie') ?? '']).map((c) => c.split(';')[0]).find((c) => c.startsWith(`${name}=`)) ?? '';
  const login = (username: string, password: string, opts: { app?: App; headers?: Record<string, string>; sessionKey?: boolean; host?: string } = {}) =>
    send(opts.app ?? null, '/api/auth/login', { body: opts.sessionKey ? { username, password, sessionKey: true } : { username, password }, headers: opts.headers, host: opts.host });
  const syncWith = (headers: Record<string, string>) => h.request('POST', '/api/sync', { body: { deviceId: uniq('d'), cursor: '0', changes: [] }, headers });

  // ---- item 2: the cookie alone opens nothing ----

  test('a login that asks for a session key binds the session: cookie alone, or with a wrong key, gets 401; with the key 200', async () => {
    const { user, password } = await account('begeleider', ['g1']);
    const res = await login(user.username, password, { sessionKey: true });
    assert.is(res.status, 200);
    const body = await res.json();
    assert.type(body.sessionKey, 'string');
    assert.ok(body.sessionKey.length >= 40);
    const cookie = cookieOf(res);
    assert.is((await syncWith({ cookie })).status, 401, 'the cookie file of a locked phone opens nothing');
    assert.is((await syncWith({ cookie, 'x-lk-key': randomBytes(32).toString('base64url') })).status, 401);
    assert.is((await syncWith({ cookie, 'x-lk-key': body.sessionKey })).status, 200);
    assert.is((await h.request('GET', '/api/auth/me', { headers: { cookie } })).status, 401);
    const stored = await h.store.db.selectFrom('sessions').select('key_hash').where('user_id', '=', user.id).executeTakeFirstOrThrow();
    assert.match(String(stored.key_hash), /^[0-9a-f]{64}$/, 'only the hash of the key is stored');
    assert.not.ok(String(stored.key_hash).includes(body.sessionKey));
  });

  test('last month\'s app (no session key asked) keeps a cookie-only session', async () => {
    const { user, password } = await account('begeleider', ['g1']);
    const res = await login(user.username, password);
    assert.is((await res.json()).sessionKey, undefined);
    assert.is((await syncWith({ cookie: cookieOf(res) })).status, 200);
  });

  test('a session used every day still ends 30 days after its login (absolute lifetime); the cookie never outlives it', async () => {
    const { user, password } = await account();
    const res = await login(user.username, password, { sessionKey: true });
    const headers = { cookie: cookieOf(res), 'x-lk-key': (await res.json()).sessionKey };
    for (let day = 1; day < 30; day++) {
      h.clock.now += DAY;
      const me = await h.request('GET', '/api/auth/me', { headers });
      assert.is(me.status, 200, `day ${day}`);
      const age = /Max-Age=(\d+)/.exec(me.headers.get('set-cookie') ?? '')?.[1];
      if (age) assert.ok(Number(age) * 1000 <= (30 - day) * DAY, `cookie Max-Age ${age} on day ${day}`);
    }
    h.clock.now += DAY + 1;
    assert.is((await h.request('GET', '/api/auth/me', { headers })).status, 401);
  });

  test('a coördinator signs out every phone of one user (audited); others stay; a begeleider may not', async () => {
    const coord = await h.user('coordinator');
    const beg = await h.user('begeleider', ['g1']);
    const { user, password } = await account('begeleider', ['g1']);
    const phones = await Promise.all([login(user.username, password, { sessionKey: true }), login(user.username, password)]);
    const creds = await Promise.all(phones.map(async (r) => ({ cookie: cookieOf(r), 'x-lk-key': (await r.json()).sessionKey ?? '' })));
    for (const c of creds) assert.is((await h.request('GET', '/api/auth/me', { headers: c })).status, 200);
    assert.is((await beg.call('POST', `/api/users/${user.id}/signout`)).status, 403);
    const res = await coord.call('POST', `/api/users/${user.id}/signout`);
    assert.is(res.status, 200);
    assert.is((await res.json()).sessions, 2);
    for (const c of creds) assert.is((await h.request('GET', '/api/auth/me', { headers: c })).status, 401);
    assert.is((await beg.call('GET', '/api/auth/me')).status, 200, 'other users stay signed in');
    const audit = await h.store.db.selectFrom('audit').selectAll().where('action', '=', 'user.signout').where('target', '=', user.id).execute();
    assert.is(audit.length, 1);
    assert.is(audit[0].actor_id, coord.userId);
    assert.is(JSON.parse(audit[0].detail).sessions, 2);
    assert.is((await login(user.username, password)).status, 200, 'the account itself still works');
  });

  // ---- item 6: login limits ----

  test('behind TRUST_PROXY the client IP is the rightmost X-Forwarded-For hop: a made-up leftmost entry gives no extra guesses', async () => {
    const app = createApp({ store: h.store, now: () => h.clock.now, log: () => {}, trustProxy: true });
    let last = 0;
    for (let i = 0; i < 31; i++) {
      const res = await login(uniq('niemand'), 'geraden-wachtwoord', { app, headers: { 'x-forwarded-for': `203.0.113.${i}, 198.51.100.7` } });
      last = res.status;
      if (i < 30) assert.is(res.status, 401, `attempt ${i + 1}`);
    }
    assert.is(last, 429, 'the 31st failure from one address is refused, whatever the client wrote in front');
    const other = await login(uniq('niemand'), 'geraden-wachtwoord', { app, headers: { 'x-forwarded-for': '198.51.100.8' } });
    assert.is(other.status, 401, 'another address is not blocked');
    h.clock.now += 16 * 60_000;
  });

  test('guessing one account from ever new addresses slows down: each try waits longer', async () => {
    const app = createApp({ store: h.store, now: () => h.clock.now, log: () => {}, trustProxy: true });
    const { user } = await account();
    let ip = 0;
    const guess = () => login(user.username, 'geraden-wachtwoord', { app, headers: { 'x-forwarded-for': `192.0.2.${++ip}` } });
    for (let i = 0; i < 5; i++) assert.is((await guess()).status, 401);
    const waits: number[] = [];
    for (let round = 0; round < 3; round++) {
      const res = await guess();
      assert.is(res.status, 429, `round ${round}`);
      const wait = Number(res.headers.get('retry-after'));
      waits.push(wait);
      h.clock.now += wait * 1000 + 1;
      assert.is((await guess()).status, 401);
    }
    assert.ok(waits[0] >= 30 && waits[1] > waits[0] && waits[2] > waits[1], `waits ${waits.join(', ')}`);
    h.clock.now += 2 * 3600_000;
  });

  test('a stranger failing for a name does not lock out its owner on a phone that logged in before', async () => {
    const { user, password } = await account('coordinator');
    const first = await login(user.username, password);
    assert.is(first.status, 200);
    const device = cookieOf(first, 'lk_device');
    assert.ok(device, 'a device cookie is handed out');
    // The stranger shares the address (buurthuis wifi; in tests every request comes from one place).
    for (let i = 0; i < 8; i++) await login(user.username, `fout-${i}-wachtwoord`);
    assert.is((await login(user.username, password)).status, 429, 'an unknown phone has to wait');
    const owner = await login(user.username, password, { headers: { cookie: device } });
    assert.is(owner.status, 200, 'the owner\'s phone passes');
    h.clock.now += 2 * 3600_000;
  });

  test('the limits hold across server processes: failures counted by one are seen by another', async () => {
    const a = createApp({ store: h.store, now: () => h.clock.now, log: () => {} });
    const b = createApp({ store: h.store, now: () => h.clock.now, log: () => {} });
    const { user, password } = await account();
    for (let i = 0; i < 5; i++) assert.is((await login(user.username, 'geraden-wachtwoord', { app: i % 2 ? a : b })).status, 401);
    assert.is((await login(user.username, password, { app: a })).status, 429);
    assert.is((await login(user.username, password, { app: b })).status, 429);
    h.clock.now += 2 * 3600_000;
  });

  test('failed logins for unknown names are one audit row per address and window, with a count', async () => {
    const before = await h.store.db.selectFrom('audit').select('id').where('action', '=', 'login.failed').execute();
    for (let i = 0; i < 20; i++) assert.is((await login(uniq('onbekend'), 'geraden-wachtwoord')).status, 401);
    const rows = await h.store.db.selectFrom('audit').selectAll().where('action', '=', 'login.failed').execute();
    const fresh = rows.filter((r) => !before.some((b) => b.id === r.id));
    assert.is(fresh.length, 1, `${fresh.length} rows`);
    const detail = JSON.parse(fresh[0].detail);
    assert.is(detail.count, 20);
    assert.is(detail.known, false);
    assert.is(detail.ip, 'lokaal');
    h.clock.now += 16 * 60_000;
    await login(uniq('onbekend'), 'geraden-wachtwoord');
    const later = await h.store.db.selectFrom('audit').select('id').where('action', '=', 'login.failed').execute();
    assert.is(later.length, rows.length + 1, 'a new window starts a new row');
    h.clock.now += 16 * 60_000;
  });

  // ---- item 11: session hygiene ----

  test('a one-time code works once: the second login with it fails', async () => {
    const { user, password } = await createUser(h.store, { username: uniq('code'), role: 'begeleider', groups: [] }, h.clock.now);
    const first = await login(user.username, password);
    assert.is(first.status, 200);
    assert.is((await first.json()).user.mustChangePassword, true);
    const second = await login(user.username, password);
    assert.is(second.status, 401);
    assert.match((await second.json()).error, /eenmalige code/);
    // The first session still chooses the password with the code.
    const cookie = cookieOf(first);
    assert.is((await h.request('POST', '/api/auth/password', { body: { old: password, new: 'een-eigen-wachtwoord' }, headers: { cookie } })).status, 200);
    assert.is((await login(user.username, password)).status, 401);
    assert.is((await login(user.username, 'een-eigen-wachtwoord')).status, 200);
  });

  test('a one-time code expires after 7 days (configurable)', async () => {
    const { user, password } = await createUser(h.store, { username: uniq('code'), role: 'begeleider', groups: [] }, h.clock.now);
    h.clock.now += 7 * DAY + 1;
    const res = await login(user.username, password);
    assert.is(res.status, 401);
    assert.match((await res.json()).error, /verlopen/);
    const app = createApp({ store: h.store, now: () => h.clock.now, log: () => {}, codeTtlMs: 2 * DAY });
    const coord = await h.user('coordinator');
    const made = await send(app, '/api/users', { body: { username: uniq('kort'), role: 'begeleider' }, headers: { cookie: coord.cookie } });
    const { user: u2, password: p2 } = await made.json();
    h.clock.now += 2 * DAY + 1;
    assert.is((await login(u2.username, p2, { app })).status, 401);
  });

  test('a password reset does not reactivate a deactivated account', async () => {
    const coord = await h.user('coordinator');
    const { user } = await account();
    assert.is((await coord.call('POST', `/api/users/${user.id}/deactivate`)).status, 200);
    const reset = await coord.call('POST', `/api/users/${user.id}/reset`);
    assert.is(reset.status, 200);
    const body = await reset.json();
    assert.is(body.user.active, false);
    assert.is((await login(user.username, body.password)).status, 401);
    const row = await h.store.db.selectFrom('users').select('active').where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.is(Number(row.active), 0);
  });

  test('behind TRUST_PROXY a proxy that sends Host: localhost still gets a Secure cookie and HSTS (X-Forwarded-Proto decides)', async () => {
    const app = createApp({ store: h.store, now: () => h.clock.now, log: () => {}, trustProxy: true });
    const { user, password } = await account();
    const res = await login(user.username, password, { app, host: 'localhost:8787', headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.20' } });
    assert.is(res.status, 200);
    assert.match(res.headers.get('set-cookie') ?? '', /lk_session=[^;]+;[^,]*Secure/);
    assert.ok(res.headers.get('strict-transport-security'), 'HSTS');
    const plain = await send(app, '/api/auth/me', { method: 'GET', host: 'localhost:8787', headers: { 'x-forwarded-proto': 'http' } });
    assert.is(plain.headers.get('strict-transport-security'), null, 'no HSTS when the proxy says plain HTTP');
  });

  test('a chosen password is hashed with scrypt N=2^17, r=8, p=1; an old N=2^14 hash is rehashed at a successful login', async () => {
    const coordRes = await account();
    const first = await login(coordRes.user.username, coordRes.password);
    const cookie = cookieOf(first);
    assert.is((await h.request('POST', '/api/auth/password', { body: { old: coordRes.password, new: 'een-eigen-wachtwoord' }, headers: { cookie } })).status, 200);
    const chosen = await h.store.db.selectFrom('users').select('password_hash').where('id', '=', coordRes.user.id).executeTakeFirstOrThrow();
    assert.equal(chosen.password_hash.split('$').slice(0, 4), ['scrypt', '131072', '8', '1']);

    const { user } = await account();
    const salt = randomBytes(16);
    const key = await new Promise<Buffer>((ok, fail) => scrypt('een-oud-wachtwoord', salt, 32, { N: 16384, r: 8, p: 1 }, (e, k) => (e ? fail(e) : ok(k))));
    const old = ['scrypt', 16384, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
    await h.store.db.updateTable('users').set({ password_hash: old }).where('id', '=', user.id).execute();
    assert.is((await login(user.username, 'verkeerd-wachtwoord')).status, 401);
    assert.is((await h.store.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow()).password_hash, old, 'a wrong password rehashes nothing');
    assert.is((await login(user.username, 'een-oud-wachtwoord')).status, 200);
    const now = await h.store.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.equal(now.password_hash.split('$').slice(0, 4), ['scrypt', '131072', '8', '1']);
    assert.is((await login(user.username, 'een-oud-wachtwoord')).status, 200, 'the same password logs in after the rehash');
  });

  // ---- item 10: a full database ----

  if (kind === 'sqlite') {
    test('a full database answers 503 with a Dutch reason and works again, without a restart, once there is room', async () => {
      const { user, password } = await account();
      const logs = h.logs.length;
      const [{ page_count }] = (await sql<{ page_count: number }>`pragma page_count`.execute(h.store.db)).rows;
      await sql.raw(`pragma max_page_count = ${page_count}`).execute(h.store.db);
      // Fill the last free pages, big rows first and then small ones into every table a login writes.
      let n = 0;
      const fill = async (insert: () => Promise<unknown>) => {
        for (let i = 0; i < 20_000; i++) {
          try {
            await insert();
          } catch {
            return true;
          }
        }
        return false;
      };
      let filled = await fill(() => h.store.db.insertInto('audit').values({ at: 0, actor_id: null, actor_name: null, action: 'vulling', target: null, detail: 'x'.repeat(3000) }).execute());
      filled &&= await fill(() => h.store.db.insertInto('audit').values({ at: 0, actor_id: null, actor_name: null, action: 'vulling', target: null, detail: '' }).execute());
      filled &&= await fill(() => h.store.db.insertInto('sessions').values({ token_hash: `vulling${++n}`, user_id: 'vulling', created_at: 0, last_seen: 0 }).execute());
      filled &&= await fill(() => h.store.db.insertInto('known_devices').values({ token_hash: `vulling${++n}`, user_id: 'vulling', created_at: 0 }).execute());
      assert.ok(filled, 'the database is full');
      const full = await login(user.username, password);
      assert.is(full.status, 503);
      assert.match((await full.json()).error, /vol|alleen-lezen/);
      assert.ok(Number(full.headers.get('retry-after')) > 0);
      await sql.raw(`pragma max_page_count = 1073741823`).execute(h.store.db);
      await h.store.db.deleteFrom('audit').where('action', '=', 'vulling').execute();
      await h.store.db.deleteFrom('sessions').where('user_id', '=', 'vulling').execute();
      await h.store.db.deleteFrom('known_devices').where('user_id', '=', 'vulling').execute();
      assert.is((await login(user.username, password)).status, 200);
      assert.ok(h.logs.length > logs, 'the cause is in the server log');
    });
  }

  test.run();
}
