import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Dexie from 'dexie';
import { LkDb, DB_VERSION } from '../../../src/data/db';

test('opening a v1 database validates every row: good rows stay, bad rows are quarantined with a reason', async () => {
  const name = 'upgrade-v1';
  const v1 = new Dexie(name);
  v1.version(1).stores({
    locations: 'id', groups: 'id', participants: 'id, groupId', rounds: 'id, groupId, date', stepTimings: 'id, roundId',
    attendance: 'id, roundId, participantId', notes: 'id, roundId', evaluations: 'id, roundId', stories: 'id, groupId',
    categories: 'id', outbox: 'mid, [table+id]', meta: 'key',
  });
  await v1.open();
  await v1.table('participants').bulkPut([
    { id: 'p1', groupId: 'g1', name: 'Ans', _h: { name: '000001700000000:000000:d1' } },
    { id: 'p2', groupId: 'g1', name: 'Bep', phone: '0612345678', _h: {} },
    { id: 'p3', groupId: 'g1', _h: {}, _d: '000001700000000:000001:d1' },
  ]);
  await v1.table('outbox').put({ mid: 1, table: 'participants', id: 'p1', groupId: 'g1', values: { name: 'Ans' }, hlc: '000001700000000:000000:d1', at: 1 });
  v1.close();

  const db = new LkDb(name);
  await db.open();
  assert.is(db.verno, DB_VERSION);
  assert.equal((await db.table('participants').toArray()).map((r) => r.id).sort(), ['p1', 'p3']);
  const q = await db.quarantine.toArray();
  assert.is(q.length, 1);
  assert.is(q[0].table, 'participants');
  assert.match(q[0].reason, /Onbekend veld: phone/);
  assert.is((q[0].row as { name: string }).name, 'Bep');
  assert.is(await db.outbox.count(), 1, 'the outbox survives the upgrade');
  db.close();
});

test.run();
