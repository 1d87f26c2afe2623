// Field-level last-writer-wins merge with permanent tombstones: commutative, associative, idempotent.
import type { Hlc } from './hlc';
import type { Change, RecordMeta, RemoteRow } from './schema';

type Row = RecordMeta & Record<string, unknown>;

const META = new Set(['id', 'groupId', '_h', '_d']);

/** The state to merge in: values with their field HLCs, and an optional tombstone. */
export interface Patch {
  id: string;
  groupId: string | null;
  values: Record<string, unknown>;
  hlcs: Record<string, Hlc>;
  deleted?: Hlc;
}

export function changeToPatch(c: Pick<Change, 'id' | 'groupId' | 'values' | 'hlc' | 'deleted'>): Patch {
  if (c.deleted) return { id: c.id, groupId: c.groupId, values: {}, hlcs: {}, deleted: c.hlc };
  const hlcs: Record<string, Hlc> = {};
  for (const k of Object.keys(c.values)) hlcs[k] = c.hlc;
  return { id: c.id, groupId: c.groupId, values: c.values, hlcs };
}

export function remoteToPatch(r: RemoteRow): Patch {
  return { id: r.id, groupId: r.groupId, values: r.values, hlcs: r.hlcs, deleted: r.deleted };
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
  for (const [k, v] of Object.entries(patch.values)) {
    if (META.has(k)) continue;
    const h = patch.hlcs[k];
    if (h === undefined) continue;
    const mine = row._h[k];
    if (mine === undefined || h > mine || (h === mine && JSON.stringify(v) > JSON.stringify(row[k]))) {
      if (mine !== h || JSON.stringify(v) !== JSON.stringify(row[k])) changed = true;
      row[k] = v;
      row._h[k] = h;
    }
  }
  return { row: row as T, changed };
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
