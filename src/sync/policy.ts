// Pure sync decisions: what an answer acknowledges, how long to wait before a retry, whether the phone's clock is off.
import type { Rejected } from '../shared/schema';

export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_MAX_MS = 5 * 60_000;
/** A phone clock further off than this is worth telling the user about; the server refuses at 24 h ahead. */
export const SKEW_WARN_MS = 10 * 60_000;

/** Delay before retry number `attempt` (0-based): doubling from 2 s to at most 5 min, with jitter so
 * a roomful of phones that lost the wifi together do not all come back in the same second. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

export interface Settlement {
  /** Sent and processed by the server: remove from the outbox. */
  acked: number[];
  /** Refused for good: move to `rejected` with the reason. */
  permanent: Rejected[];
  /** Refused for now (e.g. a clock far ahead): keep in the outbox and say why. */
  held: Rejected[];
}

/** Decides per sent mutation id what the server's answer means. Only ids in this request are touched, so a
 * change written while the request was under way — or one held back earlier — is never acknowledged by accident. */
export function settle(sentMids: readonly number[], ackedMid: number, rejected: readonly Rejected[]): Settlement {
  const sent = new Set(sentMids);
  const refused = new Map<number, Rejected>();
  for (const r of rejected) if (sent.has(r.mid)) refused.set(r.mid, r);
  const acked: number[] = [];
  const permanent: Rejected[] = [];
  const held: Rejected[] = [];
  for (const mid of sentMids) {
    const r = refused.get(mid);
    if (r) (r.permanent ? permanent : held).push(r);
    else if (mid <= ackedMid) acked.push(mid);
  }
  return { acked, permanent, held };
}

/** Server time minus phone time, in ms; positive when the phone runs behind. */
export function clockOffset(serverTime: number, localTime: number): number {
  return Math.round(serverTime - localTime);
}

export function clockIsOff(offset: number): boolean {
  return Math.abs(offset) > SKEW_WARN_MS;
}

/** What to do when the server (or a proxy) answers 413 to a batch of `size` changes: send the first half of it
 * instead, until one change alone is too large; that one waits in the outbox (it is never dropped). */
export function tooLarge(size: number): { kind: 'split'; size: number } | { kind: 'set-aside' } | { kind: 'fail' } {
  if (size > 1) return { kind: 'split', size: Math.ceil(size / 2) };
  return size === 1 ? { kind: 'set-aside' } : { kind: 'fail' };
}
