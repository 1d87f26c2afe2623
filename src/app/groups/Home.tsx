// The first screen: the begeleider's groups, a way back into a running round, and creating a group locally.
import { useContext, useState } from 'preact/hooks';
import { createGroup, createLocation } from '../../data/actions';
import { listGroupSummaries, listLocations, type GroupSummary } from '../../data/group-queries';
import { useLive } from '../../data/live';
import { DEFAULT_PLAN, RHYTHMS } from '../../shared/method';
import { ValidationError } from '../../shared/records';
import type { Fields } from '../../shared/schema';
import { schemas } from '../../data/schemas';
import { LocaleContext, useT, type T } from '../i18n';
import { DurabilityWarnings } from '../pwa/Warnings';
import { useCanManage } from '../role';
import { navigate } from '../router';
import { showToast } from '../toast';
import { Field, focusFirstError, invalid } from './Field';
import { formatDate } from './format';
import './groups.css';

const dict = {
  nl: {
    title: 'Groepen',
    loading: 'Groepen laden…',
    empty: 'Er staan nog geen groepen op deze telefoon.',
    emptyHow: 'Log in bij Synchroniseren om de groepen van je organisatie op te halen, of maak hieronder zelf een groep aan: eerst de locatie (het buurthuis), dan de groep.',
    sync: 'Synchroniseren en inloggen',
    report: 'Jaarcijfers',
    admin: 'Beheer (coördinator)',
    running: 'bezig',
    continue: 'Verder met de ronde',
    continueOf: 'Verder met de ronde van {group}',
    timer: 'Timer (co-begeleider)',
    next: 'Volgende ronde: {date}',
    last: 'Laatste ronde: {date}',
    noRounds: 'Nog geen rondes',
    inactive: 'Niet-actieve groepen ({n})',
    newGroup: 'Nieuwe groep',
    newGroupIntro: 'Tot je coördinator de groepen regelt, kun je hier zelf een groep aanmaken. Die wordt gesynchroniseerd zodra je inlogt.',
    groupName: 'Naam van de groep',
    location: 'Locatie',
    pickLocation: 'Kies een locatie',
    newLocationOption: 'Nieuwe locatie…',
    locationName: 'Naam van de locatie (buurthuis of buurtkamer)',
    wijk: 'Wijk',
    address: 'Adres van de locatie (niet verplicht)',
    rhythm: 'Hoe vaak komt de groep samen?',
    create: 'Groep aanmaken',
    created: 'Groep "{name}" aangemaakt',
    mustPick: 'Kies een locatie of maak een nieuwe',
    fixErrors: 'Nog niet opgeslagen: verbeter de velden met een melding.',
    wekelijks: 'Elke week',
    tweewekelijks: 'Om de week',
    maandelijks: 'Elke maand',
    anders: 'Anders',
  },
  en: {
    title: 'Groups',
    loading: 'Loading groups…',
    empty: 'There are no groups on this phone yet.',
    emptyHow: "Log in under Sync to fetch your organisation's groups, or create a group yourself below: first the location (the community centre), then the group.",
    sync: 'Sync and log in',
    report: 'Annual figures',
    admin: 'Admin (coordinator)',
    running: 'running',
    continue: 'Continue the round',
    continueOf: 'Continue the round of {group}',
    timer: 'Timer (co-facilitator)',
    next: 'Next round: {date}',
    last: 'Last round: {date}',
    noRounds: 'No rounds yet',
    inactive: 'Inactive groups ({n})',
    newGroup: 'New group',
    newGroupIntro: 'Until your coordinator sets up the groups, you can create one here. It is synced as soon as you log in.',
    groupName: 'Name of the group',
    location: 'Location',
    pickLocation: 'Choose a location',
    newLocationOption: 'New location…',
    locationName: 'Name of the location (community centre)',
    wijk: 'Neighbourhood',
    address: 'Address of the location (optional)',
    rhythm: 'How often does the group meet?',
    create: 'Create group',
    created: 'Group "{name}" created',
    mustPick: 'Choose a location or create a new one',
    fixErrors: 'Not saved yet: correct the fields with a message.',
    wekelijks: 'Every week',
    tweewekelijks: 'Every two weeks',
    maandelijks: 'Every month',
    anders: 'Other',
  },
};

type Key = keyof typeof dict.nl;

export function Home() {
  const t = useT(dict);
  const groups = useLive(() => listGroupSummaries(), []);
  const manage = useCanManage();
  if (!groups) return <p class="muted">{t('loading')}</p>;
  const active = groups.filter((g) => g.group.active !== false);
  const inactive = groups.filter((g) => g.group.active === false);
  return (
    <div class="groups">
      <h1>{t('title')}</h1>
      <DurabilityWarnings />
      {groups.length === 0 && (
        <div class="card stack">
          <p>{t('empty')}</p>
          <p class="muted">{t('emptyHow')}</p>
        </div>
      )}
      <ul class="group-list">
        {active.map((s) => (
          <GroupCard key={s.group.id} s={s} t={t} />
        ))}
      </ul>
      {inactive.length > 0 && (
        <details class="card">
          <summary>{t('inactive', { n: inactive.length })}</summary>
          <ul class="group-list">
            {inactive.map((s) => (
              <GroupCard key={s.group.id} s={s} t={t} />
            ))}
          </ul>
        </details>
      )}
      <p class="row">
        <a class="btn" href="#/sync">
          {t('sync')}
        </a>
        <a class="btn" href="#/rapport">
          {t('report')}
        </a>
        <a class="btn" href="#/beheer">
          {t('admin')}
        </a>
      </p>
      {manage && <NewGroupForm t={t} open={groups.length === 0} />}
    </div>
  );
}

function GroupCard({ s, t }: { s: GroupSummary; t: T<Key> }) {
  const locale = useContext(LocaleContext);
  const where = s.location ? `${s.location.name} · ${s.location.wijk}` : '';
  return (
    <li class="card group-card">
      <div class="row">
        <a class="group-name" id={`group-${s.group.id}`} href={`#/groep/${encodeURIComponent(s.group.id)}`}>
          {s.group.name}
        </a>
        {s.running && <span class="badge">{t('running')}</span>}
      </div>
      {where && <p class="muted">{where}</p>}
      <p class="muted">
        {s.next && t('next', { date: formatDate(s.next.date, locale) })}
        {s.next && s.last && ' · '}
        {s.last && t('last', { date: formatDate(s.last.date, locale) })}
        {!s.next && !s.last && t('noRounds')}
      </p>
      {s.running && (
        <a class="btn primary big" href={`#/ronde/${encodeURIComponent(s.running.id)}`} aria-label={t('continueOf', { group: s.group.name })}>
          {t('continue')}
        </a>
      )}
      {s.group.active !== false && (
        // Described by the group's name, not named after it: the name stays the group link's alone.
        <a class="btn" href={`#/ronde/${encodeURIComponent(s.timerRoundId)}/timer`} aria-describedby={`group-${s.group.id}`}>
          {t('timer')}
        </a>
      )}
    </li>
  );
}

const NEW = '__new';

interface FormState {
  name: string;
  locationId: string;
  locName: string;
  wijk: string;
  address: string;
  rhythm: Fields<'groups'>['rhythm'];
}

function NewGroupForm({ t, open }: { t: T<Key>; open: boolean }) {
  const locations = useLive(() => listLocations(), [], []);
  const [f, setF] = useState<FormState>({ name: '', locationId: '', locName: '', wijk: '', address: '', rhythm: 'maandelijks' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  // Without any location the only sensible choice is a new one.
  const locationId = f.locationId || (locations.length === 0 ? NEW : '');
  const isNew = locationId === NEW;
  const set = (k: keyof FormState) => (e: Event) => {
    const v = (e.currentTarget as HTMLInputElement).value;
    setF((x) => ({ ...x, [k]: v }));
  };

  const collect = (into: Record<string, string>, prefix: string, fn: () => unknown) => {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      for (const i of e.issues) into[prefix + i.path] ??= i.message;
      return null;
    }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const { parseFields } = await schemas();
    const errs: Record<string, string> = {};
    const loc = isNew
      ? (collect(errs, 'loc.', () =>
          parseFields('locations', { name: f.locName, wijk: f.wijk, ...(f.address.trim() ? { address: f.address } : {}) }),
        ) as Fields<'locations'> | null)
      : null;
    if (!locationId) errs.locationId = t('mustPick');
    collect(errs, '', () =>
      parseFields('groups', { name: f.name, locationId: isNew ? 'pending' : locationId || 'none', rhythm: f.rhythm, plan: DEFAULT_PLAN, active: true, begeleiders: [] }),
    );
    setErrors(errs);
    if (Object.keys(errs).length > 0) {
      showToast('error', t('fixErrors'));
      focusFirstError(form);
      return;
    }
    setBusy(true);
    let lid = locationId;
    try {
      if (isNew && loc) {
        lid = await createLocation(loc);
        // If the group write fails now, the form keeps everything and points at the location just made.
        setF((x) => ({ ...x, locationId: lid }));
      }
      const gid = await createGroup({ name: f.name, locationId: lid, rhythm: f.rhythm });
      showToast('info', t('created', { name: f.name.trim() }));
      setF({ name: '', locationId: '', locName: '', wijk: '', address: '', rhythm: 'maandelijks' });
      navigate(`/groep/${encodeURIComponent(gid)}`);
    } catch (err) {
      if (err instanceof ValidationError) setErrors(Object.fromEntries(err.issues.map((i) => [i.path, i.message])));
      showToast('error', (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <details class="card" open={open}>
      <summary>{t('newGroup')}</summary>
      <form onSubmit={submit} noValidate>
        <p class="muted">{t('newGroupIntro')}</p>
        <Field id="g-name" label={t('groupName')} error={errors.name}>
          <input id="g-name" value={f.name} onInput={set('name')} maxLength={80} autocomplete="off" {...invalid('g-name', errors.name)} />
        </Field>
        <Field id="g-location" label={t('location')} error={errors.locationId}>
          <select id="g-location" value={locationId} onChange={set('locationId')} {...invalid('g-location', errors.locationId)}>
            {locations.length > 0 && <option value="">{t('pickLocation')}</option>}
            {locations.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name} · {l.wijk}
              </option>
            ))}
            <option value={NEW}>{t('newLocationOption')}</option>
          </select>
        </Field>
        {isNew && (
          <fieldset class="new-location">
            <legend>{t('newLocationOption')}</legend>
            <Field id="l-name" label={t('locationName')} error={errors['loc.name']}>
              <input id="l-name" value={f.locName} onInput={set('locName')} maxLength={80} {...invalid('l-name', errors['loc.name'])} />
            </Field>
            <Field id="l-wijk" label={t('wijk')} error={errors['loc.wijk']}>
              <input id="l-wijk" value={f.wijk} onInput={set('wijk')} maxLength={80} {...invalid('l-wijk', errors['loc.wijk'])} />
            </Field>
            <Field id="l-address" label={t('address')} error={errors['loc.address']}>
              <input id="l-address" value={f.address} onInput={set('address')} maxLength={160} {...invalid('l-address', errors['loc.address'])} />
            </Field>
          </fieldset>
        )}
        <Field id="g-rhythm" label={t('rhythm')} error={errors.rhythm}>
          <select id="g-rhythm" value={f.rhythm} onChange={set('rhythm')} {...invalid('g-rhythm', errors.rhythm)}>
            {RHYTHMS.map((r) => (
              <option key={r} value={r}>
                {t(r)}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" class="primary big" disabled={busy}>
          {t('create')}
        </button>
      </form>
    </details>
  );
}
