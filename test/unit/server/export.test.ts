import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { attendanceId, roundId } from '../../../src/shared/ids';
import { DEFAULT_PLAN } from '../../../src/shared/method';
import type { ParticipantExport } from '../../../src/shared/participant-export';
import { change, DIALECTS, harness, T0, uniq, type Harness } from './harness';

for (const kind of DIALECTS) {
  const test = suite(`participant export (${kind})`);
  let h: Harness;
  test.before(async () => {
    h = await harness(kind);
  });
  test.after(async () => h.close());

  /** A location, a group with two rounds, a participant present at both, notes and a story that name her. */
  async function seeded() {
    const g = uniq('g');
    const loc = `${g}-loc`;
    const pid = `${g}-p`;
    const coord = await h.user('coordinator');
    const beg = await h.user('begeleider', [g]);
    const r1 = roundId(g, '2026-03-01');
    const r2 = roundId(g, '2026-02-01');
    const round = (date: string) => ({ date, locationId: loc, status: 'afgerond', plan: DEFAULT_PLAN, mote: '', closingWords: '' });
    const org = await coord.sync(uniq('d'), '0', [
      change(1, 'locations', loc, null, { name: 'Buurthuis De Linde', wijk: 'Oost' }),
      change(2, 'groups', g, g, { name: 'Luistergroep De Linde', locationId: loc, rhythm: 'maandelijks', plan: DEFAULT_PLAN, begeleiders: [], active: true }),
    ]);
    assert.equal(org.rejected, []);
    const r = await beg.sync(uniq('phone'), '0', [
      change(1, 'participants', pid, g, { name: 'Ans', firstVisit: '2026-02-01', foundVia: 'flyer', status: 'actief', gender: null, ageBand: null, consentDate: null, personId: null }),
      change(2, 'rounds', r1, g, round('2026-03-01')),
      change(3, 'rounds', r2, g, { ...round('2026-02-01'), mote: 'Wie herkent wat Ans vertelde?' }),
      change(4, 'attendance', attendanceId(r1, pid), g, { roundId: r1, participantId: pid, present: true }, { at: T0 + 5 }),
      change(5, 'attendance', attendanceId(r2, pid), g, { roundId: r2, participantId: pid, present: false }),
      change(6, 'participants', `${g}-other`, g, { name: 'Ander', foundVia: 'flyer', status: 'actief' }),
      change(7, 'attendance', attendanceId(r1, `${g}-other`), g, { roundId: r1, participantId: `${g}-other`, present: true }),
      change(8, 'notes', `${g}-n1`, g, { roundId: r1, step: null, text: 'ans vertelde over haar buurvrouw', author: 'B', createdAt: T0 }),
      change(9, 'notes', `${g}-n2`, g, { roundId: r1, step: null, text: 'Hans en de kansen van de wijk', author: 'B', createdAt: T0 }),
      change(10, 'stories', `${g}-s`, g, { pseudonym: 'Ans', quote: 'Hier word ik gehoord.', themes: [], consent: true, date: '2026-03-01' }),
    ]);
    assert.equal(r.rejected, []);
    return { g, loc, pid, coord, beg, r1, r2 };
  }

  const get = (c: { call: (m: string, p: string) => Promise<Response> }, pid: string) => c.call('GET', `/api/participants/${encodeURIComponent(pid)}/export`);

  test('the export holds the participant with field HLCs, attendance with round date and location, and texts that name her', async () => {
    const { g, pid, coord, r1, r2 } = await seeded();
    const res = await get(coord, pid);
    assert.is(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    const x = (await res.json()) as ParticipantExport;
    assert.is(x.format, 'luisterkring.participant-export');
    assert.is(x.version, 1);
    assert.is(x.exportedAt, new Date(T0).toISOString());
    assert.equal(Object.keys(x).sort(), ['attendance', 'exportedAt', 'format', 'group', 'linked', 'mentions', 'participant', 'version']);
    assert.is(x.participant.id, pid);
    assert.is(x.participant.values.name, 'Ans');
    assert.is(x.participant.values.foundVia, 'flyer');
    assert.match(x.participant.hlcs.name, /^\d+:\d+:dev$/);
    assert.ok(x.participant.version > 0);
    assert.equal(x.group, { id: g, name: 'Luistergroep De Linde', locationId: `${g}-loc`, locationName: 'Buurthuis De Linde', wijk: 'Oost' });

    assert.equal(
      x.attendance.map((a) => [a.id, a.values.present, a.round?.date, a.round?.locationName]),
      [
        [attendanceId(r2, pid), false, '2026-02-01', 'Buurthuis De Linde'],
        [attendanceId(r1, pid), true, '2026-03-01', 'Buurthuis De Linde'],
      ],
      'own attendance only, in date order',
    );
    assert.ok(x.attendance[1].hlcs.present > x.attendance[0].hlcs.present, 'per-field HLCs are kept');

    assert.equal(
      x.mentions.map((m) => [m.table, m.id, m.date, Object.keys(m.fields)]),
      [
        ['rounds', r2, '2026-02-01', ['mote']],
        ['notes', `${g}-n1`, '2026-03-01', ['text']],
        ['stories', `${g}-s`, '2026-03-01', ['pseudonym', 'quote']],
      ],
      'whole-word, any case: "Hans" and "kansen" do not count',
    );
    assert.is(x.mentions[1].fields.text, 'ans vertelde over haar buurvrouw');
    assert.ok(x.mentions[1].hlcs.text);
    assert.equal(x.linked, []);
  });

  test('records of the same person in another group are listed', async () => {
    const { pid, coord, g } = await seeded();
    const other = await seeded();
    const person = uniq('h');
    const link = await coord.sync(uniq('d'), '0', [
      change(1, 'participants', pid, g, { personId: person }, { at: T0 + 100 }),
      change(2, 'participants', other.pid, other.g, { personId: person }, { at: T0 + 100 }),
    ]);
    assert.equal(link.rejected, []);
    const x = (await (await get(coord, pid)).json()) as ParticipantExport;
    assert.equal(x.linked, [{ id: other.pid, groupId: other.g, groupName: 'Luistergroep De Linde', name: 'Ans' }]);
  });

  test('exporting is recorded in the audit log by id, without the name', async () => {
    const { pid, coord } = await seeded();
    assert.is((await get(coord, pid)).status, 200);
    const rows = await h.store.db.selectFrom('audit').selectAll().where('action', '=', 'participant.export').where('target', '=', pid).execute();
    assert.is(rows.length, 1);
    assert.is(rows[0].actor_id, coord.userId);
    assert.not.match(rows[0].detail, /Ans/);
    assert.equal(JSON.parse(rows[0].detail), { attendance: 2, mentions: 3 });
  });

  test('only a coördinator may export; unknown, erased and malformed ids are refused', async () => {
    const { pid, coord, beg } = await seeded();
    assert.is((await get(beg, pid)).status, 403);
    const anon = await h.request('GET', `/api/participants/${pid}/export`);
    assert.is(anon.status, 401);
    const unknown = await get(coord, 'bestaat-niet');
    assert.is(unknown.status, 404);
    assert.match((await unknown.json()).error, /niet gevonden/);
    assert.is((await get(coord, 'met spatie')).status, 400);
    assert.is((await coord.call('POST', `/api/participants/${pid}/erase`)).status, 200);
    assert.is((await get(coord, pid)).status, 404, 'nothing left to export after erasure');
  });

  test.run();
}
