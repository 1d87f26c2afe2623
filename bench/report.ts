// Benchmark: the annual report over 10 years of a 30-group organisation (docs/design.md §6 budget < 100 ms), in Node:
// the shared report function alone, and GET /api/report's work on the server's own SQLite store.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeReport, type ReportInput } from '../src/shared/report';
import { ServerReports } from '../src/server/report';
import { openStore, type Store } from '../src/server/store';
import type { BenchResult } from './run';
import { FILTER, GROUPS, TODAY, YEARS, benchData, median, stampedTables } from './report-data';
import { REPORT_TABLES } from '../src/shared/report-tables';

export { benchData } from './report-data';

const BUDGET = 100;
const round1 = (n: number) => Math.round(n * 10) / 10;

/** On a shared machine a busy neighbour inflates every time: the note says how busy it was. */
export function loadNote(): string {
  return `; machine load ${(loadavg()[0] / availableParallelism()).toFixed(1)} per core`;
}

function describe(input: ReportInput): string {
  return `${YEARS} years × ${GROUPS} groups (${input.rounds.length} rounds, ${input.attendance.length} attendance)`;
}

/** Median time of computeReport over the whole ten years, no filter, in milliseconds. */
export async function benchReport(): Promise<BenchResult> {
  const input = benchData();
  // A few warm-up runs let the JIT optimise first, as it will have in a screen that recomputes on every filter change.
  for (let i = 0; i < 3; i++) computeReport(input, FILTER, { today: TODAY });
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    computeReport(input, FILTER, { today: TODAY });
    times.push(performance.now() - t0);
  }
  return {
    name: `report over ${describe(input)}, Node, function only`,
    value: round1(median(times)),
    unit: 'ms',
    budget: BUDGET,
    note: `median of 20 after 3 warm-ups; range ${round1(Math.min(...times))}–${round1(Math.max(...times))} ms${loadNote()}`,
  };
}

/** Puts the organisation into a fresh server store the way sync leaves it: one `records` row per record. */
async function fillStore(store: Store, input: ReportInput): Promise<number> {
  const tables = stampedTables(input);
  let count = 0;
  await store.write(async (tx, nextVersion) => {
    for (const table of REPORT_TABLES) {
      const rows = tables[table].map(({ id, groupId, _h, ...values }) => ({
        tbl: table,
        id,
        group_id: groupId,
        data: JSON.stringify(values),
        hlcs: JSON.stringify(_h),
        deleted: null,
        version: nextVersion(),
      }));
      // 7 columns × 500 rows stays under SQLite's bound-parameter limit.
      for (let i = 0; i < rows.length; i += 500) await tx.insertInto('records').values(rows.slice(i, i + 500)).execute();
      count += rows.length;
    }
  });
  return count;
}

/** Changes 100 attendance rows the way a day of syncs would: new versions on rows the report reads. */
async function touchAttendance(store: Store, input: ReportInput, n: number, from: number): Promise<void> {
  await store.write(async (tx, nextVersion) => {
    for (let i = 0; i < n; i++) {
      const a = input.attendance[(from + i * 997) % input.attendance.length];
      await tx.updateTable('records').set({ version: nextVersion() }).where('tbl', '=', 'attendance').where('id', '=', a.id).execute();
    }
  });
}

/** GET /api/report's work on the real store (SQLite): the first report after a server start reads every report row;
 * each later one reads what changed since (here 100 rows) and computes. */
export async function benchReportServer(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lk-bench-report-'));
  const store = openStore({ dataDir: dir });
  try {
    await store.migrate();
    const input = benchData();
    const records = await fillStore(store, input);
    const filter = { from: FILTER.from, to: FILTER.to };
    const now = Date.parse(`${TODAY}T12:00:00Z`);
    const colds: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await new ServerReports(store).report(filter, now);
      colds.push(performance.now() - t0);
    }
    const reports = new ServerReports(store);
    await reports.report(filter, now);
    for (let i = 0; i < 3; i++) await reports.report(filter, now);
    const warm: number[] = [];
    const read: number[] = [];
    for (let i = 0; i < 15; i++) {
      await touchAttendance(store, input, 100, i * 131);
      const t0 = performance.now();
      await reports.report(filter, now);
      warm.push(performance.now() - t0);
      read.push(reports.lastRead);
    }
    const where = `${describe(input)}, server (GET /api/report on SQLite, ${records} stored records)`;
    return [
      {
        name: `report over ${where}: after 100 changed rows`,
        value: round1(median(warm)),
        unit: 'ms',
        budget: BUDGET,
        note: `median of 15, range ${round1(Math.min(...warm))}–${round1(Math.max(...warm))} ms; each read ${median(read)} changed rows and computed the whole report${loadNote()}`,
      },
      {
        name: `report over ${where}: reading the copy at server start`,
        value: round1(median(colds)),
        unit: 'ms',
        budget: 1000,
        note: `median of 3 fresh copies: every report row read and parsed once, in the background after the server starts listening (own budget, like a first sync); range ${round1(Math.min(...colds))}–${round1(Math.max(...colds))} ms${loadNote()}`,
      },
    ];
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The Node side of the budget: the shared function alone, and the server computing from its store. */
export async function benchReportNode(): Promise<BenchResult[]> {
  return [await benchReport(), ...(await benchReportServer())];
}
