// The audit log: who did what and when (logins, account changes, erasure, organisation edits), by id, never by content.
import type { Kysely } from 'kysely';
import * as z from 'zod/mini';
import type { AuditTable, DB, Store } from './store';

/** Actions the server records; other modules may add their own dotted names (e.g. `participant.export`). */
export const AUDIT_ACTIONS = [
  'login',
  'login.failed',
  'logout',
  'user.create',
  'user.reset',
  'user.deactivate',
  'user.signout',
  'user.groups',
  'user.password',
  'participant.erase',
  'record.delete',
  'sync.org',
] as const;

export const AUDIT_ACTION_RE = /^[a-z][a-z0-9]*(\.[a-z][a-z0-9]*)*$/;
/** Targets and string details are ids or usernames: short, no spaces, so no names or note text fit. */
const TOKEN_RE = /^[A-Za-z0-9_:.|@-]{1,128}$/;

export type AuditDetail = { [k: string]: string | number | boolean | null | AuditDetail | (string | number)[] };

export interface AuditEntry {
  at: number;
  /** The signed-in user, or null when nobody is (a failed login). */
  actor: { id: string; username: string } | null;
  action: string;
  /** The id the action was about (user id, participant id), if any. */
  target?: string | null;
  detail?: AuditDetail;
}

export interface AuditRecord extends AuditEntry {
  id: number;
  target: string | null;
  detail: AuditDetail;
}

export class AuditShapeError extends Error {}

function checkDetail(v: unknown, path: string): void {
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return;
  if (typeof v === 'string') {
    if (!TOKEN_RE.test(v)) throw new AuditShapeError(`Audit-detail ${path} is geen id of getal`);
    return;
  }
  if (Array.isArray(v)) {
    v.forEach((x, i) => checkDetail(x, `${path}[${i}]`));
    return;
  }
  if (typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) checkDetail(x, `${path}.${k}`);
    return;
  }
  throw new AuditShapeError(`Audit-detail ${path} heeft een ongeldig type`);
}

/** The entry as a row, or an AuditShapeError: a caller passing free text (a name, a note) is a bug to catch in tests. */
function toRow(e: AuditEntry): Omit<AuditTable, 'id'> {
  if (!AUDIT_ACTION_RE.test(e.action) || e.action.length > 60) throw new AuditShapeError(`Ongeldige audit-actie: ${e.action}`);
  if (e.target != null && !TOKEN_RE.test(e.target)) throw new AuditShapeError('Audit-doel moet een id zijn');
  if (e.actor && (!TOKEN_RE.test(e.actor.id) || !TOKEN_RE.test(e.actor.username))) throw new AuditShapeError('Ongeldige audit-actor');
  const detail = e.detail ?? {};
  checkDetail(detail, 'detail');
  const json = JSON.stringify(detail);
  if (json.length > 4000) throw new AuditShapeError('Audit-detail is te groot');
  return { at: e.at, actor_id: e.actor?.id ?? null, actor_name: e.actor?.username ?? null, action: e.action, target: e.target ?? null, detail: json };
}

/** Appends one entry. Pass the transaction (`store.write`'s `tx`) to record it atomically with the change itself. */
export async function recordAudit(store: Store | Kysely<DB>, entry: AuditEntry): Promise<void> {
  const db = 'db' in store ? store.db : store;
  await db.insertInto('audit').values(toRow(entry)).execute();
}

export const AUDIT_PAGE_MAX = 200;

/** Two years: long enough to answer a question about last year's annual report or an erasure, short enough that the
 * log of who logged in when does not become a record of volunteers' lives (AVG storage limitation). */
export const AUDIT_RETENTION_DAYS = 730;
const DAY = 24 * 3600 * 1000;

/** Removes entries older than `days` (0 keeps everything). Runs at most once a day per process, so a login never
 * pays for a scan of the whole log. */
export class AuditPruner {
  private lastRun = -Infinity;
  constructor(private readonly days: number) {}

  async maybePrune(store: Store, now: number): Promise<number> {
    if (this.days <= 0 || now - this.lastRun < DAY) return 0;
    this.lastRun = now;
    const res = await store.db.deleteFrom('audit').where('at', '<', now - this.days * DAY).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}

/** Entries newest first; `before` is the id of the last entry of the previous page. */
export async function listAudit(store: Store, opts: { before?: number; limit: number }): Promise<{ entries: AuditRecord[]; next: number | null }> {
  let q = store.db.selectFrom('audit').selectAll().orderBy('id', 'desc').limit(opts.limit + 1);
  if (opts.before !== undefined) q = q.where('id', '<', opts.before);
  const rows = await q.execute();
  const page = rows.slice(0, opts.limit);
  const entries = page.map((r) => ({
    id: Number(r.id),
    at: Number(r.at),
    actor: r.actor_id && r.actor_name ? { id: r.actor_id, username: r.actor_name } : null,
    action: r.action,
    target: r.target,
    detail: JSON.parse(r.detail) as AuditDetail,
  }));
  return { entries, next: rows.length > opts.limit ? entries[entries.length - 1].id : null };
}

const positiveInt = (what: string, max: number) =>
  z.string().check(z.regex(/^[1-9][0-9]{0,15}$/, `${what} moet een positief geheel getal zijn`), z.refine((s) => Number(s) <= max, `${what} mag hoogstens ${max} zijn`));

/** The query of GET /api/audit: `limit` entries (default 50) older than entry `before`. */
export const AuditQuerySchema = z.strictObject({
  before: z.optional(positiveInt('before', Number.MAX_SAFE_INTEGER)),
  limit: z.optional(positiveInt('limit', AUDIT_PAGE_MAX)),
});
