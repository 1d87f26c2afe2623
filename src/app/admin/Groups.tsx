// Groups: the list (active first) and the form for name, location, rhythm, step plan, active and begeleiders.
import { useContext, useState } from 'preact/hooks';
import { LocaleContext, useT } from '../i18n';
import { navigate } from '../router';
import { showToast } from '../toast';
import { db } from '../../data/db';
import { useLive } from '../../data/live';
import { createGroup, updateGroup } from '../../data/actions';
import { DEFAULT_PLAN, RHYTHMS, TIMER_STEPS, type StepPlan } from '../../shared/method';
import { parseFields, type Group, type Location } from '../../shared/schema';
import { alive } from './data';
import { errorsOf, Field, FormError, invalid, type Errors } from './form';
import { rhythmNames } from './labels';
import { stepDict } from '../timer/steps';
import { Begeleiders } from './Begeleiders';

const dict = {
  nl: {
    title: 'Groepen',
    add: 'Nieuwe groep',
    none: 'Nog geen groepen.',
    active: 'Actief',
    paused: 'Gepauzeerd',
    edit: 'Bewerk {name}',
    newTitle: 'Nieuwe groep',
    editTitle: 'Groep bewerken',
    name: 'Naam van de groep',
    location: 'Locatie',
    chooseLocation: 'Kies een locatie',
    noLocations: 'Maak eerst een locatie aan.',
    toLocations: 'Naar locaties',
    rhythm: 'Ritme',
    plan: 'Stappenplan (minuten per stap)',
    minutes: '{step}, minuten',
    total: 'Totaal: {h} uur en {m} minuten',
    resetPlan: 'Standaardplan (2,5 uur)',
    activeLabel: 'Groep is actief',
    save: 'Opslaan',
    cancel: 'Terug',
    saved: 'Groep opgeslagen',
    notFound: 'Deze groep bestaat niet (meer).',
    unknownLocation: 'onbekende locatie',
    planRounds: 'Agenda',
    participants: 'Deelnemers',
  },
  en: {
    title: 'Groups',
    add: 'New group',
    none: 'No groups yet.',
    active: 'Active',
    paused: 'Paused',
    edit: 'Edit {name}',
    newTitle: 'New group',
    editTitle: 'Edit group',
    name: 'Group name',
    location: 'Location',
    chooseLocation: 'Choose a location',
    noLocations: 'Create a location first.',
    toLocations: 'To locations',
    rhythm: 'Rhythm',
    plan: 'Step plan (minutes per step)',
    minutes: '{step}, minutes',
    total: 'Total: {h} hours and {m} minutes',
    resetPlan: 'Default plan (2.5 hours)',
    activeLabel: 'Group is active',
    save: 'Save',
    cancel: 'Back',
    saved: 'Group saved',
    notFound: 'This group does not exist (any more).',
    unknownLocation: 'unknown location',
    planRounds: 'Agenda',
    participants: 'Participants',
  },
};

async function loadAll() {
  const d = db();
  const [groups, locations] = await Promise.all([d.table('groups').toArray(), d.table('locations').toArray()]);
  return {
    groups: alive(groups as Group[])
      .filter((g) => typeof g.name === 'string')
      .sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name, 'nl')),
    locations: alive(locations as Location[]).sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '', 'nl')),
  };
}

export function Groups(props: { id?: string }) {
  const t = useT(dict);
  const locale = useContext(LocaleContext);
  const data = useLive(loadAll, []);
  if (!data) return null;
  if (props.id) {
    const group = props.id === 'nieuw' ? null : data.groups.find((g) => g.id === props.id);
    if (group === undefined) return <p>{t('notFound')}</p>;
    return <GroupForm key={props.id} group={group} locations={data.locations} />;
  }
  const locName = new Map(data.locations.map((l) => [l.id, `${l.name} (${l.wijk})`]));
  return (
    <>
      <h1>{t('title')}</h1>
      <a class="btn primary big" href="#/beheer/groepen/nieuw">
        {t('add')}
      </a>
      {data.groups.length === 0 && <p class="muted">{t('none')}</p>}
      <ul class="admin-list">
        {data.groups.map((g) => (
          <li key={g.id} class="card row admin-item">
            <div class="admin-grow">
              <strong>{g.name}</strong> <span class={`admin-badge ${g.active ? 'is-on' : 'is-off'}`}>{g.active ? t('active') : t('paused')}</span>
              <div class="muted">
                {locName.get(g.locationId) ?? t('unknownLocation')} · {rhythmNames[locale][g.rhythm] ?? g.rhythm}
              </div>
            </div>
            <a class="btn" href={`#/beheer/groepen/${encodeURIComponent(g.id)}`} aria-label={t('edit', { name: g.name })}>
              ✎
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}

function GroupForm(props: { group: Group | null; locations: Location[] }) {
  const t = useT(dict);
  const locale = useContext(LocaleContext);
  const g = props.group;
  const [name, setName] = useState(g?.name ?? '');
  const [locationId, setLocationId] = useState(g?.locationId ?? '');
  const [rhythm, setRhythm] = useState<string>(g?.rhythm ?? 'tweewekelijks');
  // Kept as typed text so a half-typed number is never thrown away; parsed on save.
  const [plan, setPlan] = useState<Record<string, string>>(() => Object.fromEntries(TIMER_STEPS.map((s) => [s, String((g?.plan ?? DEFAULT_PLAN)[s])])));
  const [active, setActive] = useState(g?.active ?? true);
  const [errors, setErrors] = useState<Errors>({});
  const total = TIMER_STEPS.reduce((sum, s) => sum + (Number.parseInt(plan[s], 10) || 0), 0);

  const submit = async (e: Event) => {
    e.preventDefault();
    const planValues = Object.fromEntries(TIMER_STEPS.map((s) => [s, plan[s].trim() === '' ? Number.NaN : Number(plan[s])])) as StepPlan;
    try {
      const values = parseFields('groups', { name, locationId, rhythm, plan: planValues, active, begeleiders: g?.begeleiders ?? [] });
      if (g) {
        await updateGroup(g, { name: values.name, locationId: values.locationId, rhythm: values.rhythm, plan: values.plan, active: values.active });
        showToast('info', t('saved'));
      } else {
        const id = await createGroup(values);
        showToast('info', t('saved'));
        navigate(`/beheer/groepen/${encodeURIComponent(id)}`);
      }
      setErrors({});
    } catch (err) {
      setErrors(errorsOf(err));
    }
  };
  const planError = errors.plan;
  return (
    <>
      <form class="card stack" onSubmit={submit} noValidate>
        <h1>{g ? t('editTitle') : t('newTitle')}</h1>
        <Field id="grp-name" label={t('name')} error={errors.name}>
          <input id="grp-name" value={name} maxLength={80} onInput={(e) => setName(e.currentTarget.value)} {...invalid('grp-name', errors.name)} />
        </Field>
        <Field id="grp-location" label={t('location')} error={errors.locationId && t('chooseLocation')}>
          <select id="grp-location" value={locationId} onChange={(e) => setLocationId(e.currentTarget.value)} {...invalid('grp-location', errors.locationId)}>
            <option value="">{t('chooseLocation')}</option>
            {props.locations.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name} ({l.wijk})
              </option>
            ))}
          </select>
        </Field>
        {props.locations.length === 0 && (
          <p class="muted">
            {t('noLocations')} <a href="#/beheer/locaties">{t('toLocations')}</a>
          </p>
        )}
        <Field id="grp-rhythm" label={t('rhythm')} error={errors.rhythm}>
          <select id="grp-rhythm" value={rhythm} onChange={(e) => setRhythm(e.currentTarget.value)}>
            {RHYTHMS.map((r) => (
              <option key={r} value={r}>
                {rhythmNames[locale][r]}
              </option>
            ))}
          </select>
        </Field>
        <fieldset class="admin-fieldset">
          <legend>{t('plan')}</legend>
          <div class="admin-plan">
            {TIMER_STEPS.map((s) => (
              <div key={s} class="admin-plan-step">
                <label for={`grp-plan-${s}`}>{stepDict[locale][s]}</label>
                <input
                  id={`grp-plan-${s}`}
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={240}
                  value={plan[s]}
                  aria-label={t('minutes', { step: stepDict[locale][s] })}
                  onInput={(e) => setPlan({ ...plan, [s]: e.currentTarget.value })}
                  {...invalid('grp-plan', planError)}
                />
              </div>
            ))}
          </div>
          <p aria-live="polite">
            <strong>{t('total', { h: Math.floor(total / 60), m: total % 60 })}</strong>
          </p>
          {planError && (
            <p class="field-error" id="grp-plan-err">
              {planError}
            </p>
          )}
          <button type="button" onClick={() => setPlan(Object.fromEntries(TIMER_STEPS.map((s) => [s, String(DEFAULT_PLAN[s])])))}>
            {t('resetPlan')}
          </button>
        </fieldset>
        <label class="admin-check">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
          {t('activeLabel')}
        </label>
        <FormError error={errors['']} />
        <div class="row">
          <button type="submit" class="primary">
            {t('save')}
          </button>
          <a class="btn" href="#/beheer/groepen">
            {t('cancel')}
          </a>
          {g && (
            <>
              <a class="btn" href={`#/beheer/agenda/${encodeURIComponent(g.id)}`}>
                {t('planRounds')}
              </a>
              <a class="btn" href={`#/beheer/deelnemers/${encodeURIComponent(g.id)}`}>
                {t('participants')}
              </a>
            </>
          )}
        </div>
      </form>
      {g && <Begeleiders group={g} />}
    </>
  );
}
