// One group: start or continue today's round, planned and recent rounds, its participants, and its step plan.
import { Fragment } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { cancelRound, reopenRound, RoundExistsError, setPlan, startRound, updateRound } from '../../data/actions';
import { groupDetail, type GroupDetail } from '../../data/group-queries';
import { useLive } from '../../data/live';
import { localDate } from '../../shared/ids';
import { DEFAULT_PLAN, TIMER_STEPS, type StepPlan, type TimerStep } from '../../shared/method';
import type { Round } from '../../shared/schema';
import { LocaleContext, useT, type T } from '../i18n';
import { navigate } from '../router';
import { guarded, showToast } from '../toast';
import { stepDict } from '../timer/steps';
import { Field, focusFirstError, invalid } from './Field';
import { ValidationError } from '../../shared/records';
import { formatDate, formatHours } from './format';
import { planError, planTotal, type PlanInput } from './plan';
import { useCanManage } from '../role';
import './groups.css';

const dict = {
  nl: {
    loading: 'Groep laden…',
    notFound: 'Deze groep staat niet op deze telefoon. Synchroniseer eerst, of ga terug naar de groepen.',
    back: 'Terug naar de groepen',
    start: 'Start de ronde van vandaag',
    continue: 'Verder met de ronde van vandaag',
    exists: 'Er is vandaag al een ronde geweest',
    existsHow: 'Wil je echt nog een ronde houden vandaag? Dan wordt het een tweede ronde met een eigen aanwezigheidslijst.',
    second: 'Toch een tweede ronde starten',
    timer: 'Timer (co-begeleider)',
    openRunning: 'Er loopt nog een ronde van {date}: openen',
    planned: 'Geplande rondes',
    open: 'Openen',
    openPlanned: 'Open de geplande ronde van {date}',
    startPlanned: 'Starten',
    startPlannedOf: 'Start de geplande ronde van {date}',
    recent: 'Recente rondes',
    noRounds: 'Deze groep heeft nog geen rondes gehad.',
    present: '{n} aanwezig',
    participants: 'Deelnemers',
    noParticipants: 'Nog geen deelnemers. Je voegt ze toe tijdens de ronde, bij de aanwezigheid.',
    name: 'Naam',
    status: 'Status',
    firstVisit: 'Eerste keer',
    attended: 'Rondes',
    unknown: 'onbekend',
    plan: 'Stappenplan',
    planIntro: 'Minuten per stap. De timer van de co-begeleider volgt dit plan vanaf de volgende ronde die je start.',
    planReadOnly: 'Minuten per stap. Het plan van de groep stelt de coördinator vast.',
    minutes: 'minuten',
    total: 'Totaal: {min} minuten ({h} uur)',
    savePlan: 'Stappenplan opslaan',
    planSaved: 'Stappenplan opgeslagen',
    planInvalid: 'Niet opgeslagen: verbeter de minuten met een melding.',
    'err.empty': 'Vul een aantal minuten in',
    'err.whole': 'Alleen hele minuten, 0 tot 240',
    'err.max': 'Hoogstens 240 minuten',
    'st.gepland': 'gepland',
    'st.bezig': 'bezig',
    'st.afgerond': 'afgerond',
    'st.geannuleerd': 'geannuleerd',
    'ps.actief': 'actief',
    'ps.afgerond': 'afgerond',
    'ps.gestopt': 'tijdelijk gestopt',
    cancelledWhy: 'geannuleerd: {reason}',
    cancel: 'Annuleren',
    cancelOf: 'Ronde van {date} annuleren',
    cancelWhy: 'Waarom annuleer je deze ronde?',
    cancelConfirm: 'Annuleren bevestigen',
    cancelled: 'Ronde geannuleerd',
    reopen: 'Heropenen',
    reopenOf: 'Ronde van {date} heropenen',
    reopenWhy: 'Waarom heropen je deze ronde?',
    reopenConfirm: 'Heropenen bevestigen',
    reopened: 'Ronde heropend',
    keep: 'Terug',
  },
  en: {
    loading: 'Loading group…',
    notFound: 'This group is not on this phone. Sync first, or go back to the groups.',
    back: 'Back to the groups',
    start: "Start today's round",
    continue: "Continue today's round",
    exists: 'There has already been a round today',
    existsHow: 'Do you really want another round today? It becomes a second round with its own attendance list.',
    second: 'Start a second round anyway',
    timer: 'Timer (co-facilitator)',
    openRunning: 'A round of {date} is still running: open it',
    planned: 'Planned rounds',
    open: 'Open',
    openPlanned: 'Open the planned round of {date}',
    startPlanned: 'Start',
    startPlannedOf: 'Start the planned round of {date}',
    recent: 'Recent rounds',
    noRounds: 'This group has not had any rounds yet.',
    present: '{n} present',
    participants: 'Participants',
    noParticipants: 'No participants yet. You add them during the round, with the attendance.',
    name: 'Name',
    status: 'Status',
    firstVisit: 'First visit',
    attended: 'Rounds',
    unknown: 'unknown',
    plan: 'Step plan',
    planIntro: "Minutes per step. The co-facilitator's timer follows this plan from the next round you start.",
    planReadOnly: "Minutes per step. The group's plan is set by the coordinator.",
    minutes: 'minutes',
    total: 'Total: {min} minutes ({h} hours)',
    savePlan: 'Save step plan',
    planSaved: 'Step plan saved',
    planInvalid: 'Not saved: correct the minutes with a message.',
    'err.empty': 'Enter a number of minutes',
    'err.whole': 'Whole minutes only, 0 to 240',
    'err.max': 'At most 240 minutes',
    'st.gepland': 'planned',
    'st.bezig': 'running',
    'st.afgerond': 'finished',
    'st.geannuleerd': 'cancelled',
    'ps.actief': 'active',
    'ps.afgerond': 'finished',
    'ps.gestopt': 'paused',
    cancelledWhy: 'cancelled: {reason}',
    cancel: 'Cancel',
    cancelOf: 'Cancel the round of {date}',
    cancelWhy: 'Why are you cancelling this round?',
    cancelConfirm: 'Confirm cancelling',
    cancelled: 'Round cancelled',
    reopen: 'Reopen',
    reopenOf: 'Reopen the round of {date}',
    reopenWhy: 'Why are you reopening this round?',
    reopenConfirm: 'Confirm reopening',
    reopened: 'Round reopened',
    keep: 'Back',
  },
};

type Key = keyof typeof dict.nl;
const roundHref = (r: Round) => `#/ronde/${encodeURIComponent(r.id)}`;

export function GroupPage({ groupId }: { groupId: string }) {
  const t = useT(dict);
  const detail = useLive(() => groupDetail(groupId), [groupId], undefined as GroupDetail | null | undefined);
  const manage = useCanManage();
  if (detail === undefined) return <p class="muted">{t('loading')}</p>;
  if (detail === null)
    return (
      <div class="card stack">
        <p>{t('notFound')}</p>
        <a class="btn" href="#/">
          {t('back')}
        </a>
      </div>
    );
  return (
    <div class="groups">
      <h1>{detail.group.name}</h1>
      {detail.location && (
        <p class="muted">
          {detail.location.name} · {detail.location.wijk}
          {detail.location.address ? ` · ${detail.location.address}` : ''}
        </p>
      )}
      <StartSection detail={detail} t={t} />
      <Rounds detail={detail} t={t} />
      <Participants detail={detail} t={t} />
      <PlanEditor key={detail.group.id} detail={detail} t={t} readOnly={!manage} />
    </div>
  );
}

function StartSection({ detail, t }: { detail: GroupDetail; t: T<Key> }) {
  const locale = useContext(LocaleContext);
  const [exists, setExists] = useState(false);
  const [busy, setBusy] = useState(false);
  const today = localDate();
  const running = detail.rounds.map((r) => r.round).filter((r) => r.status === 'bezig');
  const runningToday = running.find((r) => r.date === today);
  const runningEarlier = running.find((r) => r.date !== today);

  const start = async (second: boolean) => {
    if (runningToday && !second) return navigate(`/ronde/${encodeURIComponent(runningToday.id)}`);
    setBusy(true);
    try {
      const id = await startRound(detail.group, { second });
      navigate(`/ronde/${encodeURIComponent(id)}`);
    } catch (e) {
      if (e instanceof RoundExistsError) setExists(true);
      else showToast('error', (e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="stack">
      <button type="button" class="primary big" disabled={busy} onClick={() => start(false)}>
        {runningToday ? t('continue') : t('start')}
      </button>
      {exists && !runningToday && (
        <div class="notice" role="alert">
          <p>
            <strong>{t('exists')}</strong>
          </p>
          <p>{t('existsHow')}</p>
          <button type="button" disabled={busy} onClick={() => start(true)}>
            {t('second')}
          </button>
        </div>
      )}
      {runningEarlier && (
        <a class="btn" href={roundHref(runningEarlier)}>
          {t('openRunning', { date: formatDate(runningEarlier.date, locale) })}
        </a>
      )}
      <a class="btn" href={`#/ronde/${encodeURIComponent(detail.timerRoundId)}/timer`}>
        {t('timer')}
      </a>
    </section>
  );
}

function Rounds({ detail, t }: { detail: GroupDetail; t: T<Key> }) {
  const locale = useContext(LocaleContext);
  const planned = detail.rounds.filter((r) => r.round.status === 'gepland').reverse();
  const held = detail.rounds.filter((r) => r.round.status !== 'gepland').slice(0, 10);
  const startPlanned = (r: Round) =>
    guarded(async () => {
      await updateRound(r, { status: 'bezig', startedAt: Date.now() });
      navigate(`/ronde/${encodeURIComponent(r.id)}`);
    });
  return (
    <>
      {planned.length > 0 && (
        <section>
          <h2>{t('planned')}</h2>
          <ul class="plain-list card">
            {planned.map(({ round }) => {
              const date = formatDate(round.date, locale);
              return (
                <li key={round.id} class="row link-row">
                  <span>{date}</span>
                  <span class="row">
                    <a class="btn" href={roundHref(round)} aria-label={t('openPlanned', { date })}>
                      {t('open')}
                    </a>
                    <button type="button" class="primary" onClick={() => startPlanned(round)} aria-label={t('startPlannedOf', { date })}>
                      {t('startPlanned')}
                    </button>
                  </span>
                </li>
              );
            })}
          </ul>
        </section>
      )}
      <section>
        <h2>{t('recent')}</h2>
        {held.length === 0 ? (
          <p class="muted">{t('noRounds')}</p>
        ) : (
          <ul class="plain-list card">
            {held.map(({ round, present }) => (
              <li key={round.id} class="round-item">
                <a class="link-row" href={roundHref(round)}>
                  <span>{formatDate(round.date, locale)}</span>
                  <span class="muted">
                    {round.status === 'geannuleerd' && round.cancelReason
                      ? `${t('cancelledWhy', { reason: round.cancelReason })} · `
                      : round.status
                        ? `${t(`st.${round.status}` as Key)} · `
                        : ''}
                    {t('present', { n: present })}
                  </span>
                </a>
                <RoundUndo round={round} t={t} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

/** Undo for a round: cancel an accidental one, or reopen a closed or cancelled one — each with a reason. */
function RoundUndo({ round, t }: { round: Round; t: T<Key> }) {
  const locale = useContext(LocaleContext);
  const [mode, setMode] = useState<'cancel' | 'reopen' | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const date = formatDate(round.date, locale);
  const canCancel = round.status === 'bezig' || round.status === 'afgerond';
  const canReopen = round.status === 'afgerond' || round.status === 'geannuleerd';
  const open = (m: 'cancel' | 'reopen') => {
    setMode(m);
    setReason('');
    setError(undefined);
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      if (mode === 'cancel') await cancelRound(round, reason);
      else await reopenRound(round, reason);
      showToast('info', t(mode === 'cancel' ? 'cancelled' : 'reopened'));
      setMode(null);
    } catch (err) {
      const issue = err instanceof ValidationError ? err.issues[0]?.message : (err as Error).message;
      setError(issue);
    }
  };
  if (!canCancel && !canReopen) return null;
  const id = `undo-${round.id}`;
  return mode === null ? (
    <span class="row round-undo">
      {canReopen && (
        <button type="button" onClick={() => open('reopen')} aria-label={t('reopenOf', { date })}>
          {t('reopen')}
        </button>
      )}
      {canCancel && (
        <button type="button" class="danger" onClick={() => open('cancel')} aria-label={t('cancelOf', { date })}>
          {t('cancel')}
        </button>
      )}
    </span>
  ) : (
    <form class="round-undo" onSubmit={submit} noValidate>
      <Field id={id} label={t(mode === 'cancel' ? 'cancelWhy' : 'reopenWhy')} error={error}>
        <input id={id} value={reason} maxLength={200} onInput={(e) => setReason(e.currentTarget.value)} {...invalid(id, error)} />
      </Field>
      <span class="row">
        <button type="submit" class={mode === 'cancel' ? 'danger' : 'primary'}>
          {t(mode === 'cancel' ? 'cancelConfirm' : 'reopenConfirm')}
        </button>
        <button type="button" onClick={() => setMode(null)}>
          {t('keep')}
        </button>
      </span>
    </form>
  );
}

function Participants({ detail, t }: { detail: GroupDetail; t: T<Key> }) {
  const locale = useContext(LocaleContext);
  return (
    <section>
      <h2>{t('participants')}</h2>
      {detail.participants.length === 0 ? (
        <p class="muted">{t('noParticipants')}</p>
      ) : (
        <div class="table-wrap card">
          <table class="participants">
            <thead>
              <tr>
                <th scope="col">{t('name')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('firstVisit')}</th>
                <th scope="col">{t('attended')}</th>
              </tr>
            </thead>
            <tbody>
              {detail.participants.map(({ participant: p, attended }) => (
                <tr key={p.id}>
                  <th scope="row">{p.name}</th>
                  <td>{p.status ? t(`ps.${p.status}` as Key) : t('unknown')}</td>
                  <td>{p.firstVisit ? formatDate(p.firstVisit, locale) : t('unknown')}</td>
                  <td>{attended}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const toInput = (plan: StepPlan): PlanInput => Object.fromEntries(TIMER_STEPS.map((s) => [s, String(plan[s] ?? 0)])) as PlanInput;

/** `readOnly` for a begeleider: the plan is the coördinator's, and the server would refuse the change. */
function PlanEditor({ detail, t, readOnly }: { detail: GroupDetail; t: T<Key>; readOnly: boolean }) {
  const steps = useT(stepDict);
  const locale = useContext(LocaleContext);
  const stored = detail.group.plan ?? DEFAULT_PLAN;
  const [values, setValues] = useState<PlanInput>(() => toInput(stored));
  const dirty = useRef(false);
  const [errors, setErrors] = useState<Partial<Record<TimerStep, string>>>({});
  const storedKey = JSON.stringify(stored);
  const shownKey = useRef(storedKey);
  // A plan changed on another phone shows up here unless this person is editing it.
  useEffect(() => {
    if (shownKey.current === storedKey) return;
    shownKey.current = storedKey;
    if (!dirty.current) setValues(toInput(stored));
  }, [storedKey]);

  const total = planTotal(values);
  const submit = async (e: Event) => {
    e.preventDefault();
    const errs: Partial<Record<TimerStep, string>> = {};
    for (const s of TIMER_STEPS) {
      const err = planError(values[s]);
      if (err) errs[s] = t(`err.${err}`);
    }
    setErrors(errs);
    if (Object.keys(errs).length > 0) {
      focusFirstError(e.currentTarget as HTMLFormElement);
      return showToast('error', t('planInvalid'));
    }
    const plan = Object.fromEntries(TIMER_STEPS.map((s) => [s, Number(values[s].trim())])) as StepPlan;
    if (await guarded(() => setPlan(detail.group, plan))) {
      dirty.current = false;
      showToast('info', t('planSaved'));
    }
  };

  return (
    <section>
      <h2>{t('plan')}</h2>
      <form class="card" onSubmit={submit} noValidate>
        <p class="muted">{readOnly ? t('planReadOnly') : t('planIntro')}</p>
        <div class="plan-grid">
          {TIMER_STEPS.map((s) => (
            <Fragment key={s}>
              <label for={`plan-${s}`}>
                {steps(s)} <span class="sr-only">({t('minutes')})</span>
              </label>
              <input
                id={`plan-${s}`}
                inputMode="numeric"
                readOnly={readOnly}
                value={values[s]}
                onInput={(e) => {
                  const v = e.currentTarget.value;
                  setValues((x) => ({ ...x, [s]: v }));
                  dirty.current = true;
                }}
                {...invalid(`plan-${s}`, errors[s])}
              />
              {errors[s] && (
                <p class="field-error" id={`plan-${s}-err`}>
                  {errors[s]}
                </p>
              )}
            </Fragment>
          ))}
        </div>
        <p class="plan-total" aria-live="polite">
          {t('total', { min: total, h: formatHours(total, locale) })}
        </p>
        {!readOnly && (
          <button type="submit" class="primary big">
            {t('savePlan')}
          </button>
        )}
      </form>
    </section>
  );
}
