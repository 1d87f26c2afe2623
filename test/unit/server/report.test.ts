// GET /api/report on SQLite and PostgreSQL: hand-computed figures, kept up to date by reading only what changed,
// erasure and deletion leaving the figures, the coördinator-only rule and Dutch reasons for bad queries.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ServerReports } from '../../../src/server/report';
import { attendanceId, roundId } from '../../../src/shared/ids';
import type { Report } from '../../../src/shared/report';
import { change, DIALECTS, harness, T0, uniq, type Client, type Harness } from './harness';

const at = (iso: string) => Date.parse(iso);

for (const kind of DIALECTS) {
  const test = suite(`report endpoint (${kind})`);
  let h: Harness;
  let coord: Client;
  test.before(async () => {
    h = await harness(kind);
    coord = await h.user('coordinator');
  });
  test.after(async () => h.close());

  async function report(c: Client, query: string): Promise<Report> {
    const res = await c.call('GET', `/api/report?${query}`);
    assert.is(res.status, 200, await res.clone().text());
    return (await res.json()) as Report;
  }

  /** One location and group, four participants and three rounds in March 2026, as the coördinator's device pushes them. */
  async function organisation() {
    const g = uniq('g');
    const loc = uniq('loc');
    const beg = await h.user('begeleider', [g]);
    const [p1, p2, p3, p4] = ['p1', 'p2', 'p3', 'p4'].map((p) => `${g}-${p}`);
    const r1 = roundId(g, '2026-03-03');
    const r2 = roundId(g, '2026-03-17');
    const r3 = roundId(g, '2026-03-31');
    const present = (r: string, p: string, yes = true) => ['attendance', attendanceId(r, p), g, { roundId: r, participantId: p, present: yes }] as const;
    const rows = [
      ['locations', loc, null, { name: 'Buurthuis De Boog', wijk: 'Noord' }],
      ['groups', g, g, { name: 'Dinsdaggroep', locationId: loc, active: true }],
      ['participants', p1, g, { name: 'Ans', foundVia: 'flyer', status: 'actief', firstVisit: '2026-03-03' }],
      ['participants', p2, g, { name: 'Bert', foundVia: 'buurtverbinder', status: 'actief' }],
      ['participants', p3, g, { name: 'Cor', foundVia: 'flyer', status: 'afgerond' }],
      ['participants', p4, g, { name: 'Dirk', foundVia: 'website', status: 'actief' }],
      // 10:00–12:30 measured: 150 minutes.
      ['rounds', r1, g, { date: '2026-03-03', status: 'afgerond', startedAt: at('2026-03-03T09:00:00Z'), endedAt: at('2026-03-03T11:30:00Z'), chosenTheme: 'eenzaamheid' }],
      // No end time: the default plan's 150 minutes.
      ['rounds', r2, g, { date: '2026-03-17', status: 'afgerond', startedAt: at('2026-03-17T09:00:00Z'), endedAt: null, chosenTheme: 'eenzaamheid' }],
      ['rounds', r3, g, { date: '2026-03-31', status: 'geannuleerd' }],
      present(r1, p1),
      present(r1, p2),
      present(r2, p1),
      present(r2, p2),
      present(r2, p3),
      present(r2, p4, false),
      ['evaluations', `${r1}|eval`, g, { roundId: r1, atmosphere: 4, safety: 5 }],
    ] as const;
    const pushed = await coord.sync(uniq('desk'), '0', rows.map(([t, id, gid, v], i) => change(i + 1, t, id, gid, v)));
    assert.equal(pushed.rejected, []);
    return { g, loc, beg, p1, p2, p3, p4, r1, r2, r3 };
  }

  test('figures over a month are the hand-computed ones', async () => {
    const { g, loc } = await organisation();
    const rep = await report(coord, `from=2026-03-01&to=2026-03-31&groupId=${g}`);
    assert.is(rep.roundsHeld, 2);
    assert.is(rep.roundsCancelled, 1);
    assert.is(rep.totalAttendance, 5);
    assert.is(rep.averageAttendance, 2.5);
    assert.is(rep.uniqueParticipants, 3);
    assert.is(rep.newcomers, 3, 'everyone came for the first time this month');
    // 2 × 2.5 h + 3 × 2.5 h
    assert.is(rep.hoursOfAttention, 12.5);
    assert.equal(
      rep.byStatus.map((s) => [s.key, s.count]),
      [['actief', 2], ['afgerond', 1], ['gestopt', 0]],
    );
    assert.equal(rep.byFoundVia.filter((f) => f.count).map((f) => [f.key, f.count]), [['flyer', 2], ['buurtverbinder', 1]]);
    assert.equal(rep.evaluations, { count: 1, atmosphere: 4, safety: 5 });
    assert.equal(rep.byLocation.map((l) => [l.key, l.label, l.held, l.participants]), [[loc, 'Buurthuis De Boog', 2, 3]]);
    assert.equal(rep.byWijk.map((w) => w.key), ['Noord']);
    assert.equal(rep.months.map((m) => [m.month, m.held, m.cancelled, m.attendance]), [['2026-03', 2, 1, 5]]);

    const wijk = await report(coord, `from=2026-03-01&to=2026-03-31&wijk=Noord&locationId=${loc}`);
    assert.is(wijk.totalAttendance, 5, 'wijk and location filters find the same rounds');
    const other = await report(coord, `from=2026-03-01&to=2026-03-31&groupId=${uniq('g')}`);
    assert.is(other.roundsHeld, 0);
    const april = await report(coord, `from=2026-04-01&to=2026-04-30&groupId=${g}&wijk=`);
    assert.is(april.roundsHeld, 0, 'an empty wijk is no filter, and April had no rounds');
  });

  test('a later report reads only what changed since the last one, and shows it', async () => {
    const { g, beg, r2 } = await organisation();
    const reports = new ServerReports(h.store);
    const filter = { from: '2026-03-01', to: '2026-03-31', groupId: g };
    const first = await reports.report(filter, T0);
    assert.ok(reports.lastRead >= 16, `the first report reads every row (${reports.lastRead})`);
    assert.is(first.totalAttendance, 5);

    const p5 = `${g}-p5`;
    await beg.sync(uniq('phone'), '0', [
      change(1, 'participants', p5, g, { name: 'Els', foundVia: 'deelnemer', status: 'actief' }),
      change(2, 'attendance', attendanceId(r2, p5), g, { roundId: r2, participantId: p5, present: true }),
    ]);
    const second = await reports.report(filter, T0);
    assert.is(reports.lastRead, 2, 'only the two new rows are read');
    assert.is(second.totalAttendance, 6);
    assert.is(second.uniqueParticipants, 4);
    assert.is(second.hoursOfAttention, 15);

    await reports.report(filter, T0);
    assert.is(reports.lastRead, 0, 'nothing changed, nothing read');

    // Two reports at once share the catch-up and agree.
    const [a, b] = await Promise.all([reports.report(filter, T0), reports.report({ ...filter, groupId: undefined }, T0)]);
    assert.is(a.totalAttendance, 6);
    assert.ok(b.totalAttendance >= 6);
  });

  test('an erased participant and a deleted round leave the figures', async () => {
    const { g, p1, r1 } = await organisation();
    const q = `from=2026-03-01&to=2026-03-31&groupId=${g}`;
    assert.is((await report(coord, q)).totalAttendance, 5);
    assert.is((await coord.call('POST', `/api/participants/${p1}/erase`)).status, 200);
    const erased = await report(coord, q);
    assert.is(erased.totalAttendance, 3, 'her two attendances are gone');
    assert.is(erased.uniqueParticipants, 2);

    await coord.sync(uniq('desk'), '0', [change(1, 'rounds', r1, g, {}, { at: T0 + 1000, deleted: true })]);
    const deleted = await report(coord, q);
    assert.is(deleted.roundsHeld, 1);
    assert.is(deleted.totalAttendance, 2, 'only the second round counts');
  });

  test('only a coördinator gets the report', async () => {
    const { beg } = await organisation();
    assert.is((await beg.call('GET', '/api/report?from=2026-01-01&to=2026-12-31')).status, 403);
    const anonymous = await h.request('GET', '/api/report?from=2026-01-01&to=2026-12-31');
    assert.is(anonymous.status, 401);
  });

  test('a bad query gets a 400 with a Dutch reason', async () => {
    const bad = async (query: string, reason: RegExp) => {
      const res = await coord.call('GET', `/api/report?${query}`);
      assert.is(res.status, 400, query);
      assert.match(((await res.json()) as { error: string }).error, reason);
    };
    await bad('to=2026-12-31', /^from: /);
    await bad('from=2026-02-30&to=2026-12-31', /from moet een datum zijn/);
    await bad('from=2026-12-31&to=2026-01-01', /from ligt na to/);
    await bad('from=1990-01-01&to=2026-01-01', /tussen 2000 en 2100/);
    await bad('from=2026-01-01&to=2026-12-31&groep=x', /Onbekende zoekparameter: groep/);
    await bad('from=2026-01-01&to=2026-12-31&groupId=a%20b', /groupId is geen geldige id/);
  });

  test.run();
}
