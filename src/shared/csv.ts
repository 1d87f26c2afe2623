// CSV that Dutch Excel opens as intended: UTF-8 with BOM, `;` between fields, CRLF, decimal comma, no formula injection.
import type { BreakdownRow, Count, MonthRow, Report, RoundRow, StoryRow } from './report';

export type Cell = string | number | boolean | null | undefined;

export interface Column<R> {
  label: string;
  value: (row: R) => Cell;
}

/** Without the byte order mark Excel reads UTF-8 as Windows-1252 and "ö" becomes "Ã¶". */
export const BOM = '\uFEFF';
const SEP = ';';
const EOL = '\r\n';

/** Text that Excel would run as a formula gets a leading apostrophe (OWASP: =, +, -, @, tab, carriage return). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[;"\r\n]/;

/** One field: numbers with a decimal comma (at most two decimals, no thousands separator so Excel reads a number). */
export function formatCell(value: Cell): string {
  if (value == null) return '';
  if (typeof value === 'boolean') return value ? 'ja' : 'nee';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    return String(Math.round(value * 100) / 100).replace('.', ',');
  }
  let s = value;
  if (FORMULA_START.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function line(cells: readonly Cell[]): string {
  return cells.map(formatCell).join(SEP) + EOL;
}

function lines<R>(rows: readonly R[], columns: readonly Column<R>[]): string {
  let out = line(columns.map((c) => c.label));
  for (const r of rows) out += line(columns.map((c) => c.value(r)));
  return out;
}

/** A whole file: header row of column labels, then one row per record. */
export function toCsv<R>(rows: readonly R[], columns: readonly Column<R>[]): string {
  return BOM + lines(rows, columns);
}

/** A raw table as stored: every field that occurs becomes a column; sync bookkeeping and deleted rows are left out. */
export function tableToCsv(rows: readonly object[]): string {
  const keys: string[] = [];
  const seen = new Set<string>(['_h', '_d']);
  const live = (rows as readonly Record<string, unknown>[]).filter((r) => !r._d);
  for (const r of live)
    for (const k of Object.keys(r))
      if (!seen.has(k)) {
        seen.add(k);
        keys.push(k);
      }
  return toCsv(
    live,
    keys.map((k) => ({ label: k, value: (r: Record<string, unknown>) => rawCell(r[k]) })),
  );
}

function rawCell(v: unknown): Cell {
  if (v == null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(String).join(', ');
  if (typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k}: ${String(x)}`).join(', ');
  return String(v);
}

/** Dutch names of the report's figures and keys; the report screen's Dutch dictionary uses the same words. */
export const REPORT_NL = {
  figure: 'Kengetal',
  value: 'Waarde',
  period: 'Periode',
  until: 't/m',
  wijk: 'Wijk',
  location: 'Locatie',
  group: 'Groep',
  roundsHeld: 'Rondes gehouden',
  roundsCancelled: 'Rondes geannuleerd',
  uniqueParticipants: 'Unieke deelnemers',
  totalAttendance: 'Aanwezigen totaal',
  averageAttendance: 'Gemiddeld aanwezig per ronde',
  newcomers: 'Nieuwkomers',
  newcomersPerRound: 'Nieuwkomers per ronde',
  hoursOfAttention: 'Uren aandacht',
  atmosphere: 'Sfeer (gemiddeld, 1–5)',
  safety: 'Veiligheid (gemiddeld, 1–5)',
  evaluations: 'Evaluaties',
  month: 'Maand',
  held: 'Gehouden',
  cancelled: 'Geannuleerd',
  attendance: 'Aanwezigen',
  participants: 'Deelnemers',
  average: 'Gemiddeld aanwezig',
  hours: 'Uren aandacht',
  count: 'Aantal',
  status: 'Status',
  foundVia: 'Hoe gevonden',
  themesChosen: 'Gekozen thema’s',
  themesRaised: 'Genoemde thema’s',
  strategies: 'Gedeelde strategieën',
  theme: 'Thema',
  strategy: 'Strategie',
  stories: 'Verhalen met toestemming',
  date: 'Datum',
  pseudonym: 'Pseudoniem',
  age: 'Leeftijd',
  themes: 'Thema’s',
  quote: 'Verhaal',
  unknown: 'onbekend',
  minutes: 'Duur (minuten)',
  present: 'Aanwezig',
} as const;

/** Same words as the coördinator screens use, so the export reads like the app. */
export const STATUS_NL: Record<string, string> = {
  actief: 'Actief',
  afgerond: 'Afgerond',
  gestopt: 'Tijdelijk gestopt',
  onbekend: 'Onbekend',
};

export const FOUND_VIA_NL: Record<string, string> = {
  begeleider: 'Begeleider',
  deelnemer: 'Andere deelnemer',
  buurtverbinder: 'Buurtverbinder',
  professional: 'Sociaal werker of professional',
  flyer: 'Flyer of poster',
  'sociale-media': 'Sociale media',
  website: 'Website',
  anders: 'Anders',
  onbekend: 'Onbekend',
};

export type CountKind = 'status' | 'foundVia' | 'theme' | 'strategy';

/** Names a counted key; the screen passes its own so themes get their translated default names too. */
export type CountLabel = (kind: CountKind, count: Count) => string;

const defaultLabel: CountLabel = (kind, c) =>
  (kind === 'status' ? STATUS_NL[c.key] : kind === 'foundVia' ? FOUND_VIA_NL[c.key] : undefined) ?? c.label;

export interface ReportCsvOptions {
  /** Names of the filtered location and group (the report holds their ids). */
  location?: string;
  group?: string;
  label?: CountLabel;
}

const L = REPORT_NL;

export const MONTH_COLUMNS: Column<MonthRow>[] = [
  { label: L.month, value: (m) => m.month },
  { label: L.held, value: (m) => m.held },
  { label: L.cancelled, value: (m) => m.cancelled },
  { label: L.attendance, value: (m) => m.attendance },
  { label: L.newcomers, value: (m) => m.newcomers },
  { label: L.hours, value: (m) => m.hours },
];

export function breakdownColumns(first: string): Column<BreakdownRow>[] {
  return [
    { label: first, value: (b) => b.label || L.unknown },
    { label: L.held, value: (b) => b.held },
    { label: L.cancelled, value: (b) => b.cancelled },
    { label: L.participants, value: (b) => b.participants },
    { label: L.attendance, value: (b) => b.attendance },
    { label: L.average, value: (b) => b.averageAttendance },
    { label: L.newcomers, value: (b) => b.newcomers },
    { label: L.hours, value: (b) => b.hours },
  ];
}

export function countColumns(first: string, kind: CountKind, label: CountLabel = defaultLabel): Column<Count>[] {
  return [
    { label: first, value: (c) => label(kind, c) },
    { label: L.count, value: (c) => c.count },
  ];
}

export const ROUND_COLUMNS: Column<RoundRow>[] = [
  { label: L.date, value: (r) => r.date },
  { label: L.group, value: (r) => r.group },
  { label: L.location, value: (r) => r.location },
  { label: L.wijk, value: (r) => r.wijk },
  { label: L.status, value: (r) => r.status },
  { label: L.present, value: (r) => r.present },
  { label: L.newcomers, value: (r) => r.newcomers },
  { label: L.minutes, value: (r) => r.minutes },
  { label: L.hours, value: (r) => r.hours },
  { label: L.theme, value: (r) => r.chosenTheme },
];

export const STORY_COLUMNS: Column<StoryRow>[] = [
  { label: L.date, value: (s) => s.date },
  { label: L.pseudonym, value: (s) => s.pseudonym },
  { label: L.age, value: (s) => s.age },
  { label: L.group, value: (s) => s.group },
  { label: L.themes, value: (s) => s.themes.join(', ') },
  { label: L.quote, value: (s) => s.quote },
];

/** The headline figures as "Kengetal;Waarde" rows, with the filter that produced them. */
export function reportFigures(report: Report, names: Pick<ReportCsvOptions, 'location' | 'group'> = {}): [string, Cell][] {
  const f = report.filter;
  const rows: [string, Cell][] = [[L.period, `${f.from} ${L.until} ${f.to}`]];
  if (f.wijk) rows.push([L.wijk, f.wijk]);
  if (f.locationId) rows.push([L.location, names.location ?? f.locationId]);
  if (f.groupId) rows.push([L.group, names.group ?? f.groupId]);
  rows.push(
    [L.roundsHeld, report.roundsHeld],
    [L.roundsCancelled, report.roundsCancelled],
    [L.uniqueParticipants, report.uniqueParticipants],
    [L.totalAttendance, report.totalAttendance],
    [L.averageAttendance, report.averageAttendance],
    [L.newcomers, report.newcomers],
    [L.newcomersPerRound, report.newcomersPerRound],
    [L.hoursOfAttention, report.hoursOfAttention],
    [L.evaluations, report.evaluations.count],
    [L.atmosphere, report.evaluations.atmosphere],
    [L.safety, report.evaluations.safety],
  );
  return rows;
}

/** The whole report in one file: figures first, then one titled section per breakdown, separated by an empty line. */
export function reportToCsv(report: Report, options: ReportCsvOptions = {}): string {
  const sections = [
    lines(reportFigures(report, options), [
      { label: L.figure, value: (r) => r[0] },
      { label: L.value, value: (r) => r[1] },
    ]),
    lines(report.months, MONTH_COLUMNS),
    lines(report.byWijk, breakdownColumns(L.wijk)),
    lines(report.byLocation, breakdownColumns(L.location)),
    lines(report.byGroup, breakdownColumns(L.group)),
    lines(report.byStatus, countColumns(L.status, 'status', options.label)),
    lines(report.byFoundVia, countColumns(L.foundVia, 'foundVia', options.label)),
    lines(report.themesChosen, countColumns(L.themesChosen, 'theme', options.label)),
    lines(report.themesRaised, countColumns(L.themesRaised, 'theme', options.label)),
    lines(report.strategies, countColumns(L.strategies, 'strategy', options.label)),
    lines(report.stories, STORY_COLUMNS),
  ];
  return BOM + sections.join(EOL);
}
