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

export function attendanceId(roundId: string, participantId: string): string {
  return `${roundId}|${participantId}`;
}

export function evaluationId(roundId: string): string {
  return `${roundId}|eval`;
}

/** Today's date in the Netherlands, whatever the phone's time zone setting. */
export function localDate(at: number | Date = Date.now(), timeZone = 'Europe/Amsterdam'): string {
  const d = typeof at === 'number' ? new Date(at) : at;
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  return parts;
}
