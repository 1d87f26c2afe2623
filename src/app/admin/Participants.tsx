// A group's participants: status, how they found the group, visits, the optional fields, and linking the same person across groups.
import { useContext, useState } from 'preact/hooks';
import { LocaleContext, useT } from '../i18n';
import { guarded, showToast } from '../toast';
import { db } from '../../data/db';
import { useLive } from '../../data/live';
import { write } from '../../data/write';
import { addKnownParticipants } from '../../data/actions';
import { localDate } from '../../shared/ids';
import type { LineError } from '../../shared/participant-list';
import { AGE_BANDS, FOUND_VIA, GENDERS, PARTICIPANT_STATUS, type FoundVia } from '../../shared/method';
import type { Group, Participant } from '../../shared/schema';
import { alive, linkParticipants, participantStats, unlinkParticipant, type ParticipantStats } from './data';
import { errorsOf, Field, FormError, invalid, type Errors } from './form';
import { ageBandNames, formatDay, foundViaNames, genderNames, statusNames } from './labels';
import { GroupPicker } from './GroupPicker';
import { ParticipantPrivacy } from './ParticipantPrivacy';
import { RetentionSetting } from './RetentionSetting';
import { useCanManage } from '../role';

const dict = {
  nl: {
    title: 'Deelnemers',
    privacy: 'Bewaar alleen een voornaam of alias. Nooit adressen, telefoonnummers of diagnoses. Geslacht, leeftijdsgroep en toestemmingsdatum zijn niet verplicht.',
    none: 'Deze groep heeft nog geen deelnemers; begeleiders voegen ze toe bij de aanwezigheid.',
    notFound: 'Deze groep bestaat niet (meer).',
    filter: 'Toon',
    all: 'Iedereen',
    firstVisit: 'Eerste keer',
    lastVisit: 'Laatst',
    rounds: '{n} rondes',
    never: 'nog niet',
    foundVia: 'Hoe gevonden',
    edit: 'Bewerk {name}',
    name: 'Voornaam of alias',
    status: 'Status',
    gender: 'Geslacht (niet verplicht)',
    ageBand: 'Leeftijdsgroep (niet verplicht)',
    notGiven: 'Niet ingevuld',
    consentDate: 'Datum toestemming (niet verplicht)',
    save: 'Opslaan',
    cancel: 'Annuleren',
    saved: 'Deelnemer opgeslagen',
    linkTitle: 'Zelfde persoon in een andere groep',
    linkHint: 'Koppel deze deelnemer aan haar of zijn record in een andere groep, zodat de organisatie deze persoon één keer telt.',
    linkPick: 'Kies de deelnemer in de andere groep',
    linkNone: 'Geen deelnemers in andere groepen.',
    choose: 'Kies…',
    link: 'Koppelen',
    linked: 'Gekoppeld aan',
    unlink: 'Ontkoppel {name}',
    linkedToast: 'Gekoppeld als dezelfde persoon',
    linkChoose: 'Kies eerst een deelnemer',
    erased: '{name} is gewist, met {n} aanwezigheidsregels. Andere telefoons halen de gegevens weg bij hun volgende synchronisatie.',
    cameBefore: 'eerder, datum onbekend',
    addTitle: 'Deelnemers toevoegen',
    addHint: 'Voor een groep die al bestond: één naam per regel, eventueel met de eerste keer erachter (Fatima 2021-03-04 of Fatima 4-3-2021). Zonder datum kwam iemand al eerder, op een onbekende dag. Niemand op de lijst telt als nieuwkomer.',
    addList: 'Namen, één per regel',
    addFoundVia: 'Hoe gevonden (voor iedereen op de lijst)',
    addSubmit: 'Toevoegen',
    addLine: 'Regel {line}: {message}',
    addNothing: 'Er is niets opgeslagen; verbeter de regels hierboven.',
    added: '{n} deelnemers toegevoegd',
  },
  en: {
    title: 'Participants',
    privacy: 'Store only a first name or alias. Never addresses, phone numbers or diagnoses. Gender, age band and consent date are optional.',
    none: 'This group has no participants yet; facilitators add them when taking attendance.',
    notFound: 'This group does not exist (any more).',
    filter: 'Show',
    all: 'Everyone',
    firstVisit: 'First visit',
    lastVisit: 'Last',
    rounds: '{n} rounds',
    never: 'not yet',
    foundVia: 'Found via',
    edit: 'Edit {name}',
    name: 'First name or alias',
    status: 'Status',
    gender: 'Gender (optional)',
    ageBand: 'Age band (optional)',
    notGiven: 'Not given',
    consentDate: 'Consent date (optional)',
    save: 'Save',
    cancel: 'Cancel',
    saved: 'Participant saved',
    linkTitle: 'Same person in another group',
    linkHint: 'Link this participant to their record in another group, so the organisation counts this person once.',
    linkPick: 'Choose the participant in the other group',
    linkNone: 'No participants in other groups.',
    choose: 'Choose…',
    link: 'Link',
    linked: 'Linked to',
    unlink: 'Unlink {name}',
    linkedToast: 'Linked as the same person',
    linkChoose: 'Choose a participant first',
    erased: '{name} has been erased, with {n} attendance rows. Other phones remove the data at their next sync.',
    cameBefore: 'earlier, date unknown',
    addTitle: 'Add participants',
    addHint: 'For a group that existed before: one name a line, optionally followed by the first visit (Fatima 2021-03-04 or Fatima 4-3-2021). Without a date someone came before, on an unknown day. Nobody on the list counts as a newcomer.',
    addList: 'Names, one a line',
    addFoundVia: 'Found via (for everyone on the list)',
    addSubmit: 'Add',
    addLine: 'Line {line}: {message}',
    addNothing: 'Nothing was saved; correct the lines above.',
    added: '{n} participants added',
  },
};

interface Data {
  group: Group | undefined;
  mine: Participant[];
  others: Participant[];
  groupNames: Map<string, string>;
  stats: Map<string, ParticipantStats>;
}

async function load(groupId: string): Promise<Data> {
  const d = db();
  const [groups, participants, stats] = await Promise.all([d.table('groups').toArray(), d.table('participants').toArray(), participantStats(groupId)]);
  const live = alive(participants as Participant[]).filter((p) => typeof p.name === 'string');
  return {
    group: alive(groups as Group[]).find((g) => g.id === groupId),
    mine: live.filter((p) => p.groupId === groupId).sort((a, b) => a.name.localeCompare(b.name, 'nl')),
    others: live.filter((p) => p.groupId !== groupId).sort((a, b) => a.name.localeCompare(b.name, 'nl')),
    groupNames: new Map(alive(groups as Group[]).map((g) => [g.id, g.name])),
    stats,
  };
}

export function Participants(props: { groupId?: string }) {
  const t = useT(dict);
  const manage = useCanManage();
  if (!props.groupId)
    return (
      <>
        <GroupPicker section="deelnemers" title={t('title')} />
        {manage && <RetentionSetting />}
      </>
    );
  return <GroupParticipants groupId={props.groupId} />;
}

function GroupParticipants(props: { groupId: string }) {
  const t = useT(dict);
  const locale = useContext(LocaleContext);
  const data = useLive(() => load(props.groupId), [props.groupId]);
  const [editing, setEditing] = useState<string | null>(null);
  const [filter, setFilter] = useState<string>('');
  const [notice, setNotice] = useState('');
  if (!data) return null;
  if (!data.group) return <p>{t('notFound')}</p>;
  const shown = filter ? data.mine.filter((p) => p.status === filter) : data.mine;
  return (
    <>
      <h1>
        {t('title')} · {data.group.name}
      </h1>
      <p class="admin-privacy" role="note">
        {t('privacy')}
      </p>
      <p role="status" class={notice ? 'card' : undefined}>
        {notice}
      </p>
      <Field id="pp-filter" label={t('filter')}>
        <select id="pp-filter" value={filter} onChange={(e) => setFilter(e.currentTarget.value)}>
          <option value="">{t('all')}</option>
          {PARTICIPANT_STATUS.map((s) => (
            <option key={s} value={s}>
              {statusNames[locale][s]}
            </option>
          ))}
        </select>
      </Field>
      <AddParticipants groupId={props.groupId} taken={data.mine.map((p) => p.name)} />
      {data.mine.length === 0 && <p class="muted">{t('none')}</p>}
      <ul class="admin-list">
        {shown.map((p) => {
          const s = data.stats.get(p.id);
          const first = p.firstVisit ?? s?.firstVisit ?? null;
          const links = p.personId ? data.others.filter((o) => o.personId === p.personId) : [];
          return (
            <li key={p.id} class="card">
              <div class="row admin-item">
                <div class="admin-grow">
                  <strong>{p.name}</strong> <span class={`admin-badge status-${p.status}`}>{statusNames[locale][p.status] ?? p.status}</span>
                  <div class="muted">
                    {t('foundVia')}: {foundViaNames[locale][p.foundVia] ?? p.foundVia}
                  </div>
                  <div class="muted">
                    {t('firstVisit')}: {first ? formatDay(first, locale) : p.cameBefore ? t('cameBefore') : t('never')} · {t('rounds', { n: s?.attended ?? 0 })} · {t('lastVisit')}:{' '}
                    {s?.lastVisit ? formatDay(s.lastVisit, locale) : t('never')}
                  </div>
                  {links.length > 0 && (
                    <div class="muted">
                      {t('linked')}: {links.map((o) => `${o.name} (${data.groupNames.get(o.groupId ?? '') ?? '?'})`).join(', ')}
                    </div>
                  )}
                </div>
                <button type="button" aria-expanded={editing === p.id} onClick={() => setEditing(editing === p.id ? null : p.id)} aria-label={t('edit', { name: p.name })}>
                  ✎
                </button>
              </div>
              {editing === p.id && (
                <ParticipantForm
                  participant={p}
                  data={data}
                  onDone={() => setEditing(null)}
                  onErased={(n) => {
                    setEditing(null);
                    setNotice(t('erased', { name: p.name, n }));
                  }}
                />
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** A list pasted to start a group that existed before the app; every line is checked before one is stored. */
function AddParticipants(props: { groupId: string; taken: string[] }) {
  const t = useT(dict);
  const locale = useContext(LocaleContext);
  const [text, setText] = useState('');
  const [foundVia, setFoundVia] = useState<FoundVia>('onbekend');
  const [errors, setErrors] = useState<LineError[]>([]);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      const { parseParticipantList } = await import('../../shared/participant-list');
      const parsed = parseParticipantList(text, { today: localDate(), taken: props.taken });
      if (!parsed.ok) {
        setErrors(parsed.errors);
        return;
      }
      setErrors([]);
      if (await guarded(() => addKnownParticipants(props.groupId, parsed.participants, foundVia))) {
        setText('');
        showToast('info', t('added', { n: parsed.participants.length }));
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <details class="card">
      <summary>{t('addTitle')}</summary>
      <form class="stack" onSubmit={submit} noValidate>
        <p class="muted admin-hint">{t('addHint')}</p>
        <div class="field">
          <label for="pp-add-list">{t('addList')}</label>
          <textarea
            id="pp-add-list"
            rows={6}
            value={text}
            autocomplete="off"
            aria-invalid={errors.length ? 'true' : undefined}
            aria-describedby={errors.length ? 'pp-add-err' : undefined}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </div>
        {errors.length > 0 && (
          <div id="pp-add-err" class="field-error" role="alert">
            <ul>
              {errors.map((er) => (
                <li key={er.line}>{er.line ? t('addLine', { line: er.line, message: er.message }) : er.message}</li>
              ))}
            </ul>
            <p>{t('addNothing')}</p>
          </div>
        )}
        <Field id="pp-add-found" label={t('addFoundVia')}>
          <select id="pp-add-found" value={foundVia} onChange={(e) => setFoundVia(e.currentTarget.value as FoundVia)}>
            {FOUND_VIA.map((f) => (
              <option key={f} value={f}>
                {foundViaNames[locale][f]}
              </option>
            ))}
          </select>
        </Field>
        <div class="row">
          <button type="submit" class="primary" disabled={busy}>
            {t('addSubmit')}
          </button>
        </div>
      </form>
    </details>
  );
}

const orNull = (v: string) => (v === '' ? null : v);

function ParticipantForm(props: { participant: Participant; data: Data; onDone: () => void; onErased: (attendance: number) => void }) {
  const t = useT(dict);
  const locale = useContext(LocaleContext);
  const p = props.participant;
  // Export and erasure are the coördinator's (the server refuses anyone else).
  const manage = useCanManage();
  const [name, setName] = useState(p.name);
  const [status, setStatus] = useState<string>(p.status);
  const [foundVia, setFoundVia] = useState<string>(p.foundVia);
  const [gender, setGender] = useState<string>(p.gender ?? '');
  const [ageBand, setAgeBand] = useState<string>(p.ageBand ?? '');
  const [consentDate, setConsentDate] = useState(p.consentDate ?? '');
  const [errors, setErrors] = useState<Errors>({});
  const [other, setOther] = useState('');
  const [linkError, setLinkError] = useState<string | undefined>();
  const id = (f: string) => `pp-${p.id}-${f}`;

  const save = async (e: Event) => {
    e.preventDefault();
    try {
      await write('participants', p.id, p.groupId, {
        name,
        status: status as Participant['status'],
        foundVia: foundVia as Participant['foundVia'],
        gender: orNull(gender) as Participant['gender'],
        ageBand: orNull(ageBand) as Participant['ageBand'],
        consentDate: orNull(consentDate),
      });
      showToast('info', t('saved'));
      props.onDone();
    } catch (err) {
      setErrors(errorsOf(err));
    }
  };

  const link = async () => {
    const target = props.data.others.find((o) => o.id === other);
    if (!target) {
      setLinkError(t('linkChoose'));
      return;
    }
    setLinkError(undefined);
    const ok = await guarded(() => linkParticipants(p, target, [...props.data.mine, ...props.data.others]));
    if (ok) {
      setOther('');
      showToast('info', t('linkedToast'));
    }
  };

  const candidates = props.data.others.filter((o) => !p.personId || o.personId !== p.personId);
  return (
    <div class="stack admin-subform">
      <form class="stack" onSubmit={save} noValidate>
        <Field id={id('name')} label={t('name')} error={errors.name}>
          <input id={id('name')} value={name} maxLength={40} autocomplete="off" onInput={(e) => setName(e.currentTarget.value)} {...invalid(id('name'), errors.name)} />
        </Field>
        <Field id={id('status')} label={t('status')} error={errors.status}>
          <select id={id('status')} value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            {PARTICIPANT_STATUS.map((s) => (
              <option key={s} value={s}>
                {statusNames[locale][s]}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id('found')} label={t('foundVia')} error={errors.foundVia}>
          <select id={id('found')} value={foundVia} onChange={(e) => setFoundVia(e.currentTarget.value)}>
            {FOUND_VIA.map((f) => (
              <option key={f} value={f}>
                {foundViaNames[locale][f]}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id('gender')} label={t('gender')} error={errors.gender}>
          <select id={id('gender')} value={gender} onChange={(e) => setGender(e.currentTarget.value)}>
            <option value="">{t('notGiven')}</option>
            {GENDERS.map((g) => (
              <option key={g} value={g}>
                {genderNames[locale][g]}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id('age')} label={t('ageBand')} error={errors.ageBand}>
          <select id={id('age')} value={ageBand} onChange={(e) => setAgeBand(e.currentTarget.value)}>
            <option value="">{t('notGiven')}</option>
            {AGE_BANDS.map((a) => (
              <option key={a} value={a}>
                {ageBandNames[locale][a]}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id('consent')} label={t('consentDate')} error={errors.consentDate}>
          <input id={id('consent')} type="date" value={consentDate} onInput={(e) => setConsentDate(e.currentTarget.value)} {...invalid(id('consent'), errors.consentDate)} />
        </Field>
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
      <section class="stack" aria-labelledby={id('link-title')}>
        <h3 id={id('link-title')}>{t('linkTitle')}</h3>
        <p class="muted">{t('linkHint')}</p>
        {props.data.others
          .filter((o) => p.personId && o.personId === p.personId)
          .map((o) => (
            <div key={o.id} class="row admin-item">
              <span class="admin-grow">
                {o.name} ({props.data.groupNames.get(o.groupId ?? '') ?? '?'})
              </span>
              <button type="button" onClick={() => void guarded(() => unlinkParticipant(o))} aria-label={t('unlink', { name: o.name })}>
                ✕
              </button>
            </div>
          ))}
        {candidates.length === 0 ? (
          <p class="muted">{t('linkNone')}</p>
        ) : (
          <>
            <Field id={id('other')} label={t('linkPick')} error={linkError}>
              <select id={id('other')} value={other} onChange={(e) => setOther(e.currentTarget.value)} {...invalid(id('other'), linkError)}>
                <option value="">{t('choose')}</option>
                {candidates.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name} — {props.data.groupNames.get(o.groupId ?? '') ?? '?'}
                  </option>
                ))}
              </select>
            </Field>
            <button type="button" onClick={() => void link()}>
              {t('link')}
            </button>
          </>
        )}
      </section>
      {manage && <ParticipantPrivacy participant={p} onErased={props.onErased} />}
    </div>
  );
}
