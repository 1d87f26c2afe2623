// Tells which report rows a write touched — in this tab, another tab or the service worker — so the coördinator's
// report re-reads just those rows instead of ten years of records after every change.
import type { DBCore, DBCoreMutateRequest, DBCoreMutateResponse } from 'dexie';
import type Dexie from 'dexie';
import { isReportTable, type ReportTable } from '../shared/report-tables';

/** `keys` null: a range went (a clear), so the whole table is read again. */
export type ReportWrite = { db: string; table: ReportTable; keys: string[] | null };
type Listener = (w: ReportWrite) => void;

const listeners = new Set<Listener>();
/** Each time a database (re)opens — after a wipe it is a new, empty one — its generation moves on. */
const generations = new WeakMap<Dexie, number>();
let channel: BroadcastChannel | null | undefined;

function bus(): BroadcastChannel | null {
  if (channel !== undefined) return channel;
  channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('lk-report-writes');
  if (channel) {
    channel.onmessage = (e: MessageEvent<ReportWrite>) => {
      if (e.data && isReportTable(e.data.table)) tell(e.data);
    };
    // In Node (tests, benchmarks) an open channel would keep the process alive.
    (channel as unknown as { unref?: () => void }).unref?.();
  }
  return channel;
}

function tell(w: ReportWrite): void {
  for (const fn of listeners) fn(w);
}

export function onReportWrite(fn: Listener): () => void {
  bus();
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function generation(d: Dexie): number {
  return generations.get(d) ?? 0;
}

function keysOf(req: DBCoreMutateRequest, res: DBCoreMutateResponse): string[] | null {
  if (req.type === 'deleteRange') return null;
  if (req.type === 'delete') return req.keys.map(String);
  return (req.keys ?? res.results ?? []).map(String);
}

/** Installed by LkDb: after each write to a report table, this tab's listeners and every other tab hear its keys. */
export function trackReportWrites(d: Dexie): void {
  d.use({
    stack: 'dbcore',
    name: 'ReportWrites',
    create: (down: DBCore): DBCore => {
      generations.set(d, generation(d) + 1);
      return {
        ...down,
        table(name: string) {
          const t = down.table(name);
          if (!isReportTable(name)) return t;
          return {
            ...t,
            mutate: (req) =>
              t.mutate(req).then((res) => {
                const w: ReportWrite = { db: d.name, table: name, keys: keysOf(req, res) };
                tell(w);
                bus()?.postMessage(w);
                return res;
              }),
          };
        },
      };
    },
  });
}
