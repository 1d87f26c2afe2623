// The sync engine: push the outbox, pull the change feed, settle what the server said — usable from page and service worker.
import type { LkDb, OutboxEntry } from '../data/db';
import { LockedError, canReadSealed, isSealed } from '../data/sealed';
import { applyRetention } from '../data/retention';
import { applyRemote, deviceId, renewDeviceId, rollBack } from '../data/write';
import { ChangeSchema, MAX_BATCH, SyncResponseSchema, TABLES, type Change, type SyncResponse, type TableName } from '../shared/schema';
import { apiRequest, sendPendingLogout, type Transport } from './api';
import { clockOffset, settle, tooLarge } from './policy';
import { readSyncState, saveSyncState, type HeldChange, type SyncProblem } from './state';

/** The Background Sync tag the page registers and the service worker answers with `backgroundSync`. */
export const SYNC_TAG = 'lk-sync';

export interface SyncOptions extends Transport {
  db: LkDb;
  /** The phone's clock; the simulation gives each device its own. */
  now?: () => number;
  /** A request that hangs this long counts as failed, so a dead wifi cannot hold the one sync slot forever. */
  timeoutMs?: number;
}

export const REQUEST_TIMEOUT_MS = 30_000;

export type SyncOutcome =
  | { kind: 'ok'; pushed: number; pulled: number; rejected: number; held: number; clockOffset: number }
  | { kind: 'needs-login' }
  /** Waits for the person to choose their own password; nothing is retried until then. */
  | { kind: 'needs-password' }
  /** A PIN is set and this page or worker has no key: the outbox is sealed, so nothing is sent until unlocked. */
  | { kind: 'locked' }
  | { kind: 'failed'; problem: SyncProblem };

const HELD_SHOWN = 50;
/** A server that keeps saying "more" without moving its cursor is broken; stop instead of spinning. */
const MAX_PAGES = 10_000;

const running = new WeakMap<LkDb, Promise<SyncOutcome>>();

/** One full sync. A call while another runs on the same database joins it; where the browser has Web Locks,
 * the page and the service worker also take turns. Never throws for network or server trouble: it returns why. */
export function syncOnce(opts: SyncOptions): Promise<SyncOutcome> {
  const current = running.get(opts.db);
  if (current) return current;
  const locks = (globalThis.navigator as { locks?: { request(name: string, fn: () => Promise<SyncOutcome>): Promise<SyncOutcome> } } | undefined)?.locks;
  const p = (locks ? locks.request(`lk-sync:${opts.db.name}`, () => runUnlessLocked(opts)) : runUnlessLocked(opts)).finally(() => running.delete(opts.db));
  running.set(opts.db, p);
  return p;
}

/** For the service worker's `sync` event: throws when trying again later could help, so the browser retries;
 * resolves when done or when only a new login can help (a retry would just loop). */
export async function backgroundSync(opts: SyncOptions): Promise<SyncOutcome> {
  const outcome = await syncOnce(opts);
  if (outcome.kind === 'failed') throw new Error(`Synchronisatie mislukt: ${outcome.problem.code}`);
  return outcome;
}

function toChange(e: Change): Change {
  const c: Change = { mid: e.mid, table: e.table, id: e.id, groupId: e.groupId, values: e.values, hlc: e.hlc };
  if (e.deleted) c.deleted = true;
  return c;
}

/** Locking in the middle of a sync stops it where it is; the rest goes after the next unlock. */
async function runUnlessLocked(opts: SyncOptions): Promise<SyncOutcome> {
  if (!(await canReadSealed(opts.db))) return { kind: 'locked' };
  try {
    return await run(opts);
  } catch (e) {
    if (e instanceof LockedError) return { kind: 'locked' };
    throw e;
  }
}

async function run(opts: SyncOptions): Promise<SyncOutcome> {
  const d = opts.db;
  // Logged out on this phone (perhaps offline): nothing goes out until the next login, the server hears of it now.
  if ((await readSyncState(d)).loggedOut) {
    await sendPendingLogout(opts, d);
    return { kind: 'needs-login' };
  }
  const now = opts.now ?? Date.now;
  let device = await deviceId(d);
  let renewed = false;
  // Halved on a 413 (a body limit, the server's or a proxy's) until the batch fits, for the rest of this sync.
  let limit = MAX_BATCH;
  let cursor = ((await d.meta.get('cursor'))?.value as string | undefined) ?? '0';
  let afterMid = 0;
  let more = true;
  let pushed = 0;
  let pulled = 0;
  let rejected = 0;
  let offset = 0;
  const held: HeldChange[] = [];
  await saveSyncState(d, { lastAttemptAt: now() });
  // Changes written from here on (and held ones queued again) go out with the next sync, so one sync always ends.
  const ceiling = ((await d.meta.get('lastMid'))?.value as number | undefined) ?? 0;
  for (let page = 0; ; page++) {
    const entries = await d.outbox.where('mid').between(afterMid, ceiling, false, true).limit(limit).toArray();
    // Ciphertext must never reach the server: it would refuse it for good and the change would be set aside.
    if (entries.some((e) => isSealed(e.values))) return { kind: 'locked' };
    const batch = await sendable(d, entries);
    if (page > 0 && batch.length === 0 && !more) break;
    if (page >= MAX_PAGES) return fail(d, { code: 'bad-response', message: 'te veel pagina’s' });
    let res: Response;
    try {
      res = await apiRequest(opts, '/api/sync', { deviceId: device, cursor, changes: batch.map(toChange) }, opts.timeoutMs ?? REQUEST_TIMEOUT_MS);
    } catch (e) {
      return fail(d, { code: 'offline', message: (e as Error).message });
    }
    if (res.status === 401) {
      await saveSyncState(d, { needsLogin: true, lastProblem: null });
      return { kind: 'needs-login' };
    }
    if (res.status === 403) {
      const refusal = (await res.clone().json().catch(() => null)) as { mustChangePassword?: unknown; deviceTaken?: unknown } | null;
      if (refusal?.mustChangePassword === true) {
        await saveSyncState(d, { lastProblem: { code: 'password' } });
        return { kind: 'needs-password' };
      }
      // Another account pushed under this device id first (the phone changed hands): continue under a fresh one.
      if (refusal?.deviceTaken === true && !renewed) {
        device = await renewDeviceId(d);
        renewed = true;
        continue;
      }
    }
    const large = res.status === 413 ? tooLarge(batch.length) : null;
    if (large?.kind === 'split') {
      limit = large.size;
      continue;
    }
    if (large?.kind === 'set-aside') {
      held.push(await setAsideTooBig(d, batch[0]));
      afterMid = batch[0].mid;
      continue;
    }
    if (!res.ok) {
      const retryAfter = retryAfterSeconds(res.headers.get('retry-after'), now());
      return fail(d, retryAfter === null ? { code: 'http', status: res.status } : { code: 'http', status: res.status, retryAfter });
    }
    let body: SyncResponse;
    try {
      const parsed = SyncResponseSchema.safeParse(await res.json());
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
      body = parsed.data;
    } catch (e) {
      return fail(d, { code: 'bad-response', message: (e as Error).message });
    }
    offset = clockOffset(body.serverTime, now());
    const s = await settlePage(d, batch, body, now());
    pushed += s.acked;
    rejected += s.permanent;
    held.push(...s.held);
    pulled += body.changes.length;
    afterMid = batch.at(-1)?.mid ?? afterMid;
    more = body.more;
    if (more && body.cursor === cursor && batch.length === 0) return fail(d, { code: 'bad-response', message: 'cursor staat stil' });
    cursor = body.cursor;
  }
  // Old notes leave the phone only after a sync got through, so the server surely holds what is removed here.
  await applyRetention(d, now());
  await saveSyncState(d, {
    lastSyncedAt: now(),
    needsLogin: false,
    lastProblem: null,
    clockOffset: offset,
    held: held.slice(0, HELD_SHOWN),
  });
  return { kind: 'ok', pushed, pulled, rejected, held: held.length, clockOffset: offset };
}

/** The server refuses a whole request when one change in it is malformed, which would block the outbox for
 * good; such a change (e.g. an id with a space, from an older build) is set aside with the reason instead. */
async function sendable(d: LkDb, batch: OutboxEntry[]): Promise<OutboxEntry[]> {
  const bad: { entry: OutboxEntry; reason: string }[] = [];
  const good: OutboxEntry[] = [];
  for (const e of batch) {
    const r = ChangeSchema.safeParse(toChange(e));
    if (r.success) good.push(e);
    else bad.push({ entry: e, reason: `Ongeldige wijziging: ${r.error.issues.map((i) => i.message).join('; ')}` });
  }
  if (bad.length) {
    await d.transaction('rw', d.outbox, d.rejected, async () => {
      for (const b of bad) {
        await d.rejected.put({ ...b.entry, reason: b.reason });
        await d.outbox.delete(b.entry.mid);
      }
    });
  }
  return good;
}

/** A change that alone exceeds the body limit waits in the outbox with the reason. It gets a fresh mid above everything
 * this sync sends: the server acknowledges the mids after it, and would skip it under its old mid once the limit is
 * raised and it finally fits. */
async function setAsideTooBig(d: LkDb, entry: OutboxEntry): Promise<HeldChange> {
  const mid = await d.transaction('rw', d.outbox, d.meta, async () => {
    const next = (((await d.meta.get('lastMid'))?.value as number | undefined) ?? 0) + 1;
    await d.outbox.delete(entry.mid);
    await d.outbox.put({ ...entry, mid: next });
    await d.meta.put({ key: 'lastMid', value: next });
    return next;
  });
  return { table: entry.table, id: entry.id, mid, reason: 'Deze wijziging is te groot om te versturen; ze blijft op dit apparaat tot de server grotere verzoeken aanneemt' };
}

/** Retry-After as seconds from now: either a number of seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now: number): number | null {
  if (!header) return null;
  const v = header.trim();
  if (/^\d{1,9}$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

async function fail(d: LkDb, problem: SyncProblem): Promise<SyncOutcome> {
  await saveSyncState(d, { lastProblem: problem });
  return { kind: 'failed', problem };
}

/** Everything one answer implies, in one transaction: outbox acknowledged or moved aside, erased records
 * gone, pulled rows merged, cursor advanced. A crash leaves either all of it or none. */
async function settlePage(
  d: LkDb,
  batch: OutboxEntry[],
  body: SyncResponse,
  at: number,
): Promise<{ acked: number; permanent: number; held: HeldChange[] }> {
  const erased = (body.erased ?? []).filter((e): e is { table: TableName; id: string } => (TABLES as string[]).includes(e.table));
  const erasedKeys = new Set(erased.map((e) => `${e.table}/${e.id}`));
  // Attendance an offline phone recorded after the erasure has an id the server never erased, but its participant
  // was: the server refuses it for good, and it must leave this phone too instead of waiting as a refusal.
  const erasedPeople = new Set(erased.filter((e) => e.table === 'participants').map((e) => e.id));
  const isErased = (r: { table: string; id: string }) =>
    erasedKeys.has(`${r.table}/${r.id}`) || (r.table === 'attendance' && erasedPeople.has(r.id.split('|')[1] ?? ''));
  const plan = settle(
    batch.map((e) => e.mid),
    body.ackedMid,
    body.rejected,
  );
  const byMid = new Map(batch.map((e) => [e.mid, e]));
  const tables = TABLES.map((t) => d.table(t));
  await d.transaction('rw', [d.outbox, d.rejected, d.meta, ...tables], async () => {
    // An erased participant's values must not linger anywhere on the phone, not even in the list of refusals.
    for (const e of erased) {
      await d.outbox.where('[table+id]').equals([e.table, e.id]).delete();
      await d.rejected.where('[table+id]').equals([e.table, e.id]).delete();
      const row = (await d.table(e.table).get(e.id)) as { _d?: string } | undefined;
      if (row && !row._d) await d.table(e.table).delete(e.id);
    }
    for (const pid of erasedPeople) {
      for (const a of await d.table('attendance').where('participantId').equals(pid).toArray()) {
        await d.outbox.where('[table+id]').equals(['attendance', a.id]).delete();
        await d.rejected.where('[table+id]').equals(['attendance', a.id]).delete();
        if (!a._d) await d.table('attendance').delete(a.id);
      }
    }
    await d.outbox.bulkDelete(plan.acked);
    for (const r of plan.permanent) {
      const entry = byMid.get(r.mid);
      if (!entry) continue;
      if (isErased(r)) {
        await d.outbox.delete(r.mid);
        continue;
      }
      await d.rejected.put({ ...toChange(entry), at: entry.at, reason: r.reason });
      await d.outbox.delete(r.mid);
      // The phone shows what the server holds, not what it refused; an older server sends no record: leave it.
      if (r.current !== undefined) await rollBack(d, entry, r.current);
    }
    // The server counts a held change as seen and would skip it under its old mid; a fresh mid gets it looked at again.
    if (plan.held.length) {
      let mid = ((await d.meta.get('lastMid'))?.value as number | undefined) ?? 0;
      for (const r of plan.held) {
        const entry = byMid.get(r.mid);
        if (!entry || isErased(r)) continue;
        await d.outbox.delete(r.mid);
        await d.outbox.put({ ...entry, mid: ++mid });
      }
      await d.meta.put({ key: 'lastMid', value: mid });
    }
    await applyRemote(body.changes, { db: d, now: at });
    await d.meta.put({ key: 'cursor', value: body.cursor });
  });
  return {
    acked: plan.acked.length,
    permanent: plan.permanent.filter((r) => !isErased(r)).length,
    held: plan.held.filter((r) => !isErased(r)).map((r) => ({ table: r.table, id: r.id, mid: r.mid, reason: r.reason })),
  };
}

