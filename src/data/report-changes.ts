// Tells which report rows a write touched — in this tab, another tab or the service worker — so the coördinator's
// report re-reads just those rows instead of ten years of records after every change.
import type { DBCore, DBCoreMutateRequest, DBCoreMutateResponse } from 'dexie';
import type Dexie from 'dexie';
import { isReportTable, type ReportTable } from '../shared/report-tables';

/** `keys` null: a range went (a clear), so the whole table is read again. `rows`, only within the tab that wrote:
 * the records as stored, beside their keys (undefined for a delete), so nothing needs reading back. */
export type ReportWrite = { db: string; table: ReportTable; keys: string[] | null; rows?: (Record<string, unknown> | undefined)[] };
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

/** The records a put or add stored (as the app handed them over, above the sealing layer), keyed like `keys`. */
function rowsOf(req: DBCoreMutateRequest, keys: string[]): (Record<string, unknown> | undefined)[] | undefined {
  if (req.type === 'delete') return keys.map(() => undefined);
  if (req.type !== 'put' && req.type !== 'add') return undefined;
  return req.values.length === keys.length ? (req.values as Record<string, unknown>[]) : undefined;
}

/** Installed by LkDb: once a write to a report table has committed, this tab's listeners hear its keys and records,
 * and every other tab its keys. An aborted transaction tells nobody: nothing changed. */
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
                const keys = keysOf(req, res);
                const done = () => {
                  tell({ db: d.name, table: name, keys, rows: keys ? rowsOf(req, keys) : undefined });
                  bus()?.postMessage({ db: d.name, table: name, keys } satisfies ReportWrite);
                };
                const idb = req.trans as unknown as Partial<IDBTransaction>;
                if (typeof idb.addEventListener === 'function') idb.addEventListener('complete', done, { once: true });
                else done();
                return res;
              }),
          };
        },
      };
    },
  });
}
