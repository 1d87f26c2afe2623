// How long ago, in words: "3 dagen", "5 minuten", "zojuist" — for the last sync and the oldest waiting change.
import { translate, type Locale } from '../i18n';

const dict = {
  nl: {
    now: 'zojuist',
    minute: '1 minuut',
    minutes: '{n} minuten',
    hour: '1 uur',
    hours: '{n} uur',
    day: '1 dag',
    days: '{n} dagen',
  },
  en: {
    now: 'just now',
    minute: '1 minute',
    minutes: '{n} minutes',
    hour: '1 hour',
    hours: '{n} hours',
    day: '1 day',
    days: '{n} days',
  },
};

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** A duration rounded down to its largest whole unit; under a minute is "zojuist". */
export function duration(ms: number, locale: Locale): string {
  const t = translate(dict, locale);
  const d = Math.max(0, ms);
  if (d < MIN) return t('now');
  if (d < HOUR) return plural(t, Math.floor(d / MIN), 'minute', 'minutes');
  if (d < DAY) return plural(t, Math.floor(d / HOUR), 'hour', 'hours');
  return plural(t, Math.floor(d / DAY), 'day', 'days');
}

function plural<K extends string>(t: (k: K, v?: Record<string, number>) => string, n: number, one: K, many: K): string {
  return n === 1 ? t(one) : t(many, { n });
}
