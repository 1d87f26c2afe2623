import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DIALECTS, harness, uniq, type Client, type Harness } from './harness';

for (const kind of DIALECTS) {
  const test = suite(`user management (${kind})`);
  let h: Harness;
  let coord: Client;
  test.before(async () => {
    h = await harness(kind);
    coord = await h.user('coordinator');
  });
  test.after(async () => h.close());

  const login = (username: string, password: string) => h.request('POST', '/api/auth/login', { body: { username, password } });

  test('a coördinator creates a begeleider with groups and gets a one-time password that works once handed over', async () => {
    const username = uniq('marieke');
    const res = await coord.call('POST', '/api/users', { username, role: 'begeleider', groups: ['g1'] });
    assert.is(res.status, 201);
    const body = await res.json();
    assert.is(body.user.username, username);
    assert.equal(body.user.groups, ['g1']);
    assert.is(body.user.mustChangePassword, true);
    assert.match(body.password, /^[A-Za-z0-9]{7}-[A-Za-z0-9]{7}$/);
    const li = await login(username, body.password);
    assert.is(li.status, 200);
    assert.equal((await li.json()).user.groups, ['g1']);
  });

  test('a username is unique: a second one is 409', async () => {
    const username = uniq('dubbel');
    assert.is((await coord.call('POST', '/api/users', { username, role: 'begeleider' })).status, 201);
    const again = await coord.call('POST', '/api/users', { username: username.toUpperCase(), role: 'coordinator' });
    assert.is(again.status, 409);
    assert.match((await again.json()).error, /bestaat al/);
  });

  test('the user list shows every account with role, groups and whether it is active, never a password hash', async () => {
    const username = uniq('lijst');
    await coord.call('POST', '/api/users', { username, role: 'begeleider', groups: ['g7'] });
    const res = await coord.call('GET', '/api/users');
    assert.is(res.status, 200);
    const { users } = await res.json();
    const u = users.find((x: { username: string }) => x.username === username);
    assert.equal(Object.keys(u).sort(), ['active', 'groups', 'id', 'mustChangePassword', 'role', 'username']);
    assert.is(u.active, true);
    assert.not.match(JSON.stringify(users), /scrypt/);
  });

  test('assigning groups replaces the list and the begeleider sees it at once', async () => {
    const beg = await h.user('begeleider', ['g1']);
    const res = await coord.call('PUT', `/api/users/${beg.userId}/groups`, { groups: ['g2', 'g3', 'g2'] });
    assert.is(res.status, 200);
    assert.equal((await res.json()).user.groups, ['g2', 'g3']);
    assert.equal((await (await beg.call('GET', '/api/auth/me')).json()).user.groups, ['g2', 'g3']);
  });

  test('a reset gives a new one-time password, ends the old sessions and the old password stops working', async () => {
    const username = uniq('reset');
    const created = await (await coord.call('POST', '/api/users', { username, role: 'begeleider' })).json();
    const li = await login(username, created.password);
    const cookie = li.headers.get('set-cookie')!.split(';')[0];
    const res = await coord.call('POST', `/api/users/${created.user.id}/reset`);
    assert.is(res.status, 200);
    const { password } = await res.json();
    assert.is.not(password, created.password);
    assert.is((await h.request('GET', '/api/auth/me', { headers: { cookie } })).status, 401);
    assert.is((await login(username, created.password)).status, 401);
    assert.is((await login(username, password)).status, 200);
  });

  test('deactivating a user blocks their login; a coördinator cannot deactivate themselves', async () => {
    const username = uniq('weg');
    const created = await (await coord.call('POST', '/api/users', { username, role: 'begeleider' })).json();
    assert.is((await coord.call('POST', `/api/users/${created.user.id}/deactivate`)).status, 200);
    assert.is((await login(username, created.password)).status, 401);
    const self = await coord.call('POST', `/api/users/${coord.userId}/deactivate`);
    assert.is(self.status, 400);
    assert.is((await coord.call('GET', '/api/auth/me')).status, 200);
  });

  test('a begeleider gets 403 on every user-management endpoint and changes nothing', async () => {
    const beg = await h.user('begeleider', ['g1']);
    const before = JSON.stringify(await h.store.db.selectFrom('users').selectAll().orderBy('id').execute());
    const calls: [string, string, unknown?][] = [
      ['GET', '/api/users'],
      ['POST', '/api/users', { username: uniq('stiekem'), role: 'coordinator' }],
      ['PUT', `/api/users/${beg.userId}/groups`, { groups: ['g1', 'g2'] }],
      ['POST', `/api/users/${coord.userId}/reset`],
      ['POST', `/api/users/${coord.userId}/deactivate`],
    ];
    for (const [m, p, b] of calls) {
      const res = await beg.call(m, p, b);
      assert.is(res.status, 403, `${m} ${p}`);
      assert.type((await res.json()).error, 'string');
    }
    assert.is(JSON.stringify(await h.store.db.selectFrom('users').selectAll().orderBy('id').execute()), before);
  });

  test('user management without a session is 401', async () => {
    assert.is((await h.request('GET', '/api/users')).status, 401);
    assert.is((await h.request('POST', '/api/users', { body: { username: uniq('x'), role: 'begeleider' } })).status, 401);
  });

  test.run();
}
