// Rounds and attendance per month as two bar panels in plain SVG, with the same numbers as a table for screen readers.
import type { MonthRow } from '../../shared/report';
import { dateFormat, numberFormat, type Locale } from '../i18n';

export interface MonthChartText {
  label: string;
  caption: string;
  month: string;
  rounds: string;
  attendance: string;
}

/** Narrow enough that its text stays readable when scaled to a 360 px phone. */
const W = 420;
const LEFT = 40;
const PANEL = { attendance: { top: 28, height: 120 }, rounds: { top: 190, height: 70 } };
const AXIS_Y = 262;
const H = 296;

function monthName(month: string, locale: Locale, withYear: boolean): string {
  const d = new Date(`${month}-15T12:00:00Z`);
  return dateFormat(locale, { month: 'short', ...(withYear ? { year: '2-digit' } : {}), timeZone: 'UTC' })
    .format(d)
    .replace('.', '');
}

/** Which months get a label: all of a year, each quarter of up to three years, else each January. */
function labelled(months: readonly MonthRow[], i: number): boolean {
  const n = months.length;
  const mm = months[i].month.slice(5, 7);
  if (n <= 12) return true;
  if (n <= 36) return mm === '01' || mm === '04' || mm === '07' || mm === '10';
  return mm === '01';
}

export function MonthChart({ months, locale, text }: { months: readonly MonthRow[]; locale: Locale; text: MonthChartText }) {
  const nf = numberFormat(locale);
  const n = Math.max(months.length, 1);
  const slot = (W - LEFT - 4) / n;
  const bar = Math.max(1, slot * 0.7);
  const maxAttendance = Math.max(1, ...months.map((m) => m.attendance));
  const maxRounds = Math.max(1, ...months.map((m) => m.held));
  const long = months.length > 12;
  const panel = (key: 'attendance' | 'rounds', max: number, value: (m: MonthRow) => number, cls: string, title: string) => {
    const { top, height } = PANEL[key];
    return (
      <g>
        <text x={LEFT} y={top - 8} class="chart-title">
          {title}
        </text>
        <text x={LEFT - 6} y={top + 6} class="chart-tick" text-anchor="end">
          {nf.format(max)}
        </text>
        <text x={LEFT - 6} y={top + height} class="chart-tick" text-anchor="end">
          0
        </text>
        <line x1={LEFT} x2={W - 4} y1={top + height} y2={top + height} class="chart-axis" />
        {months.map((m, i) => {
          const h = (value(m) / max) * height;
          return (
            <rect key={m.month} class={cls} x={LEFT + i * slot + (slot - bar) / 2} y={top + height - h} width={bar} height={h}>
              <title>{`${monthName(m.month, locale, true)}: ${nf.format(value(m))} ${title.toLowerCase()}`}</title>
            </rect>
          );
        })}
      </g>
    );
  };
  return (
    <figure class="month-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={text.label} preserveAspectRatio="xMidYMid meet">
        {panel('attendance', maxAttendance, (m) => m.attendance, 'bar-attendance', text.attendance)}
        {panel('rounds', maxRounds, (m) => m.held, 'bar-rounds', text.rounds)}
        {months.map((m, i) =>
          labelled(months, i) ? (
            <text key={m.month} x={LEFT + i * slot + slot / 2} y={AXIS_Y + 22} class="chart-tick" text-anchor={long ? 'start' : 'middle'}>
              {long && m.month.endsWith('-01') && months.length > 36 ? m.month.slice(0, 4) : monthName(m.month, locale, long)}
            </text>
          ) : null,
        )}
      </svg>
      <table class="sr-only">
        <caption>{text.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{text.month}</th>
            <th scope="col">{text.rounds}</th>
            <th scope="col">{text.attendance}</th>
          </tr>
        </thead>
        <tbody>
          {months.map((m) => (
            <tr key={m.month}>
              <th scope="row">{monthName(m.month, locale, true)}</th>
              <td>{nf.format(m.held)}</td>
              <td>{nf.format(m.attendance)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
