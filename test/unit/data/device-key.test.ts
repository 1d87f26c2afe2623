// Data at rest before and after a PIN: rows are sealed from their first write under a device key kept outside
// IndexedDB; a PIN only wraps that key. Node has no Cache Storage, so a Map stands in for it here; the e2e test
// (app-lock) greps a real Chromium profile.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LkDb, useDb } from '../../../src/data/db';
import { usePlainKeyStore, type PlainKeyStore } from '../../../src/data/device-key';
import { removePin, setPin, unlock } from '../../../src/data/lock';
import { lock, lockStatus } from '../../../src/data/lock-state';
import { write } from '../../../src/data/write';

const FAST = { iterations: 1000 };
const SECRET = 'Marieke vertelde over haar schuld bij de woningbouw';
const NAME = 'Jozefien';

class MapStore implements PlainKeyStore {
  keys = new Map<string, Uint8Array>();
  async get(n: string) {
    return this.keys.get(n)?.slice() ?? null;
  }
  async put(n: string, k: Uint8Array) {
    this.keys.set(n, k.slice());
  }
  async delete(n: string) {
    this.keys.delete(n);
  }
}

let n = 0;
let d: LkDb;
let store: MapStore;
test.before.each(() => {
  store = new MapStore();
  usePlainKeyStore(store);
  d = new LkDb(`device-key-test-${++n}`);
  useDb(d);
});
test.after.each(() => {
  d.close();
  usePlainKeyStore(null);
});

async function rawDump(name: string): Promise<string> {
  const idb = await new Promise<IDBDatabase>((resolve, reject) => {
    const r = indexedDB.open(name);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const stores = [...idb.objectStoreNames];
  const tx = idb.transaction(stores, 'readonly');
  const all = await Promise.all(
    stores.map(
      (s) =>
        new Promise<[string, unknown[]]>((resolve, reject) => {
          const r = tx.objectStore(s).getAll();
          r.onsuccess = () => resolve([s, r.result]);
          r.onerror = () => reject(r.error);
        }),
    ),
  );
  idb.close();
  return JSON.stringify(Object.fromEntries(all), (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v));
}

const participant = (name: string) => ({ name, foundVia: 'flyer' as const, status: 'actief' as const, firstVisit: '2025-03-04', gender: 'vrouw' as const, ageBand: null, consentDate: null, personId: null });
const note = (text: string) => ({ roundId: 'g1|2026-11-23', step: null, text, author: 'Anna', createdAt: 1 });

async function seed(db: LkDb = d) {
  await write('participants', 'p1', 'g1', participant(NAME), { db });
  await write('notes', 'n1', 'g1', note(SECRET), { db });
}

test('without a PIN rows are sealed from their first write; the key is not in IndexedDB; a new start reads them', async () => {
  await seed();
  assert.is(await lockStatus(d), 'none');
  const raw = await rawDump(d.name);
  assert.not.ok(raw.includes(SECRET), 'no note text in IndexedDB');
  assert.not.ok(raw.includes(NAME), 'no name in IndexedDB');
  const key = store.keys.get(d.name);
  assert.ok(key && key.length === 32, 'the device key is in the plain key store');
  assert.not.ok(raw.includes(Buffer.from(key).toString('hex')), 'and not in IndexedDB');
  d.close();
  const again = new LkDb(d.name);
  assert.is((await again.table('notes').get('n1'))?.text, SECRET);
  assert.is((await again.outbox.toArray()).find((e) => e.table === 'notes')?.values.text, SECRET, 'the outbox reads back for sync');
  again.close();
});

test('setting a PIN wraps the same key and deletes its plain copy; locked nothing opens; removing the PIN puts it back', async () => {
  await seed();
  const before = await rawDump(d.name);
  await setPin('246813', d, FAST);
  assert.is(store.keys.size, 0, 'no plain key left once the PIN is set');
  assert.ok((await rawDump(d.name)).includes(JSON.parse(before).notes[0]._e), 'rows were not rewritten: they were sealed already');
  lock(d);
  assert.is((await d.table('notes').get('n1'))?.text, undefined);
  const fresh = new LkDb(d.name);
  assert.is(await lockStatus(fresh), 'locked', 'a new start with a PIN finds no key to open');
  assert.is((await fresh.table('participants').get('p1'))?.name, undefined);
  fresh.close();
  assert.is((await unlock('246813', d)).kind, 'ok');
  assert.is(await removePin('246813', d), true);
  assert.ok(store.keys.has(d.name), 'without a PIN the key is back in the plain store');
  assert.not.ok((await rawDump(d.name)).includes(SECRET), 'the rows stay sealed');
  d.close();
  const later = new LkDb(d.name);
  assert.is(await lockStatus(later), 'none');
  assert.is((await later.table('notes').get('n1'))?.text, SECRET);
  later.close();
});

test('a context that held the device key before a PIN was set elsewhere (the service worker) drops it', async () => {
  await seed();
  const worker = new LkDb(d.name);
  assert.is((await worker.table('notes').get('n1'))?.text, SECRET);
  await setPin('246813', d, FAST);
  assert.is(await lockStatus(worker), 'locked');
  assert.is((await worker.table('notes').get('n1'))?.text, undefined);
  worker.close();
});

test('an old phone with readable rows and no PIN is sealed at its first start with the device key', async () => {
  usePlainKeyStore(null);
  await seed();
  assert.ok((await rawDump(d.name)).includes(SECRET), 'the old build stored text readable');
  d.close();
  usePlainKeyStore(store);
  const updated = new LkDb(d.name);
  assert.is((await updated.table('notes').get('n1'))?.text, SECRET);
  const raw = await rawDump(d.name);
  assert.not.ok(raw.includes(SECRET) || raw.includes(NAME), 'sealed at the first start');
  assert.ok(raw.includes('"sealed"'), 'the sealing version is recorded');
  await write('notes', 'n2', 'g1', note('nog een notitie'), { db: updated });
  assert.is((await updated.table('notes').get('n2'))?.text, 'nog een notitie');
  updated.close();
});

test('what tells about a person or a story is sealed: themes, strategies, werkvorm, status, found-via, first visit, scores', async () => {
  usePlainKeyStore(null);
  await setPin('246813', d, FAST);
  await write('participants', 'p1', 'g1', { ...participant(NAME), foundVia: 'professional', status: 'gestopt' }, { db: d });
  await write(
    'rounds',
    'g1|2026-11-23',
    'g1',
    {
      date: '2026-11-23', locationId: null, begeleiders: [], status: 'bezig', startedAt: 1, endedAt: null, werkvorm: 'Fotokaarten',
      plan: { inloop: 15, opening: 15, verhaalkeuze: 15, verdieping: 30, verbreding: 30, afsluiting: 15, uitloop: 15 },
      themesRaised: { verslaving: 2 }, chosenTheme: 'verslaving', mote: '', strategies: ['hulp-zoeken'], strategiesNote: '', closingWords: '',
    },
    { db: d },
  );
  await write('evaluations', 'e1', 'g1', { roundId: 'g1|2026-11-23', atmosphere: 2, safety: 1, wentWell: '', improve: '', support: '' }, { db: d });
  const raw = await rawDump(d.name);
  for (const s of ['verslaving', 'hulp-zoeken', 'Fotokaarten', 'professional', 'gestopt', '2025-03-04', '"atmosphere":2', '"safety":1']) assert.not.ok(raw.includes(s), s);
  assert.ok(raw.includes('2026-11-23'), 'the round date an index uses stays readable');
  const r = await d.table('rounds').get('g1|2026-11-23');
  assert.equal(r?.themesRaised, { verslaving: 2 });
  assert.is((await d.table('participants').get('p1'))?.status, 'gestopt');
  assert.is((await d.table('evaluations').get('e1'))?.safety, 1);
});

test('which participant came to which round is sealed: the attendance id and index hold a keyed tag; every query still finds by the real ids', async () => {
  await seed();
  const round = 'g1|2026-11-23';
  await write('attendance', `${round}|p1`, 'g1', { roundId: round, participantId: 'p1', present: true }, { db: d });
  await write('attendance', `${round}|p2`, 'g1', { roundId: round, participantId: 'p2', present: false }, { db: d });
  const raw = JSON.parse(await rawDump(d.name)) as Record<string, Record<string, unknown>[]>;
  const stored = JSON.stringify({ attendance: raw.attendance, outbox: raw.outbox.filter((e) => e.table === 'attendance') });
  assert.not.ok(/\|p1|\|p2|"p1"|"p2"/.test(stored), `no participant id next to a round: ${stored}`);
  assert.ok(stored.includes(round), 'the round id an index uses stays readable');
  const t = d.table('attendance');
  assert.is((await t.get(`${round}|p1`))?.participantId, 'p1');
  const byRound = (await t.where('roundId').equals(round).toArray()).map((a) => [a.id, a.participantId, a.present]).sort();
  assert.equal(byRound, [
    [`${round}|p1`, 'p1', true],
    [`${round}|p2`, 'p2', false],
  ]);
  assert.equal((await t.where('participantId').equals('p2').toArray()).map((a) => a.id), [`${round}|p2`]);
  assert.equal((await t.bulkGet([`${round}|p2`, `${round}|p9`])).map((a) => a?.present), [false, undefined]);
  const first = (await t.limit(1).toArray())[0];
  assert.is((await t.where(':id').above(first.id).toArray()).length, 1, 'paging by id continues after the last real id');
  assert.is(await t.where('participantId').equals('p1').count(), 1);
  const change = (await d.outbox.toArray()).find((e) => e.table === 'attendance' && e.values.participantId === 'p1');
  assert.is(change?.id, `${round}|p1`, 'the outbox gives the real id back for sync');
  assert.is(await d.outbox.where('[table+id]').equals(['attendance', `${round}|p1`]).count(), 1);
  await d.outbox.where('[table+id]').equals(['attendance', `${round}|p1`]).delete();
  assert.is(await d.outbox.where('[table+id]').equals(['attendance', `${round}|p1`]).count(), 0);
  d.close();
  const again = new LkDb(d.name);
  assert.equal((await again.table('attendance').where('roundId').equals(round).toArray()).map((a) => a.id).sort(), [`${round}|p1`, `${round}|p2`], 'a new start opens them too');
  await setPin('246813', again, FAST);
  lock(again);
  const locked = JSON.stringify(await again.table('attendance').toArray());
  assert.not.ok(/\|p1|\|p2|"p1"|"p2"/.test(locked), `locked, no participant id comes back: ${locked}`);
  assert.is((await unlock('246813', again)).kind, 'ok');
  await again.table('attendance').delete(`${round}|p1`);
  assert.is(await again.table('attendance').get(`${round}|p1`), undefined);
  assert.is((await again.table('attendance').get(`${round}|p2`))?.participantId, 'p2');
  again.close();
});

test('an old phone\'s attendance rows move to their tagged keys at the first start, without duplicates', async () => {
  usePlainKeyStore(null);
  const round = 'g1|2026-11-23';
  await write('attendance', `${round}|p1`, 'g1', { roundId: round, participantId: 'p1', present: true }, { db: d });
  d.close();
  usePlainKeyStore(store);
  const updated = new LkDb(d.name);
  assert.is(await updated.table('attendance').count(), 1);
  assert.is((await updated.table('attendance').get(`${round}|p1`))?.present, true);
  assert.not.ok((await rawDump(d.name)).includes(`${round}|p1`));
  updated.close();
});

test.run();
