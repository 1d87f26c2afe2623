// Request budgets per user: a token bucket that lets a phone catch up in a burst but stops a script hammering the server.
export interface BucketOptions {
  /** Requests allowed at once after a quiet spell. */
  capacity: number;
  /** Requests regained per second. */
  perSecond: number;
}

/** A paged first download of years of rounds is a burst of requests; 120 at once and 2 a second after that
 * is far above what the app sends in use and still caps one account at 7,200 requests an hour. */
export const SYNC_BUDGET: BucketOptions = { capacity: 120, perSecond: 2 };

export class TokenBuckets {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private opts: BucketOptions) {}

  /** Takes one token for `key`: 0 when allowed, else the seconds until a token is back. */
  take(key: string, now: number): number {
    const { capacity, perSecond } = this.opts;
    const b = this.buckets.get(key) ?? { tokens: capacity, at: now };
    // A clock that went back (tests, NTP) must not drain the bucket.
    const elapsed = Math.max(0, now - b.at) / 1000;
    b.tokens = Math.min(capacity, b.tokens + elapsed * perSecond);
    b.at = now;
    if (b.tokens < 1) {
      this.buckets.set(key, b);
      return Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
    }
    b.tokens -= 1;
    this.buckets.set(key, b);
    if (this.buckets.size > 10_000) this.prune(now);
    return 0;
  }

  /** Full buckets carry no information: forgetting them bounds memory. */
  private prune(now: number): void {
    const { capacity, perSecond } = this.opts;
    for (const [k, b] of this.buckets) if (b.tokens + ((now - b.at) / 1000) * perSecond >= capacity) this.buckets.delete(k);
  }
}

/** What one account may store per day (0 = no limit), counted in the database so it holds across server processes. */
export interface Quota {
  rows: number;
  bytes: number;
}

/** A round produces about 100 rows and 50 KB; 20 000 rows and 20 MB a day is two hundred rounds, far above what a
 * group or a coördinator's backup import sends, and stops a script from filling the disk. */
export const SYNC_QUOTA: Quota = { rows: 20_000, bytes: 20 * 1024 * 1024 };

/** The quota from SYNC_QUOTA_ROWS and SYNC_QUOTA_MB (per account per day; 0 lifts that limit); throws a Dutch
 * message for a value that is not a whole number. */
export function quotaFromEnv(env: Record<string, string | undefined>): Quota | null {
  const read = (name: string, fallback: number, unit: number) => {
    const v = env[name];
    if (v === undefined || v === '') return fallback;
    if (!/^\d{1,9}$/.test(v)) throw new Error(`${name} moet een geheel getal zijn (0 heft de grens op), niet "${v}"`);
    return Number(v) * unit;
  };
  const quota = { rows: read('SYNC_QUOTA_ROWS', SYNC_QUOTA.rows, 1), bytes: read('SYNC_QUOTA_MB', SYNC_QUOTA.bytes, 1024 * 1024) };
  return quota.rows === 0 && quota.bytes === 0 ? null : quota;
}
