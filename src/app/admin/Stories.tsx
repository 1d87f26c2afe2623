// Stories for the annual report: pseudonymised experiences, saved only with consent; listed with filters.
import { useContext, useState } from 'preact/hooks';
import { LocaleContext, useT } from '../i18n';
import { showToast } from '../toast';
import { db } from '../../data/db';
import { useLive } from '../../data/live';
import { write } from '../../data/write';
import { localDate, randomId } from '../../shared/ids';
import { parseFields, type Group, type StoredRecord, type Story } from '../../shared/schema';
import { alive, categoryItems } from './data';
import { errorsOf, Field, FormError, invalid, type Errors } from './form';
import { categoryLabel, formatDay } from './labels';

const dict = {
  nl: {
    title: 'Verhalen',
    intro: 'Ervaringen van deelnemers voor het jaarverslag: altijd met een pseudoniem en alleen met toestemming.',
    add: 'Nieuw verhaal',
    newTitle: 'Nieuw verhaal',
    group: 'Groep',
    chooseGroup: 'Kies een groep',
    pseudonym: 'Pseudoniem',
    pseudonymHint: 'Een verzonnen naam, nooit de echte.',
    age: 'Leeftijd (niet verplicht)',
    quote: 'Verhaal of citaat',
    themes: "Thema's",
    consent: 'De deelnemer geeft toestemming om dit verhaal te gebruiken',
    date: 'Datum',
    save: 'Opslaan',
    cancel: 'Annuleren',
    saved: 'Verhaal opgeslagen',
    filterTheme: 'Filter op thema',
    filterGroup: 'Filter op groep',
    filterFrom: 'Vanaf datum',
    filterTo: 'Tot en met datum',
    all: 'Alle',
    none: 'Geen verhalen bij deze keuze.',
    count: '{n} verhalen',
    ageWhole: 'Leeftijd in hele jaren',
    years: '{n} jaar',
  },
  en: {
    title: 'Stories',
    intro: "Participants' experiences for the annual report: always under a pseudonym and only with consent.",
    add: 'New story',
    newTitle: 'New story',
    group: 'Group',
    chooseGroup: 'Choose a group',
    pseudonym: 'Pseudonym',
    pseudonymHint: 'A made-up name, never the real one.',
    age: 'Age (optional)',
    quote: 'Story or quote',
    themes: 'Themes',
    consent: 'The participant consents to this story being used',
    date: 'Date',
    save: 'Save',
    cancel: 'Cancel',
    saved: 'Story saved',
    filterTheme: 'Filter by theme',
    filterGroup: 'Filter by group',
    filterFrom: 'From date',
    filterTo: 'Up to and including date',
    all: 'All',
    none: 'No stories for this choice.',
    count: '{n} stories',
    ageWhole: 'Age in whole years',
    years: '{n} years',
  },
};

async function load() {
  const d = db();
  const [stories, groups, categories] = await Promise.all([d.table('stories').toArray(), d.table('groups').toArray(), d.table('categories').toArray()]);
  return {
    stories: alive(stories as Story[]).sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0)),
    groups: alive(groups as Group[])
      .filter((g) => typeof g.name === 'string')
      .sort((a, b) => a.name.localeCompare(b.name, 'nl')),
    categories: categories as StoredRecord<'categories'>[],
  };
}

type Data = Awaited<ReturnType<typeof load>>;

export function Stories() {
  const t = useT(dict);
  const locale = useContext(LocaleContext);
  const data = useLive(load, []);
  const [adding, setAdding] = useState(false);
  const [theme, setTheme] = useState('');
  const [groupId, setGroupId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  if (!data) return null;
  const themes = categoryItems('theme', data.categories);
  const themeName = new Map(themes.map((c) => [c.key, categoryLabel('theme', c, locale)]));
  const groupName = new Map(data.groups.map((g) => [g.id, g.name]));
  const shown = data.stories.filter(
    (s) => (!theme || s.themes?.includes(theme)) && (!groupId || s.groupId === groupId) && (!from || s.date >= from) && (!to || s.date <= to),
  );
  return (
    <>
      <h1>{t('title')}</h1>
      <p class="muted">{t('intro')}</p>
      {adding ? (
        <StoryForm data={data} onDone={() => setAdding(false)} />
      ) : (
        <button type="button" class="primary big" onClick={() => setAdding(true)}>
          {t('add')}
        </button>
      )}
      <div class="card admin-filters">
        <Field id="st-f-theme" label={t('filterTheme')}>
          <select id="st-f-theme" value={theme} onChange={(e) => setTheme(e.currentTarget.value)}>
            <option value="">{t('all')}</option>
            {themes.map((c) => (
              <option key={c.key} value={c.key}>
                {themeName.get(c.key)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="st-f-group" label={t('filterGroup')}>
          <select id="st-f-group" value={groupId} onChange={(e) => setGroupId(e.currentTarget.value)}>
            <option value="">{t('all')}</option>
            {data.groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="st-f-from" label={t('filterFrom')}>
          <input id="st-f-from" type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </Field>
        <Field id="st-f-to" label={t('filterTo')}>
          <input id="st-f-to" type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </Field>
      </div>
      <p class="muted" aria-live="polite">
        {t('count', { n: shown.length })}
      </p>
      {shown.length === 0 && <p class="muted">{t('none')}</p>}
      <ul class="admin-list">
        {shown.map((s) => (
          <li key={s.id} class="card">
            <blockquote class="admin-quote">{s.quote}</blockquote>
            <p class="muted">
              — {s.pseudonym}
              {s.age != null ? `, ${t('years', { n: s.age })}` : ''} · {groupName.get(s.groupId ?? '') ?? ''} · {formatDay(s.date, locale)}
            </p>
            {s.themes?.length > 0 && <p class="muted">{s.themes.map((k) => themeName.get(k) ?? k).join(', ')}</p>}
          </li>
        ))}
      </ul>
    </>
  );
}

function StoryForm(props: { data: Data; onDone: () => void }) {
  const t = useT(dict);
  const locale = useContext(LocaleContext);
  const [groupId, setGroupId] = useState(props.data.groups.find((g) => g.active)?.id ?? '');
  const [pseudonym, setPseudonym] = useState('');
  const [age, setAge] = useState('');
  const [quote, setQuote] = useState('');
  const [themes, setThemes] = useState<string[]>([]);
  const [consent, setConsent] = useState(false);
  const [date, setDate] = useState(localDate());
  const [errors, setErrors] = useState<Errors>({});
  const activeThemes = categoryItems('theme', props.data.categories).filter((c) => c.active || themes.includes(c.key));

  const submit = async (e: Event) => {
    e.preventDefault();
    const ageValue = age.trim() === '' ? null : Number(age);
    try {
      const values = parseFields('stories', { pseudonym, age: ageValue, quote, themes, consent, date });
      if (!groupId) {
        setErrors({ groupId: t('chooseGroup') });
        return;
      }
      await write('stories', `s${randomId()}`, groupId, values);
      showToast('info', t('saved'));
      props.onDone();
    } catch (err) {
      const found = errorsOf(err);
      if (!groupId) found.groupId = t('chooseGroup');
      if (found.age && Number.isFinite(ageValue) && !Number.isInteger(ageValue)) found.age = t('ageWhole');
      setErrors(found);
    }
  };
  const toggle = (key: string, on: boolean) => setThemes(on ? [...themes, key] : themes.filter((k) => k !== key));
  return (
    <form class="card stack" onSubmit={submit} noValidate>
      <h2>{t('newTitle')}</h2>
      <Field id="st-group" label={t('group')} error={errors.groupId}>
        <select id="st-group" value={groupId} onChange={(e) => setGroupId(e.currentTarget.value)} {...invalid('st-group', errors.groupId)}>
          <option value="">{t('chooseGroup')}</option>
          {props.data.groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </select>
      </Field>
      <Field id="st-pseudonym" label={t('pseudonym')} hint={t('pseudonymHint')} error={errors.pseudonym}>
        <input id="st-pseudonym" value={pseudonym} maxLength={40} autocomplete="off" onInput={(e) => setPseudonym(e.currentTarget.value)} {...invalid('st-pseudonym', errors.pseudonym)} />
      </Field>
      <Field id="st-age" label={t('age')} error={errors.age}>
        <input id="st-age" type="number" inputMode="numeric" min={12} max={120} value={age} onInput={(e) => setAge(e.currentTarget.value)} {...invalid('st-age', errors.age)} />
      </Field>
      <Field id="st-quote" label={t('quote')} error={errors.quote}>
        <textarea id="st-quote" rows={5} autocomplete="off" maxLength={2000} value={quote} onInput={(e) => setQuote(e.currentTarget.value)} {...invalid('st-quote', errors.quote)} />
      </Field>
      <fieldset class="admin-fieldset">
        <legend>{t('themes')}</legend>
        <div class="admin-chips">
          {activeThemes.map((c) => (
            <label key={c.key} class="admin-check admin-chip">
              <input type="checkbox" checked={themes.includes(c.key)} onChange={(e) => toggle(c.key, e.currentTarget.checked)} />
              {categoryLabel('theme', c, locale)}
            </label>
          ))}
        </div>
        {errors.themes && <p class="field-error">{errors.themes}</p>}
      </fieldset>
      <Field id="st-date" label={t('date')} error={errors.date}>
        <input id="st-date" type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} {...invalid('st-date', errors.date)} />
      </Field>
      <div class="field">
        <label class="admin-check">
          <input id="st-consent" type="checkbox" checked={consent} onChange={(e) => setConsent(e.currentTarget.checked)} {...invalid('st-consent', errors.consent)} />
          {t('consent')}
        </label>
        {errors.consent && (
          <p class="field-error" id="st-consent-err">
            {errors.consent}
          </p>
        )}
      </div>
      <FormError error={errors['']} />
      <div class="row">
        <button type="submit" class="primary">
          {t('save')}
        </button>
        <button type="button" onClick={props.onDone}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
