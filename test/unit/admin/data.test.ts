// The coördinator's data operations: planning, moving and cancelling rounds, linking people, category lists.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LkDb, db, useDb } from '../../../src/data/db';
import { createGroup, createLocation, startRound } from '../../../src/data/actions';
import { write } from '../../../src/data/write';
import { roundId } from '../../../src/shared/ids';
import type { Group, Participant, Round, StoredRecord } from '../../../src/shared/schema';
import {
  addCategory,
  cancelRound,
  categoryItems,
  linkParticipants,
  moveRound,
  participantStats,
  planRounds,
  saveCategory,
  slug,
} from '../../../src/app/admin/data';

let n = 0;
test.before.each(() => {
  useDb(new LkDb(`admin-data-${++n}-${Date.now()}`));
});

async function makeGroup(name = 'Dinsdaggroep'): Promise<Group> {
  const locationId = await createLocation({ name: 'Buurthuis', wijk: 'Oost', address: '' });
  const id = await createGroup({ name, locationId, rhythm: 'wekelijks' });
  return (await db().table('groups').get(id)) as Group;
}
async function rejects(p: Promise<unknown>, re: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    assert.match((e as Error).message, re);
    return;
  }
  assert.unreachable(`expected a refusal matching ${re}`);
}
const getRound = async (id: string) => (await db().table('rounds').get(id)) as Round;

test('planning skips dates that already have a round and never overwrites it', async () => {
  const g = await makeGroup();
  const running = await startRound(g, { date: '2026-12-01' });
  const planned = await planRounds(g, ['2026-12-01', '2026-12-08']);
  assert.equal(planned, ['2026-12-08']);
  assert.is((await getRound(running)).status, 'bezig');
  assert.is((await getRound(roundId(g.id, '2026-12-08'))).status, 'gepland');
});

test("a begeleider's start on a planned date opens the planned round", async () => {
  const g = await makeGroup();
  await planRounds(g, ['2026-12-08']);
  const id = await startRound(g, { date: '2026-12-08' });
  assert.is(id, roundId(g.id, '2026-12-08'));
  assert.is((await getRound(id)).status, 'bezig');
  assert.is(await db().table('rounds').count(), 1);
});

test('moving a planned round gives it the id of its new date, and the old date can still hold a round', async () => {
  const g = await makeGroup();
  await planRounds(g, ['2026-12-08']);
  const moved = await moveRound(await getRound(roundId(g.id, '2026-12-08')), g, '2026-12-10');
  assert.is(moved, roundId(g.id, '2026-12-10'));
  assert.is((await getRound(moved)).date, '2026-12-10');
  assert.ok((await getRound(roundId(g.id, '2026-12-08')))._d, 'old id removed');
  // Someone meets on the old date after all: the round must be stored, not swallowed by the tombstone.
  const again = await startRound(g, { date: '2026-12-08' });
  const r = await getRound(again);
  assert.is(r.status, 'bezig');
  assert.not.ok(r._d);
  // Planning the old date again finds the same free id the begeleider's phone uses.
  assert.equal(await planRounds(g, ['2026-12-08']), []);
});

test('a round with data, a running round, or a taken date cannot be moved', async () => {
  const g = await makeGroup();
  await planRounds(g, ['2026-12-08', '2026-12-15']);
  const id = roundId(g.id, '2026-12-08');
  await write('notes', 'n1', g.id, { roundId: id, step: null, text: 'Koffie regelen', author: '', createdAt: 1 });
  await rejects(moveRound(await getRound(id), g, '2026-12-09'), /heeft al gegevens/);
  await rejects(moveRound(await getRound(roundId(g.id, '2026-12-15')), g, '2026-12-08'), /staat al een ronde/);
  const running = await startRound(g, { date: '2026-12-01' });
  await rejects(moveRound(await getRound(running), g, '2026-12-02'), /Alleen een geplande ronde/);
});

test('cancelling keeps the round with status geannuleerd; only planned rounds can be cancelled', async () => {
  const g = await makeGroup();
  await planRounds(g, ['2026-12-08']);
  const r = await getRound(roundId(g.id, '2026-12-08'));
  await cancelRound(r);
  const after = await getRound(r.id);
  assert.is(after.status, 'geannuleerd');
  assert.is(after.date, '2026-12-08');
  await rejects(cancelRound(after), /Alleen een geplande ronde/);
});

const base = { firstVisit: null, foundVia: 'flyer' as const, status: 'actief' as const, gender: null, ageBand: null, consentDate: null, personId: null };

test('linking joins whole chains: A–B then C–A gives all three one person id', async () => {
  await write('participants', 'a', 'g1', { ...base, name: 'Ans' });
  await write('participants', 'b', 'g2', { ...base, name: 'Ans' });
  await write('participants', 'c', 'g3', { ...base, name: 'Ans' });
  const all = async () => (await db().table('participants').toArray()) as Participant[];
  const p = async (id: string) => (await db().table('participants').get(id)) as Participant;
  await linkParticipants(await p('a'), await p('b'), await all());
  await write('participants', 'c', 'g3', { personId: 'hother' });
  await linkParticipants(await p('c'), await p('a'), await all());
  const ids = new Set((await all()).map((x) => x.personId));
  assert.is(ids.size, 1);
  assert.not.ok(ids.has(null));
  await rejects(linkParticipants(await p('a'), await p('a'), await all()), /andere deelnemer/);
});

test('participant stats count only present attendance in held or running rounds', async () => {
  const g = await makeGroup();
  const r1 = await startRound(g, { date: '2026-10-01' });
  await write('rounds', r1, g.id, { status: 'afgerond' });
  const r2 = await startRound(g, { date: '2026-10-15' });
  await write('rounds', r2, g.id, { status: 'afgerond' });
  await planRounds(g, ['2026-10-29']);
  const planned = roundId(g.id, '2026-10-29');
  for (const [rid, present] of [
    [r1, true],
    [r2, false],
    [planned, true],
  ] as const) {
    await write('attendance', `${rid}|p1`, g.id, { roundId: rid, participantId: 'p1', present });
  }
  const s = (await participantStats(g.id)).get('p1');
  assert.equal(s, { attended: 1, firstVisit: '2026-10-01', lastVisit: '2026-10-01' });
});

test('category lists: defaults first, a stored record overrides its default, new keys are slugs', async () => {
  assert.is(slug('  Zorgen om Kinderen & Gezin! '), 'zorgen-om-kinderen-gezin');
  assert.is(slug('Één café'), 'een-cafe');
  const rows = () => db().table('categories').toArray() as Promise<StoredRecord<'categories'>[]>;
  await saveCategory('theme', 'geld', null, false);
  let items = categoryItems('theme', await rows());
  const geld = items.find((c) => c.key === 'geld')!;
  assert.equal(geld, { key: 'geld', label: null, active: false, isDefault: true });
  await addCategory('theme', 'Mantelzorg', items);
  items = categoryItems('theme', await rows());
  assert.is(items[0].key, 'familie');
  assert.equal(items[items.length - 1], { key: 'mantelzorg', label: 'Mantelzorg', active: true, isDefault: false });
  await rejects(addCategory('theme', 'mantelzorg', items), /bestaat al/);
  await rejects(addCategory('theme', '!!!', items), /mag niet leeg zijn/);
  assert.is(categoryItems('strategy', await rows()).some((c) => c.key === 'mantelzorg'), false);
});

test.run();
