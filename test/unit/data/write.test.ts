import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LkDb, useDb } from '../../../src/data/db';
import { applyRemote, write, remove, writeAll } from '../../../src/data/write';
import { rowToRemote } from '../../../src/shared/merge';
import { createGroup, createLocation, startRound, setPresent, addParticipant, addNote, RoundExistsError, endRound, updateRound } from '../../../src/data/actions';

let n = 0;
test.before.each(() => {
  useDb(new LkDb(`write-test-${++n}`));
});

async function dbNow() {
  const { db } = await import('../../../src/data/db');
  return db();
}

test('a write stores the row and queues one outbox entry with a fresh HLC', async () => {
  await write('locations', 'l1', null, { name: 'Buurthuis De Boom', wijk: 'Noord' });
  const d = await dbNow();
  const row = await d.table('locations').get('l1');
  assert.is(row?.name, 'Buurthuis De Boom');
  const out = await d.outbox.toArray();
  assert.is(out.length, 1);
  assert.is(out[0].mid, 1);
  assert.equal(out[0].values, { name: 'Buurthuis De Boom', wijk: 'Noord' });
  assert.is(row?._h.name, out[0].hlc);
});

test('mutation ids and HLCs increase with every write', async () => {
  await write('locations', 'l1', null, { name: 'A', wijk: 'W' });
  await write('locations', 'l1', null, { name: 'B' });
  const out = await (await dbNow()).outbox.toArray();
  assert.equal(out.map((o) => o.mid), [1, 2]);
  assert.ok(out[1].hlc > out[0].hlc);
});

test('an invalid write is refused with a Dutch reason and stores nothing', async () => {
  try {
    await write('locations', 'l1', null, { name: '   ', wijk: 'W' });
    assert.unreachable('should refuse an empty name');
  } catch (e) {
    assert.match((e as Error).message, /Naam mag niet leeg zijn/);
  }
  const d = await dbNow();
  assert.is(await d.table('locations').count(), 0);
  assert.is(await d.outbox.count(), 0);
});

test('a failed operation in a batch rolls back the whole batch', async () => {
  await write('participants', 'p1', 'g1', { name: 'Ans' });
  try {
    await writeAll([
      { table: 'participants', id: 'p2', groupId: 'g1', values: { name: 'Bep' } },
      { table: 'participants', id: 'p1', groupId: 'g2', values: { name: 'Cor' } },
    ]);
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /Niet opgeslagen/);
  }
  const d = await dbNow();
  assert.is(await d.table('participants').get('p2'), undefined);
  assert.is(await d.outbox.count(), 1);
});

test('deleting drops the values and leaves a tombstone', async () => {
  await write('notes', 'n1', 'g1', { text: 'geheim' });
  await remove('notes', 'n1', 'g1');
  const row = await (await dbNow()).table('notes').get('n1');
  assert.is(row?.text, undefined);
  assert.ok(row?._d);
});

test('starting today twice opens the same round; a finished round refuses a second start', async () => {
  const locationId = await createLocation({ name: 'De Boom', wijk: 'Noord' });
  const gid = await createGroup({ name: 'Dinsdaggroep', locationId, rhythm: 'tweewekelijks' });
  const group = (await (await dbNow()).table('groups').get(gid)) as never;
  const a = await startRound(group, { date: '2026-11-23' });
  const b = await startRound(group, { date: '2026-11-23' });
  assert.is(a, b);
  const round = (await (await dbNow()).table('rounds').get(a)) as never;
  await endRound(round);
  try {
    await startRound(group, { date: '2026-11-23' });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, RoundExistsError);
  }
  const c = await startRound(group, { date: '2026-11-23', second: true });
  assert.is.not(c, a);
});

test('a newcomer is stored with attendance in one step; notes over 1000 characters are refused', async () => {
  const round = { id: 'r.g1.2026-11-23', groupId: 'g1', date: '2026-11-23' };
  const pid = await addParticipant(round, { name: 'Fatima', foundVia: 'flyer' });
  const d = await dbNow();
  assert.is((await d.table('attendance').get(`${round.id}|${pid}`))?.present, true);
  await setPresent(round, pid, false);
  assert.is((await d.table('attendance').get(`${round.id}|${pid}`))?.present, false);
  try {
    await addNote(round, 'x'.repeat(1001), 'opening');
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /hoogstens 1000 tekens/);
  }
});

test('a phone that starts the same round later, offline, overwrites none of the fields the first phone filled in', async () => {
  const a = new LkDb(`write-test-a-${++n}`);
  const b = new LkDb(`write-test-b-${n}`);
  useDb(a);
  const locationId = await createLocation({ name: 'De Boom', wijk: 'Noord' });
  const gid = await createGroup({ name: 'Dinsdaggroep', locationId, rhythm: 'tweewekelijks' });
  const group = (await a.table('groups').get(gid)) as never;
  await applyRemote([rowToRemote('groups', group)], { db: b });
  const id = await startRound(group, { date: '2026-11-23', now: Date.parse('2026-11-23T18:30:00Z') });
  await updateRound({ id, groupId: gid }, { werkvorm: 'blij-nieuws', mote: 'Wie kent dit?' });
  useDb(b);
  await new Promise((r) => setTimeout(r, 5));
  const later = Date.parse('2026-11-23T18:40:00Z');
  assert.is(await startRound(group, { date: '2026-11-23', now: later }), id);
  const rowA = (await a.table('rounds').get(id)) as never;
  const rowB = (await b.table('rounds').get(id)) as never;
  await applyRemote([rowToRemote('rounds', rowB)], { db: a });
  await applyRemote([rowToRemote('rounds', rowA)], { db: b });
  for (const d of [a, b]) {
    const r = (await d.table('rounds').get(id))!;
    assert.is(r.werkvorm, 'blij-nieuws');
    assert.is(r.mote, 'Wie kent dit?');
    assert.is(r.status, 'bezig');
    assert.is(r.startedAt, later, 'starting is a real write: the later start counts');
  }
});

test.run();
