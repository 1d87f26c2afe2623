import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { deviceId, write, remove } from '../../../src/data/write';
import { keyHeaders, login, logout } from '../../../src/sync/api';
import { syncOnce } from '../../../src/sync/engine';
import { readSyncState } from '../../../src/sync/state';
import { Phone, TestServer, uniqueName, BASE } from './harness';

let server: TestServer;
let coord: { username: string; password: string };
let beg: { username: string; password: string };

test.before(async () => {
  server = await new TestServer().open();
  coord = await server.user('coord', 'coordinator');
  beg = await server.user('anna', 'begeleider', ['g1']);
});
test.after(() => server.close());

async function phone(who = coord): Promise<Phone> {
  const p = new Phone(server, uniqueName('engine'));
  await login(p.transport, p.db, who.username, who.password);
  return p;
}

const participant = (name: string) => ({ name, foundVia: 'flyer' as const, status: 'actief' as const, firstVisit: null, gender: null, ageBand: null, consentDate: null, personId: null });

test('a change pushed by one phone arrives on another, and both outboxes end empty', async () => {
  const a = await phone();
  const b = await phone();
  await write('locations', 'loc1', null, { name: 'De Boom', wijk: 'Noord' }, { db: a.db });
  await write('participants', 'p1', 'g1', participant('Ans'), { db: a.db });
  const ra = await syncOnce(a.transport);
  assert.is(ra.kind, 'ok');
  assert.is(await a.db.outbox.count(), 0);
  const rb = await syncOnce(b.transport);
  assert.is(rb.kind, 'ok');
  assert.is((await b.db.table('participants').get('p1'))?.name, 'Ans');
  assert.is((await b.db.table('locations').get('loc1'))?.wijk, 'Noord');
  assert.ok(Number((await b.db.meta.get('cursor'))?.value) > 0, 'the cursor is stored');
  assert.ok((await readSyncState(b.db)).lastSyncedAt, 'the time of the last sync is stored');
});

test('a deletion reaches the other phone as a tombstone without the values', async () => {
  const a = await phone();
  const b = await phone();
  await write('notes', 'n-del', 'g1', { roundId: 'r.g1.2026-11-23', text: 'geheim', step: null, author: 'A', createdAt: Date.now() }, { db: a.db });
  await syncOnce(a.transport);
  await syncOnce(b.transport);
  assert.is((await b.db.table('notes').get('n-del'))?.text, 'geheim');
  await remove('notes', 'n-del', 'g1', { db: a.db });
  await syncOnce(a.transport);
  await syncOnce(b.transport);
  const row = await b.db.table('notes').get('n-del');
  assert.ok(row?._d);
  assert.is(row?.text, undefined);
});

test('a 401 keeps every change, reports needs-login, and the changes go out after the next login', async () => {
  const p = new Phone(server, uniqueName('engine-401'));
  await write('participants', 'p401', 'g1', participant('Bep'), { db: p.db });
  await write('participants', 'p401', 'g1', { status: 'afgerond' }, { db: p.db });
  const calls: string[] = [];
  p.deliver = (req, send) => {
    calls.push(new URL(req.url).pathname);
    return send(req);
  };
  const r = await syncOnce(p.transport);
  assert.is(r.kind, 'needs-login');
  assert.equal(calls, ['/api/sync'], 'one request, no retry loop');
  assert.is(await p.db.outbox.count(), 2);
  assert.is((await readSyncState(p.db)).needsLogin, true);
  await login(p.transport, p.db, coord.username, coord.password);
  assert.is((await readSyncState(p.db)).needsLogin, false);
  assert.is((await syncOnce(p.transport)).kind, 'ok');
  assert.is(await p.db.outbox.count(), 0);
  const b = await phone();
  await syncOnce(b.transport);
  assert.is((await b.db.table('participants').get('p401'))?.status, 'afgerond');
});

test('an answer lost after the server committed: the retry applies nothing twice and clears the outbox', async () => {
  const p = await phone();
  await write('participants', 'plost', 'g1', participant('Cor'), { db: p.db });
  p.deliver = async (req, send) => {
    await send(req);
    throw new TypeError('Failed to fetch');
  };
  const lost = await syncOnce(p.transport);
  assert.is(lost.kind, 'failed');
  assert.is(await p.db.outbox.count(), 1, 'unacknowledged change stays');
  const stored = await server.store.db.selectFrom('records').select(['version']).where('id', '=', 'plost').executeTakeFirstOrThrow();
  p.deliver = (req, send) => send(req);
  assert.is((await syncOnce(p.transport)).kind, 'ok');
  assert.is(await p.db.outbox.count(), 0);
  const after = await server.store.db.selectFrom('records').select(['version']).where('id', '=', 'plost').executeTakeFirstOrThrow();
  assert.is(after.version, stored.version, 'the retry did not apply the change again');
});

test('a write made while a sync is under way stays in the outbox and goes out with the next sync', async () => {
  const p = await phone();
  await write('participants', 'pw1', 'g1', participant('Dirk'), { db: p.db });
  let wrote = false;
  p.deliver = async (req, send) => {
    const res = await send(req);
    if (!wrote) {
      wrote = true;
      await write('participants', 'pw2', 'g1', participant('Els'), { db: p.db });
    }
    return res;
  };
  assert.is((await syncOnce(p.transport)).kind, 'ok');
  const left = await p.db.outbox.toArray();
  assert.equal(left.map((e) => e.id), ['pw2']);
  assert.is((await syncOnce(p.transport)).kind, 'ok');
  assert.is(await p.db.outbox.count(), 0);
  const b = await phone();
  await syncOnce(b.transport);
  assert.is((await b.db.table('participants').get('pw2'))?.name, 'Els');
});

test('a change the server refuses for good moves to `rejected` with its reason; the rest of the batch goes through', async () => {
  const p = await phone(beg);
  await write('participants', 'pok', 'g1', participant('Fien'), { db: p.db });
  await write('participants', 'pno', 'g2', participant('Gijs'), { db: p.db });
  const r = await syncOnce(p.transport);
  assert.is(r.kind, 'ok');
  assert.is(await p.db.outbox.count(), 0);
  const rejected = await p.db.rejected.toArray();
  assert.equal(rejected.map((e) => e.id), ['pno']);
  assert.match(rejected[0].reason, /niet ingedeeld bij deze groep/);
  const b = await phone();
  await syncOnce(b.transport);
  assert.ok(await b.db.table('participants').get('pok'));
  assert.is(await b.db.table('participants').get('pno'), undefined);
});

test('a phone clock more than a day ahead: its changes wait with the reason and go out once the server catches up', async () => {
  // Its own server: time only moves forward there, as on a real one.
  const own = await new TestServer().open();
  const who = await own.user('klok', 'coordinator');
  const p = new Phone(own, uniqueName('engine-skew'));
  await login(p.transport, p.db, who.username, who.password);
  const ahead = Date.now() + 30 * 3600_000;
  await write('participants', 'pfine', 'g1', participant('Ida'), { db: p.db });
  await write('participants', 'pskew', 'g1', participant('Hans'), { db: p.db, now: ahead });
  const r = await syncOnce({ ...p.transport, now: () => ahead });
  assert.is(r.kind, 'ok');
  const waiting = await p.db.outbox.toArray();
  assert.equal(waiting.map((e) => e.id), ['pskew'], 'only the change stamped far ahead waits');
  const state = await readSyncState(p.db);
  assert.match(state.held[0].reason, /Klok van dit apparaat loopt voor/);
  assert.ok((state.clockOffset ?? 0) < -29 * 3600_000, 'the phone learns how far its clock is off');
  assert.is((await syncOnce(p.transport)).kind, 'ok');
  assert.is(await p.db.outbox.count(), 1, 'still held while the server clock is behind it');
  own.shift = 7 * 3600_000;
  try {
    assert.is((await syncOnce(p.transport)).kind, 'ok');
    assert.is(await p.db.outbox.count(), 0);
    assert.equal((await readSyncState(p.db)).held, []);
  } finally {
    await own.close();
  }
});

test('a change held for a clock far ahead is not lost when that answer never arrived', async () => {
  const own = await new TestServer().open();
  const who = await own.user('klok2', 'coordinator');
  const p = new Phone(own, uniqueName('engine-skew-lost'));
  await login(p.transport, p.db, who.username, who.password);
  const ahead = Date.now() + 30 * 3600_000;
  await write('participants', 'pheld', 'g1', participant('Joke'), { db: p.db, now: ahead });
  p.deliver = async (req, send) => {
    await send(req);
    throw new TypeError('Failed to fetch');
  };
  try {
    assert.is((await syncOnce({ ...p.transport, now: () => ahead })).kind, 'failed');
    p.deliver = (req, send) => send(req);
    assert.is((await syncOnce({ ...p.transport, now: () => ahead })).kind, 'ok');
    assert.is(await p.db.outbox.count(), 1, 'the held change still waits');
    own.shift = 7 * 3600_000;
    await syncOnce(p.transport);
    assert.is(await p.db.outbox.count(), 0);
    const row = await own.store.db.selectFrom('records').select('id').where('id', '=', 'pheld').executeTakeFirst();
    assert.ok(row, 'the server has it');
  } finally {
    await own.close();
  }
});

test('an erased participant disappears from the phone: outbox entries dropped, values gone, not listed as refused', async () => {
  const a = await phone();
  await write('participants', 'perase', 'g1', participant('Jan'), { db: a.db });
  await syncOnce(a.transport);
  const b = await phone();
  await syncOnce(b.transport);
  await write('participants', 'perase', 'g1', { status: 'afgerond' }, { db: b.db });
  const res = await a.fetch(`${BASE}/api/participants/perase/erase`, { method: 'POST', headers: { 'x-lk': '1', ...(await keyHeaders(a.db)) } });
  assert.is(res.status, 200);
  assert.is((await syncOnce(b.transport)).kind, 'ok');
  assert.is(await b.db.outbox.count(), 0);
  assert.is(await b.db.rejected.count(), 0);
  const row = await b.db.table('participants').get('perase');
  assert.ok(row?._d, 'a tombstone remains so the record cannot come back');
  assert.is(row?.name, undefined);
});

test('logging out keeps waiting changes; logging in as someone else pulls from the start', async () => {
  const p = await phone(beg);
  await syncOnce(p.transport);
  await write('participants', 'pkeep', 'g1', participant('Kees'), { db: p.db });
  await logout(p.transport, p.db);
  assert.is(await p.db.outbox.count(), 1);
  assert.is((await syncOnce(p.transport)).kind, 'needs-login');
  await login(p.transport, p.db, coord.username, coord.password);
  assert.is((await p.db.meta.get('cursor'))?.value, '0');
  assert.is((await syncOnce(p.transport)).kind, 'ok');
  assert.is(await p.db.outbox.count(), 0);
  assert.ok(await p.db.table('locations').get('loc1'), 'the new user gets rows from before the old cursor');
});

test('a server error keeps the outbox and reports the status code', async () => {
  const p = await phone();
  await write('participants', 'p500', 'g1', participant('Lies'), { db: p.db });
  p.deliver = async () => new Response('{}', { status: 503 });
  const r = await syncOnce(p.transport);
  assert.equal(r, { kind: 'failed', problem: { code: 'http', status: 503 } });
  assert.is(await p.db.outbox.count(), 1);
  assert.equal((await readSyncState(p.db)).lastProblem, { code: 'http', status: 503 });
});

test('a request that never answers is given up after the timeout; the outbox stays', async () => {
  const p = await phone();
  await write('participants', 'phang', 'g1', participant('Mien'), { db: p.db });
  p.deliver = () => new Promise<Response>(() => {});
  const r = await syncOnce({ ...p.transport, timeoutMs: 50 });
  assert.is(r.kind, 'failed');
  assert.is(await p.db.outbox.count(), 1);
});

test('a malformed change from an older build is set aside with a reason instead of blocking every sync', async () => {
  const p = await phone();
  await write('participants', 'pgood', 'g1', participant('Nel'), { db: p.db });
  await p.db.outbox.put({ mid: 99, table: 'participants', id: 'met spatie', groupId: 'g1', values: { name: 'X' }, hlc: '001790000000000:000000:dx', at: 1 });
  await p.db.meta.put({ key: 'lastMid', value: 99 });
  assert.is((await syncOnce(p.transport)).kind, 'ok');
  assert.is(await p.db.outbox.count(), 0);
  const [bad] = await p.db.rejected.toArray();
  assert.is(bad.id, 'met spatie');
  assert.match(bad.reason, /Ongeldige wijziging: Ongeldige id/);
});

/** A proxy in front of the server that refuses bodies over `max` bytes with 413, as nginx does over its limit. */
function bodyLimit(p: Phone, max: number, seen: number[] = []) {
  p.deliver = async (req, send) => {
    const body = await req.clone().text();
    seen.push(JSON.parse(body).changes.length);
    if (Buffer.byteLength(body) > max) return new Response('<html>413 Request Entity Too Large</html>', { status: 413 });
    return send(req);
  };
  return seen;
}

const longNote = (i: number, length = 900) => ({ roundId: 'r.g1.2026-11-23', text: `${i} ${'lang verhaal '.repeat(80)}`.slice(0, length), step: null, author: 'A', createdAt: Date.now() });

test('a batch over the body limit (413) is split until it fits, and every change arrives', async () => {
  const p = await phone();
  for (let i = 0; i < 40; i++) await write('notes', `n413-${i}`, 'g1', longNote(i), { db: p.db });
  const sizes = bodyLimit(p, 12_000);
  const r = await syncOnce(p.transport);
  assert.is(r.kind, 'ok', JSON.stringify(r));
  assert.is(await p.db.outbox.count(), 0);
  assert.ok(sizes[0] === 40 && sizes.includes(10), `halved until it fit: ${sizes.join(', ')}`);
  const stored = await server.store.db.selectFrom('records').select('id').where('tbl', '=', 'notes').where('id', 'like', 'n413-%').execute();
  assert.is(stored.length, 40);
});

test('a single change over the body limit stays in the outbox with a Dutch reason; the others go through', async () => {
  const p = await phone();
  await write('notes', 'n413-small1', 'g1', longNote(1, 50), { db: p.db });
  await write('notes', 'n413-big', 'g1', longNote(2, 900), { db: p.db });
  await write('notes', 'n413-small2', 'g1', longNote(3, 50), { db: p.db });
  bodyLimit(p, 900);
  const r = await syncOnce(p.transport);
  assert.is(r.kind, 'ok', JSON.stringify(r));
  const left = await p.db.outbox.toArray();
  assert.equal(left.map((e) => e.id), ['n413-big'], 'kept, never dropped');
  const state = await readSyncState(p.db);
  assert.equal(state.held.map((x) => x.id), ['n413-big']);
  assert.match(state.held[0].reason, /te groot/);
  const ids = (await server.store.db.selectFrom('records').select('id').where('id', 'like', 'n413-small%').execute()).map((x) => x.id).sort();
  assert.equal(ids, ['n413-small1', 'n413-small2']);
  // The limit goes up (the proxy is fixed): the waiting change goes out with the next sync and is stored.
  p.deliver = (req, send) => send(req);
  assert.is((await syncOnce(p.transport)).kind, 'ok');
  assert.is(await p.db.outbox.count(), 0);
  assert.ok(await server.store.db.selectFrom('records').select('id').where('id', '=', 'n413-big').executeTakeFirst(), 'stored, not acknowledged unseen');
});

test('a device id another account used first: the phone takes a fresh one and its changes go out', async () => {
  const p = await phone(beg);
  await write('participants', 'pdev1', 'g1', participant('Oma'), { db: p.db });
  assert.is((await syncOnce(p.transport)).kind, 'ok');
  const first = await deviceId(p.db);
  await logout(p.transport, p.db);
  await login(p.transport, p.db, coord.username, coord.password);
  await write('participants', 'pdev2', 'g1', participant('Opa'), { db: p.db });
  const r = await syncOnce(p.transport);
  assert.is(r.kind, 'ok', JSON.stringify(r));
  assert.is(await p.db.outbox.count(), 0);
  assert.not.equal(await deviceId(p.db), first);
  assert.ok(await server.store.db.selectFrom('records').select('id').where('id', '=', 'pdev2').executeTakeFirst());
});

test('two sync calls at once share one run', async () => {
  const p = await phone();
  let requests = 0;
  p.deliver = (req, send) => {
    requests++;
    return send(req);
  };
  const [x, y] = await Promise.all([syncOnce(p.transport), syncOnce(p.transport)]);
  assert.is(x, y);
  assert.is(requests, 1);
});

test('a begeleider renames a location offline: the server refuses it, the phone goes back to the server’s name, other fields and later writes stay', async () => {
  const c = await phone();
  await write('locations', 'lren', null, { name: 'Buurthuis De Linde', wijk: 'Oost', address: 'Lindelaan 1' }, { db: c.db });
  await syncOnce(c.transport);
  const p = await phone(beg);
  await syncOnce(p.transport);
  await write('locations', 'lren', null, { name: 'De Lindeboom' }, { db: p.db });
  await write('participants', 'pren', 'g1', participant('Henk'), { db: p.db });
  assert.is((await p.db.table('locations').get('lren'))?.name, 'De Lindeboom');
  const r = await syncOnce(p.transport);
  assert.is(r.kind, 'ok');
  const loc = await p.db.table('locations').get('lren');
  assert.is(loc?.name, 'Buurthuis De Linde', 'rolled back to the server’s value');
  assert.is(loc?.address, 'Lindelaan 1');
  assert.equal((await p.db.rejected.toArray()).map((e) => [e.id, e.values]), [['lren', { name: 'De Lindeboom' }]], 'the refused change stays listed');
  assert.ok(await p.db.table('participants').get('pren'), 'the accepted change of the same batch stays');
  // The server's later rename reaches the phone as always.
  await write('locations', 'lren', null, { name: 'Buurthuis De Linde-Oost' }, { db: c.db });
  await syncOnce(c.transport);
  await syncOnce(p.transport);
  assert.is((await p.db.table('locations').get('lren'))?.name, 'Buurthuis De Linde-Oost');
});

test('a refused new record the server holds none of leaves the phone; a refused delete gives the server’s record back', async () => {
  const c = await phone();
  await write('categories', 'cdel', null, { kind: 'theme', key: 'buren', label: 'Buren', active: true }, { db: c.db });
  await syncOnce(c.transport);
  const p = await phone(beg);
  await syncOnce(p.transport);
  await write('locations', 'lnew', null, { name: 'Eigen plek', wijk: 'Oost' }, { db: p.db });
  await remove('categories', 'cdel', null, { db: p.db });
  await syncOnce(p.transport);
  assert.is(await p.db.table('locations').get('lnew'), undefined, 'the refused location is gone from the phone');
  const cat = await p.db.table('categories').get('cdel');
  assert.is(cat?._d, undefined);
  assert.is(cat?.label, 'Buren', 'the refused delete is undone');
  assert.equal((await p.db.rejected.toArray()).map((e) => e.id).sort(), ['cdel', 'lnew']);
});

test.run();
