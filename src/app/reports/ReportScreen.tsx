// The coördinator's annual-report screen: figures for a period and filter, breakdowns, monthly chart, CSV and print.
import type { ComponentChildren } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { currentReportInput, fullRows, loadReportInput, watchReportInput } from '../../data/report-input';
import { LockedError } from '../../data/sealed';
import {
  REPORT_NL,
  breakdownColumns,
  countColumns,
  reportToCsv,
  toCsv,
  MONTH_COLUMNS,
  ROUND_COLUMNS,
  STORY_COLUMNS,
  tableToCsv,
  type Column,
  type CountKind,
  type CountLabel,
} from '../../shared/csv';
import { localDate } from '../../shared/ids';
import { computeReport, type BreakdownRow, type Count, type Report, type ReportFilter, type ReportInput } from '../../shared/report';
import { categoryLabel, foundViaNames, statusNames } from '../admin/labels';
import { LocaleContext, numberFormat, useT, type Locale, type T } from '../i18n';
import { sameOrigin, type Transport } from '../../sync/api';
import { guarded } from '../toast';
import { downloadText } from './download';
import { fetchServerReport } from './server-report';
import { MonthChart } from './MonthChart';
import { FIRST_YEAR, LAST_YEAR, fileName, periodProblem, presetPeriod, type Period, type PeriodKind } from './period';
import './reports.css';

const dict = {
  nl: {
    ...REPORT_NL,
    title: 'Jaarverslag',
    intro: 'Kengetallen van alle groepen op deze telefoon. Synchroniseer eerst voor de cijfers van de hele organisatie.',
    loading: 'Gegevens laden…',
    fromServer: 'Cijfers van de server: deze telefoon leest zijn eigen gegevens nog in.',
    filters: 'Periode en filter',
    periodKind: 'Periode',
    thisYear: 'Dit jaar ({year})',
    lastYear: 'Vorig jaar ({year})',
    custom: 'Zelf kiezen',
    from: 'Van',
    to: 'Tot en met',
    fromInvalid: 'Vul een geldige begindatum in',
    toInvalid: 'Vul een geldige einddatum in',
    order: 'De einddatum ligt vóór de begindatum',
    range: 'Kies datums tussen {first} en {last}',
    allWijken: 'Alle wijken',
    allLocations: 'Alle locaties',
    allGroups: 'Alle groepen',
    figures: 'Kengetallen',
    perRound: '{n} per ronde',
    ofFive: '{n} van 5',
    noEvaluations: 'nog geen evaluaties',
    evaluationCount: 'uit {n} evaluaties',
    perMonth: 'Per maand',
    chartLabel: 'Staafdiagram per maand van {from} tot en met {to}: {rounds} rondes en {attendance} aanwezigen in totaal.',
    chartCaption: 'Rondes en aanwezigen per maand',
    perWijk: 'Per wijk',
    perLocation: 'Per locatie',
    perGroup: 'Per groep',
    participantsBy: 'Deelnemers',
    none: 'Niets in deze periode.',
    download: 'CSV downloaden',
    downloadOf: 'CSV downloaden: {what}',
    downloadReport: 'Rapport als CSV downloaden',
    print: 'Afdrukken',
    printed: 'Afgedrukt op {date}',
    scrollTable: '{what} (schuif opzij voor meer kolommen)',
    raw: 'Gegevens voor eigen analyse',
    rawIntro: 'Alle rondes van de periode en filter, en de ruwe tabellen zoals ze op deze telefoon staan.',
    perRoundCsv: 'Rondes met aanwezigen en nieuwkomers',
    rawRounds: 'Tabel rondes',
    rawAttendance: 'Tabel aanwezigheid',
  },
  en: {
    figure: 'Figure',
    value: 'Value',
    period: 'Period',
    until: 'to',
    wijk: 'Neighbourhood',
    location: 'Location',
    group: 'Group',
    roundsHeld: 'Rounds held',
    roundsCancelled: 'Rounds cancelled',
    uniqueParticipants: 'Unique participants',
    totalAttendance: 'Total attendance',
    averageAttendance: 'Average attendance per round',
    newcomers: 'Newcomers',
    newcomersPerRound: 'Newcomers per round',
    hoursOfAttention: 'Hours of attention',
    atmosphere: 'Atmosphere (average, 1–5)',
    safety: 'Safety (average, 1–5)',
    evaluations: 'Evaluations',
    month: 'Month',
    held: 'Held',
    cancelled: 'Cancelled',
    attendance: 'Attendance',
    participants: 'Participants',
    average: 'Average attendance',
    hours: 'Hours of attention',
    count: 'Count',
    status: 'Status',
    foundVia: 'How they found us',
    themesChosen: 'Chosen themes',
    themesRaised: 'Themes raised',
    strategies: 'Strategies shared',
    theme: 'Theme',
    strategy: 'Strategy',
    stories: 'Stories with consent',
    date: 'Date',
    pseudonym: 'Pseudonym',
    age: 'Age',
    themes: 'Themes',
    quote: 'Story',
    unknown: 'unknown',
    minutes: 'Duration (minutes)',
    present: 'Present',
    title: 'Annual report',
    intro: 'Figures for all groups on this phone. Sync first to get the whole organisation’s numbers.',
    loading: 'Loading data…',
    fromServer: 'Figures from the server: this device is still reading its own data.',
    filters: 'Period and filter',
    periodKind: 'Period',
    thisYear: 'This year ({year})',
    lastYear: 'Last year ({year})',
    custom: 'Choose dates',
    from: 'From',
    to: 'Up to and including',
    fromInvalid: 'Enter a valid start date',
    toInvalid: 'Enter a valid end date',
    order: 'The end date is before the start date',
    range: 'Choose dates between {first} and {last}',
    allWijken: 'All neighbourhoods',
    allLocations: 'All locations',
    allGroups: 'All groups',
    figures: 'Key figures',
    perRound: '{n} per round',
    ofFive: '{n} out of 5',
    noEvaluations: 'no evaluations yet',
    evaluationCount: 'from {n} evaluations',
    perMonth: 'Per month',
    chartLabel: 'Bar chart per month from {from} to {to}: {rounds} rounds and {attendance} attendances in total.',
    chartCaption: 'Rounds and attendance per month',
    perWijk: 'Per neighbourhood',
    perLocation: 'Per location',
    perGroup: 'Per group',
    participantsBy: 'Participants',
    none: 'Nothing in this period.',
    download: 'Download CSV',
    downloadOf: 'Download CSV: {what}',
    downloadReport: 'Download report as CSV',
    print: 'Print',
    printed: 'Printed on {date}',
    scrollTable: '{what} (scroll sideways for more columns)',
    raw: 'Data for your own analysis',
    rawIntro: 'Every round of the period and filter, and the raw tables as stored on this phone.',
    perRoundCsv: 'Rounds with attendance and newcomers',
    rawRounds: 'Rounds table',
    rawAttendance: 'Attendance table',
  },
};

type Key = keyof typeof dict.nl;

/** Names a counted key in a locale: the coördinator's own category label wins over the default's name. */
function countLabel(locale: Locale): CountLabel {
  return (kind: CountKind, c: Count) => {
    if (kind === 'status') return statusNames[locale][c.key as keyof (typeof statusNames)['nl']] ?? foundViaNames[locale].onbekend;
    if (kind === 'foundVia') return foundViaNames[locale][c.key as keyof (typeof foundViaNames)['nl']] ?? c.label;
    return categoryLabel(kind, { key: c.key, label: c.label !== c.key ? c.label : null }, locale);
  };
}

/** The last report computed, kept past the screen: re-rendered, or opened again, on unchanged rows (the copy hands back
 * the same input object until something changes) with the same filter, the screen needs no computing at all. */
let lastReport: { input: ReportInput; key: string; report: Report } | null = null;

function reportFor(input: ReportInput, filter: ReportFilter, today: string): Report {
  const key = JSON.stringify([filter.from, filter.to, filter.wijk, filter.locationId, filter.groupId, today]);
  if (lastReport?.input === input && lastReport.key === key) return lastReport.report;
  const report = computeReport(input, filter, { today });
  lastReport = { input, key, report };
  return report;
}

/** The report's rows, read in full the first time and after that only where a write (or a sync) changed them. */
function useReportInput(): ReportInput | undefined {
  const [input, setInput] = useState<ReportInput | undefined>(currentReportInput);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let alive = true;
    const load = () =>
      loadReportInput().then(
        (next) => alive && setInput(next),
        // Locked again, the screen stays hidden with what it showed; unlocking reads afresh.
        (e: unknown) => alive && !(e instanceof LockedError) && setError(e),
      );
    void load();
    const stop = watchReportInput(load);
    return () => {
      alive = false;
      stop();
    };
  }, []);
  if (error) throw error;
  return input;
}

/** The server's figures for this filter while `filter` is given (the device is still reading its own rows), else null. */
function useServerReport(filter: ReportFilter | null, transport: Transport): Report | null {
  const key = filter ? JSON.stringify(filter) : null;
  const [got, setGot] = useState<{ key: string; report: Report } | null>(null);
  useEffect(() => {
    if (!filter || !key || navigator.onLine === false) return;
    let alive = true;
    void fetchServerReport(transport, filter).then((report) => alive && report && setGot({ key, report }));
    return () => {
      alive = false;
    };
  }, [key]);
  return got && got.key === key ? got.report : null;
}

export function ReportScreen({ transport = sameOrigin }: { transport?: Transport }) {
  const t = useT(dict);
  const locale = useContext(LocaleContext);
  const input = useReportInput();
  const today = localDate();
  const year = Number(today.slice(0, 4));
  const [kind, setKind] = useState<PeriodKind>('thisYear');
  const [custom, setCustom] = useState<Period>(() => ({ from: `${year}-01-01`, to: today }));
  const [wijk, setWijk] = useState('');
  const [locationId, setLocationId] = useState('');
  const [groupId, setGroupId] = useState('');

  const period = presetPeriod(kind, custom, today);
  const problem = kind === 'custom' ? periodProblem(custom) : null;

  const liveLocations = useMemo(() => (input?.locations ?? []).filter((l) => !l._d && l.name), [input]);
  const wijken = useMemo(() => [...new Set(liveLocations.map((l) => l.wijk ?? '').filter(Boolean))].sort((a, b) => a.localeCompare(b, 'nl')), [liveLocations]);
  const locationChoices = liveLocations.filter((l) => !wijk || l.wijk === wijk).sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '', 'nl'));
  const locationOk = new Set(locationChoices.map((l) => l.id));
  const groupChoices = (input?.groups ?? [])
    .filter((g) => !g._d && g.name && (locationId ? g.locationId === locationId : !wijk || locationOk.has(g.locationId ?? '')))
    .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '', 'nl'));

  const filter: ReportFilter = { ...period, wijk: wijk || null, locationId: locationId || null, groupId: groupId || null };
  // reportFor keeps the last report by input and filter, across renders and re-openings alike.
  const local = input && !problem ? reportFor(input, filter, today) : null;
  // The first opening after the app starts reads every row of the device (seconds over years of data): meanwhile
  // a coördinator online gets the same figures from the server.
  const fromServer = useServerReport(input || problem ? null : filter, transport);
  const report = local ?? fromServer;

  if (!report && !input) return <p class="muted">{t('loading')}</p>;

  // "1.234,5": the formatters are built once per locale (i18n.ts), not for each of the hundreds of numbers on screen.
  const one = numberFormat(locale, { maximumFractionDigits: 1 });
  const two = numberFormat(locale, { maximumFractionDigits: 2 });
  const num = (n: number, digits = 1) => (digits === 2 ? two : one).format(n);
  const label = countLabel(locale);
  const names = {
    location: liveLocations.find((l) => l.id === locationId)?.name,
    group: groupChoices.find((g) => g.id === groupId)?.name,
  };
  const save = <R,>(what: string, rows: readonly R[], columns: Column<R>[]) => downloadText(fileName(what, period), toCsv(rows, columns));

  /** The stored rows behind this report: the rounds it lists and their attendance, without sync bookkeeping. */
  const downloadRaw = (what: string, table: 'rounds' | 'attendance') => {
    if (!report) return;
    const ids = new Set(report.rounds.map((r) => r.id));
    void guarded(async () => downloadText(fileName(what, period), tableToCsv(await fullRows(table, ids))));
  };
  const pickWijk = (v: string) => {
    setWijk(v);
    setLocationId('');
    setGroupId('');
  };
  const pickLocation = (v: string) => {
    setLocationId(v);
    setGroupId('');
  };

  return (
    <section class="report" aria-labelledby="report-title">
      <h1 id="report-title">{t('title')}</h1>
      <p class="muted no-print">{t('intro')}</p>
      <p class="print-only">
        {t('period')}: {period.from} {t('until')} {period.to}
        {wijk ? ` · ${t('wijk')}: ${wijk}` : ''}
        {names.location ? ` · ${t('location')}: ${names.location}` : ''}
        {names.group ? ` · ${t('group')}: ${names.group}` : ''}
      </p>

      <fieldset class="card report-filters no-print">
        <legend>{t('filters')}</legend>
        <label for="report-period">{t('periodKind')}</label>
        <select id="report-period" value={kind} onChange={(e) => setKind(e.currentTarget.value as PeriodKind)}>
          <option value="thisYear">{t('thisYear', { year })}</option>
          <option value="lastYear">{t('lastYear', { year: year - 1 })}</option>
          <option value="custom">{t('custom')}</option>
        </select>
        {kind === 'custom' && (
          <div class="report-dates">
            <div>
              <label for="report-from">{t('from')}</label>
              <input
                id="report-from"
                type="date"
                value={custom.from}
                aria-invalid={problem === 'fromInvalid' || problem === 'order' || problem === 'range'}
                aria-describedby={problem ? 'report-period-error' : undefined}
                onInput={(e) => setCustom({ ...custom, from: e.currentTarget.value })}
              />
            </div>
            <div>
              <label for="report-to">{t('to')}</label>
              <input
                id="report-to"
                type="date"
                value={custom.to}
                aria-invalid={problem === 'toInvalid' || problem === 'order' || problem === 'range'}
                aria-describedby={problem ? 'report-period-error' : undefined}
                onInput={(e) => setCustom({ ...custom, to: e.currentTarget.value })}
              />
            </div>
            {problem && (
              <p id="report-period-error" class="field-error" role="alert">
                {t(problem, { first: FIRST_YEAR, last: LAST_YEAR })}
              </p>
            )}
          </div>
        )}
        <label for="report-wijk">{t('wijk')}</label>
        <select id="report-wijk" value={wijk} onChange={(e) => pickWijk(e.currentTarget.value)}>
          <option value="">{t('allWijken')}</option>
          {wijken.map((w) => (
            <option key={w} value={w}>
              {w}
            </option>
          ))}
        </select>
        <label for="report-location">{t('location')}</label>
        <select id="report-location" value={locationId} onChange={(e) => pickLocation(e.currentTarget.value)}>
          <option value="">{t('allLocations')}</option>
          {locationChoices.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
        <label for="report-group">{t('group')}</label>
        <select id="report-group" value={groupId} onChange={(e) => setGroupId(e.currentTarget.value)}>
          <option value="">{t('allGroups')}</option>
          {groupChoices.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </select>
      </fieldset>

      {!local && fromServer && (
        <p class="muted" role="status">
          {t('fromServer')}
        </p>
      )}
      {report && (
        <>
          <div class="row report-actions no-print">
            <button
              type="button"
              class="primary"
              onClick={() => downloadText(fileName('rapport', period), reportToCsv(report, { ...names, label: countLabel('nl') }))}
              aria-label={t('downloadReport')}
            >
              {t('download')}
            </button>
            <button type="button" onClick={() => window.print()}>
              {t('print')}
            </button>
          </div>

          <h2>{t('figures')}</h2>
          <dl class="figures">
            <Figure label={t('roundsHeld')} value={num(report.roundsHeld)} />
            <Figure label={t('uniqueParticipants')} value={num(report.uniqueParticipants)} />
            <Figure label={t('hoursOfAttention')} value={num(report.hoursOfAttention)} />
            <Figure label={t('totalAttendance')} value={num(report.totalAttendance)} />
            <Figure label={t('averageAttendance')} value={num(report.averageAttendance)} />
            <Figure label={t('newcomers')} value={num(report.newcomers)} hint={t('perRound', { n: num(report.newcomersPerRound, 2) })} />
            <Figure label={t('roundsCancelled')} value={num(report.roundsCancelled)} />
            <Figure
              label={t('atmosphere')}
              value={report.evaluations.atmosphere === null ? '–' : num(report.evaluations.atmosphere)}
              hint={report.evaluations.count ? t('evaluationCount', { n: num(report.evaluations.count) }) : t('noEvaluations')}
            />
            <Figure
              label={t('safety')}
              value={report.evaluations.safety === null ? '–' : num(report.evaluations.safety)}
              hint={report.evaluations.count ? t('evaluationCount', { n: num(report.evaluations.count) }) : t('noEvaluations')}
            />
          </dl>

          <Section title={t('perMonth')} onDownload={() => save('per-maand', report.months, MONTH_COLUMNS)} t={t}>
            <MonthChart
              months={report.months}
              locale={locale}
              text={{
                label: t('chartLabel', { from: period.from, to: period.to, rounds: num(report.roundsHeld), attendance: num(report.totalAttendance) }),
                caption: t('chartCaption'),
                month: t('month'),
                rounds: t('held'),
                attendance: t('attendance'),
              }}
            />
          </Section>

          <Breakdown
            title={t('perWijk')}
            first={t('wijk')}
            rows={report.byWijk}
            num={num}
            t={t}
            class={printable(report.byWijk)}
            onDownload={() => save('per-wijk', report.byWijk, breakdownColumns(REPORT_NL.wijk))}
          />
          <Breakdown
            title={t('perLocation')}
            first={t('location')}
            rows={report.byLocation}
            num={num}
            t={t}
            class="print-hide"
            onDownload={() => save('per-locatie', report.byLocation, breakdownColumns(REPORT_NL.location))}
          />
          <Breakdown
            title={t('perGroup')}
            first={t('group')}
            rows={report.byGroup}
            num={num}
            t={t}
            class={printable(report.byGroup)}
            onDownload={() => save('per-groep', report.byGroup, breakdownColumns(REPORT_NL.group))}
          />

          <div class="count-grid">
            <Counts title={t('themesChosen')} kind="theme" rows={report.themesChosen} label={label} num={num} t={t} limit={8} onDownload={() => save('gekozen-themas', report.themesChosen, countColumns(REPORT_NL.themesChosen, 'theme', countLabel('nl')))} />
            <Counts title={t('status')} kind="status" rows={report.byStatus} label={label} num={num} t={t} onDownload={() => save('deelnemers-per-status', report.byStatus, countColumns(REPORT_NL.status, 'status', countLabel('nl')))} />
            <Counts title={t('foundVia')} kind="foundVia" rows={report.byFoundVia.filter((c) => c.count > 0)} label={label} num={num} t={t} onDownload={() => save('hoe-gevonden', report.byFoundVia, countColumns(REPORT_NL.foundVia, 'foundVia', countLabel('nl')))} />
            <Counts title={t('themesRaised')} kind="theme" rows={report.themesRaised} label={label} num={num} t={t} class="print-hide" onDownload={() => save('genoemde-themas', report.themesRaised, countColumns(REPORT_NL.themesRaised, 'theme', countLabel('nl')))} />
            <Counts title={t('strategies')} kind="strategy" rows={report.strategies} label={label} num={num} t={t} class="print-hide" onDownload={() => save('strategieen', report.strategies, countColumns(REPORT_NL.strategies, 'strategy', countLabel('nl')))} />
          </div>

          <Section title={t('stories')} class="print-hide" onDownload={() => save('verhalen', report.stories, STORY_COLUMNS)} t={t} empty={!report.stories.length}>
            {report.stories.map((s) => (
              <blockquote key={s.id} class="card story">
                <p>{s.quote}</p>
                <footer class="muted">
                  {s.pseudonym}
                  {s.age !== null ? `, ${s.age}` : ''} · {s.group} · {s.date}
                  {s.themes.length ? ` · ${s.themes.join(', ')}` : ''}
                </footer>
              </blockquote>
            ))}
          </Section>
          <details class="card no-print">
            <summary>{t('raw')}</summary>
            <p class="muted">{t('rawIntro')}</p>
            <div class="stack">
              <button type="button" onClick={() => save('rondes', report.rounds, ROUND_COLUMNS)} aria-label={t('downloadOf', { what: t('perRoundCsv') })}>
                {t('perRoundCsv')}
              </button>
              <button type="button" onClick={() => downloadRaw('tabel-rondes', 'rounds')} aria-label={t('downloadOf', { what: t('rawRounds') })}>
                {t('rawRounds')}
              </button>
              <button type="button" onClick={() => downloadRaw('tabel-aanwezigheid', 'attendance')} aria-label={t('downloadOf', { what: t('rawAttendance') })}>
                {t('rawAttendance')}
              </button>
            </div>
          </details>
          <p class="print-only muted">{t('printed', { date: today })}</p>
        </>
      )}
    </section>
  );
}

/** A long breakdown would push the overview onto a second page; the CSV carries it in full. */
const PRINT_ROWS = 10;
const printable = (rows: readonly unknown[]) => (rows.length > PRINT_ROWS ? 'print-hide' : undefined);

function Figure({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div class="figure">
      <dt>{label}</dt>
      <dd>
        <span class="figure-value">{value}</span>
        {hint && <span class="figure-hint muted">{hint}</span>}
      </dd>
    </div>
  );
}

function Section(props: { title: string; t: T<Key>; onDownload: () => void; class?: string; empty?: boolean; children: ComponentChildren }) {
  const { title, t } = props;
  return (
    <section class={`report-section ${props.class ?? ''}`}>
      <div class="section-head">
        <h2>{title}</h2>
        {!props.empty && (
          <button type="button" class="no-print" onClick={props.onDownload} aria-label={t('downloadOf', { what: title })}>
            CSV
          </button>
        )}
      </div>
      {props.empty ? <p class="muted">{t('none')}</p> : props.children}
    </section>
  );
}

function Breakdown(props: { title: string; first: string; rows: BreakdownRow[]; num: (n: number, d?: number) => string; t: T<Key>; onDownload: () => void; class?: string }) {
  const { t, num } = props;
  return (
    <Section title={props.title} t={t} onDownload={props.onDownload} class={props.class} empty={!props.rows.length}>
      <div class="table-scroll" role="region" tabIndex={0} aria-label={t('scrollTable', { what: props.title })}>
        <table class="report-table">
          <thead>
            <tr>
              <th scope="col">{props.first}</th>
              <th scope="col">{t('held')}</th>
              <th scope="col">{t('cancelled')}</th>
              <th scope="col">{t('participants')}</th>
              <th scope="col">{t('attendance')}</th>
              <th scope="col">{t('average')}</th>
              <th scope="col">{t('newcomers')}</th>
              <th scope="col">{t('hours')}</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.label || t('unknown')}</th>
                <td>{num(r.held)}</td>
                <td>{num(r.cancelled)}</td>
                <td>{num(r.participants)}</td>
                <td>{num(r.attendance)}</td>
                <td>{num(r.averageAttendance)}</td>
                <td>{num(r.newcomers)}</td>
                <td>{num(r.hours)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}

function Counts(props: {
  title: string;
  kind: CountKind;
  rows: Count[];
  label: CountLabel;
  num: (n: number) => string;
  t: T<Key>;
  onDownload: () => void;
  limit?: number;
  class?: string;
}) {
  const { t, num } = props;
  const max = Math.max(1, ...props.rows.map((r) => r.count));
  return (
    <Section title={props.title} t={t} onDownload={props.onDownload} class={`counts ${props.class ?? ''}`} empty={!props.rows.some((r) => r.count > 0)}>
      <table class="report-table count-table">
        <thead class="sr-only">
          <tr>
            <th scope="col">{props.title}</th>
            <th scope="col">{t('count')}</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r, i) => (
            <tr key={r.key} class={props.limit && i >= props.limit ? 'print-hide' : undefined}>
              <th scope="row">
                {props.label(props.kind, r)}
                <span class="count-bar" style={{ width: `${(r.count / max) * 100}%` }} aria-hidden="true" />
              </th>
              <td>{num(r.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}
