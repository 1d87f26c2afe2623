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
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { DB, RecordsTable, Store } from './store';

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

async function loadRows(db: Kysely<DB>, pairs: { table: string; id: string }[]): Promise<Map<string, Row>> {
  const rows = await byTable(pairs, (table, ids) => db.selectFrom('records').selectAll().where('tbl', '=', table).where('id', 'in', ids).execute());
  return new Map(rows.map((r) => [key(r.tbl, r.id), toRow(r)]));
}

async function erasedKeys(db: Kysely<DB>, pairs: { table: string; id: string }[]): Promise<Set<string>> {
  const rows = await byTable(pairs, (table, ids) => db.selectFrom('erased').select(['tbl', 'id']).where('tbl', '=', table).where('id', 'in', ids).execute());
  return new Set(rows.map((r) => key(r.tbl, r.id)));
}

async function saveRow(db: Kysely<DB>, table: string, row: Row, version: number): Promise<void> {
  const parts = splitRow(row);
  await db
    .insertInto('records')
    .values({ tbl: table, id: row.id, group_id: row.groupId, ...parts, version })
    .onConflict((oc) => oc.columns(['tbl', 'id']).doUpdateSet({ ...parts, version }))
    .execute();
}

/** Validation that needs no database: clock, shape, rights and field values. */
function precheck(actor: Actor, c: Change, now: number): Rejected | null {
  const ahead = hlcWall(c.hlc) - now;
  if (ahead > MAX_SKEW_MS) {
    const hours = Math.round(ahead / 3600000);
    return reject(c, `Klok van dit apparaat loopt voor (ongeveer ${hours} uur). Zet datum en tijd goed; de wijziging wordt daarna opnieuw verstuurd.`, false);
  }
  const problem = rightsProblem(actor, c);
  if (problem) return reject(c, problem, true);
  if (!c.deleted) {
    try {
      parseValues(c.table, c.values);
    } catch (e) {
      if (e instanceof ValidationError) return reject(c, `Ongeldige gegevens: ${e.message}`, true);
      throw e;
    }
  }
  return null;
}

/** Applies the push part of a sync request. Returns the device's acknowledged mid and the refused changes. */
async function push(store: Store, actor: Actor, req: SyncRequest, now: number): Promise<{ ackedMid: number; rejected: Rejected[] }> {
  const before = await lastMid(store.db, req.deviceId);
  const fresh = req.changes.filter((c) => c.mid > before);
  if (fresh.length === 0) return { ackedMid: before, rejected: [] };

  const rejected: Rejected[] = [];
  const candidates: Change[] = [];
  for (const c of fresh) {
    const r = precheck(actor, c, now);
    if (r) rejected.push(r);
    else candidates.push(c);
  }

  return store.write(async (db, nextVersion) => {
    // A retry racing its own first attempt: the device row decides inside the transaction what is new.
    const last = await lastMid(db, req.deviceId);
    const todo = candidates.filter((c) => c.mid > last);
    const refused = rejected.filter((r) => r.mid > last);
    const participants = todo.map((c) => attendanceParticipant(c)).filter((p): p is string => !!p);
    const erased = await erasedKeys(db, [...todo, ...participants.map((id) => ({ table: 'participants', id }))]);
    const rows = await loadRows(db, todo);
    const changed = new Map<string, { table: string; row: Row }>();
    for (const c of todo) {
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
      const patch: Patch = changeToPatch({ ...c, values: c.deleted ? {} : parseValues(c.table, c.values) });
      const { row, changed: didChange } = merge(current, patch);
      rows.set(k, row);
      if (didChange) changed.set(k, { table: c.table, row });
    }
    for (const { table, row } of changed.values()) await saveRow(db, table, row, nextVersion());
    // A change refused for now (clock ahead) must be looked at again when the phone resends it, even if the answer
    // saying so was lost: the acknowledged mid stops just below the first such change.
    const held = refused.filter((r) => !r.permanent).map((r) => r.mid);
    const top = Math.min(Math.max(last, ...fresh.map((c) => c.mid)), ...held.map((m) => m - 1));
    await db
      .insertInto('devices')
      .values({ device_id: req.deviceId, last_mid: top, user_id: actor.id, updated_at: now })
      .onConflict((oc) => oc.column('device_id').doUpdateSet({ last_mid: top, user_id: actor.id, updated_at: now }))
      .execute();
    refused.sort((a, b) => a.mid - b.mid);
    return { ackedMid: top, rejected: refused };
  });
}

async function currentVersion(db: Kysely<DB>): Promise<number> {
  const r = await db.selectFrom('counters').select('value').where('name', '=', 'version').executeTakeFirstOrThrow();
  return Number(r.value);
}

/** Rows and erasures since `cursor` that this user may see, one page at a time in version order. */
async function pull(store: Store, actor: Actor, requested: number) {
  const db = store.db;
  // Every version up to the committed counter is committed too (writers hold the counter row until they commit),
  // so reading up to it gives one consistent cut even across several queries.
  const head = await currentVersion(db);
  // A cursor beyond anything this server handed out means the database was replaced: start over.
  const cursor = requested > head ? 0 : requested;
  let rows: RecordsTable[];
  let erased: { tbl: string; id: string }[];
  if (actor.role === 'coordinator') {
    rows = await db.selectFrom('records').selectAll().where('version', '>', cursor).where('version', '<=', head).orderBy('version').limit(PAGE_SIZE + 1).execute();
    erased = await db.selectFrom('erased').select(['tbl', 'id', 'version']).where('version', '>', cursor).where('version', '<=', head).orderBy('version').execute();
  } else {
    // One range scan of the (group_id, version) index per visible group: a pull costs what changed in the
    // user's groups, not what changed everywhere. The first page overall lies within each group's first page.
    const scopes: (string | null)[] = [null, ...actor.groups];
    const parts = await Promise.all(
      scopes.map((g) =>
        db
          .selectFrom('records')
          .selectAll()
          .where('group_id', g === null ? 'is' : '=', g)
          .where('version', '>', cursor)
          .where('version', '<=', head)
          .orderBy('version')
          .limit(PAGE_SIZE + 1)
          .execute(),
      ),
    );
    rows = parts.flat().sort((a, b) => Number(a.version) - Number(b.version)).slice(0, PAGE_SIZE + 1);
    const visible = (eb: ExpressionBuilder<DB, 'erased'>) =>
      eb.or([eb('group_id', 'is', null), ...(actor.groups.length ? [eb('group_id', 'in', actor.groups)] : [])]);
    erased = await db.selectFrom('erased').select(['tbl', 'id', 'version']).where('version', '>', cursor).where('version', '<=', head).where(visible).orderBy('version').execute();
  }
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
  const { ackedMid, rejected } = await push(store, actor, req, now);
  const cursor = Math.min(Number(req.cursor), Number.MAX_SAFE_INTEGER);
  const p = await pull(store, actor, cursor);
  return { cursor: p.cursor, changes: p.changes, more: p.more, rejected, ackedMid, serverTime: now, erased: p.erased };
}

export class NotFoundError extends Error {}

/** AVG erasure: tombstones the participant and their attendance with new versions (so phones drop them),
 * keeps no values, and remembers the ids so an offline phone can never bring them back. */
export async function eraseParticipant(store: Store, participantId: string, now: number): Promise<{ attendance: number }> {
  return store.write(async (db, nextVersion) => {
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
      await saveRow(db, t.tbl, row, version);
      await db
        .insertInto('erased')
        .values({ tbl: t.tbl, id: t.id, group_id: t.group_id, version, erased_at: now })
        .onConflict((oc) => oc.columns(['tbl', 'id']).doUpdateSet({ version, erased_at: now }))
        .execute();
    }
    return { attendance: targets.filter((t) => t.tbl === 'attendance').length };
  });
}
