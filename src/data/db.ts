// The phone's database: every synced table of docs/design.md §2, the outbox, and local bookkeeping.
import Dexie, { type Table, type Transaction } from 'dexie';
import { TABLES, type TableName } from '../shared/records';
import type { Change, StoredRecord } from '../shared/schema';
import { schemas } from './schemas';
import { SEALED_FIELDS, installSealing } from './sealed';
import { trackReportWrites } from './report-changes';

/** A local change waiting for the server's acknowledgement. */
export interface OutboxEntry extends Change {
  at: number;
}

/** A change the server refused, kept with its reason until the user resolves it. */
export interface RejectedEntry extends Change {
  at: number;
  reason: string;
}

/** A stored row that failed validation during an upgrade: kept aside, never dropped. */
export interface QuarantineEntry {
  key?: number;
  table: string;
  row: unknown;
  reason: string;
  at: number;
}

export interface MetaEntry {
  key: string;
  value: unknown;
}

type SyncedTables = { [T in TableName]: Table<StoredRecord<T>, string> };

const V1 = {
  locations: 'id',
  groups: 'id',
  participants: 'id, groupId',
  rounds: 'id, groupId, date',
  stepTimings: 'id, roundId',
  attendance: 'id, roundId, participantId',
  notes: 'id, roundId',
  evaluations: 'id, roundId',
  stories: 'id, groupId',
  categories: 'id',
  outbox: 'mid, [table+id]',
  meta: 'key',
};

/** v2: rejected changes get their own table, categories are looked up by kind, and every row
 * is checked against the zod schemas so a bad row from an older build is quarantined, not lost. */
const V2 = {
  ...V1,
  categories: 'id, kind',
  attendance: 'id, roundId, participantId, groupId',
  rejected: 'mid, [table+id]',
  quarantine: '++key, table',
};

/** v3: the organisation's settings (retention of notes on phones). */
const V3 = { ...V2, settings: 'id' };

/** v4: the outbox is indexed by the time of each change, so the oldest waiting change is found without
 * reading the whole outbox after every write (that read held up each attendance tap by ~100 ms). */
const V4 = { ...V3, outbox: 'mid, [table+id], at' };

/** v5: no new store. Every row from an older build is checked against the schemas (bad rows quarantined) before
 * the first start seals it under the device key (sealed.ts). */
export const DB_VERSION = 5;

export class LkDb extends Dexie {
  declare outbox: Table<OutboxEntry, number>;
  declare rejected: Table<RejectedEntry, number>;
  declare quarantine: Table<QuarantineEntry, number>;
  declare meta: Table<MetaEntry, string>;

  constructor(name = 'luisterkring') {
    super(name);
    this.version(1).stores(V1);
    this.version(2).stores(V2).upgrade(quarantineInvalidRows);
    this.version(3).stores(V3);
    this.version(4).stores(V4);
    this.version(5).stores(V4).upgrade(quarantineInvalidRows);
    installSealing(this);
    trackReportWrites(this);
  }

  table<T extends TableName>(name: T): SyncedTables[T];
  table(name: string): Table;
  table(name: string): Table {
    return super.table(name);
  }
}

/** Moves rows that no longer pass the schema into `quarantine`, with the reason. */
export async function quarantineInvalidRows(tx: Transaction): Promise<void> {
  // waitFor keeps the upgrade transaction open while the schemas load (IndexedDB would commit it on an idle tick).
  const { parseValues } = await Dexie.waitFor(schemas());
  const check = (table: TableName, values: unknown) => void parseValues(table, values);
  const now = Date.now();
  // Tables added by later versions do not exist yet while an older version's upgrade runs.
  for (const table of TABLES.filter((t) => tx.idbtrans.objectStoreNames.contains(t))) {
    const bad: { row: unknown; reason: string; id: string }[] = [];
    await tx
      .table(table)
      .toCollection()
      .each((row: Record<string, unknown>) => {
        const reason = invalidReason(table, row, check);
        if (reason) bad.push({ row, reason, id: String(row.id) });
      });
    for (const b of bad) {
      await tx.table('quarantine').add({ table, row: b.row, reason: b.reason, at: now });
      await tx.table(table).delete(b.id);
    }
  }
}

function invalidReason(table: TableName, row: Record<string, unknown>, check: (table: TableName, values: unknown) => void): string | null {
  if (typeof row.id !== 'string' || typeof row._h !== 'object' || row._h === null) return 'geen id of HLC-administratie';
  if (row._d) return null;
  // Sealed fields cannot be read during an upgrade; the readable ones are still checked. A sealed row's stand-ins
  // (attendance's tagged participantId) are not the field's value either.
  const { id: _id, groupId: _g, _h, _d, _e, ...values } = row;
  if (_e !== undefined) for (const f of SEALED_FIELDS[table] ?? []) delete values[f];
  try {
    check(table, values);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

let current: LkDb | null = null;

/** The app's database; tests may swap in a fresh one with `useDb`. */
export function db(): LkDb {
  current ??= new LkDb();
  return current;
}

export function useDb(next: LkDb): void {
  current = next;
}
