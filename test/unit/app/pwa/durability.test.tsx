import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, render, screen } from '@testing-library/preact';
import { Durability, needsHomeScreen } from '../../../../src/app/pwa/Durability';
import { setPwaState } from '../../../../src/app/pwa/register';

test.after.each(() => cleanup());

const nav = (userAgent: string, extra: Record<string, unknown> = {}) => ({ userAgent, platform: '', maxTouchPoints: 0, ...extra }) as unknown as Navigator;
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1';
const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36';

test('an iPhone in the browser must be told to add the app to the home screen', () => {
  assert.ok(needsHomeScreen(nav(IPHONE), false));
});

test('an iPad that reports itself as a Mac is recognised too', () => {
  assert.ok(needsHomeScreen(nav('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Safari/605.1.15', { platform: 'MacIntel', maxTouchPoints: 5 }), false));
});

test('once launched from the home screen, or on Android, no warning is needed', () => {
  assert.not.ok(needsHomeScreen(nav(IPHONE, { standalone: true }), false));
  assert.not.ok(needsHomeScreen(nav(IPHONE), true));
  assert.not.ok(needsHomeScreen(nav(ANDROID), false));
});

test('the panel says when storage is not persistent and offers to ask again', () => {
  setPwaState({ persisted: false });
  render(<Durability />);
  assert.ok(screen.getByText(/Opslag is niet blijvend/));
  assert.ok(screen.getByRole('button', { name: 'Vraag blijvende opslag aan' }));
});

test('the panel confirms persistent storage without a button', () => {
  setPwaState({ persisted: true });
  render(<Durability />);
  assert.ok(screen.getByText(/Opslag is blijvend/));
  assert.is(screen.queryByRole('button'), null);
});

test.run();
