import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { LkDb, useDb } from '../../../src/data/db';
import { writeAll, type WriteOp } from '../../../src/data/write';
import { DEFAULT_PLAN } from '../../../src/shared/method';
import { localDate } from '../../../src/shared/ids';
import { ReportScreen } from '../../../src/app/reports/ReportScreen';
import { LocaleContext } from '../../../src/app/i18n';

const year = Number(localDate().slice(0, 4));
let n = 0;

/** Two groups in two wijken. This year: Noord holds 2 rounds (3 and 2 present, one person twice), Zuid 1 round
 * of 4 present plus a cancelled one; last year Noord held 1 round of 5 present. */
async function seed(): Promise<void> {
  const ops: WriteOp[] = [
    { table: 'locations', id: 'l1', groupId: null, values: { name: 'Buurthuis De Boom', wijk: 'Noord' } },
    { table: 'locations', id: 'l2', groupId: null, values: { name: 'Het Anker', wijk: 'Zuid' } },
    { table: 'groups', id: 'g1', groupId: 'g1', values: { name: 'Luistergroep Boom', locationId: 'l1', rhythm: 'tweewekelijks', plan: DEFAULT_PLAN, begeleiders: [], active: true } },
    { table: 'groups', id: 'g2', groupId: 'g2', values: { name: 'Luistergroep Anker', locationId: 'l2', rhythm: 'maandelijks', plan: DEFAULT_PLAN, begeleiders: [], active: true } },
  ];
  const people: [string, string][] = [['a', 'g1'], ['b', 'g1'], ['c', 'g1'], ['d', 'g1'], ['e', 'g1'], ['p', 'g2'], ['q', 'g2'], ['r', 'g2'], ['s', 'g2']];
  for (const [id, g] of people)
    ops.push({ table: 'participants', id, groupId: g, values: { name: id.toUpperCase(), firstVisit: null, foundVia: 'flyer', status: 'actief', gender: null, ageBand: null, consentDate: null, personId: null } });
  const round = (id: string, g: string, date: string, status: 'afgerond' | 'geannuleerd', present: string[]) => {
    ops.push({
      table: 'rounds', id, groupId: g,
      values: { date, locationId: null, begeleiders: [], status, startedAt: null, endedAt: null, werkvorm: null, plan: DEFAULT_PLAN, themesRaised: {}, chosenTheme: 'eenzaamheid', mote: '', strategies: [], strategiesNote: '', closingWords: '' },
    });
    for (const p of present) ops.push({ table: 'attendance', id: `${id}|${p}`, groupId: g, values: { roundId: id, participantId: p, present: true } });
  };
  round('r1', 'g1', `${year}-01-10`, 'afgerond', ['a', 'b', 'c']);
  round('r2', 'g1', `${year}-01-24`, 'afgerond', ['a', 'b']);
  round('r3', 'g2', `${year}-01-15`, 'afgerond', ['p', 'q', 'r', 's']);
  round('r4', 'g2', `${year}-01-29`, 'geannuleerd', []);
  round('r0', 'g1', `${year - 1}-03-01`, 'afgerond', ['a', 'b', 'c', 'd', 'e']);
  await writeAll(ops);
}

test.before.each(async () => {
  useDb(new LkDb(`report-screen-${++n}-${Date.now()}`));
  await seed();
});
test.after.each(() => cleanup());

const figure = (name: string) => within(screen.getByText(name, { selector: 'dt' }).parentElement!).getByText(/./, { selector: '.figure-value' }).textContent;

test('this year shows rounds held, unique participants, attendance and hours of attention', async () => {
  render(<ReportScreen />);
  await screen.findByText('Kengetallen');
  assert.is(figure('Rondes gehouden'), '3');
  assert.is(figure('Unieke deelnemers'), '7');
  assert.is(figure('Aanwezigen totaal'), '9');
  assert.is(figure('Gemiddeld aanwezig per ronde'), '3');
  assert.is(figure('Uren aandacht'), '22,5', 'nine present × 2.5 h, with a decimal comma');
  assert.is(figure('Rondes geannuleerd'), '1');
  assert.is(figure('Nieuwkomers'), '4', 'a, b, c came last year already');
});

test('choosing last year and filtering by wijk or group changes the figures', async () => {
  render(<ReportScreen />);
  await screen.findByText('Kengetallen');
  fireEvent.change(screen.getByLabelText('Wijk'), { target: { value: 'Zuid' } });
  await waitFor(() => assert.is(figure('Rondes gehouden'), '1'));
  assert.is(figure('Aanwezigen totaal'), '4');
  // Only the groups of the chosen wijk are offered.
  const groupOptions = [...(screen.getByLabelText('Groep') as HTMLSelectElement).options].map((o) => o.textContent);
  assert.equal(groupOptions, ['Alle groepen', 'Luistergroep Anker']);

  fireEvent.change(screen.getByLabelText('Wijk'), { target: { value: '' } });
  fireEvent.change(screen.getByLabelText('Groep'), { target: { value: 'g1' } });
  await waitFor(() => assert.is(figure('Rondes gehouden'), '2'));
  assert.is(figure('Unieke deelnemers'), '3');

  fireEvent.change(screen.getByLabelText('Periode'), { target: { value: 'lastYear' } });
  await waitFor(() => assert.is(figure('Aanwezigen totaal'), '5'));
  assert.is(figure('Nieuwkomers'), '5');
  assert.is(figure('Uren aandacht'), '12,5');
});

test('a custom period with the end before the start says so in Dutch and keeps the typed dates', async () => {
  render(<ReportScreen />);
  await screen.findByText('Kengetallen');
  fireEvent.change(screen.getByLabelText('Periode'), { target: { value: 'custom' } });
  fireEvent.input(await screen.findByLabelText('Van'), { target: { value: `${year}-01-20` } });
  fireEvent.input(screen.getByLabelText('Tot en met'), { target: { value: `${year}-01-01` } });
  await screen.findByText('De einddatum ligt vóór de begindatum');
  assert.is((screen.getByLabelText('Van') as HTMLInputElement).value, `${year}-01-20`);
  assert.is(screen.queryByText('Kengetallen'), null, 'no figures for an impossible period');
  fireEvent.input(screen.getByLabelText('Tot en met'), { target: { value: `${year}-01-31` } });
  await waitFor(() => assert.is(figure('Rondes gehouden'), '1', 'only the round of the 24th'));
  assert.is(figure('Rondes geannuleerd'), '1');
});

test('the chart is an image with a spoken summary and a table of the same numbers', async () => {
  render(<ReportScreen />);
  await screen.findByText('Kengetallen');
  const chart = screen.getByRole('img');
  assert.match(chart.getAttribute('aria-label')!, /3 rondes en 9 aanwezigen/);
  const table = screen.getByText('Rondes en aanwezigen per maand').closest('table')!;
  const jan = within(table).getAllByRole('row')[1];
  assert.equal([...jan.children].map((c) => c.textContent), [`jan ${String(year).slice(2)}`, '3', '9']);
  assert.is(within(table).getAllByRole('row').length, 13, 'a header and twelve months');
});

test('"CSV downloaden" saves the report as luisterkring-rapport-<year>.csv in Dutch Excel form', async () => {
  const saved: { name: string; blob: Blob }[] = [];
  const blobs = new Map<string, Blob>();
  const create = URL.createObjectURL;
  const click = HTMLAnchorElement.prototype.click;
  URL.createObjectURL = (b: Blob) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, b);
    return url;
  };
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    saved.push({ name: this.download, blob: blobs.get(this.href)! });
  };
  try {
    render(<ReportScreen />);
    await screen.findByText('Kengetallen');
    fireEvent.click(screen.getByRole('button', { name: 'Rapport als CSV downloaden' }));
    fireEvent.click(screen.getByRole('button', { name: 'CSV downloaden: Per groep' }));
    assert.equal(saved.map((s) => s.name), [`luisterkring-rapport-${year}.csv`, `luisterkring-per-groep-${year}.csv`]);
    const bytes = new Uint8Array(await saved[0].blob.arrayBuffer());
    assert.equal([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with BOM');
    const text = new TextDecoder().decode(bytes);
    assert.ok(text.includes('Kengetal;Waarde\r\n'));
    assert.ok(text.includes('Uren aandacht;22,5\r\n'));
    assert.ok(text.includes('Eenzaamheid;3\r\n'), 'themes carry their Dutch names');
    const perGroup = new TextDecoder().decode(await saved[1].blob.arrayBuffer());
    assert.ok(perGroup.includes('Luistergroep Boom;2;0;3;5;2,5;0;12,5\r\n'));

    fireEvent.click(screen.getByRole('button', { name: 'CSV downloaden: Tabel aanwezigheid' }));
    // The raw table is read from the database on the click: the screen keeps report fields only.
    await waitFor(() => assert.is(saved.length, 3));
    assert.is(saved[2].name, `luisterkring-tabel-aanwezigheid-${year}.csv`);
    // TextDecoder drops the BOM, so the first line starts with the header itself.
    const raw = new TextDecoder().decode(await saved[2].blob.arrayBuffer()).split('\r\n');
    assert.is(raw[0], 'id;groupId;roundId;participantId;present', 'no sync bookkeeping in the raw table');
    assert.is(raw.length, 1 + 9 + 1, 'the nine attendances of this year, not last year’s');
  } finally {
    URL.createObjectURL = create;
    HTMLAnchorElement.prototype.click = click;
  }
});

test('opened again with nothing changed, the report draws its figures in its first render', async () => {
  render(<ReportScreen />);
  await screen.findByText('Kengetallen');
  cleanup();
  render(<ReportScreen />);
  // getBy, not findBy: no waiting for IndexedDB.
  assert.is(figure('Rondes gehouden'), '3');
});

test('a round saved while the report is open shows in its figures', async () => {
  render(<ReportScreen />);
  await screen.findByText('Kengetallen');
  assert.is(figure('Rondes gehouden'), '3');
  await writeAll([
    {
      table: 'rounds', id: 'r5', groupId: 'g2',
      values: { date: `${year}-02-12`, locationId: null, begeleiders: [], status: 'afgerond', startedAt: null, endedAt: null, werkvorm: null, plan: DEFAULT_PLAN, themesRaised: {}, chosenTheme: null, mote: '', strategies: [], strategiesNote: '', closingWords: '' },
    },
    { table: 'attendance', id: 'r5|p', groupId: 'g2', values: { roundId: 'r5', participantId: 'p', present: true } },
  ]);
  await waitFor(() => assert.is(figure('Rondes gehouden'), '4'));
  assert.is(figure('Aanwezigen totaal'), '10');
});

test('in English the figures read with a decimal point and English names', async () => {
  render(
    <LocaleContext.Provider value="en">
      <ReportScreen />
    </LocaleContext.Provider>,
  );
  await screen.findByText('Key figures');
  assert.is(figure('Hours of attention'), '22.5');
  assert.ok(screen.getByText('Loneliness'), 'default theme names are translated');
});

test.run();
