// The app shell: top bar (sync status, language, theme), the routed screen, and messages.
import { useEffect, useRef, useState } from 'preact/hooks';
import { LocaleContext, initialLocale, useT, type Locale } from './i18n';
import { currentPath, useRoute } from './router';
import { useToasts, dismiss } from './toast';
import { SyncBadge } from './sync/SyncBadge';
import { useSyncStatus } from '../sync/status';
import { UpdatePrompt } from './pwa/UpdatePrompt';
import { lazyScreen } from './lazy';
import { LockGate } from './lock/LockGate';

// Every screen is its own chunk, so the first screen parses only its own code (Lighthouse's blocking time on a slow
// phone). A cold start on the home screen or straight into a round asks for that screen's chunk at once, beside the
// entry chunk's own start-up (opening the database), not after the shell has rendered. The service worker precaches
// every chunk: all open offline.
const loadRound = () => import('./round/RoundFlow').then((m) => m.RoundFlow);
const loadHome = () => import('./groups/Home').then((m) => m.Home);
const startPath = currentPath();
if (startPath === '/') void loadHome();
else if (/^\/ronde\/[^/]+$/.test(startPath)) void loadRound();
const RoundFlow = lazyScreen(loadRound, 'Laden…');
const Home = lazyScreen(loadHome, 'Laden…');
const GroupPage = lazyScreen(() => import('./groups/GroupPage').then((m) => m.GroupPage), 'Laden…');
const TimerView = lazyScreen(() => import('./timer/TimerView').then((m) => m.TimerView), 'Laden…');
const SyncScreen = lazyScreen(() => import('./sync/SyncScreen').then((m) => m.SyncScreen), 'Laden…');
const AdminHome = lazyScreen(() => import('./admin/AdminHome').then((m) => m.AdminHome), 'Laden…');
const ReportScreen = lazyScreen(() => import('./reports/ReportScreen').then((m) => m.ReportScreen), 'Laden…');
const LockSettings = lazyScreen(() => import('./lock/LockSettings').then((m) => m.LockSettings), 'Laden…');

const dict = {
  nl: {
    skip: 'Naar de inhoud',
    home: 'Luisterkring — naar het begin',
    lang: 'English',
    langLabel: 'EN: switch to English',
    theme: 'Licht of donker thema',
    close: 'Sluiten',
    notFound: 'Deze pagina bestaat niet.',
    loggedOut: 'Je bent uitgelogd',
    loggedOutText: 'De groepen en deelnemers worden weer getoond nadat je inlogt. Wijzigingen die nog wachten blijven op deze telefoon bewaard.',
    logIn: 'Inloggen',
  },
  en: {
    skip: 'Skip to content',
    home: 'Luisterkring — home',
    lang: 'Nederlands',
    langLabel: 'NL: schakel naar Nederlands',
    theme: 'Light or dark theme',
    close: 'Close',
    notFound: 'This page does not exist.',
    loggedOut: 'You are logged out',
    loggedOutText: 'Groups and participants are shown again after you log in. Changes still waiting stay on this phone.',
    logIn: 'Log in',
  },
};

type Theme = 'dark' | 'light';

const LIGHT = '(prefers-color-scheme: light)';

function initialTheme(): Theme {
  const saved = localStorage.getItem('lk.theme');
  if (saved === 'dark' || saved === 'light') return saved;
  return matchMedia?.(LIGHT).matches ? 'light' : 'dark';
}

export function App() {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const [theme, setTheme] = useState<Theme>(initialTheme);
  // Until someone picks a theme here, the app follows the phone's setting, also when that changes (dark after sunset).
  useEffect(() => {
    const media = globalThis.matchMedia?.(LIGHT);
    if (!media) return;
    const follow = () => {
      if (!localStorage.getItem('lk.theme')) setTheme(media.matches ? 'light' : 'dark');
    };
    media.addEventListener('change', follow);
    return () => media.removeEventListener('change', follow);
  }, []);
  document.documentElement.dataset.theme = theme;
  document.documentElement.lang = locale;
  const switchLocale = () => {
    const next = locale === 'nl' ? 'en' : 'nl';
    localStorage.setItem('lk.locale', next);
    setLocale(next);
  };
  const switchTheme = () => {
    const next = theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem('lk.theme', next);
    setTheme(next);
  };
  return (
    <LocaleContext.Provider value={locale}>
      <LockGate>
        <Shell onLocale={switchLocale} onTheme={switchTheme} />
      </LockGate>
    </LocaleContext.Provider>
  );
}

/** The screen's heading, made focusable; null while the screen is still loading. */
function screenHeading(): HTMLElement | null {
  const h1 = document.querySelector<HTMLElement>('#main h1');
  if (h1 && !h1.hasAttribute('tabindex')) h1.tabIndex = -1;
  return h1;
}

/** A new screen is a new page to a screen reader or a keyboard: its heading takes focus, unless the screen already put
 * focus somewhere in it, also when the heading appears later (a lazy chunk, a live query). Returns a stop function. */
function focusHeadingWhenDrawn(): () => void {
  const main = document.getElementById('main');
  if (!main) return () => {};
  const settle = () => {
    const active = document.activeElement;
    if (active && active !== document.body && main.contains(active)) return true;
    const h1 = screenHeading();
    h1?.focus();
    return !!h1;
  };
  if (settle()) return () => {};
  const observer = new MutationObserver(() => {
    if (settle()) stop();
  });
  const stop = () => {
    observer.disconnect();
    clearTimeout(timer);
  };
  const timer = setTimeout(stop, 5000);
  observer.observe(main, { childList: true, subtree: true });
  return stop;
}

function Shell(props: { onLocale: () => void; onTheme: () => void }) {
  const t = useT(dict);
  const route = useRoute();
  const toasts = useToasts();
  const path = route.join('/');
  const opened = useRef(false);
  // Not on the first screen: a fresh start leaves focus at the top, where the skip link is the first Tab stop.
  useEffect(() => {
    if (!opened.current) {
      opened.current = true;
      return;
    }
    return focusHeadingWhenDrawn();
  }, [path]);
  // Chromium scrolls a focused textarea only far enough to show its caret, which can leave the field under the way on at
  // the bottom of a round screen; scrolling the whole field into view honours the scroll padding (styles.css, round.css).
  useEffect(() => {
    const reveal = (e: FocusEvent) => {
      if (e.target instanceof HTMLTextAreaElement) e.target.scrollIntoView({ block: 'nearest' });
    };
    addEventListener('focusin', reveal);
    return () => removeEventListener('focusin', reveal);
  }, []);
  // After a logout the next person holding the phone sees no group, name or note: only the way to log in.
  const { loggedOut } = useSyncStatus();
  return (
    <>
      {/* A real link to assistive technology; its click is handled here, so the hash router never sees "#main". */}
      <a
        class="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          (screenHeading() ?? document.getElementById('main'))?.focus();
        }}
      >
        {t('skip')}
      </a>
      <header class="topbar">
        <a class="brand" href="#/" aria-label={t('home')}>
          Luisterkring
        </a>
        <SyncBadge />
        <button type="button" class="icon-btn" onClick={props.onTheme} aria-label={t('theme')}>
          ◐
        </button>
        {/* The name starts with the visible "EN"/"NL", so voice control ("tik EN") finds the button (WCAG 2.5.3). */}
        <button type="button" class="icon-btn" onClick={props.onLocale} aria-label={t('langLabel')} lang={t('lang') === 'English' ? 'en' : 'nl'}>
          {t('lang') === 'English' ? 'EN' : 'NL'}
        </button>
      </header>
      <UpdatePrompt />
      <main id="main" tabIndex={-1}>
        {loggedOut && route[0] !== 'sync' ? (
          <section class="card stack" aria-labelledby="logged-out">
            <h1 id="logged-out">{t('loggedOut')}</h1>
            <p>{t('loggedOutText')}</p>
            <a class="btn primary big" href="#/sync">
              {t('logIn')}
            </a>
          </section>
        ) : (
          <Screen route={route} notFound={t('notFound')} />
        )}
      </main>
      <div class="toasts" role="status" aria-live="polite">
        {toasts.map((m) => (
          <div key={m.id} class={`toast toast-${m.kind}`} role={m.kind === 'error' ? 'alert' : undefined}>
            <span>{m.text}</span>
            <button type="button" class="icon-btn" onClick={() => dismiss(m.id)} aria-label={t('close')}>
              ×
            </button>
          </div>
        ))}
      </div>
    </>
  );
}

function Screen({ route, notFound }: { route: string[]; notFound: string }) {
  const [a, b, c] = route;
  if (!a) return <Home />;
  if (a === 'groep' && b) return <GroupPage groupId={b} />;
  if (a === 'ronde' && b && c === 'timer') return <TimerView roundId={b} />;
  if (a === 'ronde' && b) return <RoundFlow roundId={b} />;
  if (a === 'sync') return <SyncScreen />;
  if (a === 'rapport') return <ReportScreen />;
  if (a === 'vergrendeling') return <LockSettings />;
  if (a === 'beheer') return <AdminHome section={b} id={c} />;
  return <p>{notFound}</p>;
}
