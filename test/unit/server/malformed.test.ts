import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_BATCH } from '../../../src/shared/schema';
import { change, DIALECTS, harness, uniq, type Client, type Harness } from './harness';

for (const kind of DIALECTS) {
  const test = suite(`malformed requests (${kind})`);
  let h: Harness;
  let coord: Client;
  test.before(async () => {
    h = await harness(kind);
    coord = await h.user('coordinator');
  });
  test.after(async () => h.close());

  const good = (mid = 1) => change(mid, 'participants', uniq('p'), 'g1', { name: 'Ans' });

  /** Sends a bad request and checks: a 4xx with a readable reason, nothing stored, nothing logged as a server error. */
  async function refused(send: () => Promise<Response>, status: number, reason?: RegExp) {
    const before = await h.snapshot();
    const logs = h.logs.length;
    const res = await send();
    assert.is(res.status, status);
    const body = await res.json();
    assert.type(body.error, 'string');
    assert.ok(body.error.length > 5);
    if (reason) assert.match(body.error, reason);
    assert.not.match(JSON.stringify(body), /at .*\.ts:\d+|node_modules/, 'no stack trace');
    assert.equal(await h.snapshot(), before, 'nothing stored changed');
    assert.is(h.logs.length, logs, 'no server error');
    return body;
  }
  const syncRaw = (raw: string, headers: Record<string, string> = {}) => h.request('POST', '/api/sync', { raw, headers: { cookie: coord.cookie, ...headers } });
  const syncBody = (body: unknown) => syncRaw(JSON.stringify(body));

  test('invalid JSON is 400', async () => {
    await refused(() => syncRaw('{"deviceId": "d1", "cursor": '), 400, /JSON/);
    await refused(() => syncRaw(''), 400);
  });

  test('a body that is not an object is 400', async () => {
    for (const body of [null, [], 'sync', 42]) await refused(() => syncBody(body), 400);
  });

  test('wrong types are 400 with the path of the problem', async () => {
    const b1 = await refused(() => syncBody({ deviceId: 'd1', cursor: 0, changes: [] }), 400, /cursor/);
    assert.ok(Array.isArray(b1.issues) && b1.issues[0].path === 'cursor');
    await refused(() => syncBody({ deviceId: 'd1', cursor: '0', changes: {} }), 400, /changes/);
    await refused(() => syncBody({ deviceId: 'd1', cursor: '0', changes: [{ ...good(), mid: '1' }] }), 400, /changes\.0\.mid/);
    await refused(() => syncBody({ deviceId: 'd1', cursor: '0', changes: [{ ...good(), values: 'name=Ans' }] }), 400, /values/);
    await refused(() => syncBody({ deviceId: 'd1', cursor: '0', changes: [{ ...good(), hlc: 'gisteren' }] }), 400, /hlc/);
    await refused(() => syncBody({ deviceId: 'd1', cursor: '-1', changes: [] }), 400, /cursor/);
    await refused(() => syncBody({ cursor: '0', changes: [] }), 400, /deviceId/);
  });

  test('an unknown table is 400', async () => {
    await refused(() => syncBody({ deviceId: 'd1', cursor: '0', changes: [{ ...good(), table: 'users' }] }), 400, /table/);
  });

  test('bad ids are 400', async () => {
    for (const id of ['', 'met spatie', 'x'.repeat(129), "p'; drop table records; --", '../etc/passwd']) {
      await refused(() => syncBody({ deviceId: 'd1', cursor: '0', changes: [{ ...good(), id }] }), 400, /id/i);
    }
    await refused(() => syncBody({ deviceId: 'apparaat 1', cursor: '0', changes: [good()] }), 400, /deviceId/);
  });

  test(`a batch over ${MAX_BATCH} changes is 400 and applies nothing`, async () => {
    const changes = Array.from({ length: MAX_BATCH + 1 }, (_, i) => good(i + 1));
    await refused(() => syncBody({ deviceId: uniq('d'), cursor: '0', changes }), 400, new RegExp(String(MAX_BATCH)));
  });

  test('a body over 2 MB is 413', async () => {
    const huge = JSON.stringify({ deviceId: 'd1', cursor: '0', changes: [{ ...good(), values: { name: 'x'.repeat(3 * 1024 * 1024) } }] });
    await refused(() => syncRaw(huge), 413, /te groot/);
  });

  test('a sync without the x-lk header is 403', async () => {
    await refused(() => syncRaw(JSON.stringify({ deviceId: 'd1', cursor: '0', changes: [good()] }), { 'x-lk': '' }), 403, /x-lk/);
  });

  test('bad input to the user and login endpoints is 4xx, never 5xx', async () => {
    const cases: [string, string, unknown][] = [
      ['POST', '/api/auth/login', { username: 42, password: [] }],
      ['POST', '/api/auth/login', 'nope'],
      ['POST', '/api/auth/password', { old: 1 }],
      ['POST', '/api/users', { username: 'Met Spatie', role: 'begeleider' }],
      ['POST', '/api/users', { username: 'goede-naam', role: 'admin' }],
      ['POST', '/api/users', { username: 'goede-naam', role: 'begeleider', groups: 'g1' }],
      ['PUT', `/api/users/${coord.userId}/groups`, { groups: [1, 2] }],
      ['PUT', '/api/users/bestaat-niet/groups', { groups: [] }],
      ['POST', '/api/users/..%2F..%2Fx/reset', {}],
      ['POST', '/api/participants/met%20spatie/erase', {}],
      ['POST', '/api/participants/bestaat-niet/erase', {}],
      ['POST', '/api/onbekend', {}],
    ];
    for (const [method, path, body] of cases) {
      const res = await h.request(method, path, { body, headers: { cookie: coord.cookie } });
      assert.ok(res.status >= 400 && res.status < 500, `${method} ${path}: ${res.status}`);
      assert.type((await res.json()).error, 'string');
    }
    assert.is(h.logs.length, 0);
  });

  test.run();
}
