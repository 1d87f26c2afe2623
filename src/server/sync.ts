// The sync endpoint's core: check each change (shape, rights, clock, erasure), merge the accepted ones in one
// transaction with fresh versions, and page out what this user may see since the device's cursor.
import { formatHlc, hlcWall } from '../shared/hlc';
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
import type { DB, RecordsTable, Sql, Store } from './store';

export const PAGE_SIZE = 500;
/** Changes stamped further ahead of the server's clock than this are refused until the phone's clock is right. */
export const MAX_SKEW_MS = 24 * 3600 * 1000;
const SERVER_NODE = 'server';

export interface Actor {
  id: string;
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

/** The participant an attendance id points at: `roundId|participantId`. */
function attendanceParticipant(c: Pick<Change, 'table' | 'id' | 'values'>): string | undefined {
  if (c.table !== 'attendance') return undefined;
  const fromValues = typeof c.values.participantId === 'string' ? c.values.participantId : undefined;
  return fromValues ?? c.id.split('|')[1];
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

async function deviceMid(q: Sql, deviceId: string): Promise<number> {
  const [r] = await q.all<{ last_mid: number | string }>('select last_mid from devices where device_id = ?', [deviceId]);
  return r ? Number(r.last_mid) : 0;
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

/** What a push needs to know first, in one round trip on PostgreSQL: the device's last mid, which of the keys
 * are erased, and the current rows. The key lists may also match crossed pairs, which callers never ask about. */
async function lookupForPush(q: Sql, deviceId: string, rowKeys: { table: string; id: string }[], erasedKeys: { table: string; id: string }[]) {
  const tables = (ps: { table: string }[]) => [...new Set(ps.map((p) => p.table))];
  const ids = (ps: { id: string }[]) => [...new Set(ps.map((p) => p.id))];
  const found = await q.all<RecordsTable & { k: 'd' | 'e' | 'r' }>(
    `select 'd' as k, null as tbl, null as id, null as group_id, null as data, null as hlcs, null as deleted, last_mid as version
       from devices where device_id = ?
     union all select 'e', tbl, id, null, null, null, null, null from erased where tbl = any(?::text[]) and id = any(?::text[])
     union all select 'r', ${RECORD_COLUMNS} from records where tbl = any(?::text[]) and id = any(?::text[])`,
    [deviceId, tables(erasedKeys), ids(erasedKeys), tables(rowKeys), ids(rowKeys)],
  );
  const device = found.find((f) => f.k === 'd');
  return {
    last: device ? Number(device.version) : 0,
    erased: new Set(found.filter((f) => f.k === 'e').map((f) => key(f.tbl, f.id))),
    rows: new Map(found.filter((f) => f.k === 'r').map((r) => [key(r.tbl, r.id), toRow(r)])),
  };
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

/** Upserts rows with their versions, many per statement (one round trip on PostgreSQL). Each (tbl, id) at most once. */
async function saveRows(q: Sql, rows: { table: string; row: Row; version: number }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += SAVE_PER_STATEMENT) {
    const slice = rows.slice(i, i + SAVE_PER_STATEMENT);
    await q.run(saveText(slice.length), saveParams(slice));
  }
}

const DEVICE_UPSERT = `insert into devices (device_id, last_mid, user_id, updated_at) values (?, ?, ?, ?)
  on conflict (device_id) do update set last_mid = excluded.last_mid, user_id = excluded.user_id, updated_at = excluded.updated_at`;

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
  const problem = rightsProblem(actor, c);
  if (problem) return { rejected: reject(c, problem, true) };
  if (c.deleted) return { values: {} };
  try {
    return { values: parseValues(c.table, c.values) };
  } catch (e) {
    if (e instanceof ValidationError) return { rejected: reject(c, `Ongeldige gegevens: ${e.message}`, true) };
    throw e;
  }
}

/** Applies the push part of a sync request. Returns the device's acknowledged mid and the refused changes.
 * Also for server-side writers (demo data) that need nothing back. */
export async function push(
  store: Store,
  actor: Actor,
  req: Pick<SyncRequest, 'deviceId' | 'changes'>,
  now: number,
): Promise<{ ackedMid: number; rejected: Rejected[]; /** The last version this push handed out, once committed. */ head?: number }> {
  if (req.changes.length === 0) return { ackedMid: await store.read((q) => deviceMid(q, req.deviceId)), rejected: [] };

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
    return { rowKeys: cs.map(({ c }) => c), erasedKeys: [...cs.map(({ c }) => c), ...participants.map((id) => ({ table: 'participants', id }))] };
  };

  return store.write(async (_tx, nextVersion, q) => {
    // The device row decides inside the transaction what is new, also for a retry racing its own first attempt.
    // PostgreSQL asks for everything at once (a round trip costs more than a few rows too many); SQLite step by step.
    const all = q.dialect === 'postgres' ? lookups(candidates) : undefined;
    const pre = all && (await lookupForPush(q, req.deviceId, all.rowKeys, all.erasedKeys));
    const last = pre ? pre.last : await deviceMid(q, req.deviceId);
    const fresh = req.changes.filter((c) => c.mid > last);
    if (fresh.length === 0) return { ackedMid: last, rejected: [], head: undefined };
    const todo = candidates.filter(({ c }) => c.mid > last);
    const refused = rejected.filter((r) => r.mid > last);
    const erased = pre ? pre.erased : await erasedKeys(q, lookups(todo).erasedKeys);
    const rows = pre ? pre.rows : await loadRows(q, lookups(todo).rowKeys);
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
      const patch: Patch = changeToPatch({ ...c, values });
      const { row, changed: didChange } = merge(current, patch);
      rows.set(k, row);
      if (didChange) changed.set(k, { table: c.table, row });
    }
    let head: number | undefined;
    const saves = [...changed.values()].map(({ table, row }) => ({ table, row, version: (head = nextVersion()) }));
    // A change refused for now (clock ahead) must be looked at again when the phone resends it, even if the answer
    // saying so was lost: the acknowledged mid stops just below the first such change.
    const held = refused.filter((r) => !r.permanent).map((r) => r.mid);
    const top = Math.min(Math.max(last, ...fresh.map((c) => c.mid)), ...held.map((m) => m - 1));
    await savePush(q, saves, [req.deviceId, top, actor.id, now]);
    refused.sort((a, b) => a.mid - b.mid);
    return { ackedMid: top, rejected: refused, head };
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

export async function sync(store: Store, actor: Actor, req: SyncRequest, now: number): Promise<SyncResponse> {
  const cursor = Math.min(Number(req.cursor), Number.MAX_SAFE_INTEGER);
  if (req.changes.length === 0) {
    // Nothing to push: no transaction, and the device's mid and the pull are independent reads (parallel on PostgreSQL).
    const [ackedMid, p] = await store.read((q) => Promise.all([deviceMid(q, req.deviceId), pull(q, actor, cursor)]));
    return { cursor: p.cursor, changes: p.changes, more: p.more, rejected: [], ackedMid, serverTime: now, erased: p.erased };
  }
  const { ackedMid, rejected, head } = await push(store, actor, req, now);
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
    const groupId = p?.group_id ?? null;
    const tomb = formatHlc(now, 0, SERVER_NODE);
    const targets: RecordsTable[] = p ? [p] : [];
    if (groupId !== null) {
      const att = await db.selectFrom('records').selectAll().where('tbl', '=', 'attendance').where('group_id', '=', groupId).execute();
      for (const a of att) {
        if (a.id.split('|')[1] === participantId || (JSON.parse(a.data) as { participantId?: string }).participantId === participantId) targets.push(a);
      }
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
