// The app shell: top bar (sync status, language, theme), the routed screen, and messages.
import { useState } from 'preact/hooks';
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

function initialTheme(): Theme {
  const saved = localStorage.getItem('lk.theme');
  if (saved === 'dark' || saved === 'light') return saved;
  return matchMedia?.('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

export function App() {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const [theme, setTheme] = useState<Theme>(initialTheme);
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

function Shell(props: { onLocale: () => void; onTheme: () => void }) {
  const t = useT(dict);
  const route = useRoute();
  const toasts = useToasts();
  // After a logout the next person holding the phone sees no group, name or note: only the way to log in.
  const { loggedOut } = useSyncStatus();
  return (
    <>
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
      <main id="main">
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
