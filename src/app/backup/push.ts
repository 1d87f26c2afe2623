// Sending a backup's changes to the server as the coördinator, through the one sync endpoint, idempotently.
import { MAX_BATCH, SyncResponseSchema, type Change, type Rejected, type SyncResponse } from '../../shared/schema';
import type { BackupEntry } from '../../shared/backup';
import { apiRequest, type Transport } from '../../sync/api';
import { REQUEST_TIMEOUT_MS } from '../../sync/engine';
import { settle } from '../../sync/policy';

/** The server keeps one mutation-id counter per device. Giving the backup its own device, with the phone's
 * original mids, makes a second import of the same file a no-op, while the phone itself still syncs normally
 * (the field-level merge keeps the newest value whichever copy arrives first). */
export function backupDeviceId(phoneDeviceId: string): string {
  return `backup:${phoneDeviceId}`;
}

export type PushProblem = 'login' | 'offline' | 'server';

export class PushError extends Error {
  constructor(
    readonly problem: PushProblem,
    /** Changes the server took before the failure; importing again skips them. */
    readonly applied: number,
    readonly status?: number,
  ) {
    super(problem);
    this.name = 'PushError';
  }
}

export interface PushResult {
  /** Changes this import sent and the server processed. */
  applied: number;
  /** Changes an earlier import of this backup already delivered. */
  already: number;
  /** Refused by the server, with its reason (held ones included: they need another import later). */
  rejected: Rejected[];
  /** The pull cursor after the last request; the caller's own sync pulls the rest. */
  cursor: string;
}

function toChange(e: BackupEntry): Change {
  const c: Change = { mid: e.mid, table: e.table, id: e.id, groupId: e.groupId, values: e.values, hlc: e.hlc };
  if (e.deleted) c.deleted = true;
  return c;
}

async function post(t: Transport, deviceId: string, cursor: string, changes: Change[], applied: number): Promise<SyncResponse> {
  let res: Response;
  try {
    res = await apiRequest(t, '/api/sync', { deviceId, cursor, changes }, REQUEST_TIMEOUT_MS);
  } catch {
    throw new PushError('offline', applied);
  }
  if (res.status === 401) throw new PushError('login', applied);
  if (!res.ok) throw new PushError('server', applied, res.status);
  const parsed = SyncResponseSchema.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new PushError('server', applied);
  return parsed.data;
}

/** Pushes every change of a backup. `cursor` should be the caller's own pull cursor, so the pulls that ride
 * along with each push stay small; their rows are left for the caller's normal sync. */
export async function pushBackup(t: Transport, phoneDeviceId: string, entries: readonly BackupEntry[], cursor = '0'): Promise<PushResult> {
  const device = backupDeviceId(phoneDeviceId);
  // An empty push asks the server how far this backup's device got before: a repeated import sends nothing.
  const first = await post(t, device, cursor, [], 0);
  cursor = first.cursor;
  const todo = entries.filter((e) => e.mid > first.ackedMid).sort((a, b) => a.mid - b.mid);
  const result: PushResult = { applied: 0, already: entries.length - todo.length, rejected: [], cursor };
  for (let i = 0; i < todo.length; i += MAX_BATCH) {
    const batch = todo.slice(i, i + MAX_BATCH);
    const body = await post(t, device, cursor, batch.map(toChange), result.applied);
    const s = settle(
      batch.map((e) => e.mid),
      body.ackedMid,
      body.rejected,
    );
    result.applied += s.acked.length;
    result.rejected.push(...s.permanent, ...s.held);
    cursor = result.cursor = body.cursor;
  }
  return result;
}
