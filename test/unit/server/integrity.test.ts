// The sync endpoint under attack from an account of the same organisation: device ids, acknowledged mids, refusals,
// deletes, quotas, references across groups and strict input, on SQLite and PostgreSQL.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createApp } from '../../../src/server/app';
import { openStore, type Store } from '../../../src/server/store';
import { attendanceId, roundId } from '../../../src/shared/ids';
import { DEFAULT_PLAN } from '../../../src/shared/method';
import type { Change, SyncResponse } from '../../../src/shared/schema';
import { change, DIALECTS, harness, T0, uniq, type Client, type Harness } from './harness';

const DAY = 24 * 3600 * 1000;

for (const kind of DIALECTS) {
  const test = suite(`sync integrity (${kind})`);
  let h: Harness;
  test.before(async () => {
    h = await harness(kind);
  });
  test.after(async () => h.close());

  const post = (cookie: string, body: unknown, app = h.app) =>
    app.fetch(new Request('http://localhost/api/sync', { method: 'POST', headers: { 'content-type': 'application/json', 'x-lk': '1', cookie }, body: JSON.stringify(body) }));
  const rawPost = (cookie: string, body: BodyInit, path = '/api/sync') =>
    h.app.fetch(new Request(`http://localhost${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-lk': '1', cookie }, body }));
  const stored = (table: string, id: string) => h.store.db.selectFrom('records').selectAll().where('tbl', '=', table).where('id', '=', id).executeTakeFirst();
  const device = (id: string) => h.store.db.selectFrom('devices').selectAll().where('device_id', '=', id).executeTakeFirst();

  /** A group with a round and a participant, written by the coördinator. */
  async function group(coord: Client) {
    const g = uniq('g');
    const r = roundId(g, '2026-03-01');
    const p = `${g}-p`;
    const res = await coord.sync(uniq('seed'), '0', [
      change(1, 'rounds', r, g, { date: '2026-03-01', status: 'bezig', plan: DEFAULT_PLAN }),
      change(2, 'participants', p, g, { name: 'Ans', foundVia: 'flyer', status: 'actief' }),
    ]);
    assert.equal(res.rejected, []);
    return { g, r, p };
  }

  // ---- 1. device ids, acknowledged mids, refusals ----

  test('a push under another account’s device id is 403, changes nothing of that device, and the owner’s next changes are stored', async () => {
    const coord = await h.user('coordinator');
    const { g } = await group(coord);
    const victim = await h.user('begeleider', [g]);
    const attacker = await h.user('begeleider', [g]);
    const phone = uniq('phone');
    const first = Array.from({ length: 15 }, (_, i) => change(i + 1, 'notes', `${g}-n${i}`, g, { roundId: roundId(g, '2026-03-01'), step: null, text: `Notitie ${i}`, author: 'V', createdAt: T0 }, { device: phone }));
    assert.is((await victim.sync(phone, '0', first)).ackedMid, 15);
    const before = await h.snapshot();
    const res = await post(attacker.cookie, { deviceId: phone, cursor: '0', changes: [change(Number.MAX_SAFE_INTEGER, 'notes', `${g}-evil`, g, { text: 'x' }, { device: phone })] });
    assert.is(res.status, 403);
    assert.match(((await res.json()) as { error: string }).error, /ander account/);
    assert.equal(await h.snapshot(), before, 'nothing stored changed, the device’s mid neither');
    const pull = await post(attacker.cookie, { deviceId: phone, cursor: '0', changes: [] });
    assert.is(pull.status, 403, 'a pull under that device id is refused too');
    const next = await victim.sync(phone, '0', [16, 17].map((m) => change(m, 'notes', `${g}-n${m}`, g, { roundId: roundId(g, '2026-03-01'), step: null, text: `Later ${m}`, author: 'V', createdAt: T0 }, { device: phone })));
    assert.is(next.ackedMid, 17);
    assert.equal(next.rejected, []);
    assert.ok(await stored('notes', `${g}-n16`), 'mid 16 is stored, not skipped');
    assert.ok(await stored('notes', `${g}-n17`));
    assert.is((await device(phone))!.user_id, victim.userId);
  });

  // Several server processes share one PostgreSQL; SQLite is one process (two in-process connections would block
  // each other's event loop), so there the two apps share the store.
  test('two accounts claiming one new device id at once (two server processes on PostgreSQL): one wins, the other gets 403', async () => {
    const coord = await h.user('coordinator');
    const { g } = await group(coord);
    const a = await h.user('begeleider', [g]);
    const b = await h.user('begeleider', [g]);
    const second: Store = kind === 'postgres' ? openStore({ databaseUrl: h.databaseUrl }) : h.store;
    const other = createApp({ store: second, now: () => h.clock.now, log: (...a) => h.logs.push(a) });
    try {
      for (let round = 0; round < 5; round++) {
        const dev = uniq('shared');
        const body = (n: string) => ({ deviceId: dev, cursor: '0', changes: [change(1, 'notes', `${g}-${n}${round}`, g, { roundId: roundId(g, '2026-03-01'), step: null, text: n, author: n, createdAt: T0 })] });
        const [ra, rb] = await Promise.all([post(a.cookie, body('a')), post(b.cookie, body('b'), other)]);
        assert.equal([ra.status, rb.status].sort(), [200, 403], `round ${round}: ${ra.status} ${rb.status} ${String(h.logs.at(-1)?.at(-1))}`);
        const owner = (await device(dev))!.user_id;
        assert.is(owner, ra.status === 200 ? a.userId : b.userId);
        assert.is(!!(await stored('notes', `${g}-a${round}`)), ra.status === 200);
        assert.is(!!(await stored('notes', `${g}-b${round}`)), rb.status === 200);
      }
    } finally {
      if (second !== h.store) await second.close();
    }
  });

  test('a backup device may be used by every coördinator and by no begeleider', async () => {
    const c1 = await h.user('coordinator');
    const c2 = await h.user('coordinator');
    const { g } = await group(c1);
    const beg = await h.user('begeleider', [g]);
    const dev = `backup:${uniq('phone')}`;
    const note = (m: number) => change(m, 'notes', `${g}-b${m}`, g, { roundId: roundId(g, '2026-03-01'), step: null, text: 'B', author: 'B', createdAt: T0 });
    assert.is((await post(beg.cookie, { deviceId: dev, cursor: '0', changes: [note(1)] })).status, 403, 'a begeleider cannot take a backup device first');
    assert.is((await c1.sync(dev, '0', [note(1)])).ackedMid, 1);
    const again = await c2.sync(dev, '0', [note(1), note(2)]);
    assert.is(again.ackedMid, 2, 'a second coördinator importing the same file continues where the first stopped');
  });

  test('mids out of order in one request are 400: the acknowledgement relies on the phone sending its outbox in order', async () => {
    const coord = await h.user('coordinator');
    const { g } = await group(coord);
    const before = await h.snapshot();
    const res = await post(coord.cookie, { deviceId: uniq('d'), cursor: '0', changes: [change(2, 'participants', `${g}-x`, g, { name: 'X' }), change(2, 'participants', `${g}-y`, g, { name: 'Y' })] });
    assert.is(res.status, 400);
    assert.match(((await res.json()) as { error: string }).error, /oplopend/);
    assert.equal(await h.snapshot(), before);
  });

  test('a refusal is answered again when the phone resends the same mid (its first answer was lost)', async () => {
    const coord = await h.user('coordinator');
    const { g } = await group(coord);
    const beg = await h.user('begeleider', [g]);
    const dev = uniq('phone');
    const batch = [
      change(1, 'participants', `${g}-q1`, g, { name: 'Een' }),
      change(2, 'participants', `${g}-q2`, g, { name: '   ' }),
      change(3, 'locations', uniq('l'), null, { name: 'X', wijk: 'Y' }),
      change(4, 'participants', `${g}-q4`, g, { name: 'Vier' }),
    ];
    const first = await beg.sync(dev, '0', batch);
    assert.is(first.ackedMid, 4);
    assert.equal(first.rejected.map((r) => r.mid), [2, 3]);
    const retry = await beg.sync(dev, '0', batch);
    assert.is(retry.ackedMid, 4);
    assert.equal(retry.rejected, first.rejected, 'the same refusals with the same reasons');
    const mixed = await beg.sync(dev, '0', [...batch.slice(2), change(5, 'participants', `${g}-q5`, g, { status: 'kapot' })]);
    assert.equal(mixed.rejected.map((r) => r.mid), [3, 5]);
    // The phone moved on: its next push starts above every refusal, which it has settled, so they are forgotten.
    await beg.sync(dev, '0', [change(6, 'participants', `${g}-q6`, g, { name: 'Zes' })]);
    const left = await h.store.db.selectFrom('refusals').selectAll().where('device_id', '=', dev).execute();
    assert.equal(left, []);
  });

  // ---- 7. deletes ----

  test('a begeleider may not delete participants, rounds or attendance; a coördinator may, and every delete is in the audit log by id', async () => {
    const coord = await h.user('coordinator');
    const { g, r, p } = await group(coord);
    const a = attendanceId(r, p);
    assert.equal((await coord.sync(uniq('d'), '0', [change(1, 'attendance', a, g, { roundId: r, participantId: p, present: true })])).rejected, []);
    const beg = await h.user('begeleider', [g]);
    const tombs = [change(1, 'participants', p, g, {}, { deleted: true, at: T0 + 1 }), change(2, 'rounds', r, g, {}, { deleted: true, at: T0 + 1 }), change(3, 'attendance', a, g, {}, { deleted: true, at: T0 + 1 })];
    const before = await h.snapshot();
    const refused = await beg.sync(uniq('d'), '0', tombs);
    assert.equal(refused.rejected.map((x) => [x.mid, x.permanent]), [[1, true], [2, true], [3, true]]);
    assert.match(refused.rejected[0].reason, /coördinator/);
    assert.equal((await h.snapshot() as unknown[][])[0], (before as unknown[][])[0], 'no record changed');
    const dev = uniq('d');
    const done = await coord.sync(dev, '0', tombs);
    assert.equal(done.rejected, []);
    for (const [t, id] of [['participants', p], ['rounds', r], ['attendance', a]]) assert.ok((await stored(t, id))!.deleted, `${t} tombstoned`);
    const log = await h.store.db.selectFrom('audit').selectAll().where('action', '=', 'record.delete').where('actor_id', '=', coord.userId).execute();
    assert.equal(log.map((e) => e.target).sort(), [a, p, r].sort());
    for (const e of log) {
      const detail = JSON.parse(e.detail) as Record<string, unknown>;
      assert.equal(Object.keys(detail).sort(), ['device', 'groupId', 'table']);
      assert.is(detail.groupId, g);
      assert.is(detail.device, dev);
      assert.not.match(e.detail, /Ans/);
    }
  });

  test('a begeleider deletes their own notes only; a colleague’s note is refused; the coördinator may delete any', async () => {
    const coord = await h.user('coordinator');
    const { g, r } = await group(coord);
    const anna = await h.user('begeleider', [g]);
    const bob = await h.user('begeleider', [g]);
    const note = (id: string) => change(1, 'notes', id, g, { roundId: r, step: null, text: 'Geheim verhaal', author: 'A', createdAt: T0 });
    const own = `${g}-own`;
    const other = `${g}-other`;
    await anna.sync(uniq('d'), '0', [note(own)]);
    await bob.sync(uniq('d'), '0', [note(other)]);
    const res = await anna.sync(uniq('d'), '0', [change(1, 'notes', own, g, {}, { deleted: true, at: T0 + 1 }), change(2, 'notes', other, g, {}, { deleted: true, at: T0 + 1 })]);
    assert.equal(res.rejected.map((x) => [x.mid, x.permanent]), [[2, true]]);
    assert.match(res.rejected[0].reason, /eigen notities/);
    assert.ok((await stored('notes', own))!.deleted);
    assert.is((await stored('notes', other))!.deleted, null);
    const log = await h.store.db.selectFrom('audit').select(['target', 'detail']).where('action', '=', 'record.delete').where('actor_id', '=', anna.userId).execute();
    assert.equal(log.map((e) => e.target), [own]);
    assert.not.match(log[0].detail, /Geheim/);
    // Written and deleted offline before one sync: the same push makes it hers.
    const both = await bob.sync(uniq('d'), '0', [note(`${g}-short`), { ...change(2, 'notes', `${g}-short`, g, {}, { deleted: true, at: T0 + 1 }) }]);
    assert.equal(both.rejected, []);
    assert.equal((await coord.sync(uniq('d'), '0', [change(1, 'notes', other, g, {}, { deleted: true, at: T0 + 2 })])).rejected, []);
    assert.ok((await stored('notes', other))!.deleted);
  });

  // ---- 8. quotas ----

  test('quotas per account per day: over the row limit the rest is held (kept on the phone) with a Dutch reason, counted in the database across processes', async () => {
    const coord = await h.user('coordinator');
    const { g, r } = await group(coord);
    const beg = await h.user('begeleider', [g]);
    const opts = { store: h.store, now: () => h.clock.now, log: () => {}, quota: { rows: 5, bytes: 1_000_000 } };
    const one = createApp(opts);
    const two = createApp(opts);
    const note = (m: number) => change(m, 'notes', `${g}-quota${m}`, g, { roundId: r, step: null, text: `N${m}`, author: 'Q', createdAt: T0 });
    const dev = uniq('d');
    const res = (await (await post(beg.cookie, { deviceId: dev, cursor: '0', changes: [1, 2, 3, 4].map(note) }, one)).json()) as SyncResponse;
    assert.equal(res.rejected, []);
    const over = (await (await post(beg.cookie, { deviceId: dev, cursor: '0', changes: [5, 6, 7].map(note) }, two)).json()) as SyncResponse;
    assert.equal(over.rejected.map((x) => [x.mid, x.permanent]), [[6, false], [7, false]], 'the second process counts what the first stored');
    assert.match(over.rejected[0].reason, /daglimiet/i);
    assert.is(over.ackedMid, 5);
    assert.not.ok(await stored('notes', `${g}-quota6`));
    const other = await h.user('begeleider', [g]);
    assert.equal(((await (await post(other.cookie, { deviceId: uniq('d'), cursor: '0', changes: [note(6)] }, one)).json()) as SyncResponse).rejected, [], 'another account has its own quota');
    h.clock.now += DAY;
    try {
      const tomorrow = (await (await post(beg.cookie, { deviceId: dev, cursor: '0', changes: [8, 9].map(note) }, one)).json()) as SyncResponse;
      assert.equal(tomorrow.rejected, [], 'a new day, a new quota');
    } finally {
      h.clock.now -= DAY;
    }
  });

  test('quotas: the byte limit holds back a large push', async () => {
    const coord = await h.user('coordinator');
    const { g, r } = await group(coord);
    const beg = await h.user('begeleider', [g]);
    const app = createApp({ store: h.store, now: () => h.clock.now, log: () => {}, quota: { rows: 1000, bytes: 2500 } });
    const changes = [1, 2, 3, 4].map((m) => change(m, 'notes', `${g}-big${m}`, g, { roundId: r, step: null, text: 'x'.repeat(900), author: 'Q', createdAt: T0 }));
    const res = (await (await post(beg.cookie, { deviceId: uniq('d'), cursor: '0', changes }, app)).json()) as SyncResponse;
    assert.equal(res.rejected.map((x) => [x.mid, x.permanent]), [[3, false], [4, false]]);
    assert.is(res.ackedMid, 2);
  });

  // ---- 9. references across groups ----

  test('a round id naming another group is refused, so it cannot block that group’s real round', async () => {
    const coord = await h.user('coordinator');
    const gA = uniq('g');
    const gB = uniq('g');
    const begA = await h.user('begeleider', [gA]);
    const begB = await h.user('begeleider', [gB]);
    const rB = roundId(gB, '2026-03-01');
    for (const c of [begA, coord]) {
      const res = await c.sync(uniq('d'), '0', [change(1, 'rounds', rB, gA, { date: '2026-03-01', status: 'bezig' })]);
      assert.equal(res.rejected.map((x) => [x.mid, x.permanent]), [[1, true]]);
      assert.match(res.rejected[0].reason, /andere groep/);
    }
    const weird = await coord.sync(uniq('d'), '0', [change(1, 'rounds', `x.${gA}`, gA, { date: '2026-03-01', status: 'bezig' })]);
    assert.is(weird.rejected.length, 1, 'a round id not made by roundId() is refused');
    const real = await begB.sync(uniq('d'), '0', [change(1, 'rounds', rB, gB, { date: '2026-03-01', status: 'bezig' })]);
    assert.equal(real.rejected, []);
    const second = await begB.sync(uniq('d'), '0', [change(1, 'rounds', `${rB}.2`, gB, { date: '2026-03-01', status: 'bezig' })]);
    assert.equal(second.rejected, [], 'the second round of a day');
  });

  test('attendance must point at a participant and a round of its own group, and its id must agree with its values', async () => {
    const coord = await h.user('coordinator');
    const A = await group(coord);
    const B = await group(coord);
    const beg = await h.user('begeleider', [A.g]);
    const att = (m: number, id: string, values: Record<string, unknown>): Change => change(m, 'attendance', id, A.g, { present: true, ...values });
    const before = await h.snapshot();
    const res = await beg.sync(uniq('d'), '0', [
      att(1, attendanceId(A.r, B.p), { roundId: A.r, participantId: B.p }),
      att(2, attendanceId(B.r, A.p), { roundId: B.r, participantId: A.p }),
      att(3, attendanceId(A.r, A.p), { roundId: A.r, participantId: B.p }),
      att(4, attendanceId(A.r, `${A.g}-niemand`), {}),
      att(5, attendanceId(roundId(A.g, '2026-09-09'), A.p), {}),
      att(6, `${A.r}|${A.p}|x`, {}),
    ]);
    assert.equal(res.rejected.map((x) => [x.mid, x.permanent]), [1, 2, 3, 4, 5, 6].map((m) => [m, true]));
    assert.equal((await h.snapshot() as unknown[][])[0], (before as unknown[][])[0], 'no record stored');
    const newcomer = `${A.g}-nieuw`;
    const ok = await beg.sync(uniq('d'), '0', [
      att(1, attendanceId(A.r, A.p), { roundId: A.r, participantId: A.p }),
      change(2, 'participants', newcomer, A.g, { name: 'Nieuw', foundVia: 'flyer', status: 'actief' }),
      att(3, attendanceId(A.r, newcomer), { roundId: A.r, participantId: newcomer }),
      att(4, attendanceId(A.r, A.p), {}),
    ]);
    assert.equal(ok.rejected, [], 'references stored before or earlier in the same push are fine');
  });

  test('erasure sweeps attendance in every group, also a row of another group that points at the person', async () => {
    const coord = await h.user('coordinator');
    const A = await group(coord);
    const B = await group(coord);
    // Written before references were checked: group A's attendance naming group B's participant.
    const stray = attendanceId(A.r, B.p);
    await h.store.db.insertInto('records').values({ tbl: 'attendance', id: stray, group_id: A.g, data: JSON.stringify({ roundId: A.r, participantId: B.p, present: true }), hlcs: '{}', deleted: null, version: 1 }).execute();
    const res = await coord.call('POST', `/api/participants/${B.p}/erase`);
    assert.is(res.status, 200);
    assert.is(((await res.json()) as { attendance: number }).attendance, 1);
    assert.ok((await stored('attendance', stray))!.deleted);
    assert.ok(await h.store.db.selectFrom('erased').select('id').where('id', '=', stray).executeTakeFirst());
  });

  // ---- 13. strict input ----

  test('a __proto__ key in values or in themesRaised is refused with 400; nothing is stored', async () => {
    const coord = await h.user('coordinator');
    const { g, r } = await group(coord);
    const before = await h.snapshot();
    const env = (changes: string) => `{"deviceId":"${uniq('d')}","cursor":"0","changes":[${changes}]}`;
    const hlc = change(1, 'rounds', r, g, {}).hlc;
    for (const values of ['{"__proto__":{"name":"x"},"mote":"a"}', '{"themesRaised":{"__proto__":3,"stress":1}}', '{"themesRaised":{"\\u005f_proto__":3}}']) {
      const res = await rawPost(coord.cookie, env(`{"mid":1,"table":"rounds","id":"${r}","groupId":"${g}","values":${values},"hlc":"${hlc}"}`));
      assert.is(res.status, 400, values);
      assert.match(((await res.json()) as { error: string }).error, /__proto__/);
    }
    assert.equal(await h.snapshot(), before);
  });

  test('constructor and prototype are refused as category keys (themes raised, categories)', async () => {
    const coord = await h.user('coordinator');
    const { g, r } = await group(coord);
    const res = await coord.sync(uniq('d'), '0', [
      change(1, 'rounds', r, g, { themesRaised: { constructor: 2 } }, { at: T0 + 5 }),
      change(2, 'rounds', r, g, { themesRaised: { prototype: 2 } }, { at: T0 + 5 }),
      change(3, 'categories', uniq('c'), null, { kind: 'theme', key: 'constructor', label: 'X', active: true }),
    ]);
    assert.equal(res.rejected.map((x) => [x.mid, x.permanent]), [[1, true], [2, true], [3, true]]);
  });

  test('invalid UTF-8 in a JSON body is 400, not stored as replacement characters', async () => {
    const coord = await h.user('coordinator');
    const { g } = await group(coord);
    const before = await h.snapshot();
    const text = JSON.stringify({ deviceId: uniq('d'), cursor: '0', changes: [change(1, 'participants', `${g}-utf`, g, { name: 'AB' })] });
    const bytes = Buffer.from(text.replace('"AB"', '"A\u0001B"'));
    bytes[bytes.indexOf(1)] = 0xff;
    const res = await rawPost(coord.cookie, bytes);
    assert.is(res.status, 400);
    assert.match(((await res.json()) as { error: string }).error, /UTF-8/);
    assert.equal(await h.snapshot(), before);
    const login = await h.app.fetch(new Request('http://localhost/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-lk': '1' }, body: new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]) }));
    assert.is(login.status, 400);
  });

  test.run();
}
