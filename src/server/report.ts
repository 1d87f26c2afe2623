// GET /api/report: the annual-report figures computed on the server from an in-memory copy of the report's rows,
// brought up to date from the store's version counter before each report (like a coördinator's incremental pull).
import * as z from 'zod/mini';
import { localDate } from '../shared/ids';
import { computeReport, type Report } from '../shared/report';
import { REPORT_TABLES, ReportRows, isReportTable } from '../shared/report-source';
import { ID_RE } from '../shared/schema';
import type { Store } from './store';

const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;

const year = (d: string) => Number(d.slice(0, 4));
const id = (what: string) => z.optional(z.string().check(z.regex(ID_RE, `${what} is geen geldige id`)));
const date = (what: string) => z.iso.date(`${what} moet een datum zijn als 2026-01-31`);

/** The query: a period (inclusive ISO dates, as on the report screen) and optionally one wijk, location or group. */
export const ReportQuerySchema = z
  .strictObject({
    from: date('from'),
    to: date('to'),
    wijk: z.optional(z.string().check(z.minLength(1, 'wijk is leeg'), z.maxLength(200, 'wijk is te lang'))),
    locationId: id('locationId'),
    groupId: id('groupId'),
  })
  .check(
    z.refine((q) => q.from <= q.to, { message: 'from ligt na to', path: ['to'] }),
    z.refine((q) => year(q.from) >= FIRST_YEAR && year(q.to) <= LAST_YEAR, { message: `De periode ligt tussen ${FIRST_YEAR} en ${LAST_YEAR}`, path: ['from'] }),
  );
export type ReportQuery = z.infer<typeof ReportQuerySchema>;

/** The query string as Hono hands it over; an empty field ("wijk=") means no filter, as on the report screen. */
export function parseReportQuery(raw: Record<string, string>) {
  return ReportQuerySchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== '')));
}

const PARSE_SLICE = 5000;
const TABLE_LIST = REPORT_TABLES.map((t) => `'${t}'`).join(', ');

interface StoredRow {
  tbl: string;
  id: string;
  group_id: string | null;
  data: string;
  deleted: string | null;
}

/** One per server process. Each report first reads the rows whose version is newer than the last one seen: after the
 * first report (a full read) that is what changed since, so a report costs its compute. Several server processes on
 * one PostgreSQL each keep their own copy, and each catches up from the shared counter. */
export class ServerReports {
  private readonly rows = new ReportRows();
  private seen = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly store: Store) {}

  /** Rows read by the last catch-up: a figure for tests and the benchmark. */
  lastRead = 0;

  async report(query: ReportQuery, now: number): Promise<Report> {
    await this.catchUp();
    const { from, to, wijk, locationId, groupId } = query;
    return computeReport(this.rows.input(), { from, to, wijk: wijk ?? null, locationId: locationId ?? null, groupId: groupId ?? null }, { today: localDate(now) });
  }

  /** Reads every report row now (at server start), so the first coördinator to ask does not wait for it. */
  warm(): Promise<void> {
    return this.catchUp();
  }

  /** One catch-up at a time: a report arriving during one waits for it, then reads what came after. */
  private catchUp(): Promise<void> {
    const run = this.queue.then(() => this.readSince());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async readSince(): Promise<void> {
    const { head, rows } = await this.store.read(async (q) => {
      // Every version up to the committed counter is committed (see sync.ts pull): one consistent cut.
      const head = Number((await q.all<{ value: number | string }>(`select value from counters where name = 'version'`))[0].value);
      // A counter behind what we saw means the database was replaced: read everything again.
      if (head < this.seen) {
        this.rows.clear();
        this.seen = 0;
      }
      if (head === this.seen) return { head, rows: [] as StoredRow[] };
      const rows = await q.all<StoredRow>(
        `select tbl, id, group_id, data, deleted from records where version > ? and version <= ? and tbl in (${TABLE_LIST})`,
        [this.seen, head],
      );
      return { head, rows };
    });
    for (let i = 0; i < rows.length; i++) {
      // A first read parses ~100,000 rows: let waiting requests (a sync) in between slices.
      if (i > 0 && i % PARSE_SLICE === 0) await new Promise((ok) => setImmediate(ok));
      const r = rows[i];
      if (!isReportTable(r.tbl)) continue;
      // A tombstone (deleted or erased) takes the record out of the copy: ReportRows.put sees its `_d`.
      const values = (r.deleted ? { _d: r.deleted } : JSON.parse(r.data)) as Record<string, unknown>;
      values.id = r.id;
      values.groupId = r.group_id;
      this.rows.put(r.tbl, values as Record<string, unknown> & { id: string });
    }
    this.lastRead = rows.length;
    this.seen = head;
  }
}
