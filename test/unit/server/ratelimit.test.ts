// The per-user sync budget: a burst is allowed, then 429 with Retry-After and a Dutch message; the real sync engine keeps its changes and succeeds later.
import { suite, test as single } from 'uvu';
import * as assert from 'uvu/assert';
import { write } from '../../../src/data/write';
import { createApp } from '../../../src/server/app';
import { SYNC_BUDGET, TokenBuckets } from '../../../src/server/limits';
import { createSession } from '../../../src/server/users';
import { login } from '../../../src/sync/api';
import { syncOnce } from '../../../src/sync/engine';
import { readSyncState } from '../../../src/sync/state';
import { Phone, TestServer, uniqueName } from '../sync/harness';
import { change, DIALECTS, harness, uniq, type Harness } from './harness';

single('a token bucket allows `capacity` at once, then one per 1/perSecond, and never more than capacity after a pause', () => {
  const b = new TokenBuckets({ capacity: 3, perSecond: 0.5 });
  assert.equal([b.take('a', 0), b.take('a', 0), b.take('a', 0)], [0, 0, 0]);
  assert.is(b.take('a', 0), 2, 'seconds until one token is back');
  assert.is(b.take('a', 1000), 1);
  assert.is(b.take('a', 2000), 0);
  assert.is(b.take('b', 2000), 0, 'keys have their own buckets');
  for (let i = 0; i < 3; i++) assert.is(b.take('a', 1_000_000), 0);
  assert.ok(b.take('a', 1_000_000) > 0, 'a long pause refills to capacity, not beyond');
  assert.is(b.take('c', 5000), 0);
  assert.is(b.take('c', 1000), 0, 'a clock that goes back does not drain the bucket');
});
single.run();

for (const kind of DIALECTS) {
  const test = suite(`sync rate limit (${kind})`);
  let h: Harness;
  test.before(async () => {
    h = await harness(kind);
  });
  test.after(async () => h.close());

  test('after the burst a user gets 429 with Retry-After and a Dutch message; the refused request stores nothing', async () => {
    const g = uniq('g');
    const a = await h.user('begeleider', [g]);
    const b = await h.user('begeleider', [g]);
    const device = uniq('dev');
    for (let i = 0; i < SYNC_BUDGET.capacity; i++) assert.is((await a.call('POST', '/api/sync', { deviceId: device, cursor: '0', changes: [] })).status, 200, `request ${i + 1}`);
    const before = await h.snapshot();
    const pid = uniq('p');
    const res = await a.call('POST', '/api/sync', { deviceId: device, cursor: '0', changes: [change(1, 'participants', pid, g, { name: 'Ans', foundVia: 'flyer', status: 'actief' })] });
    assert.is(res.status, 429);
    assert.is(res.headers.get('retry-after'), '1');
    assert.equal(await res.json(), { error: 'Te veel synchronisatieverzoeken. Probeer het over 1 seconde opnieuw.' });
    assert.equal(await h.snapshot(), before, 'nothing stored');
    assert.is((await b.call('POST', '/api/sync', { deviceId: uniq('dev'), cursor: '0', changes: [] })).status, 200, 'another user has their own budget');
    h.clock.now += 1000 / SYNC_BUDGET.perSecond;
    assert.is((await a.call('POST', '/api/sync', { deviceId: device, cursor: '0', changes: [] })).status, 200, 'one token later one request fits again');
    assert.is((await a.call('POST', '/api/sync', { deviceId: device, cursor: '0', changes: [] })).status, 429);
  });

  test('the budget belongs to the user, not the session: logging in again does not refill it', async () => {
    const a = await h.user('coordinator');
    for (let i = 0; i < SYNC_BUDGET.capacity; i++) await a.call('POST', '/api/sync', { deviceId: 'd1', cursor: '0', changes: [] });
    // A second session of the same account, as another phone logging in would get.
    const { token } = await createSession(h.store, a.userId, h.clock.now);
    const res = await h.request('POST', '/api/sync', { body: { deviceId: 'd2', cursor: '0', changes: [] }, headers: { cookie: `lk_session=${token}` } });
    assert.is(res.status, 429);
  });

  test.run();
}

const engine = suite('sync engine under the rate limit');
let server: TestServer;

engine.before(async () => {
  server = await new TestServer().open();
  // A budget of two requests, regained one per 10 s, so the test reaches the limit at once.
  server.app = createApp({ store: server.store, now: () => Date.now() + server.shift, log: () => {}, syncBudget: { capacity: 2, perSecond: 0.1 } });
});
engine.after(() => server.close());

engine('a 429 is a failure to retry later: every change stays in the outbox, none is refused, and a later sync sends them', async () => {
  const coord = await server.user(uniqueName('coord'), 'coordinator');
  const p = new Phone(server, uniqueName('ratelimit'));
  await login(p.transport, p.db, coord.username, coord.password);
  const statuses: number[] = [];
  p.deliver = async (req, send) => {
    const res = await send(req);
    if (new URL(req.url).pathname === '/api/sync') statuses.push(res.status);
    return res;
  };
  assert.is((await syncOnce(p.transport)).kind, 'ok');
  assert.is((await syncOnce(p.transport)).kind, 'ok');
  await write('locations', 'loc-rl', null, { name: 'De Boom', wijk: 'Noord' }, { db: p.db });
  const r = await syncOnce(p.transport);
  // The server's Retry-After comes along, so the scheduler waits at least that long before its retry.
  const retryAfter = r.kind === 'failed' && r.problem.code === 'http' ? r.problem.retryAfter : undefined;
  assert.ok(retryAfter !== undefined && retryAfter >= 1 && retryAfter <= 60, `Retry-After seconds: ${retryAfter}`);
  assert.equal(r, { kind: 'failed', problem: { code: 'http', status: 429, retryAfter } });
  assert.equal(statuses, [200, 200, 429]);
  assert.is(await p.db.outbox.count(), 1, 'the change waits');
  assert.is(await p.db.rejected.count(), 0, 'nothing is set aside as refused');
  assert.is((await readSyncState(p.db)).needsLogin, false, 'a 429 is not a login problem');
  server.shift += 10_000;
  assert.is((await syncOnce(p.transport)).kind, 'ok');
  assert.is(await p.db.outbox.count(), 0);
  const stored = await server.store.db.selectFrom('records').select('id').where('tbl', '=', 'locations').where('id', '=', 'loc-rl').execute();
  assert.is(stored.length, 1);
});

engine.run();
