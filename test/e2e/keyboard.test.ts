// Keyboard only, in real Chromium: a whole round and the coördinator's report without a mouse, and at every focus stop the
// focused element is in view, not covered by a sticky bar (WCAG 2.2's 2.4.11 "focus not obscured").
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, screenshot, seedGroup, startApp, type AppServer } from '../../test-setup/browser';
import { NAV_GAP_MS } from '../../test-setup/round-scenario';

const test = suite('keyboard only');
let app: AppServer;
let browser: Browser;

test.before(async () => {
  app = await startApp();
  browser = await launchBrowser();
});

test.after(async () => {
  await browser?.close();
  await app?.stop();
});

const NAMES = ['Amina', 'Bas', 'Chantal', 'Dirk', 'Esra', 'Fatima', 'Gerrit', 'Hanna', 'Ilse', 'Jan', 'Kees', 'Lotte'];

/** The focused element as a keyboard user meets it: its name, and what (if anything) hides it. */
type Stop = { tag: string; name: string; radioGroup: string | null; inMain: boolean; heading: boolean; hiddenBy: string | null };

/** Runs in the page: describes document.activeElement and whether a sticky or fixed layer (the top bar, the way on at
 * the bottom, the present count…) overlaps its box, or it lies outside the viewport. */
function describeFocus(): Stop {
  const el = document.activeElement as HTMLElement | null;
  if (!el || el === document.body) return { tag: 'body', name: '', radioGroup: null, inMain: false, heading: false, hiddenBy: 'focus lost on <body>' };
  const labels = (el as HTMLInputElement).labels;
  const name = (el.getAttribute('aria-label') || (labels && labels[0]?.innerText) || el.innerText || (el as HTMLInputElement).value || '').replace(/\s+/g, ' ').trim();
  const r = el.getBoundingClientRect();
  let hiddenBy: string | null = null;
  if (r.bottom <= 0 || r.top >= innerHeight) hiddenBy = `outside the viewport (top ${Math.round(r.top)})`;
  for (const layer of document.querySelectorAll<HTMLElement>('body *')) {
    if (hiddenBy) break;
    const pos = getComputedStyle(layer).position;
    if (pos !== 'sticky' && pos !== 'fixed') continue;
    if (layer.contains(el) || el.contains(layer)) continue;
    const q = layer.getBoundingClientRect();
    if (q.width === 0 || q.height === 0) continue;
    // Overlap of more than a pixel: the outline (3 px outside the box) may touch a bar, the control itself may not.
    const top = Math.max(r.top, q.top);
    const bottom = Math.min(r.bottom, q.bottom);
    const left = Math.max(r.left, q.left);
    const right = Math.min(r.right, q.right);
    if (bottom - top <= 1 || right - left <= 1) continue;
    // An overlapping layer may lie below the element (a dialog over the way on, the skip link over the top bar).
    const stack = document.elementsFromPoint((left + right) / 2, (top + bottom) / 2);
    const mine = stack.findIndex((x) => el.contains(x));
    const theirs = stack.findIndex((x) => layer.contains(x));
    if (mine !== -1 && (theirs === -1 || mine < theirs)) continue;
    hiddenBy = `under .${[...layer.classList].join('.') || layer.tagName.toLowerCase()} (${Math.round(r.top)}–${Math.round(r.bottom)} vs ${Math.round(q.top)}–${Math.round(q.bottom)})`;
  }
  const radioGroup = el instanceof HTMLInputElement && el.type === 'radio' ? el.name : null;
  return { tag: el.tagName.toLowerCase(), name, radioGroup, inMain: !!el.closest('main'), heading: /^H[1-6]$/.test(el.tagName), hiddenBy };
}

class Keyboard {
  stops = 0;
  problems: string[] = [];
  /** Where the run is, for the messages. */
  at = '';
  private lastNav = 0;
  constructor(
    readonly page: Page,
    readonly label: string,
  ) {}

  /** `wrapping`: Tab past the page's last control leaves the document (in a real browser, for its address bar). */
  async focused(wrapping = false): Promise<Stop> {
    const s = await this.page.evaluate(describeFocus);
    this.stops++;
    if (s.hiddenBy && !(wrapping && s.tag === 'body')) this.problems.push(`${this.label} ${this.at}: ${s.tag} "${s.name.slice(0, 50)}" ${s.hiddenBy}`);
    return s;
  }

  /** Presses Tab (or Shift+Tab) until the focused element's name matches, checking every stop on the way. */
  async to(name: RegExp, opts: { back?: boolean; max?: number } = {}): Promise<Stop> {
    this.at = `${this.at.split(' → ')[0]} → ${name.source}`;
    for (let i = 0; i < (opts.max ?? 60); i++) {
      await this.page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
      const s = await this.focused(true);
      if (name.test(s.name)) return s;
    }
    throw new Error(`${this.label}: no focus stop named ${name} within ${opts.max ?? 60} presses of ${opts.back ? 'Shift+Tab' : 'Tab'}`);
  }

  /** Tab reaches a radio group once (at its checked option, or the first): the arrow keys then move to the option. */
  async choose(radio: Locator): Promise<void> {
    const group = await radio.getAttribute('name');
    const want = await radio.evaluate((r) => ((r as HTMLInputElement).labels?.[0]?.innerText ?? '').replace(/\s+/g, ' ').trim());
    let s: Stop | null = null;
    for (let i = 0; i < 60 && s?.radioGroup !== group; i++) {
      await this.page.keyboard.press('Tab');
      s = await this.focused();
    }
    if (s?.radioGroup !== group) throw new Error(`${this.label}: Tab never reached the radio group of "${want}"`);
    for (let i = 0; i < 30 && s.name !== want; i++) {
      await this.page.keyboard.press('ArrowRight');
      s = await this.focused();
    }
    await this.page.keyboard.press('Space');
    await radio.and(this.page.locator(':checked')).waitFor();
  }

  async press(key: string, opts: { nav?: boolean } = {}): Promise<void> {
    // RoundFlow takes a second step change within 300 ms for a double tap; a person pauses longer.
    if (opts.nav) await this.page.waitForTimeout(Math.max(0, this.lastNav + NAV_GAP_MS - Date.now()));
    await this.page.keyboard.press(key);
    if (opts.nav) this.lastNav = Date.now();
  }

  /** After a screen change: focus is on the new screen's heading, in view. Recorded, not thrown, so one run lists
   * every problem. */
  async onHeading(text: string | RegExp): Promise<void> {
    this.at = `[${text}]`;
    const heading = this.page.getByRole('heading', { name: text, level: 1 });
    await heading.waitFor();
    await this.page.waitForFunction(() => document.activeElement?.tagName === 'H1', undefined, { timeout: 2000 }).catch(() => {});
    const s = await this.focused();
    if (!(s.heading && s.inMain)) this.problems.push(`${this.label}: on "${text}" focus is on ${s.tag} "${s.name.slice(0, 50)}", not the screen's heading`);
  }
}

async function keyboardRound(width: number, height: number): Promise<Keyboard> {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam', serviceWorkers: 'block' });
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  const page = await context.newPage();
  const kb = new Keyboard(page, `${width} px`);
  try {
    await page.goto(app.url + '/');
    await seedGroup(page, { names: NAMES, pastRounds: { years: 1, everyDays: 14, present: 6 } });
    await page.reload();
    await page.getByRole('heading', { name: 'Groepen' }).waitFor();

    // The first Tab offers the way past the top bar.
    const skip = await kb.to(/./, { max: 1 });
    if (skip.name === 'Naar de inhoud') {
      await kb.press('Enter');
      await kb.onHeading('Groepen');
    } else kb.problems.push(`${kb.label}: the first focus stop is "${skip.name}", not the skip link "Naar de inhoud"`);

    await kb.to(/^Luistergroep De Linde$/);
    await kb.press('Enter');
    await kb.onHeading('Luistergroep De Linde');
    await kb.to(/^Start de ronde van vandaag$/);
    await kb.press('Enter');
    await kb.onHeading('Aanwezigheid');

    // Every row in list order, one Space each, down to "Nieuwe deelnemer" below the list.
    let row = await kb.to(new RegExp(`^(${NAMES.join('|')})\\b`));
    while (!/Nieuwe deelnemer$/.test(row.name)) {
      await kb.press('Space');
      await page.getByRole('button', { name: new RegExp(`^${row.name}\\b`), pressed: true }).waitFor();
      await kb.press('Tab');
      row = await kb.focused();
    }
    await kb.press('Enter');
    await page.getByLabel('Voornaam of alias').waitFor();
    assert.ok((await kb.focused()).name.startsWith('Voornaam of alias'), 'the newcomer form takes focus');
    await page.keyboard.type('Mirjam');
    await kb.choose(page.getByRole('radio', { name: 'flyer of poster' }));
    await kb.to(/^Toevoegen en aanwezig$/);
    await kb.press('Enter');
    await page.getByRole('button', { name: /^Mirjam\b/, pressed: true }).waitFor();
    await page.getByText(`${NAMES.length + 1} aanwezig`).waitFor();
    await kb.to(/^Start de opening$/);
    await kb.press('Enter', { nav: true });

    await kb.onHeading('Opening');
    await kb.to(/^Spelregels$/);
    await kb.press('Enter');
    await page.getByRole('dialog').waitFor();
    assert.is((await kb.focused()).name, 'Sluiten', 'the rules card takes focus');
    await kb.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    assert.is((await kb.focused()).name, 'Spelregels', 'closing the rules card gives focus back');
    await kb.choose(page.getByRole('radio', { name: 'Blij nieuws' }));
    await kb.to(/^Volgende stap$/);
    await kb.press('Enter', { nav: true });

    await kb.onHeading('Verhaalkeuze');
    await kb.to(/^eenzaamheid: één keer meer genoemd/);
    await kb.press('Enter');
    await page.getByRole('radio', { name: 'eenzaamheid' }).waitFor();
    await kb.choose(page.getByRole('radio', { name: 'eenzaamheid' }));
    await kb.to(/^Volgende stap$/);
    await kb.press('Enter', { nav: true });

    await kb.onHeading('Verdieping');
    await kb.to(/^Notitie\b/);
    await page.keyboard.type('Rustige kring.');
    await kb.to(/^Notitie bewaren$/);
    await kb.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Notitie bewaard' }).waitFor();
    await kb.to(/^Volgende stap$/);
    await kb.press('Enter', { nav: true });

    await kb.onHeading('Verbreding');
    await kb.to(/^De mote/);
    await page.keyboard.type('Wie kent dat gevoel?');
    await kb.to(/^erover praten$/);
    await kb.press('Space');
    await page.getByRole('checkbox', { name: 'erover praten', checked: true }).waitFor();
    await kb.to(/^Volgende stap$/);
    await kb.press('Enter', { nav: true });

    await kb.onHeading('Afsluiting');
    await kb.to(/^Wat nemen mensen mee naar huis/);
    await page.keyboard.type('Je staat er niet alleen voor.');
    await kb.to(/^Naar de evaluatie$/);
    await kb.press('Enter', { nav: true });

    await kb.onHeading('Evaluatie');
    await kb.to(/^Ronde afsluiten$/);
    await kb.press('Enter');
    await kb.onHeading(/Samenvatting/);

    // To the coördinator's report: back up to the app's name in the top bar, home, "Jaarcijfers".
    await kb.to(/^Luisterkring — naar het begin$/, { back: true, max: 80 });
    await kb.press('Enter');
    await kb.onHeading('Groepen');
    await kb.to(/^Jaarcijfers$/);
    await kb.press('Enter');
    await kb.onHeading('Jaarverslag');
    await kb.to(/^Afdrukken$/, { max: 80 });
    assert.ok(kb.stops > 60, `${kb.label}: ${kb.stops} focus stops checked`);
  } catch (e) {
    await screenshot(page, `keyboard-${width}`);
    throw e;
  } finally {
    await context.close();
  }
  return kb;
}

test('a whole round and the report by keyboard alone: every focus stop in view, none under a sticky bar, at 360 × 740 and 1280 × 800', async () => {
  const problems: string[] = [];
  const stops: string[] = [];
  for (const [w, h] of [
    [360, 740],
    [1280, 800],
  ] as const) {
    const kb = await keyboardRound(w, h);
    problems.push(...kb.problems);
    stops.push(`${kb.label}: ${kb.stops} stops, ${kb.problems.length} problems`);
  }
  assert.equal(problems, [], stops.join('; '));
});

test.run();
