// The audit log for coördinators (#/beheer/logboek): logins and management actions, newest first, straight from the server.
import { useContext, useEffect, useState } from 'preact/hooks';
import { LocaleContext, dateFormat, useT, type Locale, type T } from '../i18n';
import { keyHeaders } from '../../sync/api';
import './audit.css';

const dict = {
  nl: {
    title: 'Logboek',
    intro: 'Wie deed wat en wanneer: inloggen, accounts, wissen van deelnemers en wijzigingen in groepen en locaties. Het logboek bewaart alleen ids, geen namen of notities.',
    offline: 'Het logboek staat op de server. Maak verbinding met internet om het te bekijken.',
    forbidden: 'Alleen een ingelogde coördinator kan het logboek zien.',
    login: 'Inloggen',
    retry: 'Opnieuw proberen',
    loading: 'Logboek ophalen…',
    none: 'Nog niets gelogd.',
    more: 'Oudere meldingen laden',
    moreLoading: 'Ouder deel ophalen…',
    end: 'Dit is het begin van het logboek.',
    who: 'Door',
    nobody: 'niet ingelogd',
    'a.login': 'Ingelogd',
    'a.login.failed': 'Inloggen mislukt voor {name}',
    'a.login.failed.unknown': 'Inloggen mislukt: onbekende gebruikersnaam',
    blocked: 'daarna 5 minuten geblokkeerd',
    inactive: 'account is gedeactiveerd',
    'a.logout': 'Uitgelogd',
    'a.user.create': 'Account {name} aangemaakt ({role})',
    'a.user.reset': 'Nieuwe eenmalige code voor {name}',
    'a.user.deactivate': 'Account {name} gedeactiveerd',
    'a.user.groups': 'Groepen van {name} gewijzigd ({n})',
    'a.user.password': 'Eigen wachtwoord gewijzigd',
    'a.participant.erase': 'Deelnemer {name} gewist (AVG), met {n} aanwezigheden',
    'a.participant.export': 'Gegevens van deelnemer {name} geëxporteerd',
    'a.sync.org': 'Beheergegevens gesynchroniseerd: {counts}',
    'a.record.delete': 'Verwijderd uit {table}: {name}',
    refused: '{n} geweigerd',
    coordinator: 'coördinator',
    begeleider: 'begeleider',
    't.locations': 'locaties',
    't.groups': 'groepen',
    't.categories': 'lijstwaarden',
    't.participants': 'deelnemers',
    't.rounds': 'rondes',
    't.attendance': 'aanwezigheden',
    't.notes': 'notities',
    't.evaluations': 'evaluaties',
    't.stepTimings': 'staptijden',
    't.stories': 'verhalen',
    't.settings': 'instellingen',
  },
  en: {
    title: 'Audit log',
    intro: 'Who did what and when: logins, accounts, erasing participants and changes to groups and locations. The log keeps ids only, no names or notes.',
    offline: 'The audit log lives on the server. Connect to the internet to view it.',
    forbidden: 'Only a logged-in coordinator can view the audit log.',
    login: 'Log in',
    retry: 'Try again',
    loading: 'Fetching the audit log…',
    none: 'Nothing logged yet.',
    more: 'Load older entries',
    moreLoading: 'Fetching older entries…',
    end: 'This is the start of the log.',
    who: 'By',
    nobody: 'not logged in',
    'a.login': 'Logged in',
    'a.login.failed': 'Failed login for {name}',
    'a.login.failed.unknown': 'Failed login: unknown username',
    blocked: 'then blocked for 5 minutes',
    inactive: 'account is deactivated',
    'a.logout': 'Logged out',
    'a.user.create': 'Account {name} created ({role})',
    'a.user.reset': 'New one-time code for {name}',
    'a.user.deactivate': 'Account {name} deactivated',
    'a.user.groups': 'Groups of {name} changed ({n})',
    'a.user.password': 'Changed own password',
    'a.participant.erase': 'Participant {name} erased (GDPR), with {n} attendance records',
    'a.participant.export': 'Data of participant {name} exported',
    'a.sync.org': 'Management data synced: {counts}',
    'a.record.delete': 'Deleted from {table}: {name}',
    refused: '{n} refused',
    coordinator: 'coordinator',
    begeleider: 'facilitator',
    't.locations': 'locations',
    't.groups': 'groups',
    't.categories': 'list values',
    't.participants': 'participants',
    't.rounds': 'rounds',
    't.attendance': 'attendance records',
    't.notes': 'notes',
    't.evaluations': 'evaluations',
    't.stepTimings': 'step timings',
    't.stories': 'stories',
    't.settings': 'settings',
  },
};

type Key = keyof typeof dict.nl;

export interface AuditEntry {
  id: number;
  at: number;
  actor: { id: string; username: string } | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
}

type State =
  | { kind: 'loading' }
  | { kind: 'offline' }
  | { kind: 'forbidden' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; entries: AuditEntry[]; next: number | null; names: Map<string, string> };

class Unavailable extends Error {
  constructor(readonly reason: 'offline' | 'forbidden') {
    super(reason);
  }
}

async function getJson<R>(path: string): Promise<R> {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) throw new Unavailable('offline');
  let res: Response;
  try {
    res = await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json', ...(await keyHeaders()) } });
  } catch {
    throw new Unavailable('offline');
  }
  if (res.status === 401 || res.status === 403) throw new Unavailable('forbidden');
  const data = (await res.json().catch(() => null)) as ({ error?: unknown } & R) | null;
  if (!res.ok || !data) throw new Error(typeof data?.error === 'string' ? data.error : `De server antwoordde ${res.status}`);
  return data;
}

export const PAGE = 50;

const fetchPage = (before: number | null) => getJson<{ entries: AuditEntry[]; next: number | null }>(`/api/audit?limit=${PAGE}${before ? `&before=${before}` : ''}`);

/** User ids in entries read better as usernames; without the list the ids stay, which is still correct. */
async function fetchNames(): Promise<Map<string, string>> {
  try {
    const { users } = await getJson<{ users: { id: string; username: string }[] }>('/api/users');
    return new Map(users.map((u) => [u.id, u.username]));
  } catch {
    return new Map();
  }
}

/** Times are shown as they were in the Netherlands, whatever the phone's own time zone. */
function formatTime(at: number, locale: Locale): string {
  return dateFormat(locale, { timeZone: 'Europe/Amsterdam', dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

const num = (v: unknown) => (typeof v === 'number' ? v : 0);

/** One entry as a Dutch (or English) sentence; actions this screen does not know yet show their code. */
export function describe(e: AuditEntry, t: T<Key>, names: Map<string, string>): string {
  const name = e.target ? (names.get(e.target) ?? e.target) : '';
  const d = e.detail;
  switch (e.action) {
    case 'login.failed': {
      const extra = [d.inactive ? t('inactive') : '', d.blocked ? t('blocked') : ''].filter(Boolean);
      const base = typeof d.username === 'string' ? t('a.login.failed', { name: d.username }) : t('a.login.failed.unknown');
      return extra.length ? `${base}; ${extra.join('; ')}` : base;
    }
    case 'user.create':
      return t('a.user.create', { name, role: d.role === 'coordinator' ? t('coordinator') : t('begeleider') });
    case 'user.groups':
      return t('a.user.groups', { name, n: Array.isArray(d.groups) ? d.groups.length : 0 });
    case 'participant.erase':
      return t('a.participant.erase', { name, n: num(d.attendance) });
    case 'record.delete': {
      const table = typeof d.table === 'string' && `t.${d.table}` in dict.nl ? t(`t.${d.table}` as Key) : String(d.table);
      return t('a.record.delete', { table, name });
    }
    case 'sync.org': {
      const counts = typeof d.counts === 'object' && d.counts ? (d.counts as Record<string, unknown>) : {};
      const parts = Object.entries(counts).map(([table, n]) => `${num(n)} ${`t.${table}` in dict.nl ? t(`t.${table}` as Key) : table}`);
      if (num(d.refused)) parts.push(t('refused', { n: num(d.refused) }));
      return t('a.sync.org', { counts: parts.join(', ') });
    }
    case 'login':
    case 'logout':
    case 'user.reset':
    case 'user.deactivate':
    case 'user.password':
    case 'participant.export':
      return t(`a.${e.action}` as Key, { name });
    default:
      return e.target ? `${e.action} (${e.target})` : e.action;
  }
}

export function Audit() {
  const t = useT(dict);
  const locale = useContext(LocaleContext);
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState('');

  const fail = (e: unknown) => {
    if (e instanceof Unavailable) setState({ kind: e.reason });
    else setState({ kind: 'error', message: (e as Error).message });
  };

  const load = async () => {
    setState((s) => (s.kind === 'ready' ? s : { kind: 'loading' }));
    try {
      const [page, names] = await Promise.all([fetchPage(null), fetchNames()]);
      setState({ kind: 'ready', entries: page.entries, next: page.next, names });
    } catch (e) {
      fail(e);
    }
  };

  useEffect(() => {
    void load();
    addEventListener('online', load);
    return () => removeEventListener('online', load);
  }, []);

  const more = async () => {
    if (state.kind !== 'ready' || state.next === null) return;
    setLoadingMore(true);
    setMoreError('');
    try {
      const page = await fetchPage(state.next);
      setState({ ...state, entries: [...state.entries, ...page.entries], next: page.next });
    } catch (e) {
      // What is already on screen stays; only the reason the older part did not come is shown.
      setMoreError(e instanceof Unavailable ? t(e.reason) : (e as Error).message);
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <div class="stack audit">
      <h1>{t('title')}</h1>
      <p class="muted">{t('intro')}</p>
      {state.kind === 'loading' && <p role="status">{t('loading')}</p>}
      {(state.kind === 'offline' || state.kind === 'forbidden' || state.kind === 'error') && (
        <div class="card stack" role="alert">
          <p>{state.kind === 'error' ? state.message : t(state.kind)}</p>
          <div class="row">
            <button type="button" onClick={() => void load()}>
              {t('retry')}
            </button>
            {state.kind === 'forbidden' && (
              <a class="btn" href="#/sync">
                {t('login')}
              </a>
            )}
          </div>
        </div>
      )}
      {state.kind === 'ready' && (
        <>
          {state.entries.length === 0 ? (
            <p>{t('none')}</p>
          ) : (
            <ol class="audit-list" aria-label={t('title')}>
              {state.entries.map((e) => (
                <li key={e.id} class={`card audit-entry${e.action === 'login.failed' ? ' is-failed' : ''}`}>
                  <time dateTime={new Date(e.at).toISOString()}>{formatTime(e.at, locale)}</time>
                  <span class="audit-what">{describe(e, t, state.names)}</span>
                  <span class="muted">
                    {t('who')}: {e.actor ? e.actor.username : t('nobody')}
                  </span>
                </li>
              ))}
            </ol>
          )}
          {moreError && (
            <p class="field-error" role="alert">
              {moreError}
            </p>
          )}
          {state.next !== null ? (
            <button type="button" class="big" disabled={loadingMore} onClick={() => void more()}>
              {loadingMore ? t('moreLoading') : t('more')}
            </button>
          ) : (
            state.entries.length > 0 && <p class="muted">{t('end')}</p>
          )}
        </>
      )}
    </div>
  );
}
