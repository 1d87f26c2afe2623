// The small sync status in the top bar: synced, how many wait, offline or log in needed; opens the sync screen.
import { useT } from '../i18n';
import { useSyncStatus, type SyncStatus } from '../../sync/status';
import './sync.css';

const dict = {
  nl: {
    checking: 'controleren…',
    synced: '✓ bijgewerkt',
    syncing: 'bezig…',
    waitingOne: '1 wacht',
    waitingMany: '{n} wachten',
    offline: 'offline',
    offlineWaiting: 'offline · {n}',
    login: 'inloggen nodig',
    password: 'wachtwoord kiezen',
    error: 'niet gelukt',
    rejected: '⚠ {n} geweigerd',
    name: '{text} — synchronisatie, details openen',
  },
  en: {
    checking: 'checking…',
    synced: '✓ synced',
    syncing: 'syncing…',
    waitingOne: '1 waiting',
    waitingMany: '{n} waiting',
    offline: 'offline',
    offlineWaiting: 'offline · {n}',
    login: 'log in needed',
    password: 'choose password',
    error: 'failed',
    rejected: '⚠ {n} refused',
    name: '{text} — sync, open details',
  },
};

type Key = keyof typeof dict.nl;

/** What the badge says, most urgent first: a person must act (log in, refused changes) before counts. */
export function badgeText(s: SyncStatus): { key: Key; n?: number; tone: 'ok' | 'busy' | 'warn' | 'bad' } {
  if (!s.loaded) return { key: 'checking', tone: 'busy' };
  if (s.state === 'needs-login') return { key: 'login', tone: 'bad' };
  if (s.state === 'needs-password') return { key: 'password', tone: 'warn' };
  if (s.state === 'syncing') return { key: 'syncing', tone: 'busy' };
  if (s.rejected.length) return { key: 'rejected', n: s.rejected.length, tone: 'bad' };
  if (s.state === 'offline') return s.waiting ? { key: 'offlineWaiting', n: s.waiting, tone: 'warn' } : { key: 'offline', tone: 'warn' };
  if (s.state === 'error') return { key: 'error', tone: 'bad' };
  if (s.waiting) return { key: s.waiting === 1 ? 'waitingOne' : 'waitingMany', n: s.waiting, tone: 'warn' };
  return { key: 'synced', tone: 'ok' };
}

export function SyncBadge() {
  const t = useT(dict);
  const status = useSyncStatus();
  const b = badgeText(status);
  const text = t(b.key, b.n === undefined ? undefined : { n: b.n });
  return (
    <a class="sync-badge" href="#/sync" data-tone={b.tone} aria-label={t('name', { text })}>
      {text}
    </a>
  );
}
