// The report's rows on the coördinator's device: read in full once, then kept up to date by re-reading only the rows
// a write touched (report-changes.ts), so opening the report again or after a sync costs its compute, not a full read.
import type { Table } from 'dexie';
import type { ReportInput } from '../shared/report';
import { REPORT_TABLES, ReportRows, type ReportTable } from '../shared/report-source';
import { db, type LkDb } from './db';
import { onLockChange } from './lock-state';
import { generation, onReportWrite, type ReportWrite } from './report-changes';
import { canReadSealed, LockedError } from './sealed';

interface Cache {
  d: LkDb;
  generation: number;
  rows: ReportRows;
  loaded: boolean;
  /** Rows written since the last load, by key: the record this tab stored, null for a delete, or 'read' when
   * another tab wrote it and it must be read back; 'all' after a range delete. */
  touched: Map<ReportTable, Map<string, Rec | null | 'read'> | 'all'>;
  /** Reads one after another: a write during a read is read by the next one. */
  queue: Promise<unknown>;
}

type Rec = Record<string, unknown> & { id: string };
/** One shape for all eight tables: the copy keeps rows by id whatever their fields. */
const rowsOf = (d: LkDb, t: ReportTable) => d.table(t as string) as Table<Rec, string>;

let cache: Cache | null = null;
/** What the last load read from IndexedDB: every report row, or how many rows another tab had written (this tab's
 * own writes arrive with their records and need no read). For tests and the benchmark. */
let last = { full: false, rows: 0 };
export const lastReportRead = () => last;
const watchers = new Set<() => void>();
let unsubscribe: (() => void) | null = null;

function mark(c: Cache, w: ReportWrite): void {
  let had = c.touched.get(w.table);
  if (had === 'all') return;
  if (w.keys === null) return void c.touched.set(w.table, 'all');
  if (!had) c.touched.set(w.table, (had = new Map()));
  const rows = w.rows;
  w.keys.forEach((k, i) => had.set(k, rows ? ((rows[i] as Rec | undefined) ?? null) : 'read'));
}

function listen(): void {
  if (unsubscribe) return;
  const offWrite = onReportWrite((w) => {
    if (!cache || w.db !== cache.d.name) return;
    mark(cache, w);
    for (const fn of watchers) fn();
  });
  // Locked, the data is sealed again: drop the readable copy; unlocked, read afresh.
  const offLock = onLockChange(() => {
    cache = null;
    for (const fn of watchers) fn();
  });
  unsubscribe = () => {
    offWrite();
    offLock();
  };
}

/** Rows per read of the first, full load: ten years of attendance in one read would hold the page still for
 * seconds on a slow phone while IndexedDB's answer is unpacked; in pages the screen stays usable meanwhile. */
const PAGE = 5000;

async function readAll(c: Cache): Promise<void> {
  // Writes from here on are marked and read again next time, so a row changed between two pages is never stale.
  c.touched = new Map();
  c.rows.clear();
  let rows = 0;
  for (const t of REPORT_TABLES) {
    const table = rowsOf(c.d, t);
    let after: string | null = null;
    for (;;) {
      const page: Rec[] = await (after === null ? table.limit(PAGE) : table.where(':id').above(after).limit(PAGE)).toArray();
      for (const r of page) c.rows.put(t, r);
      rows += page.length;
      if (page.length < PAGE) break;
      after = page[page.length - 1].id;
      await new Promise((ok) => setTimeout(ok, 0));
    }
  }
  c.loaded = true;
  last = { full: true, rows };
}

async function readTouched(c: Cache): Promise<void> {
  const touched = c.touched;
  last = { full: false, rows: 0 };
  if (touched.size === 0) return;
  c.touched = new Map();
  for (const [t, keys] of touched) {
    const table = rowsOf(c.d, t);
    if (keys === 'all') {
      const rows = await table.toArray();
      c.rows.clear(t);
      for (const r of rows) c.rows.put(t, r);
      last.rows += rows.length;
      continue;
    }
    const unread: string[] = [];
    for (const [id, row] of keys) {
      if (row === 'read') unread.push(id);
      else if (row === null) c.rows.remove(t, id);
      else c.rows.put(t, row);
    }
    if (unread.length === 0) continue;
    const rows = await table.bulkGet(unread);
    last.rows += unread.length;
    unread.forEach((id, i) => {
      const r = rows[i];
      if (r) c.rows.put(t, r);
      else c.rows.remove(t, id);
    });
  }
}

/** Everything the report maths needs. The first call reads every report table; later ones read what changed.
 * Locked, it throws LockedError: sealed rows would read as rows without their fields. */
export async function loadReportInput(d: LkDb = db()): Promise<ReportInput> {
  listen();
  // Opening first makes the generation current: a database wiped and made anew starts a fresh copy.
  await d.open();
  if (!(await canReadSealed(d))) throw new LockedError();
  if (!cache || cache.d !== d || cache.generation !== generation(d)) {
    cache = { d, generation: generation(d), rows: new ReportRows(), loaded: false, touched: new Map(), queue: Promise.resolve() };
  }
  const c = cache;
  const run = c.queue.then(async () => {
    if (!c.loaded) await readAll(c);
    else await readTouched(c);
    return c.rows.input();
  });
  c.queue = run.catch(() => undefined);
  return run;
}

/** The copy as it stands when it is loaded and nothing changed since, else undefined: a screen opened again draws its
 * figures in its first render instead of after a round trip to IndexedDB. (A lock drops the copy, so what is
 * returned was read while readable.) */
export function currentReportInput(d: LkDb = db()): ReportInput | undefined {
  const c = cache;
  if (!c || c.d !== d || !c.loaded || c.touched.size > 0 || c.generation !== generation(d)) return undefined;
  return c.rows.input();
}

/** Calls `fn` (later, outside any write's transaction) when report rows change or the lock drops the copy. */
export function watchReportInput(fn: () => void): () => void {
  listen();
  let timer: ReturnType<typeof setTimeout> | null = null;
  // A sync applies its pull in pages: one refresh after a burst, not one per page.
  const soon = () => {
    if (timer === null) timer = setTimeout(() => ((timer = null), fn()), 150);
  };
  watchers.add(soon);
  return () => {
    watchers.delete(soon);
    if (timer !== null) clearTimeout(timer);
  };
}

/** Full stored records for downloads ("the rows behind this report"): the copy above keeps report fields only. */
export async function fullRows(table: 'rounds' | 'attendance', roundIds: ReadonlySet<string>, d: LkDb = db()): Promise<Rec[]> {
  const ids = [...roundIds];
  const rows = table === 'rounds' ? await rowsOf(d, 'rounds').bulkGet(ids) : await rowsOf(d, 'attendance').where('roundId').anyOf(ids).toArray();
  return rows.filter((r): r is Rec => r !== undefined && !r._d);
}
