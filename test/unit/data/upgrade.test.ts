import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Dexie from 'dexie';
import { LkDb, DB_VERSION } from '../../../src/data/db';
import { usePlainKeyStore } from '../../../src/data/device-key';

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

test('a v4 database from the last build is checked on upgrade; then the first start seals what passed under the device key', async () => {
  const name = 'upgrade-v4';
  const v4 = new Dexie(name);
  v4.version(4).stores({
    locations: 'id', groups: 'id', participants: 'id, groupId', rounds: 'id, groupId, date', stepTimings: 'id, roundId',
    attendance: 'id, roundId, participantId, groupId', notes: 'id, roundId', evaluations: 'id, roundId', stories: 'id, groupId',
    categories: 'id, kind', outbox: 'mid, [table+id], at', meta: 'key', rejected: 'mid, [table+id]', quarantine: '++key, table', settings: 'id',
  });
  await v4.open();
  const h = '000001700000000:000000:d1';
  await v4.table('participants').bulkPut([
    { id: 'p1', groupId: 'g1', name: 'Ans', status: 'actief', _h: { name: h, status: h } },
    { id: 'p2', groupId: 'g1', name: 'Bep', status: 'verhuisd naar Zwolle', _h: {} },
  ]);
  await v4.table('attendance').put({ id: 'g1|2026-11-23|p1', groupId: 'g1', roundId: 'g1|2026-11-23', participantId: 'p1', present: true, _h: { present: h } });
  v4.close();

  const keys = new Map<string, Uint8Array>();
  usePlainKeyStore({ get: async (n) => keys.get(n) ?? null, put: async (n, k) => void keys.set(n, k.slice()), delete: async (n) => void keys.delete(n) });
  try {
    const db = new LkDb(name);
    await db.open();
    assert.is(db.verno, DB_VERSION);
    assert.equal((await db.table('participants').toArray()).map((r) => r.id), ['p1']);
    assert.match((await db.quarantine.toArray())[0].reason, /status/);
    assert.is((await db.table('attendance').get('g1|2026-11-23|p1'))?.present, true);
    db.close();
    const raw = new Dexie(name);
    await raw.open();
    const stored = JSON.stringify([await raw.table('participants').toArray(), await raw.table('attendance').toArray(), await raw.table('quarantine').toArray()]);
    raw.close();
    assert.not.ok(/Ans|Bep|verhuisd|\|p1/.test(stored), `sealed after the first start: ${stored}`);
  } finally {
    usePlainKeyStore(null);
  }
});

test.run();
