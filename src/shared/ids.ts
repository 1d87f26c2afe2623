// Record ids: random where records are independent, derived where two phones must create the same record.

export function randomId(): string {
  const b = new Uint8Array(12);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(36).padStart(2, '0')).join('').slice(0, 20);
}

/** Two phones that start "today's round" of a group offline create the same id and so merge. */
export function roundId(groupId: string, date: string, nth = 1): string {
  return nth === 1 ? `r.${groupId}.${date}` : `r.${groupId}.${date}.${nth}`;
}

/** The group and date a derived round id stands for, so a phone without the round can still time it. */
export function parseRoundId(id: string): { groupId: string; date: string; nth: number } | null {
  const m = /^r\.(.+)\.(\d{4}-\d{2}-\d{2})(?:\.(\d+))?$/.exec(id);
  return m ? { groupId: m[1], date: m[2], nth: m[3] ? Number(m[3]) : 1 } : null;
}

export function attendanceId(roundId: string, participantId: string): string {
  return `${roundId}|${participantId}`;
}

/** The round and participant an attendance id names (`roundId|participantId`, one bar), or null. */
export function parseAttendanceId(id: string): { roundId: string; participantId: string } | null {
  const parts = id.split('|');
  return parts.length === 2 && parts[0] && parts[1] ? { roundId: parts[0], participantId: parts[1] } : null;
}

export function evaluationId(roundId: string): string {
  return `${roundId}|eval`;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** 01:00 UTC on the last Sunday of a month (0-based), when EU clocks change. */
function lastSundayAt1Utc(year: number, month: number): number {
  const lastDay = Date.UTC(year, month + 1, 0, 1);
  return lastDay - new Date(lastDay).getUTCDay() * DAY;
}

/** Amsterdam's offset from UTC at a moment: CEST (+2) from the last Sunday of March to the last Sunday
 * of October, both at 01:00 UTC, else CET (+1). These are the EU rules Europe/Amsterdam follows since 1996. */
function amsterdamOffset(ms: number): number {
  const year = new Date(ms).getUTCFullYear();
  return ms >= lastSundayAt1Utc(year, 2) && ms < lastSundayAt1Utc(year, 9) ? 2 * HOUR : HOUR;
}

let intlFormat: Intl.DateTimeFormat | null = null;

function dateByIntl(ms: number): string {
  intlFormat ??= new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' });
  return intlFormat.format(ms);
}

const dateByRule = (ms: number) => new Date(ms + amsterdamOffset(ms)).toISOString().slice(0, 10);

/** Set when the rule and the zone data disagreed: the zone data decides from then on. */
let byZone: ((ms: number) => string) | null = null;

/** Today's date in the Netherlands (YYYY-MM-DD), whatever the phone's time zone setting.
 * Computed from the EU rule, because the first `Intl.DateTimeFormat` with a time zone costs 30–60 ms of a
 * phone's start-up (it loads the zone data), which held up the first screen. `checkLocalDateRule` compares
 * the rule with the browser's zone data once the app has settled and switches to the zone data if they
 * ever disagree (say the EU stops changing the clocks). */
export function localDate(at: number | Date = Date.now()): string {
  const ms = typeof at === 'number' ? at : at.getTime();
  return byZone ? byZone(ms) : dateByRule(ms);
}

/** Compares the rule with the zone data (`zone`, the browser's by default) at the next hours and at the hours
 * around this year's clock changes. On any difference `localDate` follows the zone data; when they agree it
 * follows the rule. Returns whether the rule held. */
export function checkLocalDateRule(now = Date.now(), zone: (ms: number) => string = dateByIntl): boolean {
  const year = new Date(now).getUTCFullYear();
  const moments: number[] = [];
  for (let h = 0; h < 24; h++) moments.push(now + h * HOUR);
  for (const change of [lastSundayAt1Utc(year, 2), lastSundayAt1Utc(year, 9)]) {
    // Amsterdam's midnights before and after a change are where an offset error shows in the date.
    for (let h = -26; h <= 26; h++) moments.push(change + h * HOUR);
  }
  const held = moments.every((m) => zone(m) === dateByRule(m));
  byZone = held ? null : zone;
  return held;
}
