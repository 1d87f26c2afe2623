// A group's begeleiders: server accounts assigned to the group, new accounts with a one-time code, reset and deactivate.
import { useEffect, useState } from 'preact/hooks';
import { useT } from '../i18n';
import { showToast } from '../toast';
import { updateGroup } from '../../data/actions';
import type { Group } from '../../shared/schema';
import { Field, invalid } from './form';
import { createBegeleider, deactivateUser, listUsers, resetPassword, setUserGroups, signOutUser, UsersUnavailable, type ApiUser } from './users';

const dict = {
  nl: {
    title: 'Begeleiders',
    unavailable: 'Alleen voor coördinatoren, en alleen met verbinding. De rest van beheer werkt ook zonder verbinding.',
    retry: 'Opnieuw proberen',
    loading: 'Begeleiders ophalen…',
    none: 'Nog geen begeleiders-accounts.',
    assigned: '{name} begeleidt deze groep',
    inactive: 'gedeactiveerd',
    newTitle: 'Nieuwe begeleider',
    username: 'Gebruikersnaam',
    usernameHint: 'Kleine letters, cijfers, punt of streepje; geen achternaam nodig.',
    create: 'Account maken',
    codeTitle: 'Eenmalige code voor {name}',
    codeHint: 'Deze code is maar één keer te zien. Geef hem persoonlijk door; bij de eerste keer inloggen kiest de begeleider een eigen wachtwoord.',
    copy: 'Kopieer de code',
    copied: 'Code gekopieerd',
    done: 'Ik heb de code doorgegeven',
    reset: 'Nieuwe code voor {name}',
    deactivate: 'Deactiveer {name}',
    confirmDeactivate: '{name} kan dan niet meer inloggen. Doorgaan?',
    signOut: 'Log {name} uit op alle telefoons',
    confirmSignOut: '{name} wordt op elke telefoon uitgelogd (bijvoorbeeld bij een verloren telefoon). Wijzigingen die nog wachten blijven op die telefoons en gaan mee na het volgende inloggen. Doorgaan?',
    signedOut: '{name} is uitgelogd op {n} sessie(s)',
    usernameEmpty: 'Gebruikersnaam mag niet leeg zijn',
  },
  en: {
    title: 'Facilitators',
    unavailable: 'Only for coordinators, and only with a connection. The rest of management also works offline.',
    retry: 'Try again',
    loading: 'Fetching facilitators…',
    none: 'No facilitator accounts yet.',
    assigned: '{name} facilitates this group',
    inactive: 'deactivated',
    newTitle: 'New facilitator',
    username: 'Username',
    usernameHint: 'Lower-case letters, digits, dot or dash; no surname needed.',
    create: 'Create account',
    codeTitle: 'One-time code for {name}',
    codeHint: 'This code is shown only once. Hand it over in person; at first login the facilitator chooses their own password.',
    copy: 'Copy the code',
    copied: 'Code copied',
    done: 'I have handed over the code',
    reset: 'New code for {name}',
    deactivate: 'Deactivate {name}',
    confirmDeactivate: '{name} will no longer be able to log in. Continue?',
    signOut: 'Log {name} out on every phone',
    confirmSignOut: '{name} is logged out on every phone (for a lost phone, say). Changes still waiting stay on those phones and go out after the next login. Continue?',
    signedOut: '{name} was logged out of {n} session(s)',
    usernameEmpty: 'Username must not be empty',
  },
};

type State = { kind: 'loading' } | { kind: 'unavailable' } | { kind: 'ready'; users: ApiUser[] };

export function Begeleiders(props: { group: Group }) {
  const t = useT(dict);
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [code, setCode] = useState<{ name: string; password: string } | null>(null);
  const [username, setUsername] = useState('');
  const [error, setError] = useState('');
  const group = props.group;

  // Refreshes keep the list and the form on screen; only the first load shows "loading".
  const load = async () => {
    try {
      setState({ kind: 'ready', users: (await listUsers()).filter((u) => u.role === 'begeleider') });
    } catch (e) {
      setState({ kind: 'unavailable' });
      if (!(e instanceof UsersUnavailable)) showToast('error', (e as Error).message);
    }
  };
  useEffect(() => {
    void load();
    addEventListener('online', load);
    return () => removeEventListener('online', load);
  }, [group.id]);

  /** A failed call never leaves a half-done state on screen: unavailability shows the calm notice, anything else a message. */
  const run = async (fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      if (e instanceof UsersUnavailable) setState({ kind: 'unavailable' });
      else showToast('error', (e as Error).message);
    }
  };

  /** The server decides who may read the group; the group record tells the phones who its begeleiders are. */
  const assign = (u: ApiUser, on: boolean) =>
    run(async () => {
      const groups = on ? [...new Set([...u.groups, group.id])] : u.groups.filter((g) => g !== group.id);
      await setUserGroups(u.id, groups);
      const ids = new Set(group.begeleiders ?? []);
      if (on) ids.add(u.id);
      else ids.delete(u.id);
      await updateGroup(group, { begeleiders: [...ids] });
      await load();
    });

  const create = async (e: Event) => {
    e.preventDefault();
    if (!username.trim()) {
      setError(t('usernameEmpty'));
      return;
    }
    try {
      const res = await createBegeleider(username.trim(), [group.id]);
      await updateGroup(group, { begeleiders: [...new Set([...(group.begeleiders ?? []), res.user.id])] });
      setCode({ name: res.user.username, password: res.password });
      setUsername('');
      setError('');
      await load();
    } catch (err) {
      if (err instanceof UsersUnavailable) setState({ kind: 'unavailable' });
      else setError((err as Error).message);
    }
  };

  const reset = (u: ApiUser) =>
    run(async () => {
      const res = await resetPassword(u.id);
      setCode({ name: u.username, password: res.password });
    });

  const deactivate = (u: ApiUser) => {
    if (!confirm(t('confirmDeactivate', { name: u.username }))) return;
    void run(async () => {
      await deactivateUser(u.id);
      await load();
    });
  };

  const signOut = (u: ApiUser) => {
    if (!confirm(t('confirmSignOut', { name: u.username }))) return;
    void run(async () => {
      const res = await signOutUser(u.id);
      showToast('info', t('signedOut', { name: u.username, n: res.sessions }));
    });
  };

  return (
    <section class="card stack" aria-labelledby="beg-title">
      <h2 id="beg-title">{t('title')}</h2>
      {state.kind === 'loading' && <p class="muted">{t('loading')}</p>}
      {state.kind === 'unavailable' && (
        <>
          <p>{t('unavailable')}</p>
          <button type="button" onClick={load}>
            {t('retry')}
          </button>
        </>
      )}
      {code && (
        <div class="admin-code" role="alert">
          <h3>{t('codeTitle', { name: code.name })}</h3>
          <p class="admin-code-value">
            <code>{code.password}</code>
          </p>
          <p class="muted">{t('codeHint')}</p>
          <div class="row">
            <button type="button" class="primary" onClick={() => void navigator.clipboard?.writeText(code.password).then(() => showToast('info', t('copied')))}>
              {t('copy')}
            </button>
            <button type="button" onClick={() => setCode(null)}>
              {t('done')}
            </button>
          </div>
        </div>
      )}
      {state.kind === 'ready' && (
        <>
          {state.users.length === 0 && <p class="muted">{t('none')}</p>}
          <ul class="admin-list">
            {state.users.map((u) => (
              <li key={u.id} class="row admin-item">
                <label class="admin-check admin-grow">
                  <input type="checkbox" checked={u.groups.includes(group.id)} disabled={!u.active} onChange={(e) => void assign(u, e.currentTarget.checked)} aria-label={t('assigned', { name: u.username })} />
                  {u.username} {!u.active && <span class="muted">({t('inactive')})</span>}
                </label>
                {u.active && (
                  <>
                    <button type="button" onClick={() => void reset(u)} aria-label={t('reset', { name: u.username })}>
                      ⟳
                    </button>
                    <button type="button" onClick={() => signOut(u)} aria-label={t('signOut', { name: u.username })}>
                      ⎋
                    </button>
                    <button type="button" class="danger" onClick={() => deactivate(u)} aria-label={t('deactivate', { name: u.username })}>
                      ⊘
                    </button>
                  </>
                )}
              </li>
            ))}
          </ul>
          <form onSubmit={create} noValidate>
            <h3>{t('newTitle')}</h3>
            <Field id="beg-username" label={t('username')} hint={t('usernameHint')} error={error || undefined}>
              <input
                id="beg-username"
                value={username}
                autocapitalize="none"
                autocomplete="off"
                spellcheck={false}
                maxLength={40}
                onInput={(e) => setUsername(e.currentTarget.value)}
                {...invalid('beg-username', error || undefined)}
              />
            </Field>
            <button type="submit" class="primary">
              {t('create')}
            </button>
          </form>
        </>
      )}
    </section>
  );
}
