import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LkDb, db, useDb } from '../../../src/data/db';
import { applyRemote } from '../../../src/data/write';
import { createGroup, createLocation, reopenRound, startRound, updateRound } from '../../../src/data/actions';
import { formatHlc } from '../../../src/shared/hlc';
import { roundId } from '../../../src/shared/ids';
import type { Group, Round } from '../../../src/shared/schema';

let n = 0;
test.before.each(() => {
  useDb(new LkDb(`round-status-test-${++n}`));
});

async function group(): Promise<Group> {
  const lid = await createLocation({ name: 'Buurthuis De Boom', wijk: 'Noord' });
  return (await db().table('groups').get(await createGroup({ name: 'Maandag', locationId: lid, rhythm: 'wekelijks' }))) as Group;
}

const round = async (id: string) => (await db().table('rounds').get(id)) as Round;

test('the round closed on the other phone stays closed when this phone starts it later, offline (defect 1)', async () => {
  const g = await group();
  const id = roundId(g.id, '2026-03-01');
  // The begeleider's phone closed the round; this phone pulls that first …
  const h = (ms: number) => formatHlc(Date.now() - ms, 0, 'dother');
  await applyRemote([
    { table: 'rounds', id, groupId: g.id, values: { date: '2026-03-01', status: 'afgerond', startedAt: 1, endedAt: 2 }, hlcs: { date: h(9000), status: h(5000), startedAt: h(9000), endedAt: h(5000) } },
  ]);
  // … and its own later "start" changes nothing about the status.
  await updateRound({ id, groupId: g.id }, { status: 'bezig', startedAt: Date.now() });
  assert.is((await round(id)).status, 'afgerond');
});

test("this phone's offline start, then the other phone's earlier close pulled: closed", async () => {
  const g = await group();
  const id = await startRound(g, { date: '2026-03-01' });
  assert.is((await round(id)).status, 'bezig');
  const early = formatHlc(1_000, 0, 'dother');
  await applyRemote([{ table: 'rounds', id, groupId: g.id, values: { status: 'afgerond', endedAt: 2 }, hlcs: { status: early, endedAt: early } }]);
  assert.is((await round(id)).status, 'afgerond');
  await reopenRound(await round(id), 'Nog niet klaar');
  assert.is((await round(id)).status, 'bezig', 'an explicit reopen does move it back');
});

test.run();
