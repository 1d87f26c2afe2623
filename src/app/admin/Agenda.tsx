// A group's agenda: plan the next rounds by its rhythm, move a planned round, cancel one (kept, shown struck through).
import { useContext, useState } from 'preact/hooks';
import { LocaleContext, useT } from '../i18n';
import { guarded, showToast } from '../toast';
import { db } from '../../data/db';
import { useLive } from '../../data/live';
import { reopenRound } from '../../data/actions';
import { write } from '../../data/write';
import { localDate } from '../../shared/ids';
import { defaultNth, MAX_PLANNED, planDates, weekdayOf, type Weekday } from '../../shared/agenda';
import { IsoDate, type Group, type Round } from '../../shared/schema';
import { alive, cancelRound, moveRound, planRounds, roundHasData } from './data';
import { errorsOf, Field, invalid } from './form';
import { formatDay, rhythmNames, roundStatusNames, weekdayNames } from './labels';
import { GroupPicker } from './GroupPicker';
import { roundMinutes } from '../../shared/report';

const dict = {
  nl: {
    title: 'Agenda',
    notFound: 'Deze groep bestaat niet (meer).',
    rhythm: 'Ritme: {rhythm}',
    planTitle: 'Rondes inplannen',
    from: 'Vanaf',
    count: 'Aantal rondes',
    weekday: 'Op',
    nth: 'Welke in de maand',
    nth1: '1e',
    nth2: '2e',
    nth3: '3e',
    nth4: '4e',
    nthLast: 'laatste',
    preview: 'Wordt ingepland:',
    previewNone: 'Geen data in deze periode.',
    plan: 'Plan {n} rondes',
    planned: '{n} rondes ingepland',
    skipped: '{n} data hadden al een ronde',
    oneTitle: 'Eén ronde inplannen',
    oneDate: 'Datum',
    planOne: 'Inplannen',
    noPattern: 'Deze groep heeft geen vast ritme: plan de rondes één voor één.',
    upcoming: 'Komende rondes',
    past: 'Eerdere rondes',
    noneUpcoming: 'Nog niets gepland.',
    move: 'Verzet de ronde van {date}',
    newDate: 'Nieuwe datum voor {date}',
    save: 'Opslaan',
    back: 'Annuleren',
    cancel: 'Annuleer de ronde van {date}',
    restore: 'Plan de ronde van {date} weer in',
    restoreReason: 'Weer ingepland in de agenda',
    cancelledWhy: 'Reden: {reason}',
    moved: 'Ronde verzet',
    locked: 'Deze ronde is al begonnen of heeft gegevens; de datum blijft staan.',
    invalidCount: 'Kies 1 tot {max} rondes',
    duration: 'Telt {d} in het jaarverslag',
    durationEdit: 'Duur van de ronde van {date} aanpassen',
    durationField: 'Duur van de ronde van {date}, in minuten',
    durationSaved: 'Duur opgeslagen',
    minutes: '{m} min',
    hours: '{h} u {m} min',
  },
  en: {
    title: 'Agenda',
    notFound: 'This group does not exist (any more).',
    rhythm: 'Rhythm: {rhythm}',
    planTitle: 'Plan rounds',
    from: 'From',
    count: 'Number of rounds',
    weekday: 'On',
    nth: 'Which one in the month',
    nth1: '1st',
    nth2: '2nd',
    nth3: '3rd',
    nth4: '4th',
    nthLast: 'last',
    preview: 'Will be planned:',
    previewNone: 'No dates in this period.',
    plan: 'Plan {n} rounds',
    planned: '{n} rounds planned',
    skipped: '{n} dates already had a round',
    oneTitle: 'Plan a single round',
    oneDate: 'Date',
    planOne: 'Plan',
    noPattern: 'This group has no fixed rhythm: plan rounds one by one.',
    upcoming: 'Upcoming rounds',
    past: 'Earlier rounds',
    noneUpcoming: 'Nothing planned yet.',
    move: 'Move the round of {date}',
    newDate: 'New date for {date}',
    duration: 'Counts {d} in the annual report',
    durationEdit: 'Correct the duration of the round of {date}',
    durationField: 'Duration of the round of {date}, in minutes',
    durationSaved: 'Duration saved',
    minutes: '{m} min',
    hours: '{h} h {m} min',
    save: 'Save',
    back: 'Cancel',
    cancel: 'Cancel the round of {date}',
    restore: 'Plan the round of {date} again',
    restoreReason: 'Planned again in the agenda',
    cancelledWhy: 'Reason: {reason}',
    moved: 'Round moved',
    locked: 'This round has started or has data; its date stays.',
    invalidCount: 'Choose 1 to {max} rounds',
  },
};

const PAST_SHOWN = 20;

async function load(groupId: string) {
  const d = db();
  const group = (await d.table('groups').get(groupId)) as Group | undefined;
  const rounds = alive((await d.table('rounds').where('groupId').equals(groupId).toArray()) as Round[]).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1));
  return { group: group && !group._d ? group : undefined, rounds };
}

export function Agenda(props: { groupId?: string }) {
  const t = useT(dict);
  if (!props.groupId) return <GroupPicker section="agenda" title={t('title')} />;
  return <GroupAgenda groupId={props.groupId} />;
}

function GroupAgenda(props: { groupId: string }) {
  const t = useT(dict);
  const locale = useContext(LocaleContext);
  const data = useLive(() => load(props.groupId), [props.groupId]);
  if (!data) return null;
  const { group, rounds } = data;
  if (!group) return <p>{t('notFound')}</p>;
  const today = localDate();
  const upcoming = rounds.filter((r) => r.date >= today);
  const past = rounds.filter((r) => r.date < today).reverse().slice(0, PAST_SHOWN);
  return (
    <>
      <h1>
        {t('title')} · {group.name}
      </h1>
      <p class="muted">{t('rhythm', { rhythm: rhythmNames[locale][group.rhythm] ?? group.rhythm })}</p>
      {group.rhythm === 'anders' ? <p>{t('noPattern')}</p> : <PlanForm group={group} />}
      <OneRoundForm group={group} />
      <h2>{t('upcoming')}</h2>
      {upcoming.length === 0 && <p class="muted">{t('noneUpcoming')}</p>}
      <RoundList rounds={upcoming} group={group} />
      {past.length > 0 && (
        <>
          <h2>{t('past')}</h2>
          <RoundList rounds={past} group={group} />
        </>
      )}
    </>
  );
}

function PlanForm(props: { group: Group }) {
  const t = useT(dict);
  const locale = useContext(LocaleContext);
  const [from, setFrom] = useState(localDate());
  const [count, setCount] = useState('6');
  const [weekday, setWeekday] = useState<Weekday | null>(null);
  const [nth, setNth] = useState<number | null>(null);
  const [error, setError] = useState<string | undefined>();
  const validFrom = IsoDate.safeParse(from).success;
  const n = Number(count);
  const validCount = Number.isInteger(n) && n >= 1 && n <= MAX_PLANNED;
  const day = weekday ?? (validFrom ? weekdayOf(from) : 1);
  const which = nth ?? (validFrom ? defaultNth(from) : 1);
  const monthly = props.group.rhythm === 'maandelijks';
  const dates = validFrom && validCount ? planDates(props.group.rhythm, from, n, { weekday: day, nth: which as 1 | 2 | 3 | 4 | -1 }) : [];

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!validCount) {
      setError(t('invalidCount', { max: MAX_PLANNED }));
      return;
    }
    setError(undefined);
    await guarded(async () => {
      const planned = await planRounds(props.group, dates);
      showToast('info', [t('planned', { n: planned.length }), dates.length > planned.length ? t('skipped', { n: dates.length - planned.length }) : ''].filter(Boolean).join(' · '));
    });
  };
  const nthOptions: [number, string][] = [
    [1, t('nth1')],
    [2, t('nth2')],
    [3, t('nth3')],
    [4, t('nth4')],
    [-1, t('nthLast')],
  ];
  return (
    <form class="card stack" onSubmit={submit} noValidate aria-labelledby="ag-plan-title">
      <h2 id="ag-plan-title">{t('planTitle')}</h2>
      <div class="admin-two">
        <Field id="ag-from" label={t('from')}>
          <input id="ag-from" type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </Field>
        <Field id="ag-count" label={t('count')} error={error}>
          <input id="ag-count" type="number" inputMode="numeric" min={1} max={MAX_PLANNED} value={count} onInput={(e) => setCount(e.currentTarget.value)} {...invalid('ag-count', error)} />
        </Field>
      </div>
      <div class="admin-two">
        {monthly && (
          <Field id="ag-nth" label={t('nth')}>
            <select id="ag-nth" value={String(which)} onChange={(e) => setNth(Number(e.currentTarget.value))}>
              {nthOptions.map(([v, label]) => (
                <option key={v} value={String(v)}>
                  {label}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field id="ag-weekday" label={t('weekday')}>
          <select id="ag-weekday" value={String(day)} onChange={(e) => setWeekday(Number(e.currentTarget.value) as Weekday)}>
            {([1, 2, 3, 4, 5, 6, 0] as const).map((w) => (
              <option key={w} value={String(w)}>
                {weekdayNames[locale][w]}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <p class="muted">{dates.length ? `${t('preview')} ${dates.map((d) => formatDay(d, locale)).join(', ')}` : t('previewNone')}</p>
      <button type="submit" class="primary big" disabled={dates.length === 0}>
        {t('plan', { n: dates.length })}
      </button>
    </form>
  );
}

function OneRoundForm(props: { group: Group }) {
  const t = useT(dict);
  const [date, setDate] = useState('');
  const [error, setError] = useState<string | undefined>();
  const submit = async (e: Event) => {
    e.preventDefault();
    const parsed = IsoDate.safeParse(date);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message);
      return;
    }
    setError(undefined);
    await guarded(async () => {
      const planned = await planRounds(props.group, [date]);
      showToast('info', planned.length ? t('planned', { n: 1 }) : t('skipped', { n: 1 }));
      if (planned.length) setDate('');
    });
  };
  return (
    <form class="card row admin-add" onSubmit={submit} noValidate aria-labelledby="ag-one-title">
      <h2 id="ag-one-title" class="admin-full">
        {t('oneTitle')}
      </h2>
      <Field id="ag-one" label={t('oneDate')} error={error}>
        <input id="ag-one" type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} {...invalid('ag-one', error)} />
      </Field>
      <button type="submit">{t('planOne')}</button>
    </form>
  );
}

function RoundList(props: { rounds: Round[]; group: Group }) {
  return (
    <ul class="admin-list">
      {props.rounds.map((r) => (
        <RoundItem key={r.id} round={r} group={props.group} />
      ))}
    </ul>
  );
}

function RoundItem(props: { round: Round; group: Group }) {
  const t = useT(dict);
  const locale = useContext(LocaleContext);
  const r = props.round;
  const [moving, setMoving] = useState(false);
  const [date, setDate] = useState(r.date);
  const [error, setError] = useState<string | undefined>();
  const [locked, setLocked] = useState(false);
  const label = formatDay(r.date, locale);
  const cancelled = r.status === 'geannuleerd';

  const startMove = async () => {
    // Checked before the form opens, so nobody types a date that cannot be saved.
    if (await roundHasData(r.id)) {
      setLocked(true);
      return;
    }
    setMoving(true);
  };
  const move = async (e: Event) => {
    e.preventDefault();
    try {
      await moveRound(r, props.group, date);
      showToast('info', t('moved'));
      setMoving(false);
    } catch (err) {
      const errors = errorsOf(err);
      setError(errors.date ?? Object.values(errors)[0]);
    }
  };
  return (
    <li class="card">
      <div class="row admin-item">
        <span class="admin-grow">
          {cancelled ? <s>{label}</s> : <strong>{label}</strong>} <span class={`admin-badge round-${r.status}`}>{roundStatusNames[locale][r.status] ?? r.status}</span>
        </span>
        {r.status === 'gepland' && !moving && (
          <>
            <button type="button" onClick={() => void startMove()} aria-label={t('move', { date: label })}>
              ✎
            </button>
            <button type="button" class="danger" onClick={() => void guarded(() => cancelRound(r))} aria-label={t('cancel', { date: label })}>
              ✕
            </button>
          </>
        )}
        {cancelled && (
          <button type="button" onClick={() => void guarded(() => reopenRound(r, t('restoreReason')))} aria-label={t('restore', { date: label })}>
            ↺
          </button>
        )}
      </div>
      {cancelled && r.cancelReason && <p class="muted">{t('cancelledWhy', { reason: r.cancelReason })}</p>}
      {r.status === 'afgerond' && <DurationEdit round={r} label={label} />}
      {locked && (
        <p class="muted" role="status">
          {t('locked')}
        </p>
      )}
      {moving && (
        <form class="row admin-add" onSubmit={move} noValidate>
          <Field id={`mv-${r.id}`} label={t('newDate', { date: label })} error={error}>
            <input id={`mv-${r.id}`} type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} {...invalid(`mv-${r.id}`, error)} />
          </Field>
          <button type="submit" class="primary">
            {t('save')}
          </button>
          <button type="button" onClick={() => setMoving(false)}>
            {t('back')}
          </button>
        </form>
      )}
    </li>
  );
}

/** The duration the report counts for a held round, and the coördinator's later correction of it. */
function DurationEdit(props: { round: Round; label: string }) {
  const t = useT(dict);
  const r = props.round;
  const counted = Math.round(roundMinutes(r));
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(String(counted));
  const [error, setError] = useState<string | undefined>();
  const fmt = (m: number) => (m < 60 ? t('minutes', { m }) : t('hours', { h: Math.floor(m / 60), m: m % 60 }));
  const id = `dur-${r.id}`;
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      await write('rounds', r.id, r.groupId, { durationMin: value.trim() === '' ? NaN : Number(value) });
      showToast('info', t('durationSaved'));
      setEditing(false);
      setError(undefined);
    } catch (err) {
      const errors = errorsOf(err);
      setError(errors.durationMin ?? Object.values(errors)[0]);
    }
  };
  return editing ? (
    <form class="row admin-add" onSubmit={save} noValidate>
      <Field id={id} label={t('durationField', { date: props.label })} error={error}>
        <input id={id} inputMode="numeric" value={value} onInput={(e) => setValue(e.currentTarget.value)} {...invalid(id, error)} />
      </Field>
      <button type="submit" class="primary">
        {t('save')}
      </button>
      <button type="button" onClick={() => setEditing(false)}>
        {t('back')}
      </button>
    </form>
  ) : (
    <div class="row admin-item">
      <span class="admin-grow muted">{t('duration', { d: fmt(counted) })}</span>
      <button type="button" onClick={() => setEditing(true)} aria-label={t('durationEdit', { date: props.label })}>
        ✎
      </button>
    </div>
  );
}
