// Field-level last-writer-wins merge with permanent tombstones, and a forward-only lifecycle for a round's status:
// commutative, associative, idempotent.
import type { Hlc } from './hlc';
import type { RoundStatus } from './method';
import type { Change, RecordMeta, RemoteRow, TableName } from './schema';

type Row = RecordMeta & Record<string, unknown>;

const META = new Set(['id', 'groupId', '_h', '_d']);

/** The state to merge in: values with their field HLCs, and an optional tombstone. */
export interface Patch {
  /** Decides the field rules: a round's status follows its lifecycle, every other field the last writer. */
  table?: TableName;
  id: string;
  groupId: string | null;
  values: Record<string, unknown>;
  hlcs: Record<string, Hlc>;
  deleted?: Hlc;
}

export function changeToPatch(c: Pick<Change, 'id' | 'groupId' | 'values' | 'hlc' | 'deleted'> & { table?: TableName }): Patch {
  const table = c.table ? { table: c.table } : {};
  if (c.deleted) return { ...table, id: c.id, groupId: c.groupId, values: {}, hlcs: {}, deleted: c.hlc };
  const hlcs: Record<string, Hlc> = {};
  for (const k of Object.keys(c.values)) hlcs[k] = c.hlc;
  return { ...table, id: c.id, groupId: c.groupId, values: c.values, hlcs };
}

export function remoteToPatch(r: RemoteRow): Patch {
  return { table: r.table, id: r.id, groupId: r.groupId, values: r.values, hlcs: r.hlcs, deleted: r.deleted };
}

/** Fields with a greater HLC win; ties on equal HLC keep the greater JSON value so order never matters.
 * A tombstone wins over every field write, older or newer: deletion here means erasure, and values are dropped. */
export function merge<T extends Row>(current: T | undefined, patch: Patch): { row: T; changed: boolean } {
  const base: Row = current ?? { id: patch.id, groupId: patch.groupId, _h: {} };
  const tomb = maxOf(base._d, patch.deleted);
  if (tomb) {
    const changed = base._d !== tomb || Object.keys(base._h).length > 0;
    return { row: { id: base.id, groupId: base.groupId, _h: {}, _d: tomb } as T, changed };
  }
  let changed = current === undefined;
  const row: Row = { ...base, _h: { ...base._h } };
  const lifecycle = patch.table === 'rounds';
  for (const [k, v] of Object.entries(patch.values)) {
    if (META.has(k) || (lifecycle && k === 'status')) continue;
    const h = patch.hlcs[k];
    if (h === undefined) continue;
    const mine = row._h[k];
    if (mine === undefined || h > mine || (h === mine && JSON.stringify(v) > JSON.stringify(row[k]))) {
      if (mine !== h || JSON.stringify(v) !== JSON.stringify(row[k])) changed = true;
      row[k] = v;
      row._h[k] = h;
    }
  }
  if (lifecycle && mergeStatus(row, base, patch)) changed = true;
  return { row: row as T, changed };
}

/** Forward rank of a round's status; closing and cancelling are both ends, and the later of the two decides. */
const RANK: Record<RoundStatus, number> = { gepland: 0, bezig: 1, afgerond: 2, geannuleerd: 2 };
const isStatus = (v: unknown): v is RoundStatus => typeof v === 'string' && Object.hasOwn(RANK, v);
const register = (s: RoundStatus) => `status@${s}`;

/** The latest write of each status a round has seen, kept in its `_h` as `status@<value>` (a row from before this
 * rule has only `status`, which counts as its register). */
function registers(values: Record<string, unknown>, hlcs: Record<string, Hlc>): Partial<Record<RoundStatus, Hlc>> {
  const out: Partial<Record<RoundStatus, Hlc>> = {};
  for (const s of Object.keys(RANK) as RoundStatus[]) if (hlcs[register(s)]) out[s] = hlcs[register(s)];
  const s = values.status;
  if (isStatus(s) && hlcs.status) out[s] = maxOf(out[s], hlcs.status);
  return out;
}

/** A round's status: the furthest one written since the latest explicit reopen (`reopenReason`'s HLC), so a stale
 * start — from any phone, of any age, with any clock — never moves a closed or cancelled round back, while a
 * reopen beats every close before it. Keeping every status's latest write (not only the winner's) makes the result
 * a function of the set of writes, whatever order they arrive in. Returns whether anything changed. */
function mergeStatus(row: Row, base: Row, patch: Patch): boolean {
  const mine = registers(base, base._h);
  const theirs = registers(patch.values, patch.hlcs);
  const regs: Partial<Record<RoundStatus, Hlc>> = {};
  for (const s of Object.keys(RANK) as RoundStatus[]) {
    const h = maxOf(mine[s], theirs[s]);
    if (h) regs[s] = h;
  }
  const pick = (floor: Hlc | undefined) => {
    let best: { s: RoundStatus; h: Hlc } | null = null;
    for (const [s, h] of Object.entries(regs) as [RoundStatus, Hlc][]) {
      if (floor && h < floor) continue;
      if (!best || RANK[s] > RANK[best.s] || (RANK[s] === RANK[best.s] && (h > best.h || (h === best.h && s > best.s)))) best = { s, h };
    }
    return best;
  };
  const win = pick(row._h.reopenReason) ?? pick(undefined);
  if (!win) return false;
  const before = JSON.stringify([base.status, base._h.status, ...Object.keys(RANK).map((s) => base._h[register(s as RoundStatus)])]);
  row.status = win.s;
  row._h.status = win.h;
  for (const [s, h] of Object.entries(regs) as [RoundStatus, Hlc][]) row._h[register(s)] = h;
  return before !== JSON.stringify([row.status, row._h.status, ...Object.keys(RANK).map((s) => row._h[register(s as RoundStatus)])]);
}

function maxOf(a?: Hlc, b?: Hlc): Hlc | undefined {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

/** The values of a stored row, without bookkeeping. */
export function valuesOf(row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (!META.has(k)) out[k] = v;
  return out;
}

export function rowToRemote(table: RemoteRow['table'], row: Row): RemoteRow {
  return row._d
    ? { table, id: row.id, groupId: row.groupId, values: {}, hlcs: {}, deleted: row._d }
    : { table, id: row.id, groupId: row.groupId, values: valuesOf(row), hlcs: { ...row._h } };
}
