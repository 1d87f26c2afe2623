import { readFileSync, readdirSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { attendanceId, roundId } from '../../../src/shared/ids';
import { change, DIALECTS, harness, T0, uniq, type Client, type Harness } from './harness';

for (const kind of DIALECTS) {
  const test = suite(`erasure (${kind})`);
  let h: Harness;
  test.before(async () => {
    h = await harness(kind);
  });
  test.after(async () => h.close());

  /** A group with a participant (a unique name) present at two rounds, synced by a begeleider's phone. */
  async function seeded() {
    const g = uniq('g');
    const pid = `${g}-p`;
    const name = uniq('Zeldzamenaam');
    const coord = await h.user('coordinator');
    const beg = await h.user('begeleider', [g]);
    const phone = uniq('phone');
    const r1 = roundId(g, '2026-03-01');
    const r2 = roundId(g, '2026-04-01');
    const start = await h.head();
    const pushed = await beg.sync(phone, start, [
      change(1, 'participants', pid, g, { name, foundVia: 'flyer', status: 'actief' }),
      change(2, 'rounds', r1, g, { date: '2026-03-01', status: 'afgerond' }),
      change(3, 'rounds', r2, g, { date: '2026-04-01', status: 'afgerond' }),
      change(4, 'participants', `${g}-other`, g, { name: 'Ander', foundVia: 'flyer', status: 'actief' }),
      change(5, 'attendance', attendanceId(r1, pid), g, { roundId: r1, participantId: pid, present: true }),
      change(6, 'attendance', attendanceId(r2, pid), g, { roundId: r2, participantId: pid, present: true }),
      change(7, 'attendance', attendanceId(r1, `${g}-other`), g, { roundId: r1, participantId: `${g}-other`, present: true }),
    ]);
    assert.equal(pushed.rejected, []);
    return { g, pid, name, coord, beg, phone, r1, r2, cursor: pushed.cursor };
  }

  const erase = (c: Client, pid: string) => c.call('POST', `/api/participants/${encodeURIComponent(pid)}/erase`);

  test('erasing tombstones the participant and their attendance and removes the values from the database', async () => {
    const { pid, name, coord, r1, r2, g } = await seeded();
    const res = await erase(coord, pid);
    assert.is(res.status, 200);
    assert.is((await res.json()).attendance, 2);
    const rows = await h.store.db.selectFrom('records').selectAll().where('id', 'in', [pid, attendanceId(r1, pid), attendanceId(r2, pid)]).execute();
    assert.is(rows.length, 3);
    for (const r of rows) {
      assert.ok(r.deleted, `${r.id} is a tombstone`);
      assert.is(r.data, '{}');
      assert.is(r.hlcs, '{}');
    }
    const all = await h.store.db.selectFrom('records').select(['data', 'hlcs']).execute();
    assert.not.ok(all.some((r) => r.data.includes(name)), 'the name is nowhere in the records');
    const other = await h.store.db.selectFrom('records').select('deleted').where('id', '=', attendanceId(r1, `${g}-other`)).executeTakeFirstOrThrow();
    assert.is(other.deleted, null, 'other participants keep their attendance');
  });

  if (kind === 'sqlite') {
    test('after erasure the name is not left anywhere in the SQLite files', async () => {
      const { pid, name, coord } = await seeded();
      assert.is((await erase(coord, pid)).status, 200);
      const files = readdirSync(h.dataDir!).map((f) => readFileSync(`${h.dataDir}/${f}`));
      assert.ok(files.length > 0);
      for (const f of files) assert.is(f.indexOf(Buffer.from(name)), -1);
    });
  }

  test('phones pull the tombstones and the erased ids since their cursor', async () => {
    const { pid, coord, beg, r1, r2, cursor } = await seeded();
    await erase(coord, pid);
    const r = await beg.sync(uniq('phone'), cursor, []);
    const ids = [pid, attendanceId(r1, pid), attendanceId(r2, pid)];
    for (const id of ids) {
      const row = r.changes.find((c) => c.id === id);
      assert.ok(row?.deleted, `${id} tombstone pulled`);
      assert.equal(row!.values, {});
    }
    assert.equal(r.erased!.map((e) => e.id).sort(), ids.sort());
    const later = await beg.sync(uniq('phone'), r.cursor, []);
    assert.equal(later.erased, [], 'erased ids already passed are not repeated');
  });

  test('a later push from an offline phone for the erased participant is rejected permanently; the rest applies', async () => {
    const { g, pid, name, coord, beg, phone, r1 } = await seeded();
    await erase(coord, pid);
    const r3 = roundId(g, '2026-05-01');
    const r = await beg.sync(phone, '0', [
      change(8, 'participants', pid, g, { name, status: 'actief' }, { at: T0 + 10 }),
      change(9, 'attendance', attendanceId(r1, pid), g, { present: false }, { at: T0 + 10 }),
      change(10, 'attendance', attendanceId(r3, pid), g, { roundId: r3, participantId: pid, present: true }, { at: T0 + 10 }),
      change(11, 'notes', `${g}-n`, g, { roundId: r1, step: null, text: 'Blijft', author: 'B', createdAt: T0 }, { at: T0 + 10 }),
    ]);
    assert.equal(r.rejected.map((x) => [x.mid, x.permanent]), [[8, true], [9, true], [10, true]]);
    assert.match(r.rejected[0].reason, /gewist/);
    assert.is(r.ackedMid, 11);
    const stored = await h.store.db.selectFrom('records').selectAll().where('group_id', '=', g).execute();
    assert.not.ok(stored.some((x) => x.data.includes(name)));
    assert.not.ok(stored.some((x) => x.id === attendanceId(r3, pid)));
    assert.ok(stored.some((x) => x.id === `${g}-n`));
  });

  test('a begeleider may not erase, and another group does not learn which ids were erased', async () => {
    const { pid, coord, beg, cursor } = await seeded();
    const res = await erase(beg, pid);
    assert.is(res.status, 403);
    const row = await h.store.db.selectFrom('records').select('deleted').where('id', '=', pid).executeTakeFirstOrThrow();
    assert.is(row.deleted, null);
    await erase(coord, pid);
    const stranger = await h.user('begeleider', [uniq('g')]);
    const r = await stranger.sync(uniq('phone'), cursor, []);
    assert.equal(r.erased, []);
    assert.equal(r.changes, []);
  });

  test('erasing an unknown participant is 404; erasing twice is harmless', async () => {
    const { pid, coord } = await seeded();
    assert.is((await erase(coord, 'bestaat-niet')).status, 404);
    assert.is((await erase(coord, pid)).status, 200);
    assert.is((await erase(coord, pid)).status, 200);
  });

  test.run();
}
