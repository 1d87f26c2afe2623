// Issue 10 items 2 and 14 on the phone: the session key sealed under the app lock, logging out offline, and another
// user logging in on the same phone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lock } from '../../../src/data/lock-state';
import { setPin, unlock } from '../../../src/data/lock';
import { write } from '../../../src/data/write';
import { SESSION_KEY, keyHeaders, login, logout } from '../../../src/sync/api';
import { syncOnce } from '../../../src/sync/engine';
import { readSyncState } from '../../../src/sync/state';
import { BASE, Phone, TestServer, uniqueName } from './harness';

let server: TestServer;
let anna: { username: string; password: string; id: string };
let bert: { username: string; password: string; id: string };

test.before(async () => {
  server = await new TestServer().open();
  anna = await server.user('anna', 'begeleider', ['ga']);
  bert = await server.user('bert', 'begeleider', ['gb']);
});
test.after(() => server.close());

const participant = (name: string) => ({ name, foundVia: 'flyer' as const, status: 'actief' as const, firstVisit: null, gender: null, ageBand: null, consentDate: null, personId: null });
const offline = (p: Phone) => (p.deliver = () => Promise.reject(new TypeError('Failed to fetch')));
const online = (p: Phone) => (p.deliver = (req, send) => send(req));
const syncRaw = (p: Phone, headers: Record<string, string> = {}) =>
  p.fetch(`${BASE}/api/sync`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-lk': '1', ...headers }, body: JSON.stringify({ deviceId: 'raw', cursor: '0', changes: [] }) });

test('the session key is sealed under the app lock: locked, the page has no key and the cookie alone gets 401', async () => {
  const p = new Phone(server, uniqueName('key'));
  await login(p.transport, p.db, anna.username, anna.password);
  assert.ok((await keyHeaders(p.db))['x-lk-key'], 'logged in: a key');
  assert.is((await syncRaw(p, await keyHeaders(p.db))).status, 200);
  await setPin('246813', p.db, { iterations: 1000 });
  const key = (await keyHeaders(p.db))['x-lk-key'];
  lock(p.db);
  assert.equal(await keyHeaders(p.db), {}, 'locked: no key to send');
  const raw = await p.db.meta.get(SESSION_KEY);
  assert.is(raw?.value, undefined, 'the stored row holds no readable key');
  assert.not.ok(JSON.stringify(raw, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v)).includes(key));
  assert.is((await syncRaw(p)).status, 401, 'the session cookie alone opens nothing');
  assert.is((await syncOnce(p.transport)).kind, 'locked');
  assert.is((await unlock('246813', p.db)).kind, 'ok');
  assert.is((await syncOnce(p.transport)).kind, 'ok');
});

test('logging out works offline: the outbox stays, the key goes, the server hears of it when online', async () => {
  const p = new Phone(server, uniqueName('offline-logout'));
  await login(p.transport, p.db, anna.username, anna.password);
  await write('participants', 'p-anna-1', 'ga', participant('Kees'), { db: p.db });
  const key = await keyHeaders(p.db);
  const cookie = p.cookie;
  offline(p);
  await logout(p.transport, p.db);
  assert.is(await p.db.outbox.count(), 1, 'the waiting change stays');
  assert.equal(await keyHeaders(p.db), {});
  assert.is((await readSyncState(p.db)).loggedOut, true);
  assert.is(await p.db.meta.get('user'), undefined);
  online(p);
  assert.is((await syncOnce(p.transport)).kind, 'needs-login', 'nothing goes out while logged out');
  assert.is(await p.db.outbox.count(), 1);
  // The server ended the old session at that sync: even its cookie and key together open nothing now.
  const again = await server.handle(
    new Request(`${BASE}/api/auth/me`, { headers: { cookie: cookie!, ...key } }),
  );
  assert.is(again.status, 401);
  await login(p.transport, p.db, anna.username, anna.password);
  assert.is((await readSyncState(p.db)).loggedOut, false);
  assert.is((await syncOnce(p.transport)).kind, 'ok');
  assert.is(await p.db.outbox.count(), 0, 'the change went out after the login');
});

test('another user logging in sees none of the previous user\'s groups; the previous user\'s waiting change is kept for them', async () => {
  const p = new Phone(server, uniqueName('shared'));
  await login(p.transport, p.db, anna.username, anna.password);
  await write('participants', 'p-anna-synced', 'ga', participant('Ria'), { db: p.db });
  assert.is((await syncOnce(p.transport)).kind, 'ok');
  await write('participants', 'p-anna-waiting', 'ga', participant('Truus'), { db: p.db });
  await logout(p.transport, p.db);

  await login(p.transport, p.db, bert.username, bert.password);
  assert.is(await p.db.table('participants').get('p-anna-synced'), undefined, 'Anna\'s group is not on Bert\'s screen');
  assert.is(await p.db.table('participants').get('p-anna-waiting'), undefined);
  assert.is(await p.db.outbox.count(), 0, 'Anna\'s change is not sent under Bert\'s account');
  assert.is((await syncOnce(p.transport)).kind, 'ok');
  assert.is(await p.db.rejected.count(), 0, 'nor refused as Bert\'s');
  assert.is(await p.db.table('participants').get('p-anna-synced'), undefined, 'Bert\'s pull brings only his groups');
  await logout(p.transport, p.db);

  await login(p.transport, p.db, anna.username, anna.password);
  assert.is(await p.db.outbox.count(), 1, 'Anna\'s waiting change is back');
  assert.is((await syncOnce(p.transport)).kind, 'ok');
  assert.is(await p.db.outbox.count(), 0);
  assert.is((await p.db.table('participants').get('p-anna-waiting'))?.name, 'Truus', 'and reached the server');
  assert.is((await p.db.table('participants').get('p-anna-synced'))?.name, 'Ria');
});

test.run();
