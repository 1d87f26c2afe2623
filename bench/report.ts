// Benchmark: the annual report over 10 years of a 30-group organisation (DESIGN §6 budget < 100 ms), in Node:
// the shared report function alone, and on the server from its own store (SQLite rows read, parsed, computed).
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeReport, type ReportInput } from '../src/shared/report';
import { openStore, type Store } from '../src/server/store';
import type { BenchResult } from './run';
import { FILTER, GROUPS, REPORT_TABLES, TODAY, YEARS, benchData, median, stampedTables } from './report-data';

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

/** What a server-side report costs: every report row read from the store and parsed (field values only; the
 * report needs no HLCs), then the same report function. The server has no report endpoint yet, so this is
 * the work one would do, measured on the real store (SQLite; the raw row fetch alone is most of it). */
async function reportFromStore(store: Store): Promise<{ read: number; compute: number }> {
  const t0 = performance.now();
  const rows = await store.db.selectFrom('records').select(['tbl', 'id', 'group_id', 'data', 'deleted']).where('tbl', 'in', [...REPORT_TABLES]).execute();
  const input = Object.fromEntries(REPORT_TABLES.map((t) => [t, [] as Record<string, unknown>[]])) as Record<string, Record<string, unknown>[]>;
  for (const r of rows) {
    // The parsed object becomes the row: copying ~95,000 objects once more would cost more than the compute.
    const row = JSON.parse(r.data) as Record<string, unknown>;
    row.id = r.id;
    row.groupId = r.group_id;
    row._h = {};
    if (r.deleted) row._d = r.deleted;
    input[r.tbl].push(row);
  }
  const t1 = performance.now();
  computeReport(input as unknown as ReportInput, FILTER, { today: TODAY });
  return { read: t1 - t0, compute: performance.now() - t1 };
}

export async function benchReportServer(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lk-bench-report-'));
  const store = openStore({ dataDir: dir });
  try {
    await store.migrate();
    const input = benchData();
    const records = await fillStore(store, input);
    for (let i = 0; i < 2; i++) await reportFromStore(store);
    const runs: { read: number; compute: number }[] = [];
    for (let i = 0; i < 10; i++) runs.push(await reportFromStore(store));
    const total = runs.map((r) => r.read + r.compute);
    return {
      name: `report over ${describe(input)}, server (SQLite store: read + parse + compute)`,
      value: round1(median(total)),
      unit: 'ms',
      budget: BUDGET,
      note: `median of 10 after 2 warm-ups over ${records} stored records: read + JSON parse ${round1(median(runs.map((r) => r.read)))} ms, compute ${round1(median(runs.map((r) => r.compute)))} ms${loadNote()}`,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The Node side of the budget: the shared function alone, and the server computing from its store. */
export async function benchReportNode(): Promise<BenchResult[]> {
  return [await benchReport(), await benchReportServer()];
}
