// One-off: draws the Luisterkring icon (a calm circle of dots around a shared centre) and renders the PNGs
// in headless Chromium. Run `node --import tsx test-setup/make-icons.ts`; the outputs in public/ are committed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launchBrowser } from './browser';

const BG = '#1d2b36';
const DOT = '#8fd3c1';
const CENTRE = '#ffd27a';

/** Ten listeners on a ring and a warm centre: the cloth in the middle of the circle.
 * `rounded` for the standalone SVG; square for PNGs that the platform masks itself. */
function iconSvg(rounded: boolean, scale = 1): string {
  const people = 10;
  const ring = 150 * scale;
  const dots = Array.from({ length: people }, (_, i) => {
    const a = (i / people) * 2 * Math.PI - Math.PI / 2;
    const x = (256 + ring * Math.cos(a)).toFixed(1);
    const y = (256 + ring * Math.sin(a)).toFixed(1);
    return `<circle cx="${x}" cy="${y}" r="${(32 * scale).toFixed(1)}" fill="${DOT}"/>`;
  }).join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512">` +
    `<rect width="512" height="512" rx="${rounded ? 112 : 0}" fill="${BG}"/>` +
    `<circle cx="256" cy="256" r="${(ring).toFixed(1)}" fill="none" stroke="${DOT}" stroke-opacity=".28" stroke-width="${(6 * scale).toFixed(1)}"/>` +
    dots +
    `<circle cx="256" cy="256" r="${(52 * scale).toFixed(1)}" fill="${CENTRE}"/>` +
    `</svg>\n`
  );
}

const pub = (f: string) => join(ROOT, 'public', f);
writeFileSync(pub('icon.svg'), iconSvg(true));

const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  const render = async (svg: string, size: number, file: string) => {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(`<html><body style="margin:0;background:${BG}"><img src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}" width="${size}" height="${size}" style="display:block"></body></html>`);
    await page.locator('img').evaluate((img: HTMLImageElement) => img.decode());
    await page.screenshot({ path: pub(file), clip: { x: 0, y: 0, width: size, height: size } });
  };
  const square = iconSvg(false);
  await render(square, 192, 'icon-192.png');
  await render(square, 512, 'icon-512.png');
  // Maskable: the platform may cut up to a circle of 40 % radius, so the ring shrinks into that safe zone.
  await render(iconSvg(false, 0.78), 512, 'icon-maskable-512.png');
  await render(square, 180, 'apple-touch-icon.png');
} finally {
  await browser.close();
}
