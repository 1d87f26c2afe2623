// Dutch first, English second: each feature keeps its own dictionary; `useT` picks the active locale.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export type Locale = 'nl' | 'en';
export const LOCALES: Locale[] = ['nl', 'en'];

export type Dict<K extends string> = { nl: Record<K, string>; en: Record<K, string> };
export type T<K extends string> = (key: K, vars?: Record<string, string | number>) => string;

export const LocaleContext = createContext<Locale>('nl');

export function initialLocale(): Locale {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('lk.locale') : null;
  return saved === 'en' || saved === 'nl' ? saved : 'nl';
}

export function translate<K extends string>(dict: Dict<K>, locale: Locale): T<K> {
  return (key, vars) => {
    let s = dict[locale][key] ?? dict.nl[key] ?? key;
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
    return s;
  };
}

export function useT<K extends string>(dict: Dict<K>): T<K> {
  return translate(dict, useContext(LocaleContext));
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();
const tag = (locale: Locale) => (locale === 'nl' ? 'nl-NL' : 'en-GB');

/** A date formatter for the locale, built once per set of options: building one costs a phone milliseconds
 * (tens of them for the first with a time zone), formatting with it microseconds. */
export function dateFormat(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = locale + JSON.stringify(options);
  let f = dateFormats.get(key);
  if (!f) dateFormats.set(key, (f = new Intl.DateTimeFormat(tag(locale), options)));
  return f;
}

/** A number formatter for the locale, built once per set of options. */
export function numberFormat(locale: Locale, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = locale + JSON.stringify(options);
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(tag(locale), options)));
  return f;
}
