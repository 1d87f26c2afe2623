// The coördinator's report rows on the device: one full read, then only the rows writes touched — local writes,
// synced rows, deletions, another tab, a wiped database — and always the same report as from the full records.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LkDb, useDb } from '../../../src/data/db';
import { lastReportRead, loadReportInput, watchReportInput } from '../../../src/data/report-input';
import { applyRemote, writeAll, type WriteOp } from '../../../src/data/write';
import { formatHlc } from '../../../src/shared/hlc';
import { attendanceId, roundId } from '../../../src/shared/ids';
import { DEFAULT_PLAN } from '../../../src/shared/method';
import { computeReport, type ReportInput } from '../../../src/shared/report';
import { REPORT_TABLES, ReportRows } from '../../../src/shared/report-source';
import { benchData } from '../../../bench/report-data';

const FILTER = { from: '2026-01-01', to: '2026-12-31' };
const TODAY = '2026-12-31';
let n = 0;
let d: LkDb;

test.before.each(() => {
  d = new LkDb(`report-input-${++n}-${Date.now()}`);
  useDb(d);
});

const present = (r: string, p: string, g = 'g1'): WriteOp => ({ table: 'attendance', id: attendanceId(r, p), groupId: g, values: { roundId: r, participantId: p, present: true } });
const round = (date: string, g = 'g1'): WriteOp => ({
  table: 'rounds',
  id: roundId(g, date),
  groupId: g,
  values: { date, status: 'afgerond', startedAt: null, endedAt: null, plan: DEFAULT_PLAN, locationId: null, chosenTheme: null, mote: 'Alleen hier' },
});

async function seed(): Promise<void> {
  await writeAll([
    { table: 'locations', id: 'l1', groupId: null, values: { name: 'De Boom', wijk: 'Noord' } },
    { table: 'groups', id: 'g1', groupId: 'g1', values: { name: 'Boom', locationId: 'l1' } },
    { table: 'participants', id: 'a', groupId: 'g1', values: { name: 'Ans', foundVia: 'flyer', status: 'actief' } },
    { table: 'participants', id: 'b', groupId: 'g1', values: { name: 'Bep', foundVia: 'website', status: 'actief' } },
    round('2026-03-03'),
    present(roundId('g1', '2026-03-03'), 'a'),
    present(roundId('g1', '2026-03-03'), 'b'),
  ]);
}

/** The report as from every stored record, read afresh: what the kept copy must always agree with. */
async function fromScratch(): Promise<ReturnType<typeof computeReport>> {
  const tables = await Promise.all(REPORT_TABLES.map((t) => d.table(t).toArray()));
  const input = Object.fromEntries(REPORT_TABLES.map((t, i) => [t, tables[i]])) as unknown as ReportInput;
  return computeReport(input, FILTER, { today: TODAY });
}

async function agree(): Promise<ReturnType<typeof computeReport>> {
  const kept = computeReport(await loadReportInput(), FILTER, { today: TODAY });
  assert.equal(kept, await fromScratch());
  return kept;
}

test('the first load reads every row; later loads read only the rows written since', async () => {
  await seed();
  assert.is((await agree()).totalAttendance, 2);
  assert.equal(lastReportRead(), { full: true, rows: 7 });
  await loadReportInput();
  assert.equal(lastReportRead(), { full: false, rows: 0 }, 'nothing written, nothing read');

  await writeAll([{ table: 'participants', id: 'c', groupId: 'g1', values: { name: 'Cor', foundVia: 'flyer', status: 'actief' } }, present(roundId('g1', '2026-03-03'), 'c')]);
  const after = await agree();
  assert.equal(lastReportRead(), { full: false, rows: 0 }, "this tab's own writes come with their records: nothing is read back");
  assert.is(after.totalAttendance, 3);
  assert.is(after.uniqueParticipants, 3);
});

test('the first load reads a large table in pages and misses no row', async () => {
  await seed();
  const r = roundId('g1', '2026-03-03');
  const rows = Array.from({ length: 11_003 }, (_, i) => ({ id: attendanceId(r, `p${String(i).padStart(5, '0')}`), groupId: 'g1', _h: {}, roundId: r, participantId: `p${i}`, present: true }));
  await d.table('attendance').bulkPut(rows);
  const input = await loadReportInput();
  assert.is(input.attendance.length, 11_005, 'the seeded two and the eleven thousand');
  assert.is(new Set(input.attendance.map((a) => a.id)).size, 11_005, 'no row twice');
  assert.equal(lastReportRead(), { full: true, rows: 11_010 });
});

test('the same input object comes back while nothing changed, so a screen keeps its computed report', async () => {
  await seed();
  const a = await loadReportInput();
  assert.ok((await loadReportInput()) === a);
  await writeAll([round('2026-04-07')]);
  assert.not.ok((await loadReportInput()) === a);
});

test('synced rows and tombstones from the server reach the copy; deleted rows leave it', async () => {
  await seed();
  await agree();
  const r2 = roundId('g1', '2026-05-05');
  const hlc = formatHlc(Date.UTC(2026, 4, 5), 0, 'server');
  const hlcs = (values: Record<string, unknown>) => Object.fromEntries(Object.keys(values).map((k) => [k, hlc]));
  const values = { date: '2026-05-05', status: 'afgerond', plan: DEFAULT_PLAN };
  const att = { roundId: r2, participantId: 'a', present: true };
  await applyRemote([
    { table: 'rounds', id: r2, groupId: 'g1', values, hlcs: hlcs(values) },
    { table: 'attendance', id: attendanceId(r2, 'a'), groupId: 'g1', values: att, hlcs: hlcs(att) },
  ]);
  assert.is((await agree()).roundsHeld, 2);
  await applyRemote([{ table: 'rounds', id: r2, groupId: 'g1', values: {}, hlcs: {}, deleted: formatHlc(Date.UTC(2026, 4, 6), 0, 'server') }]);
  const rep = await agree();
  assert.is(rep.roundsHeld, 1);
  assert.is(rep.totalAttendance, 2);
  assert.not.ok((await loadReportInput()).rounds.some((r) => r.id === r2), 'the deleted round is not kept');
});

test('a write from another tab (another connection to the same database) is seen, and watchers hear of it', async () => {
  await seed();
  await agree();
  let heard = 0;
  const stop = watchReportInput(() => heard++);
  const other = new LkDb(d.name);
  try {
    await writeAll([round('2026-06-02'), present(roundId('g1', '2026-06-02'), 'b')], { db: other });
    assert.is((await agree()).roundsHeld, 2);
    await new Promise((ok) => setTimeout(ok, 200));
    assert.is(heard, 1, 'one refresh for the burst');
  } finally {
    stop();
    other.close();
  }
});

test('a write whose transaction aborts leaves the copy as it was', async () => {
  await seed();
  await agree();
  const r3 = roundId('g1', '2026-08-04');
  const aborted = d.transaction('rw', d.table('rounds'), async () => {
    await d.table('rounds').put({ id: r3, groupId: 'g1', _h: {}, date: '2026-08-04', status: 'afgerond', plan: DEFAULT_PLAN } as never);
    throw new Error('iets ging mis');
  });
  await aborted.then(() => assert.unreachable('the transaction aborts'), () => undefined);
  const rep = await agree();
  assert.is(rep.roundsHeld, 1);
  assert.not.ok((await loadReportInput()).rounds.some((r) => r.id === r3));
});

test("another tab's write arrives as keys over a BroadcastChannel and only those rows are read back", async () => {
  await seed();
  await agree();
  // The other tab writes with IndexedDB itself; all this tab hears is the table and the key.
  const r2 = roundId('g1', '2026-07-07');
  const row = { id: r2, groupId: 'g1', _h: {}, date: '2026-07-07', status: 'afgerond', startedAt: null, endedAt: null, plan: DEFAULT_PLAN, locationId: null };
  await new Promise<void>((ok, fail) => {
    const open = indexedDB.open(d.name);
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('rounds', 'readwrite');
      tx.objectStore('rounds').put(row);
      tx.oncomplete = () => {
        open.result.close();
        ok();
      };
      tx.onerror = () => fail(tx.error);
    };
  });
  const other = new BroadcastChannel('lk-report-writes');
  other.postMessage({ db: d.name, table: 'rounds', keys: [r2] });
  other.close();
  await new Promise((ok) => setTimeout(ok, 50));
  assert.is((await agree()).roundsHeld, 2);
  assert.equal(lastReportRead(), { full: false, rows: 1 }, 'one row read back');
});

test('a wiped and re-made database starts a fresh copy', async () => {
  await seed();
  await agree();
  await d.delete();
  await d.open();
  const empty = await loadReportInput();
  assert.is(empty.rounds.length, 0);
  assert.is(empty.attendance.length, 0);
});

test('the copy keeps report fields only: no names or free text', async () => {
  await seed();
  const input = await loadReportInput();
  const text = JSON.stringify(input);
  assert.not.ok(text.includes('Ans') || text.includes('Alleen hier'));
  assert.is(input.participants.length, 2);
});

test('rows kept in place: a removal moves the last row into the gap, and every id stays findable', () => {
  const rows = new ReportRows();
  const p = (id: string, status = 'actief') => ({ id, groupId: 'g1', status, name: `naam ${id}` });
  for (const id of ['a', 'b', 'c', 'd']) rows.put('participants', p(id));
  rows.remove('participants', 'a');
  rows.remove('participants', 'x');
  rows.put('participants', p('c', 'afgerond'));
  rows.put('participants', { ...p('b'), _d: 'tomb' });
  rows.put('participants', p('e'));
  const kept = rows.input().participants.map((r) => [r.id, r.status]).sort();
  assert.equal(kept, [['c', 'afgerond'], ['d', 'actief'], ['e', 'actief']]);
  rows.remove('participants', 'e');
  rows.remove('participants', 'c');
  assert.equal(rows.input().participants.map((r) => r.id), ['d']);
  assert.is(rows.size, 1);
  assert.not.ok('name' in rows.input().participants[0], 'names are not kept');
});

test('reduced to report fields, ten years of thirty groups give the very same report', () => {
  const full = benchData();
  const rows = new ReportRows();
  for (const t of REPORT_TABLES) for (const r of full[t] as unknown as (Record<string, unknown> & { id: string })[]) rows.put(t, r);
  const period = { from: '2017-01-01', to: '2026-12-31' };
  assert.equal(computeReport(rows.input(), period, { today: '2027-01-01' }), computeReport(full, period, { today: '2027-01-01' }));
  assert.equal(
    computeReport(rows.input(), { ...period, wijk: 'Wijk 2' }, { today: '2027-01-01' }),
    computeReport(full, { ...period, wijk: 'Wijk 2' }, { today: '2027-01-01' }),
  );
});

test('the kept copy carries a round’s confirmed duration and a participant’s "came before", so the phone’s report counts them', () => {
  const rows = new ReportRows();
  const start = Date.UTC(2026, 2, 3, 18);
  const plan = { inloop: 15, opening: 20, verhaalkeuze: 25, verdieping: 30, verbreding: 30, afsluiting: 15, uitloop: 15 };
  rows.put('rounds', { id: 'r1', groupId: 'g1', date: '2026-03-03', status: 'afgerond', startedAt: start, endedAt: start + 4 * 60_000, durationMin: 150, plan, mote: 'niet bewaard' });
  rows.put('participants', { id: 'p1', groupId: 'g1', name: 'Ans', status: 'actief', foundVia: 'flyer', firstVisit: null, cameBefore: true });
  rows.put('participants', { id: 'p2', groupId: 'g1', name: 'Bo', status: 'actief', foundVia: 'flyer', firstVisit: '2026-03-03' });
  for (const pid of ['p1', 'p2']) rows.put('attendance', { id: `r1|${pid}`, groupId: 'g1', roundId: 'r1', participantId: pid, present: true });
  const rep = computeReport(rows.input(), { from: '2026-01-01', to: '2026-12-31' }, { today: '2027-01-01' });
  assert.is(rep.hoursOfAttention, 5, '2 present × 150 confirmed minutes, not 4 measured ones');
  assert.is(rep.newcomers, 1, 'Ans came before the app');
});

test.run();
