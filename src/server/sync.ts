// The sync endpoint's core: check each change (shape, rights, clock, erasure), merge the accepted ones in one
// transaction with fresh versions, and page out what this user may see since the device's cursor.
import { formatHlc, hlcWall } from '../shared/hlc';
import { localDate, parseAttendanceId } from '../shared/ids';
import { changeToPatch, merge, type Patch } from '../shared/merge';
import {
  ORG_TABLES,
  parseValues,
  ValidationError,
  type Change,
  type RecordMeta,
  type Rejected,
  type RemoteRow,
  type SyncRequest,
  type SyncResponse,
  type TableName,
} from '../shared/schema';
import type { Kysely } from 'kysely';
import { recordAudit } from './audit';
import type { Quota } from './limits';
import type { DB, RecordsTable, Sql, Store } from './store';

export const PAGE_SIZE = 500;
/** Changes stamped further ahead of the server's clock than this are refused until the phone's clock is right. */
export const MAX_SKEW_MS = 24 * 3600 * 1000;
const SERVER_NODE = 'server';

export interface Actor {
  id: string;
  /** For the audit log of deletes (server-side writers have none). */
  username?: string;
  role: 'coordinator' | 'begeleider';
  groups: string[];
}

type Row = RecordMeta & Record<string, unknown>;

function toRow(r: RecordsTable): Row {
  const row: Row = { ...(JSON.parse(r.data) as Record<string, unknown>), id: r.id, groupId: r.group_id, _h: JSON.parse(r.hlcs) };
  if (r.deleted) row._d = r.deleted;
  return row;
}

function splitRow(row: Row): { data: string; hlcs: string; deleted: string | null } {
  const { id: _i, groupId: _g, _h, _d, ...values } = row;
  return { data: JSON.stringify(values), hlcs: JSON.stringify(_h), deleted: _d ?? null };
}

function toRemote(r: RecordsTable): RemoteRow {
  const base = { table: r.tbl as TableName, id: r.id, groupId: r.group_id };
  return r.deleted
    ? { ...base, values: {}, hlcs: {}, deleted: r.deleted }
    : { ...base, values: JSON.parse(r.data) as Record<string, unknown>, hlcs: JSON.parse(r.hlcs) as Record<string, string> };
}

const key = (table: string, id: string) => `${table}\u0000${id}`;

/** Why this user may not make this change, or null. Shape rules hold for everyone; rights depend on the role. */
export function rightsProblem(actor: Actor, c: Pick<Change, 'table' | 'id' | 'groupId'>): string | null {
  if (ORG_TABLES.includes(c.table)) {
    if (c.groupId !== null) return 'Dit record hoort niet bij een groep';
    return actor.role === 'coordinator' ? null : 'Alleen een coördinator mag locaties, categorieën en instellingen wijzigen';
  }
  if (c.table === 'groups') {
    if (c.groupId !== c.id) return 'Een groep hoort bij zichzelf (groupId moet de id van de groep zijn)';
    return actor.role === 'coordinator' ? null : 'Alleen een coördinator mag groepen wijzigen';
  }
  if (c.groupId === null) return 'Dit record moet bij een groep horen';
  if (actor.role === 'coordinator' || actor.groups.includes(c.groupId)) return null;
  return 'Je bent niet ingedeeld bij deze groep';
}

/** Who may tombstone a record: a delete reaches every phone and cannot be undone, so begeleiders delete only their
 * own notes (checked against the author in the transaction) and everything else is for a coördinator. */
function deleteProblem(actor: Actor, c: Pick<Change, 'table' | 'deleted'>): string | null {
  if (!c.deleted || actor.role === 'coordinator' || c.table === 'notes') return null;
  return 'Alleen een coördinator mag dit verwijderen; een begeleider verwijdert alleen eigen notities';
}

const OTHER_GROUP_ROUND = 'Deze ronde hoort bij een andere groep';
/** Round ids are `r.<groupId>.<date>[.n]` (ids.ts), so both phones of a group derive the same one. */
const ROUND_SUFFIX = /^\d{4}-\d{2}-\d{2}(\.[1-9]\d{0,3})?$/;
const isRoundIdOf = (id: string, groupId: string) => id.startsWith(`r.${groupId}.`) && ROUND_SUFFIX.test(id.slice(groupId.length + 3));
const namesOtherGroup = (roundId: unknown, groupId: string) => typeof roundId === 'string' && roundId.startsWith('r.') && !roundId.startsWith(`r.${groupId}.`);

/** What a change's ids say about its group, checked without the database: a round id (also as a reference) naming
 * another group would take that group's real round id, and an attendance id must agree with its values. */
function idProblem(c: Change): string | null {
  if (c.deleted || c.groupId === null) return null;
  if (c.table === 'rounds' && !isRoundIdOf(c.id, c.groupId)) {
    return c.id.startsWith('r.') && !c.id.startsWith(`r.${c.groupId}.`) ? OTHER_GROUP_ROUND : 'Ongeldige ronde-id: verwacht r.<groep>.<datum>';
  }
  if (namesOtherGroup(c.values.roundId, c.groupId)) return OTHER_GROUP_ROUND;
  if (c.table !== 'attendance') return null;
  const parts = parseAttendanceId(c.id);
  if (!parts) return 'Ongeldige aanwezigheids-id: verwacht ronde|deelnemer';
  if ((c.values.roundId !== undefined && c.values.roundId !== parts.roundId) || (c.values.participantId !== undefined && c.values.participantId !== parts.participantId)) {
    return 'De aanwezigheids-id klopt niet met de ronde en de deelnemer erin';
  }
  return namesOtherGroup(parts.roundId, c.groupId) ? OTHER_GROUP_ROUND : null;
}

/** The participant an attendance id points at: `roundId|participantId`. */
function attendanceParticipant(c: Pick<Change, 'table' | 'id' | 'values'>): string | undefined {
  if (c.table !== 'attendance') return undefined;
  const fromValues = typeof c.values.participantId === 'string' ? c.values.participantId : undefined;
  return fromValues ?? c.id.split('|')[1];
}

/** The records an attendance change points at, which must be of its own group. */
function attendanceRefs(c: Pick<Change, 'table' | 'id' | 'deleted'>): { table: TableName; id: string }[] {
  if (c.table !== 'attendance' || c.deleted) return [];
  const parts = parseAttendanceId(c.id);
  return parts ? [{ table: 'rounds', id: parts.roundId }, { table: 'participants', id: parts.participantId }] : [];
}

function reject(c: Change, reason: string, permanent: boolean): Rejected {
  return { table: c.table, id: c.id, mid: c.mid, reason, permanent };
}

export async function lastMid(db: Kysely<DB>, deviceId: string): Promise<number> {
  const r = await db.selectFrom('devices').select('last_mid').where('device_id', '=', deviceId).executeTakeFirst();
  return r ? Number(r.last_mid) : 0;
}

// The hot path's statements as fixed texts, so SQLite reuses its prepared statements and nothing is compiled per
// request. A list of ids travels as one parameter: a JSON array on SQLite, a text[] on PostgreSQL.
const RECORD_COLUMNS = 'tbl, id, group_id, data, hlcs, deleted, version';
const inList = (q: Sql) => (q.dialect === 'sqlite' ? 'in (select value from json_each(?))' : '= any(?::text[])');
const listParam = (q: Sql, ids: string[]) => (q.dialect === 'sqlite' ? JSON.stringify(ids) : ids);

interface DeviceRow {
  last: number;
  owner: string;
}

async function deviceRow(q: Sql, deviceId: string): Promise<DeviceRow | undefined> {
  const [r] = await q.all<{ last_mid: number | string; user_id: string }>('select last_mid, user_id from devices where device_id = ?', [deviceId]);
  return r ? { last: Number(r.last_mid), owner: r.user_id } : undefined;
}

/** A push or pull under a device id another account used first: refused as a whole (403), changing nothing. */
export class DeviceTakenError extends Error {}

/** Why this account may not use this device id, or null. A device's acknowledged mid decides what the server skips,
 * so only its owner may move it. A backup import's device (`backup:<phone>`) belongs to the coördinators together:
 * any of them may import the file, and no begeleider can take the id before they do. */
function deviceProblem(actor: Actor, deviceId: string, row: DeviceRow | undefined): string | null {
  if (deviceId.startsWith('backup:')) return actor.role === 'coordinator' ? null : 'Alleen een coördinator importeert een back-up';
  if (row && row.owner !== actor.id) return 'Dit apparaat-id is al in gebruik door een ander account; de wijzigingen blijven op dit apparaat';
  return null;
}

async function checkedDeviceMid(q: Sql, actor: Actor, deviceId: string): Promise<number> {
  const row = await deviceRow(q, deviceId);
  const problem = deviceProblem(actor, deviceId, row);
  if (problem) throw new DeviceTakenError(problem);
  return row?.last ?? 0;
}

/** Runs `fn` over the ids of each table in slices, so every lookup uses the (tbl, id) primary key. */
async function byTable<T>(pairs: { table: string; id: string }[], fn: (table: string, ids: string[]) => Promise<T[]>): Promise<T[]> {
  const ids = new Map<string, Set<string>>();
  for (const p of pairs) {
    const set = ids.get(p.table) ?? new Set<string>();
    set.add(p.id);
    ids.set(p.table, set);
  }
  const out: T[] = [];
  for (const [table, set] of ids) {
    const list = [...set];
    for (let i = 0; i < list.length; i += 500) out.push(...(await fn(table, list.slice(i, i + 500))));
  }
  return out;
}

/** Rows of `from` by primary key, one statement per table. */
function byKey<T>(q: Sql, columns: string, from: string, pairs: { table: string; id: string }[]): Promise<T[]> {
  const text = `select ${columns} from ${from} where tbl = ? and id ${inList(q)}`;
  return byTable(pairs, (table, ids) => q.all<T>(text, [table, listParam(q, ids)]));
}

async function loadRows(q: Sql, pairs: { table: string; id: string }[]): Promise<Map<string, Row>> {
  const rows = await byKey<RecordsTable>(q, RECORD_COLUMNS, 'records', pairs);
  return new Map(rows.map((r) => [key(r.tbl, r.id), toRow(r)]));
}

async function erasedKeys(q: Sql, pairs: { table: string; id: string }[]): Promise<Set<string>> {
  const rows = await byKey<{ tbl: string; id: string }>(q, 'tbl, id', 'erased', pairs);
  return new Set(rows.map((r) => key(r.tbl, r.id)));
}

/** What a push needs to know first, in one round trip on PostgreSQL: the device's last mid and owner, which of the
 * keys are erased, the current rows, today's quota use and whether refusals below this request's first mid are left.
 * The key lists may also match crossed pairs, which callers never ask about. */
async function lookupForPush(
  q: Sql,
  deviceId: string,
  rowKeys: { table: string; id: string }[],
  erasedKeys: { table: string; id: string }[],
  usage: { userId: string; day: string },
  firstMid: number,
) {
  const tables = (ps: { table: string }[]) => [...new Set(ps.map((p) => p.table))];
  const ids = (ps: { id: string }[]) => [...new Set(ps.map((p) => p.id))];
  const found = await q.all<RecordsTable & { k: 'd' | 'e' | 'r' | 'q' | 'f' }>(
    `select 'd' as k, null as tbl, user_id as id, null as group_id, null as data, null as hlcs, null as deleted, last_mid as version
       from devices where device_id = ?
     union all select 'e', tbl, id, null, null, null, null, null from erased where tbl = any(?::text[]) and id = any(?::text[])
     union all select 'r', ${RECORD_COLUMNS} from records where tbl = any(?::text[]) and id = any(?::text[])
     union all select 'q', null, null, null, cast(bytes as text), null, null, rows from quotas where user_id = ? and day = ?
     union all (select 'f', null, null, null, null, null, null, mid from refusals where device_id = ? and mid < ? limit 1)`,
    [deviceId, tables(erasedKeys), ids(erasedKeys), tables(rowKeys), ids(rowKeys), usage.userId, usage.day, deviceId, firstMid],
  );
  const device = found.find((f) => f.k === 'd');
  const quota = found.find((f) => f.k === 'q');
  return {
    device: device ? { last: Number(device.version), owner: device.id } : undefined,
    erased: new Set(found.filter((f) => f.k === 'e').map((f) => key(f.tbl, f.id))),
    rows: new Map(found.filter((f) => f.k === 'r').map((r) => [key(r.tbl, r.id), toRow(r)])),
    usage: quota ? { rows: Number(quota.version), bytes: Number(quota.data) } : { rows: 0, bytes: 0 },
    staleRefusals: found.some((f) => f.k === 'f'),
  };
}

async function quotaUse(q: Sql, userId: string, day: string): Promise<{ rows: number; bytes: number }> {
  const [r] = await q.all<{ rows: number | string; bytes: number | string }>('select rows, bytes from quotas where user_id = ? and day = ?', [userId, day]);
  return r ? { rows: Number(r.rows), bytes: Number(r.bytes) } : { rows: 0, bytes: 0 };
}

async function hasStaleRefusals(q: Sql, deviceId: string, firstMid: number): Promise<boolean> {
  return (await q.all('select mid from refusals where device_id = ? and mid < ? limit 1', [deviceId, firstMid])).length > 0;
}

/** Refusals stored for mids the phone sends again (their answer was lost). */
async function storedRefusals(q: Sql, deviceId: string, mids: number[]): Promise<Rejected[]> {
  const list = q.dialect === 'sqlite' ? 'in (select value from json_each(?))' : '= any(?::bigint[])';
  const text = `select mid, tbl, id, reason from refusals where device_id = ? and mid ${list} order by mid`;
  const rows = await q.all<{ mid: number | string; tbl: string; id: string; reason: string }>(text, [deviceId, q.dialect === 'sqlite' ? JSON.stringify(mids) : mids]);
  return rows.map((r) => ({ table: r.tbl, id: r.id, mid: Number(r.mid), reason: r.reason, permanent: true }));
}

/** The accounts that created these notes (a begeleider may delete only their own). */
async function authorsOf(q: Sql, ids: string[]): Promise<Map<string, string>> {
  const rows = await byKey<{ id: string; user_id: string }>(q, 'id, user_id', 'authors', ids.map((id) => ({ table: 'notes', id })));
  return new Map(rows.map((r) => [r.id, r.user_id]));
}

const SAVE_PER_STATEMENT = 100;
const saveTexts = new Map<number, string>();
const saveText = (n: number) => {
  let text = saveTexts.get(n);
  if (text === undefined) {
    text =
      `insert into records (${RECORD_COLUMNS}) values ${Array(n).fill('(?, ?, ?, ?, ?, ?, ?)').join(', ')} ` +
      'on conflict (tbl, id) do update set data = excluded.data, hlcs = excluded.hlcs, deleted = excluded.deleted, version = excluded.version';
    saveTexts.set(n, text);
  }
  return text;
};
const saveParams = (rows: { table: string; row: Row; version: number }[]) => {
  const params: unknown[] = [];
  for (const { table, row, version } of rows) {
    const { data, hlcs, deleted } = splitRow(row);
    params.push(table, row.id, row.groupId, data, hlcs, deleted, version);
  }
  return params;
};

/** Records who created these notes, many per statement: a push of hundreds of new notes is a few round trips inside
 * the write transaction, not one each. */
async function saveAuthors(q: Sql, created: { table: string; id: string }[], userId: string): Promise<void> {
  for (let i = 0; i < created.length; i += SAVE_PER_STATEMENT) {
    const slice = created.slice(i, i + SAVE_PER_STATEMENT);
    const text = `insert into authors (tbl, id, user_id) values ${slice.map(() => '(?, ?, ?)').join(', ')} on conflict (tbl, id) do nothing`;
    await q.run(text, slice.flatMap((a) => [a.table, a.id, userId]));
  }
}

/** Upserts rows with their versions, many per statement (one round trip on PostgreSQL). Each (tbl, id) at most once. */
async function saveRows(q: Sql, rows: { table: string; row: Row; version: number }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += SAVE_PER_STATEMENT) {
    const slice = rows.slice(i, i + SAVE_PER_STATEMENT);
    await q.run(saveText(slice.length), saveParams(slice));
  }
}

// The first account to use a device id keeps it: a later push never changes its owner.
const DEVICE_UPSERT = `insert into devices (device_id, last_mid, user_id, updated_at) values (?, ?, ?, ?)
  on conflict (device_id) do update set last_mid = excluded.last_mid, updated_at = excluded.updated_at`;

/** Saves the rows and the device's new mid; on PostgreSQL in one statement (a data-modifying WITH) when they fit. */
async function savePush(q: Sql, rows: { table: string; row: Row; version: number }[], device: [string, number, string, number]): Promise<void> {
  if (q.dialect === 'postgres' && rows.length > 0 && rows.length <= SAVE_PER_STATEMENT) {
    await q.run(`with saved as (${saveText(rows.length)}) ${DEVICE_UPSERT}`, [...saveParams(rows), ...device]);
    return;
  }
  await saveRows(q, rows);
  await q.run(DEVICE_UPSERT, device);
}

/** Validation that needs no database: clock, shape, rights and field values. Gives the parsed values when it passes. */
function precheck(actor: Actor, c: Change, now: number): { rejected: Rejected } | { values: Record<string, unknown> } {
  const ahead = hlcWall(c.hlc) - now;
  if (ahead > MAX_SKEW_MS) {
    const hours = Math.round(ahead / 3600000);
    return { rejected: reject(c, `Klok van dit apparaat loopt voor (ongeveer ${hours} uur). Zet datum en tijd goed; de wijziging wordt daarna opnieuw verstuurd.`, false) };
  }
  const problem = rightsProblem(actor, c) ?? deleteProblem(actor, c) ?? idProblem(c);
  if (problem) return { rejected: reject(c, problem, true) };
  if (c.deleted) return { values: {} };
  try {
    return { values: parseValues(c.table, c.values) };
  } catch (e) {
    if (e instanceof ValidationError) return { rejected: reject(c, `Ongeldige gegevens: ${e.message}`, true) };
    throw e;
  }
}

export interface PushOptions {
  /** Rows and bytes one account may store per day; none for server-side writers (demo data). */
  quota?: Quota | null;
}

function quotaReason(q: Quota): string {
  const size = q.bytes >= 1024 * 1024 ? `${Math.round(q.bytes / 1024 / 1024)} MB` : `${Math.ceil(q.bytes / 1024)} kB`;
  const limits = [q.rows > 0 ? `${q.rows.toLocaleString('nl-NL')} wijzigingen` : '', q.bytes > 0 ? size : ''].filter(Boolean).join(' en ');
  return `Daglimiet bereikt: dit account mag per dag hoogstens ${limits} opslaan. De wijzigingen blijven op dit apparaat en gaan morgen vanzelf mee.`;
}

const changeBytes = (values: Record<string, unknown>) => Buffer.byteLength(JSON.stringify(values));

/** Applies the push part of a sync request. Returns the device's acknowledged mid and the refused changes.
 * Also for server-side writers (demo data) that need nothing back.
 *
 * The acknowledged mid: a phone sends its outbox in mid order from its oldest waiting change, so a mid missing
 * between two of a request's mids is one the phone no longer holds. The answer acknowledges the request's changes
 * in order up to the last one applied or refused for good before the first one refused for now (never a mid past
 * the request's last), and never less than before. Only the account that first used the device id may move it. */
export async function push(
  store: Store,
  actor: Actor,
  req: Pick<SyncRequest, 'deviceId' | 'changes'>,
  now: number,
  opts: PushOptions = {},
): Promise<{ ackedMid: number; rejected: Rejected[]; /** The last version this push handed out, once committed. */ head?: number }> {
  if (req.changes.length === 0) return { ackedMid: await store.read((q) => checkedDeviceMid(q, actor, req.deviceId)), rejected: [] };
  const quota = opts.quota && (opts.quota.rows > 0 || opts.quota.bytes > 0) ? opts.quota : null;
  const day = localDate(now);

  // Checked before the transaction, which then only looks at the ones new to this device.
  const rejected: Rejected[] = [];
  const candidates: { c: Change; values: Record<string, unknown> }[] = [];
  for (const c of req.changes) {
    const r = precheck(actor, c, now);
    if ('rejected' in r) rejected.push(r.rejected);
    else candidates.push({ c, values: r.values });
  }

  const lookups = (cs: { c: Change }[]) => {
    const participants = cs.map(({ c }) => attendanceParticipant(c)).filter((p): p is string => !!p);
    return {
      rowKeys: [...cs.map(({ c }) => c), ...cs.flatMap(({ c }) => attendanceRefs(c))],
      erasedKeys: [...cs.map(({ c }) => c), ...participants.map((id) => ({ table: 'participants', id }))],
    };
  };
  const firstMid = req.changes[0].mid;

  return store.write(async (tx, nextVersion, q) => {
    // The device row decides inside the transaction what is new, also for a retry racing its own first attempt, and
    // whose the device is: writers are serialised, so two accounts claiming one new id cannot both win.
    // PostgreSQL asks for everything at once (a round trip costs more than a few rows too many); SQLite step by step.
    const all = q.dialect === 'postgres' ? lookups(candidates) : undefined;
    const pre = all && (await lookupForPush(q, req.deviceId, all.rowKeys, all.erasedKeys, { userId: actor.id, day }, firstMid));
    const device = pre ? pre.device : await deviceRow(q, req.deviceId);
    const taken = deviceProblem(actor, req.deviceId, device);
    if (taken) throw new DeviceTakenError(taken);
    const last = device?.last ?? 0;
    const resent = req.changes.filter((c) => c.mid <= last).map((c) => c.mid);
    // A resent mid was processed before: its refusal (if any) is answered again, as the first answer may be lost.
    const again = resent.length ? await storedRefusals(q, req.deviceId, resent) : [];
    // The phone sends from its oldest waiting change on, so it has settled every mid below this request's first.
    if (pre ? pre.staleRefusals : await hasStaleRefusals(q, req.deviceId, firstMid)) {
      await q.run('delete from refusals where device_id = ? and mid < ?', [req.deviceId, firstMid]);
    }
    const fresh = req.changes.filter((c) => c.mid > last);
    if (fresh.length === 0) return { ackedMid: last, rejected: again, head: undefined };
    const todo = candidates.filter(({ c }) => c.mid > last);
    const refused = rejected.filter((r) => r.mid > last);
    const erased = pre ? pre.erased : await erasedKeys(q, lookups(todo).erasedKeys);
    const rows = pre ? pre.rows : await loadRows(q, lookups(todo).rowKeys);
    const usage = quota ? (pre ? pre.usage : await quotaUse(q, actor.id, day)) : { rows: 0, bytes: 0 };
    const startRows = usage.rows;
    const noteDeletes = actor.role === 'coordinator' ? [] : todo.filter(({ c }) => c.table === 'notes' && c.deleted).map(({ c }) => c.id);
    const authors = noteDeletes.length ? await authorsOf(q, noteDeletes) : new Map<string, string>();
    const created: { table: string; id: string }[] = [];
    const deletes: Change[] = [];
    // Changes refused for now in this request: what refers to them waits with them instead of being refused for good.
    const waiting = new Set(refused.filter((r) => !r.permanent).map((r) => key(r.table, r.id)));
    let overQuota = false;
    const changed = new Map<string, { table: string; row: Row }>();
    for (const { c, values } of todo) {
      const k = key(c.table, c.id);
      const pid = attendanceParticipant(c);
      if (erased.has(k) || (pid && erased.has(key('participants', pid)))) {
        refused.push(reject(c, 'Deze gegevens zijn gewist op verzoek van de deelnemer (AVG) en worden niet meer bewaard', true));
        continue;
      }
      const current = rows.get(k);
      if (current && current.groupId !== c.groupId) {
        refused.push(reject(c, 'Dit record hoort bij een andere groep; verplaatsen kan niet', true));
        continue;
      }
      const missing = attendanceRefs(c).find((ref) => rows.get(key(ref.table, ref.id))?.groupId !== c.groupId);
      if (missing) {
        const later = waiting.has(key(missing.table, missing.id));
        const what = missing.table === 'rounds' ? 'ronde' : 'deelnemer';
        refused.push(reject(c, later ? `Wacht op de ${what} van deze aanwezigheid` : `De ${what} van deze aanwezigheid is onbekend of hoort bij een andere groep`, !later));
        if (later) waiting.add(k);
        continue;
      }
      if (c.deleted && c.table === 'notes' && actor.role !== 'coordinator' && current && !current._d) {
        const author = authors.get(c.id) ?? (created.some((x) => x.table === 'notes' && x.id === c.id) ? actor.id : undefined);
        if (author !== actor.id) {
          refused.push(reject(c, 'Je mag alleen je eigen notities verwijderen', true));
          continue;
        }
      }
      if (quota) {
        const bytes = c.deleted ? 0 : changeBytes(values);
        overQuota ||= (quota.rows > 0 && usage.rows + 1 > quota.rows) || (quota.bytes > 0 && usage.bytes + bytes > quota.bytes);
        if (overQuota) {
          refused.push(reject(c, quotaReason(quota), false));
          waiting.add(k);
          continue;
        }
        usage.rows += 1;
        usage.bytes += bytes;
      }
      const patch: Patch = changeToPatch({ ...c, values });
      const { row, changed: didChange } = merge(current, patch);
      rows.set(k, row);
      if (!current && c.table === 'notes') created.push({ table: c.table, id: c.id });
      if (c.deleted && didChange && !current?._d) deletes.push(c);
      if (didChange) changed.set(k, { table: c.table, row });
    }
    let head: number | undefined;
    const saves = [...changed.values()].map(({ table, row }) => ({ table, row, version: (head = nextVersion()) }));
    // A change refused for now (clock ahead, quota) must be looked at again when the phone resends it, even if the
    // answer saying so was lost: the acknowledged mid stops just below the first such change.
    const held = refused.filter((r) => !r.permanent).map((r) => r.mid);
    const top = Math.min(Math.max(last, ...fresh.map((c) => c.mid)), ...held.map((m) => m - 1));
    await savePush(q, saves, [req.deviceId, top, actor.id, now]);
    await saveAuthors(q, created, actor.id);
    if (quota && usage.rows > startRows) {
      await q.run('insert into quotas (user_id, day, rows, bytes) values (?, ?, ?, ?) on conflict (user_id, day) do update set rows = excluded.rows, bytes = excluded.bytes', [
        actor.id,
        day,
        usage.rows,
        usage.bytes,
      ]);
    }
    for (const r of refused) {
      if (r.permanent) await q.run('insert into refusals (device_id, mid, tbl, id, reason, at) values (?, ?, ?, ?, ?, ?) on conflict (device_id, mid) do nothing', [req.deviceId, r.mid, r.table, r.id, r.reason, now]);
    }
    // A delete cannot be undone and reaches every phone: each one is logged, by id only.
    for (const c of deletes) {
      await recordAudit(tx, { at: now, actor: { id: actor.id, username: actor.username ?? actor.id }, action: 'record.delete', target: c.id, detail: { table: c.table, groupId: c.groupId, device: req.deviceId } });
    }
    const out = [...again, ...refused].sort((a, b) => a.mid - b.mid);
    return { ackedMid: top, rejected: out, head };
  });
}

/** Scopes (no group, or one group) per statement. PostgreSQL: one round trip for up to 50 (a compound select may
 * have 500 parts). SQLite: one statement each, as a compound select measured twice as slow there. */
const scopesPerQuery = (q: Sql) => (q.dialect === 'sqlite' ? 1 : 50);
const scopeTexts = new Map<number, string>();
const scopeQuery = (where: string) => `select ${RECORD_COLUMNS} from records where ${where} and version > ? and version <= ? order by version limit ?`;

/** A range scan of the (group_id, version) index per scope, limited on its own, so a pull costs what changed in the
 * user's groups, not what changed everywhere. */
function scopedText(withNull: boolean, groups: number): string {
  if (groups === 0) return scopeQuery('group_id is null');
  if (groups === 1 && !withNull) return scopeQuery('group_id = ?');
  const k = groups * 2 + (withNull ? 1 : 0);
  let text = scopeTexts.get(k);
  if (text === undefined) {
    const part = (where: string, i: number) => `select * from (${scopeQuery(where)}) as s${i}`;
    const parts = [...(withNull ? [part('group_id is null', 0)] : []), ...Array.from({ length: groups }, (_, i) => part('group_id = ?', i + 1))];
    text = `${parts.join(' union all ')} order by version limit ?`;
    scopeTexts.set(k, text);
  }
  return text;
}

/** Rows and erasures since `cursor` that this user may see, one page at a time in version order. */
async function pull(q: Sql, actor: Actor, requested: number, committed?: number) {
  // Every version up to the committed counter is committed too (writers hold the counter row until they commit),
  // so reading up to it gives one consistent cut even across several queries. A push that just committed knows
  // such a version already.
  const head = committed ?? Number((await q.all<{ value: number | string }>(`select value from counters where name = 'version'`))[0].value);
  // A cursor beyond anything this server handed out means the database was replaced: start over.
  const cursor = requested > head ? 0 : requested;
  const limit = PAGE_SIZE + 1;
  let rowsP: Promise<RecordsTable[]>;
  let erasedP: Promise<{ tbl: string; id: string }[]>;
  if (actor.role === 'coordinator') {
    rowsP = q.all<RecordsTable>(`select ${RECORD_COLUMNS} from records where version > ? and version <= ? order by version limit ?`, [cursor, head, limit]);
    erasedP = q.all(`select tbl, id, version from erased where version > ? and version <= ? order by version`, [cursor, head]);
  } else {
    // The first page overall lies within each scope's first page.
    const parts: Promise<RecordsTable[]>[] = [];
    const per = scopesPerQuery(q);
    for (let i = 0; i <= actor.groups.length; i += per) {
      const withNull = i === 0;
      const groups = actor.groups.slice(Math.max(0, i - 1), i + per - 1);
      const params: unknown[] = withNull ? [cursor, head, limit] : [];
      for (const g of groups) params.push(g, cursor, head, limit);
      if (groups.length + (withNull ? 1 : 0) > 1) params.push(limit);
      parts.push(q.all<RecordsTable>(scopedText(withNull, groups.length), params));
    }
    rowsP = parts.length === 1 ? parts[0] : Promise.all(parts).then((p) => p.flat().sort((a, b) => Number(a.version) - Number(b.version)).slice(0, limit));
    erasedP = q.all(
      `select tbl, id, version from erased where version > ? and version <= ? and (group_id is null or group_id ${inList(q)}) order by version`,
      [cursor, head, listParam(q, actor.groups)],
    );
  }
  const [rows, erased] = await Promise.all([rowsP, erasedP]);
  const more = rows.length > PAGE_SIZE;
  const page = more ? rows.slice(0, PAGE_SIZE) : rows;
  return {
    changes: page.map(toRemote),
    more,
    cursor: String(page.length ? Number(page[page.length - 1].version) : cursor),
    erased: erased.map((r) => ({ table: r.tbl, id: r.id })),
  };
}

export async function sync(store: Store, actor: Actor, req: SyncRequest, now: number, opts: PushOptions = {}): Promise<SyncResponse> {
  const cursor = Math.min(Number(req.cursor), Number.MAX_SAFE_INTEGER);
  if (req.changes.length === 0) {
    // Nothing to push: no transaction, and the device's mid and the pull are independent reads (parallel on PostgreSQL).
    const [ackedMid, p] = await store.read((q) => Promise.all([checkedDeviceMid(q, actor, req.deviceId), pull(q, actor, cursor)]));
    return { cursor: p.cursor, changes: p.changes, more: p.more, rejected: [], ackedMid, serverTime: now, erased: p.erased };
  }
  const { ackedMid, rejected, head } = await push(store, actor, req, now, opts);
  const [p, current] = await store.read((q) => Promise.all([pull(q, actor, cursor, head), currentRows(q, actor, rejected)]));
  return { cursor: p.cursor, changes: p.changes, more: p.more, rejected: withCurrent(rejected, current), ackedMid, serverTime: now, erased: p.erased };
}

/** The stored rows behind permanent refusals, as far as this user may see them (what a pull would give them). */
async function currentRows(q: Sql, actor: Actor, rejected: Rejected[]): Promise<Map<string, RemoteRow>> {
  const keys = rejected.filter((r) => r.permanent).map((r) => ({ table: r.table, id: r.id }));
  if (keys.length === 0) return new Map();
  const rows = await byKey<RecordsTable>(q, RECORD_COLUMNS, 'records', keys);
  const visible = rows.filter((r) => actor.role === 'coordinator' || r.group_id === null || actor.groups.includes(r.group_id));
  return new Map(visible.map((r) => [key(r.tbl, r.id), toRemote(r)]));
}

/** A phone rolls a refused change back to the server's record, so it never keeps showing what the server refused. */
function withCurrent(rejected: Rejected[], current: Map<string, RemoteRow>): Rejected[] {
  return rejected.map((r) => (r.permanent ? { ...r, current: current.get(key(r.table, r.id)) ?? null } : r));
}

export class NotFoundError extends Error {}

/** AVG erasure: tombstones the participant and their attendance with new versions (so phones drop them),
 * keeps no values, and remembers the ids so an offline phone can never bring them back. */
export async function eraseParticipant(store: Store, participantId: string, now: number): Promise<{ attendance: number }> {
  return store.write(async (db, nextVersion, q) => {
    const p = await db.selectFrom('records').selectAll().where('tbl', '=', 'participants').where('id', '=', participantId).executeTakeFirst();
    const known = await db.selectFrom('erased').select('id').where('tbl', '=', 'participants').where('id', '=', participantId).executeTakeFirst();
    if (!p && !known) throw new NotFoundError('Deelnemer niet gevonden');
    const tomb = formatHlc(now, 0, SERVER_NODE);
    const targets: RecordsTable[] = p ? [p] : [];
    // Every group: attendance written before references were checked may sit in another group than the person.
    const like = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);
    const att = await q.all<RecordsTable>(
      `select ${RECORD_COLUMNS} from records where tbl = 'attendance' and (id like ? escape '\\' or data like ? escape '\\')`,
      [`%|${like(participantId)}`, `%"participantId":${like(JSON.stringify(participantId))}%`],
    );
    for (const a of att) {
      if (a.id.split('|')[1] === participantId || (JSON.parse(a.data) as { participantId?: string }).participantId === participantId) targets.push(a);
    }
    for (const t of targets) {
      const { row } = merge(toRow(t), { id: t.id, groupId: t.group_id, values: {}, hlcs: {}, deleted: tomb });
      const version = nextVersion();
      await saveRows(q, [{ table: t.tbl, row, version }]);
      await db
        .insertInto('erased')
        .values({ tbl: t.tbl, id: t.id, group_id: t.group_id, version, erased_at: now })
        .onConflict((oc) => oc.columns(['tbl', 'id']).doUpdateSet({ version, erased_at: now }))
        .execute();
    }
    return { attendance: targets.filter((t) => t.tbl === 'attendance').length };
  });
}
