import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { write } from '../../../src/data/write';
import { attendanceId } from '../../../src/shared/ids';
import { keyHeaders, login } from '../../../src/sync/api';
import { syncOnce } from '../../../src/sync/engine';
import { BASE, Phone, TestServer, uniqueName } from './harness';

test('an offline phone that recorded attendance for a participant erased meanwhile drops it all at its next sync', async () => {
  const server = await new TestServer().open();
  try {
    const coord = await server.user(uniqueName('coord'), 'coordinator');
    const beg = await server.user(uniqueName('beg'), 'begeleider', ['g1']);
    const a = new Phone(server, uniqueName('erasure-a'));
    const b = new Phone(server, uniqueName('erasure-b'));
    await login(a.transport, a.db, coord.username, coord.password);
    await login(b.transport, b.db, beg.username, beg.password);
    const person = { name: 'Quirijntje', foundVia: 'flyer' as const, status: 'actief' as const, firstVisit: null, gender: null, ageBand: null, consentDate: null, personId: null };
    await write('participants', 'pq', 'g1', person, { db: a.db });
    await write('attendance', attendanceId('r.g1.2026-10-01', 'pq'), 'g1', { roundId: 'r.g1.2026-10-01', participantId: 'pq', present: true }, { db: a.db });
    assert.is((await syncOnce(a.transport)).kind, 'ok');
    assert.is((await syncOnce(b.transport)).kind, 'ok');
    assert.is((await b.db.table('participants').get('pq'))?.name, 'Quirijntje');

    // Offline, B renames her and records her at a new round: ids the server never erased, for a person it did.
    const later = 'r.g1.2026-11-01';
    await write('participants', 'pq', 'g1', { name: 'Quirijn' }, { db: b.db });
    await write('attendance', attendanceId(later, 'pq'), 'g1', { roundId: later, participantId: 'pq', present: true }, { db: b.db });
    const res = await a.fetch(`${BASE}/api/participants/pq/erase`, { method: 'POST', headers: { 'x-lk': '1', ...(await keyHeaders(a.db)) } });
    assert.is(res.status, 200);

    const outcome = await syncOnce(b.transport);
    assert.is(outcome.kind, 'ok');
    assert.is(outcome.kind === 'ok' && outcome.rejected, 0, 'nothing is left as a refusal to show');
    assert.is(await b.db.outbox.count(), 0);
    assert.is(await b.db.rejected.count(), 0);
    const left = await b.db.table('attendance').where('participantId').equals('pq').toArray();
    assert.equal(left, []);
    const p = await b.db.table('participants').get('pq');
    assert.ok(!p || (p._d && p.name === undefined), 'at most a tombstone without values');
    const rows = await server.store.db.selectFrom('records').select(['data']).execute();
    assert.not.ok(rows.some((r) => r.data.includes('Quirijn')), 'the server holds neither name');
    a.db.close();
    b.db.close();
  } finally {
    await server.close();
  }
});

test.run();
