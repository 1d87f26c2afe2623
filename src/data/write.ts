// Every local write: validated, stamped with the device's HLC, merged, and queued in the outbox — in one transaction.
import { formatHlc, newClock, receive, tick, type ClockState } from '../shared/hlc';
import { randomId } from '../shared/ids';
import { changeToPatch, merge, remoteToPatch } from '../shared/merge';
import type { Fields, RecordMeta, RemoteRow, TableName } from '../shared/schema';
import { schemas } from './schemas';
import { db, type LkDb, type OutboxEntry } from './db';

type Row = RecordMeta & Record<string, unknown>;

export interface WriteOp<T extends TableName = TableName> {
  table: T;
  id: string;
  groupId: string | null;
  values?: Partial<Fields<T>>;
  deleted?: boolean;
  /** Values a new record merely starts with (empty form fields of today's round). Stamped below every real
   * write, so a second phone that creates the same record offline fills gaps but overwrites nothing. */
  initial?: boolean;
}

export class WriteError extends Error {
  constructor(
    message: string,
    readonly cause: unknown,
  ) {
    super(message);
    this.name = 'WriteError';
  }
}

const listeners = new Set<(ops: WriteOp[]) => void>();
/** Called after every committed local write (the sync engine debounces a push on it). */
export function onLocalWrite(fn: (ops: WriteOp[]) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Where a write goes and what time it is there: tests and the multi-device simulation pass their own. */
export interface WriteOptions {
  db?: LkDb;
  now?: number;
}

export async function deviceId(database?: LkDb): Promise<string> {
  const d = database ?? db();
  return d.transaction('rw', d.meta, async () => {
    const e = await d.meta.get('deviceId');
    if (e) return e.value as string;
    const id = `d${randomId()}`;
    await d.meta.put({ key: 'deviceId', value: id });
    return id;
  });
}

/** A fresh device id for syncing, when the server says another account used this one first (a phone handed on to
 * a colleague). The clock keeps its node, so the HLCs this phone stamped stay unique. */
export async function renewDeviceId(database?: LkDb): Promise<string> {
  const d = database ?? db();
  const id = `d${randomId()}`;
  await d.meta.put({ key: 'deviceId', value: id });
  return id;
}

async function loadClock(d: LkDb): Promise<ClockState> {
  const c = await d.meta.get('clock');
  if (c) return c.value as ClockState;
  const e = await d.meta.get('deviceId');
  let id = e?.value as string | undefined;
  if (!id) {
    id = `d${randomId()}`;
    await d.meta.put({ key: 'deviceId', value: id });
  }
  return newClock(id);
}

/** Applies local writes atomically: rows, outbox entries and the clock commit together or not at all. */
export async function writeAll(ops: WriteOp[], opts: WriteOptions = {}): Promise<void> {
  const { parseValues } = await schemas();
  const checked = ops.map((op) => ({ ...op, values: op.deleted ? {} : parseValues(op.table, op.values ?? {}) }));
  const d = opts.db ?? db();
  const tables = [...new Set(checked.map((o) => o.table))].map((t) => d.table(t));
  try {
    await d.transaction('rw', [d.meta, d.outbox, ...tables], async () => {
      let clock = await loadClock(d);
      let mid = ((await d.meta.get('lastMid'))?.value as number | undefined) ?? 0;
      const now = opts.now ?? Date.now();
      for (const op of checked) {
        const stamped = op.initial ? { clock, hlc: formatHlc(0, 0, clock.node) } : tick(clock, now);
        clock = stamped.clock;
        mid += 1;
        const entry: OutboxEntry = {
          mid,
          table: op.table,
          id: op.id,
          groupId: op.groupId,
          values: op.values,
          hlc: stamped.hlc,
          at: now,
          ...(op.deleted ? { deleted: true } : {}),
        };
        const t = d.table(op.table);
        const existing = (await t.get(op.id)) as Row | undefined;
        if (existing && existing.groupId !== op.groupId) throw new Error(`${op.table}/${op.id} hoort bij een andere groep`);
        const { row } = merge(existing, changeToPatch(entry));
        await t.put(row as never);
        await d.outbox.put(entry);
      }
      await d.meta.bulkPut([
        { key: 'clock', value: clock },
        { key: 'lastMid', value: mid },
      ]);
    });
  } catch (e) {
    throw new WriteError(`Niet opgeslagen: ${(e as Error).message}`, e);
  }
  for (const fn of listeners) fn(checked);
}

export function write<T extends TableName>(table: T, id: string, groupId: string | null, values: Partial<Fields<T>>, opts?: WriteOptions) {
  return writeAll([{ table, id, groupId, values } as WriteOp], opts);
}

export function remove(table: TableName, id: string, groupId: string | null, opts?: WriteOptions) {
  return writeAll([{ table, id, groupId, deleted: true }], opts);
}

/** Merges rows from the server in one transaction and moves the clock past them. Returns how many changed.
 * Called inside an outer transaction that spans these tables, it joins that transaction. */
export async function applyRemote(rows: RemoteRow[], opts: WriteOptions = {}): Promise<number> {
  if (rows.length === 0) return 0;
  const d = opts.db ?? db();
  const tables = [...new Set(rows.map((r) => r.table))].map((t) => d.table(t));
  let changedCount = 0;
  await d.transaction('rw', [d.meta, ...tables], async () => {
    let clock = await loadClock(d);
    const now = opts.now ?? Date.now();
    for (const r of rows) {
      const t = d.table(r.table);
      const existing = (await t.get(r.id)) as Row | undefined;
      const { row, changed } = merge(existing, remoteToPatch(r));
      if (changed) {
        await t.put(row as never);
        changedCount++;
      }
      for (const h of Object.values(r.hlcs)) clock = receive(clock, h, now);
      if (r.deleted) clock = receive(clock, r.deleted, now);
    }
    await d.meta.put({ key: 'clock', value: clock });
  });
  return changedCount;
}

/** Undoes a change the server refused for good, inside the caller's transaction: every field whose latest local
 * write is still that change goes back to the server's value (or away, when the server has none), a refused delete
 * gives the server's record back, and a record the server holds none of and nothing else wrote is removed.
 * Later local writes to other fields, still on their way, stay. */
export async function rollBack(d: LkDb, change: Pick<OutboxEntry, 'table' | 'id' | 'values' | 'hlc' | 'deleted'>, current: RemoteRow | null): Promise<void> {
  const t = d.table(change.table);
  const local = (await t.get(change.id)) as Row | undefined;
  if (!local) return;
  const server = current && !current.deleted ? current : null;
  if (change.deleted) {
    if (local._d !== change.hlc) return;
    if (server) await t.put(merge(undefined, remoteToPatch(server)).row as never);
    else await t.delete(change.id);
    return;
  }
  if (local._d) return;
  const row: Row = { ...local, _h: { ...local._h } };
  for (const f of Object.keys(change.values ?? {})) {
    if (row._h[f] !== change.hlc) continue;
    if (server && f in server.values && server.hlcs[f] !== undefined) {
      row[f] = server.values[f];
      row._h[f] = server.hlcs[f];
    } else {
      delete row[f];
      delete row._h[f];
    }
  }
  // Whatever else the server holds (other fields, newer values) comes along, as a pull would bring it.
  const merged = server ? merge(row, remoteToPatch(server)).row : row;
  if (Object.keys(merged._h).length === 0) await t.delete(change.id);
  else await t.put(merged as never);
}
