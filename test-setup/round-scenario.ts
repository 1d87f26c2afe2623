// The begeleider's whole round as UI steps, shared by the e2e test (which checks between them) and the bench
// (which counts the taps): one source, so the counted round is exactly the tested one.
import type { Locator, Page } from 'playwright-core';

export const EXISTING = ['Amina', 'Bas', 'Chantal', 'Dirk', 'Esra', 'Fatima', 'Gerrit', 'Hanna', 'Ilse', 'Jan'];
export const NEWCOMERS = [
  { name: 'Karim', via: 'via een andere deelnemer' },
  { name: 'Lotte', via: 'flyer of poster' },
];
export const STEP_TITLES = ['Opening', 'Verhaalkeuze', 'Verdieping', 'Verbreding', 'Afsluiting'];
export const NOTE = 'Rustige kring; de liedjes hielpen.';

export const NAV_GAP_MS = 350;

/** Counts what a begeleider's thumb does: a tap on a control, a tap into a field before typing. */
export class Taps {
  total = 0;
  typedChars = 0;
  byPhase: Record<string, number> = {};
  private phase = 'setup';
  private lastNav = 0;

  start(phase: string): void {
    this.phase = phase;
    this.byPhase[phase] ??= 0;
  }

  /** `nav`: a step change. RoundFlow ignores a second one within 300 ms as a double tap, which no thumb
   * is fast enough to do on purpose; the script waits like a person would. */
  async tap(target: Locator, opts: { nav?: boolean } = {}): Promise<void> {
    if (opts.nav) {
      const wait = this.lastNav + NAV_GAP_MS - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    await target.click();
    if (opts.nav) this.lastNav = Date.now();
    this.total++;
    this.byPhase[this.phase] = (this.byPhase[this.phase] ?? 0) + 1;
  }

  async type(field: Locator, text: string): Promise<void> {
    await this.tap(field);
    await field.fill(text);
    this.typedChars += text.length;
  }

  /** Typing into a field the app has already focused: the keyboard is up, no tap needed (it fails otherwise). */
  async typeFocused(field: Locator, text: string): Promise<void> {
    if (!(await field.evaluate((el) => el === document.activeElement))) throw new Error('het veld heeft geen focus: dat kost een tik');
    await field.fill(text);
    this.typedChars += text.length;
  }
}

const button = (page: Page, name: string | RegExp) => page.getByRole('button', { name, exact: typeof name === 'string' });

/** Setup before the round (not part of the round): a location and a group through the Home form. Returns the group id. */
export async function createLocationAndGroup(page: Page, taps: Taps): Promise<string> {
  taps.start('setup');
  const summary = page.getByText('Nieuwe groep', { exact: true });
  // The home screen loads lazily: decide whether to open the form only once it is there.
  await summary.waitFor();
  if (!(await page.getByLabel('Naam van de groep').isVisible())) await taps.tap(summary);
  await taps.type(page.getByLabel('Naam van de groep'), 'Luistergroep De Linde');
  await page.getByLabel('Locatie', { exact: true }).selectOption({ label: 'Nieuwe locatie…' });
  await taps.type(page.getByLabel('Naam van de locatie (buurthuis of buurtkamer)'), 'Buurthuis De Linde');
  await taps.type(page.getByLabel('Wijk', { exact: true }), 'Oost');
  await page.getByLabel('Hoe vaak komt de groep samen?').selectOption('tweewekelijks');
  await taps.tap(button(page, 'Groep aanmaken'));
  await page.waitForURL(/#\/groep\//);
  return decodeURIComponent(new URL(page.url()).hash.replace(/^#\/groep\//, ''));
}

/** From the group page: "Start de ronde van vandaag". Returns the round id. */
export async function startRound(page: Page, taps: Taps): Promise<string> {
  taps.start('start');
  await taps.tap(button(page, 'Start de ronde van vandaag'));
  await page.waitForURL(/#\/ronde\//);
  await page.getByRole('heading', { name: 'Aanwezigheid' }).waitFor();
  return decodeURIComponent(new URL(page.url()).hash.replace(/^#\/ronde\//, ''));
}

export function attendanceButton(page: Page, name: string): Locator {
  return page.getByRole('button', { name: new RegExp(`^${name}\\b`) });
}

/** Ten regulars one tap each, two newcomers through the "Nieuwe deelnemer" form. */
export async function takeAttendance(page: Page, taps: Taps): Promise<void> {
  taps.start('attendance');
  for (const name of EXISTING) {
    const b = attendanceButton(page, name);
    await taps.tap(b);
    await waitPressed(b);
  }
  for (const n of NEWCOMERS) {
    await taps.tap(button(page, 'Nieuwe deelnemer'));
    await taps.typeFocused(page.getByLabel('Voornaam of alias'), n.name);
    await taps.tap(page.getByRole('radio', { name: n.via }));
    await taps.tap(button(page, 'Toevoegen en aanwezig'));
    await waitPressed(attendanceButton(page, n.name));
  }
  await page.getByText(`${EXISTING.length + NEWCOMERS.length} aanwezig`).waitFor();
}

async function waitPressed(b: Locator): Promise<void> {
  await b.and(b.page().locator('[aria-pressed="true"]')).waitFor();
}

/** "Start de opening" from the attendance list. In the group's first round in the app the question whether
 * everyone marked new really is comes first: the newcomers of the scenario are, the regulars came before. */
export async function beginSteps(page: Page, taps: Taps): Promise<void> {
  taps.start('steps');
  await taps.tap(button(page, 'Start de opening'), { nav: true });
  const opening = page.getByRole('heading', { name: STEP_TITLES[0], exact: true });
  const question = page.getByRole('heading', { name: /echt voor het eerst\?$/ });
  await opening.or(question).waitFor();
  if (await question.isVisible()) await taps.tap(button(page, 'Ja, allemaal voor het eerst'), { nav: true });
  await stepShown(page, 0);
}

export async function stepShown(page: Page, index: number): Promise<void> {
  await page.getByRole('heading', { name: STEP_TITLES[index], exact: true }).waitFor();
}

/** What the begeleider fills in on each step before "Volgende stap" (or "Naar de evaluatie" on the last). */
export async function doStep(page: Page, taps: Taps, index: number): Promise<void> {
  taps.start('steps');
  switch (index) {
    case 0:
      await taps.tap(page.getByRole('radio', { name: 'Blij nieuws' }));
      break;
    case 1:
      await taps.tap(page.getByRole('button', { name: /^eenzaamheid: één keer meer genoemd/ }));
      await taps.tap(page.getByRole('button', { name: /^geld en armoede: één keer meer genoemd/ }));
      await taps.tap(page.getByRole('radio', { name: 'eenzaamheid' }));
      break;
    case 2:
      await taps.type(page.getByLabel('Notitie', { exact: true }), NOTE);
      await taps.tap(button(page, 'Notitie bewaren'));
      await page.getByRole('status').filter({ hasText: 'Notitie bewaard' }).waitFor();
      break;
    case 3:
      await taps.type(page.getByLabel('De mote: de vraag waarmee de verbreding begon'), 'Wie kent dat gevoel van alleen zijn?');
      await taps.tap(page.getByRole('checkbox', { name: 'erover praten' }));
      break;
    case 4:
      await taps.type(page.getByLabel('Wat nemen mensen mee naar huis? (zonder namen)'), 'Dat je er niet alleen voor staat.');
      break;
  }
  await taps.tap(button(page, index < STEP_TITLES.length - 1 ? 'Volgende stap' : 'Naar de evaluatie'), { nav: true });
  if (index < STEP_TITLES.length - 1) await stepShown(page, index + 1);
  else await page.getByRole('heading', { name: 'Evaluatie' }).waitFor();
}

/** The co-begeleider's view, opened from a step and closed again. Returns the step name the timer shows. */
export async function peekTimer(page: Page, taps: Taps): Promise<{ step: string; running: boolean; clock: string }> {
  taps.start('timer');
  await taps.tap(page.getByRole('link', { name: 'Timer', exact: true }));
  await page.waitForURL(/\/timer$/);
  const stepText = (await page.locator('.timer-step').innerText()).trim();
  const running = await button(page, 'Pauze').isVisible();
  const clock = (await page.locator('.timer-clock').innerText()).trim();
  await taps.tap(page.getByRole('link', { name: 'Naar de ronde' }));
  await page.waitForURL(/#\/ronde\/[^/]+$/);
  return { step: stepText, running, clock };
}

/** Evaluation scores and a line, then "Ronde afsluiten". */
export async function evaluateAndEnd(page: Page, taps: Taps): Promise<void> {
  taps.start('evaluation');
  await taps.tap(page.getByRole('group', { name: /^Sfeer/ }).getByRole('radio', { name: '4' }));
  await taps.tap(page.getByRole('group', { name: /^Veiligheid/ }).getByRole('radio', { name: '5' }));
  await taps.type(page.getByLabel('Wat ging goed?'), 'Iedereen kwam aan het woord.');
  await taps.tap(button(page, 'Ronde afsluiten'));
  await page.getByRole('heading', { name: 'Samenvatting' }).waitFor();
}

/** The required path of a round, nothing optional: attendance (10 regulars, 2 newcomers), the five steps, the
 * chosen theme, and the close that confirms the proposed duration. Counted by the bench. */
export async function requiredRound(page: Page, taps: Taps): Promise<string> {
  const roundId = await startRound(page, taps);
  await takeAttendance(page, taps);
  await beginSteps(page, taps);
  for (let i = 0; i < STEP_TITLES.length; i++) {
    taps.start('steps');
    if (i === 1) await taps.tap(page.getByRole('radio', { name: 'eenzaamheid' }));
    await taps.tap(button(page, i < STEP_TITLES.length - 1 ? 'Volgende stap' : 'Naar de evaluatie'), { nav: true });
    if (i < STEP_TITLES.length - 1) await stepShown(page, i + 1);
    else await page.getByRole('heading', { name: 'Evaluatie' }).waitFor();
  }
  taps.start('close');
  await page.getByText(/^Telt als .+\. Afsluiten bevestigt deze duur\.$/).waitFor();
  await taps.tap(button(page, 'Ronde afsluiten'));
  await page.getByRole('heading', { name: 'Samenvatting' }).waitFor();
  return roundId;
}

/** The counted round for the bench, from the group page to the summary, without the test's reloads. */
export async function wholeRound(page: Page, taps: Taps): Promise<string> {
  const roundId = await startRound(page, taps);
  await takeAttendance(page, taps);
  await beginSteps(page, taps);
  for (let i = 0; i < STEP_TITLES.length; i++) {
    if (i === 2) await peekTimer(page, taps);
    await doStep(page, taps, i);
  }
  await evaluateAndEnd(page, taps);
  return roundId;
}
