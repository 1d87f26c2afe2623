import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BOM, formatCell, reportToCsv, tableToCsv, toCsv } from '../../../src/shared/csv';
import { computeReport, type ReportInput } from '../../../src/shared/report';
import { DEFAULT_PLAN } from '../../../src/shared/method';

/** Reads CSV the way Excel does with `;` as separator: quoted fields may hold ; " and line breaks. */
function parse(csv: string): string[][] {
  assert.ok(csv.startsWith(BOM), 'starts with a BOM');
  const s = csv.slice(1);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      row.push(field);
      field = '';
    } else if (c === '\r') {
      assert.is(s[i + 1], '\n', 'a bare CR never ends a line');
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else if (c === '\n') assert.unreachable('lines end with CRLF');
    else field += c;
  }
  assert.is(field, '', 'the file ends with CRLF');
  return rows;
}

test('numbers get a decimal comma and at most two decimals; booleans and empties read as Dutch', () => {
  assert.is(formatCell(3250), '3250');
  assert.is(formatCell(2.5), '2,5');
  assert.is(formatCell(10 / 3), '3,33');
  assert.is(formatCell(-1.25), '-1,25', 'a negative number is a number, not a formula');
  assert.is(formatCell(null), '');
  assert.is(formatCell(Number.NaN), '');
  assert.is(formatCell(true), 'ja');
});

test('text that Excel would run as a formula gets an apostrophe', () => {
  assert.is(formatCell('=SOM(A1:A9)'), "'=SOM(A1:A9)");
  assert.is(formatCell('+31 6'), "'+31 6");
  assert.is(formatCell('-kort'), "'-kort");
  assert.is(formatCell('@admin'), "'@admin");
  assert.is(formatCell('Gewoon tekst = prima'), 'Gewoon tekst = prima');
});

test('accents, quotes, separators and line breaks survive a round trip', () => {
  const rows = [
    { name: 'Jörg', quote: 'Hij zei: "ik ben gehoord"; echt', n: 1.5 },
    { name: 'Renée', quote: 'Eerste regel\nTweede regel', n: 12 },
  ];
  const csv = toCsv(rows, [
    { label: 'Naam', value: (r) => r.name },
    { label: 'Verhaal', value: (r) => r.quote },
    { label: 'Aantal', value: (r) => r.n },
  ]);
  assert.ok(csv.includes('"Hij zei: ""ik ben gehoord""; echt"'), 'quotes are doubled inside a quoted field');
  assert.equal(parse(csv), [
    ['Naam', 'Verhaal', 'Aantal'],
    ['Jörg', 'Hij zei: "ik ben gehoord"; echt', '1,5'],
    ['Renée', 'Eerste regel\nTweede regel', '12'],
  ]);
});

test('a raw table exports every field but not the sync bookkeeping or deleted rows', () => {
  const csv = tableToCsv([
    { id: 'r1', groupId: 'g1', _h: { date: 'x' }, date: '2026-03-01', plan: { inloop: 15, opening: 20 }, strategies: ['praten', 'humor'] },
    { id: 'r2', groupId: 'g1', _h: {}, _d: 'x' },
    { id: 'r3', groupId: 'g1', _h: {}, mote: '=HYPERLINK("x")' },
  ]);
  assert.equal(parse(csv), [
    ['id', 'groupId', 'date', 'plan', 'strategies', 'mote'],
    ['r1', 'g1', '2026-03-01', 'inloop: 15, opening: 20', 'praten, humor', ''],
    ['r3', 'g1', '', '', '', `'=HYPERLINK("x")`],
  ]);
});

test('the report file has the figures as Kengetal;Waarde and sections per month and per group', () => {
  const input: ReportInput = {
    locations: [{ id: 'l1', groupId: null, _h: {}, name: 'Buurthuis Ons Belang', wijk: 'Oost' }],
    groups: [{ id: 'g1', groupId: 'g1', _h: {}, name: 'Luistergroep Zoë', locationId: 'l1' }],
    participants: [1, 2, 3].map((i) => ({ id: `p${i}`, groupId: 'g1', _h: {}, status: 'actief' as const, foundVia: 'flyer' as const })),
    rounds: [
      { id: 'r1', groupId: 'g1', _h: {}, date: '2026-01-08', status: 'afgerond', plan: DEFAULT_PLAN, startedAt: null, endedAt: null },
      { id: 'r2', groupId: 'g1', _h: {}, date: '2026-02-05', status: 'afgerond', plan: DEFAULT_PLAN, startedAt: null, endedAt: null },
    ],
    attendance: [
      { id: 'a1', groupId: 'g1', _h: {}, roundId: 'r1', participantId: 'p1', present: true },
      { id: 'a2', groupId: 'g1', _h: {}, roundId: 'r1', participantId: 'p2', present: true },
      { id: 'a3', groupId: 'g1', _h: {}, roundId: 'r2', participantId: 'p3', present: true },
    ],
    evaluations: [],
    stories: [{ id: 's1', groupId: 'g1', _h: {}, pseudonym: 'Anaïs', age: 34, quote: 'Ik "zag" mezelf;\nterug', themes: [], consent: true, date: '2026-02-05' }],
    categories: [],
  };
  const report = computeReport(input, { from: '2026-01-01', to: '2026-03-31' }, { today: '2026-06-01' });
  const rows = parse(reportToCsv(report));
  assert.equal(rows[0], ['Kengetal', 'Waarde']);
  const figure = (name: string) => rows.find((r) => r[0] === name)?.[1];
  assert.is(figure('Periode'), '2026-01-01 t/m 2026-03-31');
  assert.is(figure('Rondes gehouden'), '2');
  assert.is(figure('Unieke deelnemers'), '3');
  assert.is(figure('Gemiddeld aanwezig per ronde'), '1,5');
  assert.is(figure('Uren aandacht'), '7,5');
  assert.is(figure('Sfeer (gemiddeld, 1–5)'), '');
  const months = rows.findIndex((r) => r[0] === 'Maand');
  assert.equal(rows[months - 1], [''], 'sections are separated by an empty line');
  assert.equal(rows.slice(months, months + 4), [
    ['Maand', 'Gehouden', 'Geannuleerd', 'Aanwezigen', 'Nieuwkomers', 'Uren aandacht'],
    ['2026-01', '1', '0', '2', '2', '5'],
    ['2026-02', '1', '0', '1', '1', '2,5'],
    ['2026-03', '0', '0', '0', '0', '0'],
  ]);
  const groups = rows.findIndex((r) => r[0] === 'Groep');
  assert.equal(rows[groups + 1], ['Luistergroep Zoë', '2', '0', '3', '3', '1,5', '3', '7,5']);
  assert.equal(rows.find((r) => r[0] === 'Flyer of poster'), ['Flyer of poster', '3']);
  assert.equal(rows.find((r) => r[1] === 'Anaïs'), ['2026-02-05', 'Anaïs', '34', 'Luistergroep Zoë', '', 'Ik "zag" mezelf;\nterug']);
});

test.run();
