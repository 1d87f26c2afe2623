import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LkDb, useDb } from '../../../src/data/db';
import { PBKDF2_ITERATIONS, SealError, fieldCipher, newDataKey, unwrapDataKey, wrapDataKey } from '../../../src/data/crypto';
import { changePin, failures, removePin, setPin, unlock, unsyncedCount, wipeForForgottenPin } from '../../../src/data/lock';
import { lock, lockStatus, readLockConfig } from '../../../src/data/lock-state';
import { write, WriteError } from '../../../src/data/write';
import { recordStep } from '../../../src/data/actions';

const FAST = { iterations: 1000 };
const SECRET = 'Marieke vertelde over haar schuld bij de woningbouw';
const NAME = 'Jozefien';

let n = 0;
let d: LkDb;
test.before.each(() => {
  d = new LkDb(`lock-test-${++n}`);
  useDb(d);
});

/** Every store of the database as IndexedDB holds it, read without Dexie or its middleware. */
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
  return JSON.stringify(Object.fromEntries(all));
}

const participant = (name: string) => ({ name, foundVia: 'flyer' as const, status: 'actief' as const, firstVisit: null, gender: 'vrouw' as const, ageBand: null, consentDate: null, personId: null });
const note = (text: string) => ({ roundId: 'g1|2026-11-23', step: null, text, author: 'Anna', createdAt: 1 });

async function seed(db: LkDb = d) {
  await write('participants', 'p1', 'g1', participant(NAME), { db });
  await write('notes', 'n1', 'g1', note(SECRET), { db });
}

test('the data key comes back only with the right PIN, and a new key is stretched with at least 310,000 PBKDF2 rounds', async () => {
  assert.ok(PBKDF2_ITERATIONS >= 310_000);
  const dek = newDataKey();
  const w = await wrapDataKey(dek, '246813', 1000);
  assert.equal(await unwrapDataKey(w, '246813'), dek);
  assert.is(await unwrapDataKey(w, '246814'), null);
  assert.is(w.iterations, 1000, 'the count travels with the key');
});

test('a sealed value opens only under the same row binding, and sealing twice gives different bytes', async () => {
  const c = await fieldCipher(newDataKey());
  const a = c.seal({ text: SECRET }, 'notes:n1');
  const b = c.seal({ text: SECRET }, 'notes:n1');
  assert.not.equal(a, b);
  assert.equal(c.open(a, 'notes:n1'), { text: SECRET });
  assert.throws(() => c.open(a, 'notes:n2'), (e: unknown) => e instanceof SealError);
});

test('without a PIN rows are stored as they always were', async () => {
  await seed();
  assert.is(await lockStatus(d), 'none');
  assert.ok((await rawDump(d.name)).includes(SECRET));
});

test('setting a PIN seals existing notes, names and outbox entries; the app still reads them and queries by index', async () => {
  await seed();
  await setPin('246813', d, FAST);
  assert.is(await lockStatus(d), 'unlocked');
  const raw = await rawDump(d.name);
  assert.not.ok(raw.includes(SECRET), 'no note text in IndexedDB');
  assert.not.ok(raw.includes(NAME), 'no participant name in IndexedDB');
  assert.not.ok(raw.includes('vrouw'), 'no gender in IndexedDB');
  assert.ok(raw.includes('g1|2026-11-23'), 'the round id an index uses stays readable');
  const notes = await d.table('notes').where('roundId').equals('g1|2026-11-23').toArray();
  assert.is(notes[0].text, SECRET);
  assert.is((await d.table('participants').get('p1'))?.name, NAME);
  const out = await d.outbox.toArray();
  assert.ok(out.some((e) => e.values.text === SECRET), 'the outbox reads back in full for sync');
  const seen: string[] = [];
  await d.table('notes').each((r) => void seen.push(r.text as string));
  assert.equal(seen, [SECRET], 'cursor reads are opened too');
});

test('writes after the PIN is set are sealed from the start', async () => {
  await setPin('246813', d, FAST);
  await seed();
  await write('evaluations', 'e1', 'g1', { roundId: 'r1', atmosphere: 4, safety: 5, wentWell: 'Iedereen kwam aan het woord', improve: '', support: '' });
  const raw = await rawDump(d.name);
  for (const s of [SECRET, NAME, 'Iedereen kwam aan het woord']) assert.not.ok(raw.includes(s), s);
  assert.is((await d.table('evaluations').get('e1'))?.wentWell, 'Iedereen kwam aan het woord');
});

test("Dexie's own update path seals as well", async () => {
  await seed();
  await setPin('246813', d, FAST);
  await d.table('notes').update('n1', { author: 'Bartholomeus' });
  assert.not.ok((await rawDump(d.name)).includes('Bartholomeus'));
  const row = await d.table('notes').get('n1');
  assert.is(row?.author, 'Bartholomeus');
  assert.is(row?.text, SECRET, 'the other sealed fields survive a partial update');
});

test('locked, reads show no text and a write of personal text is refused with a clear message; the timer still records', async () => {
  await seed();
  await setPin('246813', d, FAST);
  lock(d);
  assert.is(await lockStatus(d), 'locked');
  const row = await d.table('notes').get('n1');
  assert.is(row?.text, undefined);
  assert.ok(row?.roundId, 'readable fields are still there');
  try {
    await write('notes', 'n2', 'g1', note('nieuw'));
    assert.unreachable('a locked write must fail');
  } catch (e) {
    assert.instance(e, WriteError);
    assert.match((e as Error).message, 'De app is vergrendeld');
  }
  assert.is(await d.table('notes').get('n2'), undefined, 'nothing half-written');
  await recordStep({ id: 'g1|2026-11-23', groupId: 'g1' }, [{ step: 'opening', kind: 'start', at: 5 }]);
  assert.is(await d.table('stepTimings').count(), 1);
});

test('a wrong PIN is refused and counted; after five the next try has to wait; the right PIN opens everything', async () => {
  await seed();
  await setPin('246813', d, FAST);
  lock(d);
  const now = 1_000_000;
  for (let i = 1; i <= 4; i++) assert.equal(await unlock('000000', d, { now }), { kind: 'wrong', failures: i, waitUntil: null });
  const fifth = await unlock('000000', d, { now });
  assert.equal(fifth, { kind: 'wrong', failures: 5, waitUntil: now + 30_000 });
  assert.equal(await unlock('246813', d, { now: now + 1000 }), { kind: 'wait', until: now + 30_000 }, 'even the right PIN waits');
  assert.is((await unlock('000000', d, { now: now + 31_000 })).kind, 'wrong');
  assert.is((await failures(d)).until, now + 31_000 + 60_000, 'the wait doubles');
  assert.equal(await unlock('246813', d, { now: now + 100_000 }), { kind: 'ok' });
  assert.is((await d.table('notes').get('n1'))?.text, SECRET);
  assert.is((await failures(d)).count, 0);
});

test('after a reload the app is locked, and unlocking opens the data', async () => {
  await seed();
  await setPin('246813', d, FAST);
  const again = new LkDb(d.name);
  assert.is(await lockStatus(again), 'locked');
  assert.is((await again.table('participants').get('p1'))?.name, undefined);
  assert.is((await unlock('246813', again)).kind, 'ok');
  assert.is((await again.table('participants').get('p1'))?.name, NAME);
  again.close();
});

test('changing the PIN keeps the data readable under the new PIN only', async () => {
  await seed();
  await setPin('246813', d, FAST);
  assert.is(await changePin('111111', '135791', d, FAST), false, 'the old PIN is asked');
  assert.is(await changePin('246813', '135791', d, FAST), true);
  lock(d);
  assert.is((await unlock('246813', d)).kind, 'wrong');
  assert.is((await unlock('135791', d)).kind, 'ok');
  assert.is((await d.table('notes').get('n1'))?.text, SECRET);
});

test('a 4-digit PIN set before 6 became the minimum still unlocks', async () => {
  await setPin('246813', d, FAST);
  const config = (await readLockConfig(d))!;
  const dek = (await unwrapDataKey(config.key, '246813'))!;
  await d.meta.put({ key: 'lock', value: { ...config, key: await wrapDataKey(dek, '2468', 1000) } });
  lock(d);
  assert.is((await unlock('2468', d)).kind, 'ok');
});

test('a new PIN must be 6 to 8 digits', async () => {
  for (const bad of ['123', '2468', '12345', '123456789', '12a456', '']) {
    try {
      await setPin(bad, d, FAST);
      assert.unreachable(bad);
    } catch (e) {
      assert.match((e as Error).message, '6 tot 8 cijfers');
    }
  }
  assert.is(await readLockConfig(d), null);
});

test('a passphrase of 12 or more characters (not only digits) locks instead of a PIN; spacing and composed accents do not matter', async () => {
  await seed();
  for (const bad of ['kort woord', '123456789012', '   fiets   ']) {
    try {
      await setPin(bad, d, FAST);
      assert.unreachable(bad);
    } catch (e) {
      assert.match((e as Error).message, 'wachtwoordzin van minstens 12 tekens');
    }
  }
  await setPin('café regen koffie lamp', d, FAST);
  assert.is((await readLockConfig(d))?.kind, 'passphrase');
  lock(d);
  assert.is((await unlock('café regen koffie', d)).kind, 'wrong');
  assert.is((await unlock(' cafe\u0301  regen koffie lamp', d)).kind, 'ok', 'decomposed é and extra spaces open it too');
  assert.is((await d.table('notes').get('n1'))?.text, SECRET);
  assert.is(await changePin('café regen koffie lamp', '246813', d, FAST), true, 'and it can become a PIN');
  assert.is((await readLockConfig(d))?.kind, 'pin');
});

test('removing the PIN needs the PIN and writes everything back readable', async () => {
  await seed();
  await setPin('246813', d, FAST);
  assert.is(await removePin('000000', d), false);
  assert.is(await removePin('246813', d), true);
  assert.is(await lockStatus(d), 'none');
  const raw = await rawDump(d.name);
  assert.ok(raw.includes(SECRET) && raw.includes(NAME));
  assert.is((await d.table('notes').get('n1'))?.text, SECRET);
});

test('refused changes and quarantined rows are sealed as well', async () => {
  await d.rejected.put({ mid: 9, table: 'notes', id: 'n9', groupId: 'g1', values: { text: SECRET }, hlc: 'x', at: 1, reason: 'geen rechten' });
  await d.quarantine.add({ table: 'participants', row: { id: 'p9', name: NAME }, reason: 'oud', at: 1 });
  await setPin('246813', d, FAST);
  const raw = await rawDump(d.name);
  assert.not.ok(raw.includes(SECRET) || raw.includes(NAME));
  assert.ok(raw.includes('geen rechten'), 'the reason stays readable');
  assert.is((await d.rejected.get(9))?.values.text, SECRET);
  assert.equal((await d.quarantine.toArray())[0].row, { id: 'p9', name: NAME });
});

test('PIN forgotten: the count of unsynced changes is known while locked, and the wipe leaves an empty database', async () => {
  await seed();
  await setPin('246813', d, FAST);
  lock(d);
  assert.is(await unsyncedCount(d), 2);
  await wipeForForgottenPin(d);
  const fresh = new LkDb(d.name);
  assert.is(await lockStatus(fresh), 'none');
  assert.is(await fresh.table('notes').count(), 0);
  fresh.close();
});

test.run();
