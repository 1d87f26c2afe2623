import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PAGE_SIZE } from '../../../src/server/sync';
import { formatHlc } from '../../../src/shared/hlc';
import { attendanceId, roundId } from '../../../src/shared/ids';
import { DEFAULT_PLAN } from '../../../src/shared/method';
import { SyncResponseSchema, type RemoteRow } from '../../../src/shared/schema';
import { change, DIALECTS, harness, T0, uniq, type Harness } from './harness';

for (const kind of DIALECTS) {
  const test = suite(`sync (${kind})`);
  let h: Harness;
  test.before(async () => {
    h = await harness(kind);
  });
  test.after(async () => h.close());

  const find = (rows: RemoteRow[], table: string, id: string) => rows.find((r) => r.table === table && r.id === id);

  test('a push is stored and another device of the group pulls it with values and field HLCs', async () => {
    const g = uniq('g');
    const coord = await h.user('coordinator');
    const beg = await h.user('begeleider', [g]);
    const r = await coord.sync(uniq('d'), '0', [
      change(1, 'groups', g, g, { name: 'De Boom', locationId: 'l1', rhythm: 'maandelijks', plan: DEFAULT_PLAN, begeleiders: [], active: true }),
      change(2, 'participants', `${g}p`, g, { name: 'Ans', foundVia: 'flyer', status: 'actief' }, { counter: 1 }),
    ]);
    assert.ok(SyncResponseSchema.safeParse(r).success, 'the response matches SyncResponseSchema');
    assert.is(r.ackedMid, 2);
    assert.equal(r.rejected, []);
    assert.is(r.serverTime, T0);
    const pulled = await beg.sync(uniq('d'), '0', []);
    const p = find(pulled.changes, 'participants', `${g}p`)!;
    assert.equal(p.values, { name: 'Ans', foundVia: 'flyer', status: 'actief' });
    assert.is(p.hlcs.name, formatHlc(T0, 1, 'dev'));
    assert.is(p.groupId, g);
    assert.ok(find(pulled.changes, 'groups', g));
    assert.is(pulled.ackedMid, 0, 'a device that never pushed has acknowledged nothing');
  });

  test('the same mids sent twice are applied once and still acknowledged', async () => {
    const g = uniq('g');
    const coord = await h.user('coordinator');
    const dev = uniq('d');
    const batch = [change(1, 'participants', `${g}p`, g, { name: 'Ans' }), change(2, 'participants', `${g}p`, g, { status: 'actief' }, { counter: 1 })];
    const first = await coord.sync(dev, '0', batch);
    const version = await h.store.db.selectFrom('records').select('version').where('id', '=', `${g}p`).executeTakeFirstOrThrow();
    // The phone changed the name since, so a re-applied old mid would overwrite it if it were not skipped.
    await coord.sync(dev, first.cursor, [change(3, 'participants', `${g}p`, g, { name: 'Anna' }, { counter: 5 })]);
    const retry = await coord.sync(dev, '0', [
      { ...batch[0], values: { name: 'Ans' }, hlc: formatHlc(T0 + 1000, 0, 'dev') },
      batch[1],
    ]);
    assert.is(retry.ackedMid, 3);
    assert.equal(retry.rejected, []);
    const row = await h.store.db.selectFrom('records').selectAll().where('id', '=', `${g}p`).executeTakeFirstOrThrow();
    assert.is(JSON.parse(row.data).name, 'Anna');
    assert.ok(Number(row.version) > Number(version.version));
  });

  test('a batch mixing old and new mids applies only the new ones', async () => {
    const g = uniq('g');
    const coord = await h.user('coordinator');
    const dev = uniq('d');
    await coord.sync(dev, '0', [change(1, 'participants', `${g}a`, g, { name: 'Een' })]);
    const r = await coord.sync(dev, '0', [change(1, 'participants', `${g}a`, g, { name: 'Overschreven' }, { counter: 9 }), change(2, 'participants', `${g}b`, g, { name: 'Twee' })]);
    assert.is(r.ackedMid, 2);
    assert.is(find(r.changes, 'participants', `${g}a`)!.values.name, 'Een');
    assert.is(find(r.changes, 'participants', `${g}b`)!.values.name, 'Twee');
  });

  test('pull pages by version with `more`, and following the cursor yields every row exactly once', async () => {
    const g = uniq('g');
    const coord = await h.user('coordinator');
    const beg = await h.user('begeleider', [g]);
    const n = PAGE_SIZE + 20;
    const dev = uniq('d');
    for (let start = 0; start < n; start += 250) {
      const changes = [];
      for (let i = start; i < Math.min(n, start + 250); i++) changes.push(change(i + 1, 'participants', `${g}p${i}`, g, { name: `P${i}` }));
      await coord.sync(dev, '0', changes);
    }
    const seen = new Set<string>();
    let cursor = '0';
    let pages = 0;
    for (;;) {
      const r = await beg.sync(uniq('d'), cursor, []);
      pages++;
      assert.ok(r.changes.length <= PAGE_SIZE);
      for (const c of r.changes) {
        assert.not.ok(seen.has(c.id), `${c.id} twice`);
        seen.add(c.id);
      }
      assert.ok(Number(r.cursor) >= Number(cursor), 'the cursor never goes back');
      cursor = r.cursor;
      if (!r.more) break;
    }
    assert.is(pages, 2);
    assert.is(seen.size, n);
    const again = await beg.sync(uniq('d'), cursor, []);
    assert.equal(again.changes, []);
    assert.is(again.cursor, cursor, 'an empty pull keeps the cursor');
    assert.is(again.more, false);
  });

  test('the cursor is the version of the last row sent; a later write is pulled from it, earlier ones are not', async () => {
    const g = uniq('g');
    const coord = await h.user('coordinator');
    const a = await coord.sync(uniq('d'), await h.head(), [change(1, 'participants', `${g}a`, g, { name: 'A' })]);
    const rowA = await h.store.db.selectFrom('records').select('version').where('id', '=', `${g}a`).executeTakeFirstOrThrow();
    assert.is(a.cursor, String(Number(rowA.version)));
    await coord.sync(uniq('d'), a.cursor, [change(1, 'participants', `${g}b`, g, { name: 'B' })]);
    const from = await coord.sync(uniq('d'), a.cursor, []);
    assert.equal(from.changes.map((c) => c.id), [`${g}b`]);
  });

  test('an update to an old record gets a new version, so devices past it pull it again', async () => {
    const g = uniq('g');
    const coord = await h.user('coordinator');
    const first = await coord.sync(uniq('d'), '0', [change(1, 'participants', `${g}a`, g, { name: 'A' })]);
    await coord.sync(uniq('d'), '0', [change(1, 'participants', `${g}z`, g, { name: 'Z' })]);
    const mid = await coord.sync(uniq('d'), first.cursor, []);
    await coord.sync(uniq('d'), '0', [change(1, 'participants', `${g}a`, g, { name: 'A2' }, { at: T0 + 5 })]);
    const later = await coord.sync(uniq('d'), mid.cursor, []);
    assert.equal(later.changes.map((c) => [c.id, c.values.name]), [[`${g}a`, 'A2']]);
  });

  test('a change that merges to nothing new does not get a new version', async () => {
    const g = uniq('g');
    const coord = await h.user('coordinator');
    const r = await coord.sync(uniq('d'), await h.head(), [change(1, 'participants', `${g}a`, g, { name: 'Nieuw' }, { at: T0 + 10 })]);
    await coord.sync(uniq('d'), '0', [change(1, 'participants', `${g}a`, g, { name: 'Oud' }, { at: T0 })]);
    const after = await coord.sync(uniq('d'), r.cursor, []);
    assert.equal(after.changes, [], 'an older write loses and changes no version');
  });

  test('two devices writing one round offline merge: union of attendance and notes, per-field last writer wins', async () => {
    const g = uniq('g');
    const beg1 = await h.user('begeleider', [g]);
    const beg2 = await h.user('begeleider', [g]);
    const r = roundId(g, '2026-03-01');
    // The people are known already: attendance must point at participants of its own group.
    const known = await (await h.user('coordinator')).sync(uniq('d'), '0', [`${g}p1`, `${g}p2`].map((p, i) => change(i + 1, 'participants', p, g, { name: p })));
    assert.equal(known.rejected, []);
    const base = { date: '2026-03-01', status: 'bezig', startedAt: T0, plan: DEFAULT_PLAN, mote: '', closingWords: '' };
    const phone1 = [
      change(1, 'rounds', r, g, base, { device: 'phoneA', at: T0 }),
      change(2, 'attendance', attendanceId(r, `${g}p1`), g, { roundId: r, participantId: `${g}p1`, present: true }, { device: 'phoneA', at: T0 + 1 }),
      change(3, 'notes', `${g}n1`, g, { roundId: r, step: 'opening', text: 'Warm welkom', author: 'A', createdAt: T0 }, { device: 'phoneA', at: T0 + 2 }),
      change(4, 'rounds', r, g, { mote: 'Wie herkent dit?' }, { device: 'phoneA', at: T0 + 100 }),
      change(5, 'rounds', r, g, { closingWords: 'Rust' }, { device: 'phoneA', at: T0 + 50 }),
    ];
    const phone2 = [
      change(1, 'rounds', r, g, { ...base, startedAt: T0 + 3 }, { device: 'phoneB', at: T0 + 3 }),
      change(2, 'attendance', attendanceId(r, `${g}p2`), g, { roundId: r, participantId: `${g}p2`, present: true }, { device: 'phoneB', at: T0 + 4 }),
      change(3, 'notes', `${g}n2`, g, { roundId: r, step: 'verdieping', text: 'Stil moment', author: 'B', createdAt: T0 }, { device: 'phoneB', at: T0 + 5 }),
      change(4, 'rounds', r, g, { mote: 'Ouder' }, { device: 'phoneB', at: T0 + 20 }),
      change(5, 'rounds', r, g, { closingWords: 'Samen' }, { device: 'phoneB', at: T0 + 60 }),
    ];
    await beg1.sync('phoneA', '0', phone1);
    await beg2.sync('phoneB', '0', phone2);
    const view = await beg1.sync('phoneA', '0', []);
    const round = find(view.changes, 'rounds', r)!;
    assert.is(round.values.mote, 'Wie herkent dit?');
    assert.is(round.values.closingWords, 'Samen');
    assert.is(round.values.startedAt, T0 + 3);
    assert.ok(find(view.changes, 'attendance', attendanceId(r, `${g}p1`)));
    assert.ok(find(view.changes, 'attendance', attendanceId(r, `${g}p2`)));
    assert.ok(find(view.changes, 'notes', `${g}n1`));
    assert.ok(find(view.changes, 'notes', `${g}n2`));
  });

  test('a delete tombstones the record and drops its values on the server', async () => {
    const g = uniq('g');
    const coord = await h.user('coordinator');
    const head = await h.head();
    await coord.sync(uniq('d'), head, [change(1, 'notes', `${g}n`, g, { text: 'Weg ermee', roundId: 'r1' })]);
    const r = await coord.sync(uniq('d'), head, [change(1, 'notes', `${g}n`, g, {}, { deleted: true, at: T0 + 1 })]);
    const row = find(r.changes, 'notes', `${g}n`)!;
    assert.is(row.deleted, formatHlc(T0 + 1, 0, 'dev'));
    assert.equal(row.values, {});
    const stored = await h.store.db.selectFrom('records').selectAll().where('id', '=', `${g}n`).executeTakeFirstOrThrow();
    assert.is(stored.data, '{}');
    assert.not.ok(stored.data.includes('Weg ermee') || stored.hlcs.includes('Weg'));
  });

  test('a permanent refusal carries the record as the server holds it, only where the user may see it; a refusal for later carries none', async () => {
    const g = uniq('g');
    const other = uniq('g');
    const coord = await h.user('coordinator');
    const beg = await h.user('begeleider', [g]);
    const loc = uniq('l');
    await coord.sync(uniq('d'), '0', [
      change(1, 'locations', loc, null, { name: 'De Linde', wijk: 'Oost' }),
      change(2, 'participants', `${other}p`, other, { name: 'Bram', foundVia: 'flyer', status: 'actief' }),
    ]);
    const r = await beg.sync(uniq('d'), '0', [
      change(1, 'locations', loc, null, { name: 'De Lindeboom' }, { counter: 1 }),
      change(2, 'locations', uniq('l'), null, { name: 'Nieuw', wijk: 'Oost' }),
      change(3, 'participants', `${other}p`, other, { name: 'Gluren' }, { counter: 1 }),
      change(4, 'participants', `${g}p`, g, { name: 'Ans' }, { at: T0 + 3 * 24 * 3600 * 1000 }),
    ]);
    assert.ok(SyncResponseSchema.safeParse(r).success);
    const [rename, created, foreign, ahead] = r.rejected;
    assert.is(rename.current?.values.name, 'De Linde', 'the stored name to roll back to');
    assert.is(rename.current?.hlcs.name, formatHlc(T0, 0, 'dev'));
    assert.is(created.current, null, 'the server holds no such location');
    assert.is(foreign.current, null, 'another group’s participant is never shown to this begeleider');
    assert.is(ahead.permanent, false);
    assert.is(ahead.current, undefined);
  });

  test('a change stamped more than 24 h ahead of the server is rejected (retry later) with the reason; the rest applies', async () => {
    const g = uniq('g');
    const coord = await h.user('coordinator');
    const r = await coord.sync(uniq('d'), await h.head(), [
      change(1, 'participants', `${g}a`, g, { name: 'Toekomst' }, { at: T0 + 25 * 3600 * 1000 }),
      change(2, 'participants', `${g}b`, g, { name: 'Nu' }, { at: T0 + 23 * 3600 * 1000 }),
    ]);
    assert.is(r.rejected.length, 1);
    assert.is(r.rejected[0].id, `${g}a`);
    assert.is(r.rejected[0].mid, 1);
    assert.is(r.rejected[0].permanent, false);
    assert.match(r.rejected[0].reason, /^Klok van dit apparaat loopt voor/);
    assert.is(r.serverTime, T0, 'the device learns the server time');
    assert.is(r.ackedMid, 0, 'not acknowledged up to the held change, so its resend is looked at again');
    assert.not.ok(find(r.changes, 'participants', `${g}a`));
    assert.ok(find(r.changes, 'participants', `${g}b`));
  });

  test('invalid values in one change reject that change permanently with a Dutch reason; the rest applies', async () => {
    const g = uniq('g');
    const coord = await h.user('coordinator');
    const r = await coord.sync(uniq('d'), await h.head(), [
      change(1, 'participants', `${g}a`, g, { name: '   ' }),
      change(2, 'participants', `${g}b`, g, { address: 'Dorpsstraat 1' }),
      change(3, 'participants', `${g}c`, g, { name: 'Goed' }),
    ]);
    assert.equal(r.rejected.map((x) => [x.mid, x.permanent]), [[1, true], [2, true]]);
    assert.match(r.rejected[0].reason, /mag niet leeg zijn/);
    assert.match(r.rejected[1].reason, /Onbekend veld: address/);
    assert.ok(find(r.changes, 'participants', `${g}c`));
    assert.not.ok(find(r.changes, 'participants', `${g}a`));
  });

  test('parallel pushes from many devices get distinct versions and a follower of the cursor misses none', async () => {
    const g = uniq('g');
    const coord = await h.user('coordinator');
    const follower = await h.user('begeleider', [g]);
    const start = await follower.sync(uniq('d'), '0', []);
    let cursor = start.cursor;
    const seen = new Set<string>();
    const pushes = Array.from({ length: 12 }, (_, i) =>
      coord.sync(`par${i}${g}`, '0', Array.from({ length: 5 }, (_, j) => change(j + 1, 'participants', `${g}p${i}_${j}`, g, { name: `P${i}${j}` }))),
    );
    // Pull while the writers run: rows that commit later must still arrive after the cursor.
    const polls = (async () => {
      for (let k = 0; k < 10; k++) {
        const r = await follower.sync(uniq('d'), cursor, []);
        for (const c of r.changes) seen.add(c.id);
        cursor = r.cursor;
      }
    })();
    await Promise.all([...pushes, polls]);
    for (;;) {
      const r = await follower.sync(uniq('d'), cursor, []);
      for (const c of r.changes) seen.add(c.id);
      cursor = r.cursor;
      if (!r.more) break;
    }
    assert.is([...seen].filter((id) => id.startsWith(`${g}p`)).length, 60);
    const versions = await h.store.db.selectFrom('records').select('version').where('group_id', '=', g).execute();
    assert.is(new Set(versions.map((v) => Number(v.version))).size, 60);
  });

  test('a begeleider of several groups pages through all of them in version order, each row once', async () => {
    const g1 = uniq('g');
    const g2 = uniq('g');
    const coord = await h.user('coordinator');
    const beg = await h.user('begeleider', [g1, g2]);
    const head = await h.head();
    const dev = uniq('d');
    for (let b = 0; b < 3; b++) {
      const changes = Array.from({ length: 200 }, (_, i) => {
        const n = b * 200 + i;
        const g = n % 3 === 0 ? g2 : g1;
        return change(n + 1, 'participants', `${g}p${n}`, g, { name: `P${n}` });
      });
      await coord.sync(dev, head, changes);
    }
    await coord.sync(uniq('d'), head, [change(1, 'participants', `${uniq('g')}p`, uniq('g'), { name: 'Elders' })]);
    const versions: number[] = [];
    let cursor = head;
    for (;;) {
      const r = await beg.sync(uniq('d'), cursor, []);
      const ids = r.changes.map((c) => c.id);
      const rows = await h.store.db.selectFrom('records').select(['id', 'version']).where('id', 'in', ids.length ? ids : ['-']).execute();
      const byId = new Map(rows.map((x) => [x.id, Number(x.version)]));
      versions.push(...ids.map((id) => byId.get(id)!));
      cursor = r.cursor;
      if (!r.more) break;
    }
    assert.is(versions.length, 600);
    assert.equal([...versions].sort((a, b) => a - b), versions, 'in version order');
    assert.is(new Set(versions).size, 600);
  });

  test('rows beyond the committed version counter are not sent yet (their transaction may still be committing)', async () => {
    const g = uniq('g');
    const coord = await h.user('coordinator');
    const beg = await h.user('begeleider', [g]);
    const head = Number(await h.head());
    // What a pull would see if it ran between a writer's row insert and its commit on another connection.
    await h.store.db.insertInto('records').values({ tbl: 'participants', id: `${g}p`, group_id: g, data: '{"name":"Later"}', hlcs: '{}', deleted: null, version: head + 1 }).execute();
    for (const c of [coord, beg]) {
      const r = await c.sync(uniq('d'), String(head), []);
      assert.equal(r.changes, []);
      assert.is(r.cursor, String(head));
    }
    await h.store.db.updateTable('counters').set({ value: head + 1 }).where('name', '=', 'version').execute();
    assert.equal((await beg.sync(uniq('d'), String(head), [])).changes.map((c) => c.id), [`${g}p`]);
  });

  test('a cursor beyond anything the server handed out starts the pull over (database was replaced)', async () => {
    const g = uniq('g');
    const coord = await h.user('coordinator');
    await coord.sync(uniq('d'), '0', [change(1, 'participants', `${g}a`, g, { name: 'A' })]);
    const r = await coord.sync(uniq('d'), '9999999999999999999', []);
    assert.ok(r.changes.length > 0);
  });

  test('a sync without a session is 401 "Niet ingelogd" and stores nothing', async () => {
    const before = await h.snapshot();
    const res = await h.request('POST', '/api/sync', { body: { deviceId: 'x', cursor: '0', changes: [change(1, 'participants', 'zz', 'gz', { name: 'A' })] } });
    assert.is(res.status, 401);
    assert.equal(await res.json(), { error: 'Niet ingelogd' });
    assert.equal(await h.snapshot(), before);
  });

  test.run();
}
