import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createUser } from '../../../src/server/users';
import { DIALECTS, harness, ownPassword, uniq, type Harness } from './harness';

for (const kind of DIALECTS) {
  const test = suite(`auth (${kind})`);
  let h: Harness;
  test.before(async () => {
    h = await harness(kind);
  });
  test.after(async () => h.close());

  async function account(role: 'coordinator' | 'begeleider' = 'begeleider', groups: string[] = []) {
    return createUser(h.store, { username: uniq('user'), role, groups }, h.clock.now);
  }
  async function ownAccount() {
    const r = await account();
    await ownPassword(h.store, r.user.id);
    return r;
  }
  const login = (username: string, password: string, host?: string) => h.request('POST', '/api/auth/login', { body: { username, password }, host });

  test('login answers the user with role and groups and sets an HttpOnly, SameSite=Strict session cookie', async () => {
    const { user, password } = await account('begeleider', ['g1', 'g2']);
    const res = await login(user.username, password);
    assert.is(res.status, 200);
    const body = await res.json();
    assert.equal(body.user, { id: user.id, username: user.username, role: 'begeleider', groups: ['g1', 'g2'], mustChangePassword: true });
    const cookie = res.headers.get('set-cookie')!;
    assert.match(cookie, /^lk_session=[A-Za-z0-9_-]{40,};/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(cookie, /Path=\//);
    assert.not.match(cookie, /Secure/, 'no Secure flag on localhost, or login over plain http would break');
  });

  test('the session cookie is Secure on any other host', async () => {
    const { user, password } = await account();
    const res = await login(user.username, password, 'luisterkring.example.nl');
    assert.match(res.headers.get('set-cookie')!, /Secure/);
  });

  test('only the SHA-256 of the session token is stored', async () => {
    const { user, password } = await account();
    const res = await login(user.username, password);
    const token = res.headers.get('set-cookie')!.split(';')[0].split('=')[1];
    const rows = await h.store.db.selectFrom('sessions').select('token_hash').where('user_id', '=', user.id).execute();
    assert.is(rows.length, 1);
    assert.is.not(rows[0].token_hash, token);
    assert.match(rows[0].token_hash, /^[0-9a-f]{64}$/);
  });

  test('passwords are stored as salted scrypt hashes', async () => {
    const a = await account();
    const b = await account();
    const rows = await h.store.db.selectFrom('users').select(['id', 'password_hash']).where('id', 'in', [a.user.id, b.user.id]).execute();
    for (const r of rows) {
      assert.match(r.password_hash, /^scrypt(-code)?\$/);
      assert.not.ok(r.password_hash.includes(a.password) || r.password_hash.includes(b.password));
    }
    assert.is.not(rows[0].password_hash.split('$')[4], rows[1].password_hash.split('$')[4], 'each hash has its own salt');
  });

  test('a wrong password or unknown user gets 401 with a reason and no cookie', async () => {
    const { user } = await account();
    for (const res of [await login(user.username, 'wrong-password'), await login('nobody-here', 'whatever1234')]) {
      assert.is(res.status, 401);
      assert.ok((await res.json()).error);
      assert.is(res.headers.get('set-cookie'), null);
    }
  });

  test('usernames are case-insensitive at login', async () => {
    const { user, password } = await account();
    assert.is((await login(user.username.toUpperCase(), password)).status, 200);
  });

  test('five failed logins lock that username from that address for 15 minutes with 429 and Retry-After, even for the right password', async () => {
    const { user, password } = await ownAccount();
    for (let i = 0; i < 5; i++) assert.is((await login(user.username, `wrong-${i}-password`)).status, 401);
    const locked = await login(user.username, password);
    assert.is(locked.status, 429);
    const retry = Number(locked.headers.get('retry-after'));
    assert.ok(retry > 0 && retry <= 900, `Retry-After ${retry}`);
    assert.ok((await locked.json()).error);
    h.clock.now += 15 * 60 * 1000 + 1;
    assert.is((await login(user.username, password)).status, 200);
  });

  test('a successful login clears earlier failures', async () => {
    const { user, password } = await ownAccount();
    for (let i = 0; i < 4; i++) await login(user.username, 'wrong-password');
    assert.is((await login(user.username, password)).status, 200);
    for (let i = 0; i < 4; i++) await login(user.username, 'wrong-password');
    assert.is((await login(user.username, password)).status, 200);
  });

  test('a login without the x-lk header is refused with 403', async () => {
    const { user, password } = await account();
    const res = await h.request('POST', '/api/auth/login', { body: { username: user.username, password }, headers: { 'x-lk': '' } });
    assert.is(res.status, 403);
    assert.ok((await res.json()).error);
  });

  test('/api/auth/me answers the user with a session and 401 "Niet ingelogd" without', async () => {
    const c = await h.user('begeleider', ['gx']);
    const me = await c.call('GET', '/api/auth/me');
    assert.is(me.status, 200);
    assert.is((await me.json()).user.id, c.userId);
    const anon = await h.request('GET', '/api/auth/me');
    assert.is(anon.status, 401);
    assert.equal(await anon.json(), { error: 'Niet ingelogd' });
    const forged = await h.request('GET', '/api/auth/me', { headers: { cookie: 'lk_session=forged-token' } });
    assert.is(forged.status, 401);
  });

  test('logout ends the session on the server and clears the cookie', async () => {
    const c = await h.user('begeleider');
    const res = await c.call('POST', '/api/auth/logout');
    assert.is(res.status, 200);
    assert.match(res.headers.get('set-cookie')!, /lk_session=;.*Max-Age=0/);
    assert.is((await c.call('GET', '/api/auth/me')).status, 401);
  });

  test('a session ends after 14 days without use, and use keeps it alive (up to its absolute end)', async () => {
    const c = await h.user('begeleider');
    h.clock.now += 13 * 24 * 3600 * 1000;
    const me = await c.call('GET', '/api/auth/me');
    assert.is(me.status, 200);
    assert.match(me.headers.get('set-cookie') ?? '', /Max-Age=1209600/, 'the cookie is renewed with the session');
    h.clock.now += 13 * 24 * 3600 * 1000;
    assert.is((await c.call('GET', '/api/auth/me')).status, 200);
    h.clock.now += 15 * 24 * 3600 * 1000;
    assert.is((await c.call('GET', '/api/auth/me')).status, 401);
  });

  test('changing the password needs the old one and at least 10 characters; the new one then works', async () => {
    const { user, password } = await account();
    const res = await login(user.username, password);
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    const change = (old: string, next: string) => h.request('POST', '/api/auth/password', { body: { old, new: next }, headers: { cookie } });
    const short = await change(password, 'kort');
    assert.is(short.status, 400);
    assert.match((await short.json()).error, /10 tekens/);
    assert.is((await change('not-the-old-one', 'een-lang-nieuw-wachtwoord')).status, 400);
    const ok = await change(password, 'een-lang-nieuw-wachtwoord');
    assert.is(ok.status, 200);
    assert.is((await ok.json()).user.mustChangePassword, false);
    assert.is((await h.request('GET', '/api/auth/me', { headers: { cookie } })).status, 200, 'the current session stays');
    assert.is((await login(user.username, password)).status, 401);
    const again = await login(user.username, 'een-lang-nieuw-wachtwoord');
    assert.is((await again.json()).user.mustChangePassword, false);
  });

  test('a one-time code opens only the password change: sync, report and user management wait until an own password is chosen, and again after a reset', async () => {
    const coord = await h.user('coordinator');
    const { user, password } = await account('coordinator');
    const cookie = (await login(user.username, password)).headers.get('set-cookie')!.split(';')[0];
    const call = (method: string, path: string, body?: unknown) => h.request(method, path, { body, headers: { cookie } });
    const sync = () => call('POST', '/api/sync', { deviceId: uniq('d'), cursor: '0', changes: [] });
    for (const res of [await sync(), await call('GET', '/api/users'), await call('GET', '/api/report?from=2026-01-01&to=2026-12-31'), await call('GET', '/api/audit')]) {
      assert.is(res.status, 403);
      const body = await res.json();
      assert.is(body.mustChangePassword, true);
      assert.match(body.error, /eigen wachtwoord/);
    }
    const me = await call('GET', '/api/auth/me');
    assert.is(me.status, 200);
    assert.is((await me.json()).user.mustChangePassword, true);

    assert.is((await call('POST', '/api/auth/password', { old: password, new: 'een-eigen-wachtwoord' })).status, 200);
    assert.is((await sync()).status, 200);
    assert.is((await call('GET', '/api/users')).status, 200);

    // A reset hands out a new code, and with it the same limits on the open session.
    assert.is((await coord.call('POST', `/api/users/${user.id}/reset`)).status, 200);
    const afterReset = await sync();
    assert.ok(afterReset.status === 401 || afterReset.status === 403, `the old session gets no data after a reset (${afterReset.status})`);
  });

  test('a deactivated user cannot log in and loses open sessions', async () => {
    const coord = await h.user('coordinator');
    const { user, password } = await account();
    const res = await login(user.username, password);
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    assert.is((await coord.call('POST', `/api/users/${user.id}/deactivate`)).status, 200);
    assert.is((await h.request('GET', '/api/auth/me', { headers: { cookie } })).status, 401);
    assert.is((await login(user.username, password)).status, 401);
  });

  test.run();
}
