// Dates and durations as people read them, in the active locale.
import { dateFormat, numberFormat, type Locale } from '../i18n';

/** "ma 23 nov." for an ISO date; the date is read as a calendar day, never shifted by the phone's time zone. */
export function formatDate(iso: string, locale: Locale): string {
  const d = new Date(`${iso}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  return dateFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(d);
}

/** 150 → "2,5" (nl) or "2.5" (en): hours with at most two decimals. */
export function formatHours(minutes: number, locale: Locale): string {
  return numberFormat(locale, { maximumFractionDigits: 2 }).format(minutes / 60);
}
