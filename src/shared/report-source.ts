// The report's records held in memory and kept up to date change by change, so a report costs its compute, not a
// fresh read of ten years of rows: shared by the coördinator's device (src/data) and the server's report endpoint.
import type { ReportInput } from './report';

export const REPORT_TABLES = ['locations', 'groups', 'participants', 'rounds', 'attendance', 'evaluations', 'stories', 'categories'] as const;
export type ReportTable = (typeof REPORT_TABLES)[number];

/** The fields computeReport reads, per table. Nothing else is kept: no names, notes or evaluation texts sit in
 * this long-lived copy, and ten years of rows stay small. A report test compares against the full records. */
export const REPORT_FIELDS: Record<ReportTable, readonly string[]> = {
  locations: ['name', 'wijk'],
  groups: ['name', 'locationId'],
  participants: ['personId', 'firstVisit', 'status', 'foundVia'],
  rounds: ['date', 'locationId', 'startedAt', 'endedAt', 'plan', 'status', 'chosenTheme', 'themesRaised', 'strategies'],
  attendance: ['roundId', 'participantId', 'present'],
  evaluations: ['roundId', 'atmosphere', 'safety'],
  stories: ['date', 'consent', 'pseudonym', 'age', 'quote', 'themes'],
  categories: ['kind', 'key', 'label'],
};

export function isReportTable(t: string): t is ReportTable {
  return (REPORT_TABLES as readonly string[]).includes(t);
}

type Row = Record<string, unknown> & { id: string };

/** A live record as the report needs it: id, groupId and the table's report fields. */
export function reportRow(table: ReportTable, record: Record<string, unknown> & { id: string }): Row {
  const row: Row = { id: record.id, groupId: record.groupId ?? null, _h: {} };
  for (const f of REPORT_FIELDS[table]) if (record[f] !== undefined) row[f] = record[f];
  return row;
}

export class ReportRows {
  private readonly maps = new Map<ReportTable, Map<string, Row>>(REPORT_TABLES.map((t) => [t, new Map()]));
  /** Arrays handed to computeReport, rebuilt only for a table that changed since. */
  private readonly arrays = new Map<ReportTable, Row[]>();
  /** The same input object until something changes, so a screen's memo keeps its report. */
  private last: ReportInput | null = null;

  /** A tombstone (`_d`) takes the record out: deletions are permanent, and the report skips them anyway. */
  put(table: ReportTable, record: Record<string, unknown> & { id: string }): void {
    if (record._d) return this.remove(table, record.id);
    this.maps.get(table)!.set(record.id, reportRow(table, record));
    this.arrays.delete(table);
    this.last = null;
  }

  remove(table: ReportTable, id: string): void {
    if (!this.maps.get(table)!.delete(id)) return;
    this.arrays.delete(table);
    this.last = null;
  }

  /** Forgets a whole table, before it is read again in full. */
  clear(table?: ReportTable): void {
    for (const t of table ? [table] : REPORT_TABLES) {
      this.maps.get(t)!.clear();
      this.arrays.delete(t);
    }
    this.last = null;
  }

  get size(): number {
    let n = 0;
    for (const m of this.maps.values()) n += m.size;
    return n;
  }

  input(): ReportInput {
    if (this.last) return this.last;
    const out = {} as Record<ReportTable, Row[]>;
    for (const t of REPORT_TABLES) {
      let a = this.arrays.get(t);
      if (!a) this.arrays.set(t, (a = [...this.maps.get(t)!.values()]));
      out[t] = a;
    }
    return (this.last = out as unknown as ReportInput);
  }
}
