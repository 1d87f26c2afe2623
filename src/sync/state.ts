// What the last sync left behind, kept in `meta`: read by the status badge at start-up without loading the engine.
import type { LkDb } from '../data/db';

export type SyncProblem =
  | { code: 'offline'; message: string }
  /** `retryAfter`: the seconds a 429 or 503 asked the phone to wait before trying again. */
  | { code: 'http'; status: number; retryAfter?: number }
  /** Logged in with a one-time code: the server serves nothing but the password change until one is chosen. */
  | { code: 'password' }
  | { code: 'bad-response'; message: string };

/** A change the server will take later, kept in the outbox with the reason it gave. */
export interface HeldChange {
  table: string;
  id: string;
  mid: number;
  reason: string;
}

/** What the last sync left behind, in `meta` so the page sees what the service worker did. */
export interface SyncState {
  lastSyncedAt: number | null;
  lastAttemptAt: number | null;
  needsLogin: boolean;
  /** Logged out on this phone: the app shows no group data until the next login. */
  loggedOut: boolean;
  lastProblem: SyncProblem | null;
  clockOffset: number | null;
  held: HeldChange[];
}

export const EMPTY_STATE: SyncState = { lastSyncedAt: null, lastAttemptAt: null, needsLogin: false, loggedOut: false, lastProblem: null, clockOffset: null, held: [] };

export async function readSyncState(d: LkDb): Promise<SyncState> {
  return { ...EMPTY_STATE, ...((await d.meta.get('syncState'))?.value as Partial<SyncState> | undefined) };
}

export async function saveSyncState(d: LkDb, patch: Partial<SyncState>): Promise<void> {
  await d.transaction('rw', d.meta, async () => {
    await d.meta.put({ key: 'syncState', value: { ...(await readSyncState(d)), ...patch } });
  });
}

