// Page side of the phone report bench: fills the app's own IndexedDB with the bench organisation and times the report
// screen's work — the screen's own loadReportInput (a full read the first time, then the touched rows), then
// computeReport — inside the page.
import type { Table } from 'dexie';
import { LkDb, db } from '../src/data/db';
import { lastReportRead, loadReportInput } from '../src/data/report-input';
import { computeReport } from '../src/shared/report';
import { FILTER, TODAY, benchData, stampedTables } from './report-data';
import { REPORT_TABLES } from '../src/shared/report-tables';

async function fill(): Promise<number> {
  const d = db();
  const tables = stampedTables(benchData());
  let count = 0;
  for (const t of REPORT_TABLES) {
    const table = d.table(t) as unknown as Table<Record<string, unknown>, string>;
    await table.clear();
    // Chunks keep each transaction's memory modest on a phone-sized heap.
    for (let i = 0; i < tables[t].length; i += 5000) await table.bulkPut(tables[t].slice(i, i + 5000));
    count += tables[t].length;
  }
  return count;
}


/** One report as the screen makes it when opened: load the rows (all of them the first time, then what changed), compute. */
async function once(): Promise<{ read: number; compute: number; rows: number; full: boolean }> {
  const t0 = performance.now();
  const input = await loadReportInput();
  const t1 = performance.now();
  computeReport(input, FILTER, { today: TODAY });
  return { read: t1 - t0, compute: performance.now() - t1, ...lastReportRead() };
}

/** A sync's worth of change: `n` attendance rows rewritten (present flipped), spread over the ten years. */
async function touch(n: number, seed: number): Promise<void> {
  const table = db().table('attendance') as unknown as Table<Record<string, unknown>, string>;
  const keys = (await table.toCollection().primaryKeys()) as string[];
  const picked = Array.from({ length: n }, (_, i) => keys[(seed * 7919 + i * 997) % keys.length]);
  const rows = (await table.bulkGet(picked)).filter((r): r is Record<string, unknown> => r !== undefined);
  await table.bulkPut(rows.map((r) => ({ ...r, present: !r.present })));
}

/** A filter change recomputes from rows already in memory (the screen's useMemo): compute only. */
async function computeOnly(runs: number, warmups: number): Promise<number[]> {
  const input = await loadReportInput();
  for (let i = 0; i < warmups; i++) computeReport(input, FILTER, { today: TODAY });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    computeReport(input, FILTER, { today: TODAY });
    times.push(performance.now() - t0);
  }
  return times;
}

/** The same change made by another tab or the service worker: written through a second database connection (rows
 * are sealed at rest, so a raw IndexedDB write would not be what another tab stores), announced by key only, so the
 * report reads those rows back. */
async function touchElsewhere(n: number, seed: number): Promise<void> {
  const table = db().table('attendance') as unknown as Table<Record<string, unknown>, string>;
  const keys = (await table.toCollection().primaryKeys()) as string[];
  const picked = Array.from({ length: n }, (_, i) => keys[(seed * 7919 + i * 997) % keys.length]);
  const rows = (await table.bulkGet(picked)).filter((r): r is Record<string, unknown> => r !== undefined);
  const elsewhere = new LkDb(db().name);
  await elsewhere.table('attendance').bulkPut(rows.map((r) => ({ ...r, present: !r.present })) as never);
  elsewhere.close();
  const other = new BroadcastChannel('lk-report-writes');
  other.postMessage({ db: db().name, table: 'attendance', keys: picked });
  other.close();
  await new Promise((ok) => setTimeout(ok, 20));
}

(globalThis as unknown as { lkReportBench: unknown }).lkReportBench = { fill, once, touch, touchElsewhere, computeOnly };
