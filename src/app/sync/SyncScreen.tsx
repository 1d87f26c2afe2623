// #/sync: log in or out, sync now, what waits and for how long, and the changes the server refused with its reason.
import { useContext, useEffect, useState } from 'preact/hooks';
import { db } from '../../data/db';
import type { RejectedEntry } from '../../data/db';
import { LoginError, login, logout, sameOrigin, whoAmI, type Transport } from '../../sync/api';
import { clockIsOff } from '../../sync/policy';
import { useSyncStatus, type SyncStatus } from '../../sync/status';
import { requestSync } from '../../sync/triggers';
import { LocaleContext, useT } from '../i18n';
import { Durability } from '../pwa/Durability';
import { DurabilityWarnings } from '../pwa/Warnings';
import { lazyScreen } from '../lazy';
import { LockLink } from '../lock/LockLink';
import { duration } from './format';
import './sync.css';

const dict = {
  nl: {
    title: 'Synchronisatie',
    status: 'Status',
    checking: 'Status wordt gelezen…',
    idle: 'Alles is bijgewerkt met de server.',
    idleRefused: 'Gesynchroniseerd, maar de server weigerde {n} wijziging(en): zie hieronder.',
    syncing: 'Bezig met synchroniseren…',
    offline: 'Geen verbinding. Je wijzigingen blijven op deze telefoon en gaan mee zodra er verbinding is.',
    error: 'Synchroniseren is niet gelukt.',
    needsLogin: 'Log in om te synchroniseren. Je wijzigingen blijven op deze telefoon bewaard.',
    lastSynced: 'Laatst gesynchroniseerd: {ago} geleden',
    lastSyncedNow: 'Laatst gesynchroniseerd: zojuist',
    neverSynced: 'Nog nooit gesynchroniseerd.',
    nothingWaiting: 'Er wachten geen wijzigingen.',
    waitingOne: '1 wijziging wacht op verzending',
    waitingMany: '{n} wijzigingen wachten op verzending',
    oldest: 'oudste wacht {age}',
    oldestNow: 'oudste is net gemaakt',
    held: 'Wacht: {reason}',
    clockAhead: 'De klok van deze telefoon loopt ongeveer {d} voor. Zet datum en tijd op automatisch.',
    clockBehind: 'De klok van deze telefoon loopt ongeveer {d} achter. Zet datum en tijd op automatisch.',
    problemOffline: 'De server is niet bereikbaar.',
    problemHttp: 'De server gaf een fout ({status}).',
    problemBusy: 'De server krijgt nu te veel verzoeken. Er gaat niets verloren; de app probeert het zo vanzelf opnieuw.',
    problemBad: 'Het antwoord van de server was onbruikbaar.',
    needsPassword: 'Kies eerst hieronder je eigen wachtwoord; daarna synchroniseert de app. Er gaat niets verloren.',
    retry: 'Volgende poging over {d}.',
    syncNow: 'Nu synchroniseren',
    account: 'Account',
    loggedInAs: 'Ingelogd als {name}',
    coordinator: 'coördinator',
    begeleider: 'begeleider',
    expired: 'Je sessie is verlopen. Log opnieuw in; je wijzigingen blijven bewaard.',
    username: 'Gebruikersnaam',
    password: 'Wachtwoord',
    login: 'Inloggen',
    loggingIn: 'Bezig met inloggen…',
    empty: 'Vul je gebruikersnaam en wachtwoord in.',
    wrong: 'Gebruikersnaam of wachtwoord klopt niet.',
    rateLimited: 'Te veel mislukte pogingen. Probeer het over {d} opnieuw.',
    rateLimitedLater: 'Te veel mislukte pogingen. Probeer het later opnieuw.',
    loginOffline: 'Geen verbinding met de server. Probeer het opnieuw als je online bent.',
    loginServer: 'De server kon je nu niet inloggen. Probeer het later opnieuw.',
    logout: 'Uitloggen',
    logoutAsk: 'Er wachten nog {n} wijzigingen. Ze blijven op deze telefoon bewaard en gaan mee na de volgende keer inloggen. Toch uitloggen?',
    logoutYes: 'Ja, uitloggen',
    cancel: 'Annuleren',
    logoutFailed: 'Uitloggen is niet gelukt. Probeer het opnieuw.',
    rejectedTitle: 'Niet gesynchroniseerd',
    rejectedIntro: 'De server heeft deze wijzigingen geweigerd en niet bewaard. Deze telefoon toont weer wat de server heeft; de geweigerde wijziging staat alleen nog hier.',
    notSynced: 'niet gesynchroniseerd: {reason}',
    madeAt: 'gemaakt {when}',
    deleted: 'verwijderd',
    remove: 'Verwijderen uit lijst',
    removeAsk: 'Deze melding verwijderen? De wijziging wordt niet opnieuw verstuurd.',
    removeYes: 'Ja, verwijderen',
    removeName: 'Verwijderen uit lijst: {what}',
    locations: 'Locatie',
    groups: 'Groep',
    participants: 'Deelnemer',
    rounds: 'Ronde',
    stepTimings: 'Tijd van een stap',
    attendance: 'Aanwezigheid',
    notes: 'Notitie',
    evaluations: 'Evaluatie',
    stories: 'Verhaal',
    categories: 'Categorie',
    settings: 'Instelling',
  },
  en: {
    title: 'Sync',
    status: 'Status',
    checking: 'Reading the status…',
    idle: 'Everything is up to date with the server.',
    idleRefused: 'Synced, but the server refused {n} change(s): see below.',
    syncing: 'Syncing…',
    offline: 'No connection. Your changes stay on this phone and go out as soon as there is a connection.',
    error: 'Syncing did not work.',
    needsLogin: 'Log in to sync. Your changes are kept on this phone.',
    lastSynced: 'Last synced: {ago} ago',
    lastSyncedNow: 'Last synced: just now',
    neverSynced: 'Never synced yet.',
    nothingWaiting: 'No changes are waiting.',
    waitingOne: '1 change is waiting to be sent',
    waitingMany: '{n} changes are waiting to be sent',
    oldest: 'oldest waiting {age}',
    oldestNow: 'oldest was just made',
    held: 'Waiting: {reason}',
    clockAhead: "This phone's clock is about {d} ahead. Set date and time to automatic.",
    clockBehind: "This phone's clock is about {d} behind. Set date and time to automatic.",
    problemOffline: 'The server cannot be reached.',
    problemHttp: 'The server returned an error ({status}).',
    problemBusy: 'The server is getting too many requests right now. Nothing is lost; the app tries again shortly by itself.',
    problemBad: "The server's answer could not be used.",
    needsPassword: 'First choose your own password below; the app syncs after that. Nothing is lost.',
    retry: 'Next attempt in {d}.',
    syncNow: 'Sync now',
    account: 'Account',
    loggedInAs: 'Logged in as {name}',
    coordinator: 'coordinator',
    begeleider: 'facilitator',
    expired: 'Your session has expired. Log in again; your changes are kept.',
    username: 'Username',
    password: 'Password',
    login: 'Log in',
    loggingIn: 'Logging in…',
    empty: 'Fill in your username and password.',
    wrong: 'Username or password is not right.',
    rateLimited: 'Too many failed attempts. Try again in {d}.',
    rateLimitedLater: 'Too many failed attempts. Try again later.',
    loginOffline: 'No connection to the server. Try again when you are online.',
    loginServer: 'The server could not log you in now. Try again later.',
    logout: 'Log out',
    logoutAsk: '{n} changes are still waiting. They stay on this phone and go out after the next login. Log out anyway?',
    logoutYes: 'Yes, log out',
    cancel: 'Cancel',
    logoutFailed: 'Logging out did not work. Please try again.',
    rejectedTitle: 'Not synced',
    rejectedIntro: 'The server refused these changes and did not store them. This phone shows what the server holds again; the refused change is only kept here.',
    notSynced: 'not synced: {reason}',
    madeAt: 'made {when}',
    deleted: 'deleted',
    remove: 'Remove from list',
    removeAsk: 'Remove this message? The change will not be sent again.',
    removeYes: 'Yes, remove',
    removeName: 'Remove from list: {what}',
    locations: 'Location',
    groups: 'Group',
    participants: 'Participant',
    rounds: 'Round',
    stepTimings: 'Step time',
    attendance: 'Attendance',
    notes: 'Note',
    evaluations: 'Evaluation',
    stories: 'Story',
    categories: 'Category',
    settings: 'Setting',
  },
};

type T = ReturnType<typeof useT<keyof typeof dict.nl>>;

// The backup screens load on first visit, so the round screens do not carry the encryption code.
const BackupSave = lazyScreen(() => import('../backup/BackupSave').then((m) => m.BackupSave), 'Laden…');
const BackupImport = lazyScreen(() => import('../backup/BackupImport').then((m) => m.BackupImport), 'Laden…');
// Needed once per account, right after the first login with a one-time code.
const PasswordChange = lazyScreen(() => import('./PasswordChange').then((m) => m.PasswordChange), 'Laden…');

export function SyncScreen({ transport = sameOrigin }: { transport?: Transport }) {
  const t = useT(dict);
  const status = useSyncStatus();
  useEffect(() => {
    void whoAmI(transport, db());
  }, [transport]);
  const syncNow = () => void requestSync('manual', { ...transport, db: db() });
  const loggedIn = status.user !== null && status.state !== 'needs-login';
  return (
    <div class="sync-screen">
      <h1>{t('title')}</h1>
      <DurabilityWarnings transport={transport} />
      <StatusCard status={status} t={t} onSync={syncNow} canSync={loggedIn} />
      <section class="card stack" aria-labelledby="sync-account">
        <h2 id="sync-account">{t('account')}</h2>
        {loggedIn ? (
          <Account status={status} t={t} transport={transport} />
        ) : (
          <LoginForm t={t} transport={transport} expired={status.user !== null} remembered={status.user?.username ?? ''} />
        )}
      </section>
      {/* Refused changes name people: after a logout the next person holding the phone sees only how many wait. */}
      {status.rejected.length > 0 && !status.loggedOut && <RejectedList items={status.rejected} t={t} />}
      <LockLink />
      <BackupSave waiting={status.waiting} />
      {loggedIn && status.user?.role === 'coordinator' && <BackupImport transport={transport} />}
      <Durability />
    </div>
  );
}

function StatusCard({ status, t, onSync, canSync }: { status: SyncStatus; t: T; onSync: () => void; canSync: boolean }) {
  const locale = useContext(LocaleContext);
  const now = Date.now();
  const stateText = status.loaded
    ? {
        idle: status.rejected.length ? t('idleRefused', { n: status.rejected.length }) : t('idle'),
        syncing: t('syncing'),
        offline: t('offline'),
        error: t('error'),
        'needs-login': t('needsLogin'),
        'needs-password': t('needsPassword'),
      }[status.state]
    : t('checking');
  const p = status.lastProblem;
  const problem =
    p && status.state === 'error'
      ? p.code === 'http'
        ? p.status === 429
          ? t('problemBusy')
          : t('problemHttp', { status: p.status })
        : p.code === 'offline'
          ? t('problemOffline')
          : t('problemBad')
      : null;
  const offset = status.clockOffset;
  const age = status.oldestWaitingAt === null ? 0 : now - status.oldestWaitingAt;
  return (
    <section class="card stack" aria-labelledby="sync-status">
      <h2 id="sync-status">{t('status')}</h2>
      <p role="status" class={`sync-state sync-state-${status.state}`}>
        {stateText}
      </p>
      {problem && <p class="field-error">{problem}</p>}
      {status.nextRetryAt !== null && status.state !== 'syncing' && <p class="muted">{t('retry', { d: duration(status.nextRetryAt - now, locale) })}</p>}
      {status.loaded && (
        <>
          <p>
            {status.lastSyncedAt === null
              ? t('neverSynced')
              : now - status.lastSyncedAt < 60_000
                ? t('lastSyncedNow')
                : t('lastSynced', { ago: duration(now - status.lastSyncedAt, locale) })}
          </p>
          <p class={status.waiting ? 'sync-waiting' : undefined}>
            {status.waiting === 0
              ? t('nothingWaiting')
              : `${status.waiting === 1 ? t('waitingOne') : t('waitingMany', { n: status.waiting })} — ${age < 60_000 ? t('oldestNow') : t('oldest', { age: duration(age, locale) })}`}
          </p>
        </>
      )}
      {offset !== null && clockIsOff(offset) && (
        <p class="sync-warn">{offset < 0 ? t('clockAhead', { d: duration(-offset, locale) }) : t('clockBehind', { d: duration(offset, locale) })}</p>
      )}
      {status.held.length > 0 && (
        <ul class="sync-held">
          {[...new Set(status.held.map((h) => h.reason))].map((reason) => (
            <li key={reason}>{t('held', { reason })}</li>
          ))}
        </ul>
      )}
      <button type="button" class="primary big" onClick={onSync} disabled={!canSync || status.state === 'syncing'}>
        {t('syncNow')}
      </button>
    </section>
  );
}

function Account({ status, t, transport }: { status: SyncStatus; t: T; transport: Transport }) {
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const user = status.user!;
  const doLogout = async () => {
    setError(null);
    try {
      await logout(transport, db());
    } catch {
      setError(t('logoutFailed'));
    }
    setAsking(false);
  };
  const role = user.role === 'coordinator' ? t('coordinator') : t('begeleider');
  return (
    <>
      <p>
        {t('loggedInAs', { name: user.username })} <span class="muted">({role})</span>
      </p>
      {user.mustChangePassword && <PasswordChange transport={transport} />}
      {asking ? (
        <div class="sync-confirm" role="alertdialog" aria-labelledby="sync-logout-ask">
          <p id="sync-logout-ask">{t('logoutAsk', { n: status.waiting })}</p>
          <div class="row">
            <button type="button" class="danger" onClick={() => void doLogout()}>
              {t('logoutYes')}
            </button>
            <button type="button" onClick={() => setAsking(false)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" onClick={() => (status.waiting > 0 ? setAsking(true) : void doLogout())}>
          {t('logout')}
        </button>
      )}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

function LoginForm({ t, transport, expired, remembered }: { t: T; transport: Transport; expired: boolean; remembered: string }) {
  const locale = useContext(LocaleContext);
  const [username, setUsername] = useState(remembered);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const d = db();
      await login(transport, d, username, password);
      setPassword('');
      void requestSync('login', { ...transport, db: d });
    } catch (err) {
      setError(loginMessage(err, t, locale));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      {expired && <p class="sync-warn">{t('expired')}</p>}
      <label for="sync-username">{t('username')}</label>
      <input
        id="sync-username"
        name="username"
        autocomplete="username"
        autocapitalize="none"
        spellcheck={false}
        value={username}
        onInput={(e) => setUsername(e.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'sync-login-error' : undefined}
      />
      <label for="sync-password">{t('password')}</label>
      <input
        id="sync-password"
        name="password"
        type="password"
        autocomplete="current-password"
        value={password}
        onInput={(e) => setPassword(e.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'sync-login-error' : undefined}
      />
      {error && (
        <p id="sync-login-error" class="field-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary big sync-login" disabled={busy}>
        {busy ? t('loggingIn') : t('login')}
      </button>
    </form>
  );
}

function loginMessage(err: unknown, t: T, locale: 'nl' | 'en'): string {
  if (!(err instanceof LoginError)) return t('loginServer');
  switch (err.problem) {
    case 'empty':
      return t('empty');
    case 'wrong':
      return t('wrong');
    case 'rate-limited':
      // Rounded up: "over 0 minuten" would invite a guess that is refused again.
      return err.retryAfter ? t('rateLimited', { d: duration(Math.ceil(err.retryAfter / 60) * 60_000, locale) }) : t('rateLimitedLater');
    case 'offline':
      return t('loginOffline');
    default:
      return t('loginServer');
  }
}

function RejectedList({ items, t }: { items: RejectedEntry[]; t: T }) {
  return (
    <section class="stack" aria-labelledby="sync-rejected">
      <h2 id="sync-rejected">{t('rejectedTitle')}</h2>
      <p class="muted">{t('rejectedIntro')}</p>
      <ul class="sync-rejected">
        {items.map((r) => (
          <RejectedItem key={r.mid} item={r} t={t} />
        ))}
      </ul>
    </section>
  );
}

function describe(r: RejectedEntry, t: T): string {
  const label = t(r.table);
  if (r.deleted) return `${label}: ${t('deleted')}`;
  const v = r.values as Record<string, unknown>;
  const text = [v.name, v.pseudonym, v.label, v.text, v.date].find((x): x is string => typeof x === 'string' && x.length > 0);
  return text ? `${label}: ${text.length > 60 ? `${text.slice(0, 57)}…` : text}` : label;
}

function RejectedItem({ item, t }: { item: RejectedEntry; t: T }) {
  const [asking, setAsking] = useState(false);
  const what = describe(item, t);
  const when = new Date(item.at).toLocaleString(useContext(LocaleContext) === 'en' ? 'en-GB' : 'nl-NL', { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <li class="card stack">
      <p>
        <strong>{what}</strong>
      </p>
      <p class="sync-reason">{t('notSynced', { reason: item.reason })}</p>
      <p class="muted">{t('madeAt', { when })}</p>
      {asking ? (
        <div class="sync-confirm" role="alertdialog" aria-labelledby={`sync-remove-${item.mid}`}>
          <p id={`sync-remove-${item.mid}`}>{t('removeAsk')}</p>
          <div class="row">
            <button type="button" class="danger" onClick={() => void db().rejected.delete(item.mid)}>
              {t('removeYes')}
            </button>
            <button type="button" onClick={() => setAsking(false)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" onClick={() => setAsking(true)} aria-label={t('removeName', { what })}>
          {t('remove')}
        </button>
      )}
    </li>
  );
}
