// The first screen of a round: one tap per person marks them present; a newcomer needs only a name and how they came.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { addParticipant, markCameBefore, setPresent } from '../../data/actions';
import { attendanceHistory, attendanceRows, presentIn, type AttendanceRow } from '../../data/round-queries';
import { useLive } from '../../data/live';
import { FOUND_VIA, type FoundVia } from '../../shared/method';
import { ValidationError } from '../../shared/records';
import type { Round } from '../../shared/schema';
import { useT } from '../i18n';
import { guarded, showToast } from '../toast';
import { dict } from './dict';

/** Above this many names a search field saves scrolling. */
const SEARCH_FROM = 12;

const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** `askNew`: leaving the list for the first time in a group's very first round asks whether everyone marked
 * "nieuw" really came for the first time — people who came long before the app are no newcomers. */
export function AttendanceScreen(props: { round: Round; action: string; onAction: () => void; askNew?: boolean }) {
  const t = useT(dict);
  const { round } = props;
  const history = useLive(() => attendanceHistory(round), [round.id, round.groupId, round.date]);
  const ticked = useLive(() => presentIn(round.id), [round.id]);
  const rows = useMemo(() => (history && ticked ? attendanceRows(history, ticked) : undefined), [history, ticked]);
  const [query, setQuery] = useState('');
  const [adding, setAdding] = useState(false);
  const [asking, setAsking] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const newBtn = useRef<HTMLButtonElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const list = rows ?? [];
  const present = list.filter((r) => r.present).length;
  const q = fold(query.trim());
  const shown = q ? list.filter((r) => fold(r.participant.name).includes(q)) : list;

  return (
    <section class="flow">
      <h1 ref={heading} tabIndex={-1}>
        {t('attendance')}
      </h1>
      <p class="present-count" aria-live="polite">
        {t('presentCount', { n: present })}
      </p>
      <p class="muted">{t('tapHint')}</p>
      {list.length > SEARCH_FROM && (
        <div class="field">
          <label for="att-search">{t('search')}</label>
          <input id="att-search" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} autocomplete="off" />
        </div>
      )}
      {rows && list.length === 0 && <p class="muted">{t('noParticipants')}</p>}
      {q && shown.length === 0 && <p class="muted">{t('noMatch', { q: query.trim() })}</p>}
      <ul class="att-list">
        {shown.map((r) => (
          <li key={r.participant.id}>
            <button
              type="button"
              class="att-row"
              aria-pressed={r.present}
              onClick={() => void guarded(() => setPresent(round, r.participant.id, !r.present))}
            >
              <span class="tick" aria-hidden="true">
                {r.present ? '✓' : ''}
              </span>
              <span class="att-name">{r.participant.name}</span>
              {r.isNew && <span class="att-new">{t('isNew')}</span>}
            </button>
          </li>
        ))}
      </ul>
      {adding ? (
        <NewcomerForm
          round={round}
          initialName={shown.length === 0 ? query.trim() : ''}
          onDone={(added) => {
            setAdding(false);
            if (added) setQuery('');
            queueMicrotask(() => newBtn.current?.focus());
          }}
        />
      ) : (
        <button type="button" ref={newBtn} class="new-participant" onClick={() => setAdding(true)}>
          <span aria-hidden="true">+</span> {t('newParticipant')}
        </button>
      )}
      {asking ? (
        <NewcomerCheck
          rows={list.filter((r) => r.isNew)}
          onDone={(moveOn) => {
            setAsking(false);
            if (moveOn) props.onAction();
          }}
        />
      ) : (
        <div class="flow-nav">
          <button
            type="button"
            class="primary big"
            onClick={() => {
              const firstRound = props.askNew && history?.last.size === 0 && list.some((r) => r.isNew);
              if (firstRound) setAsking(true);
              else props.onAction();
            }}
          >
            {props.action}
          </button>
        </div>
      )}
    </section>
  );
}

/** The first round's question: "Ja" moves on; "Nee" lets the begeleider tick who came before the app. */
function NewcomerCheck(props: { rows: AttendanceRow[]; onDone: (moveOn: boolean) => void }) {
  const t = useT(dict);
  const [choosing, setChoosing] = useState(false);
  const [earlier, setEarlier] = useState<ReadonlySet<string>>(new Set());
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [choosing]);
  const toggle = (id: string) =>
    setEarlier((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  return (
    <div class="card newcomer" role="group" aria-labelledby="nc-check">
      <h2 id="nc-check" ref={heading} tabIndex={-1}>
        {t('reallyNew', { n: props.rows.length })}
      </h2>
      <p class="muted">{t('reallyNewHint')}</p>
      {choosing ? (
        <>
          <fieldset class="chips">
            <legend>{t('whoCameBefore')}</legend>
            {props.rows.map((r) => (
              <label key={r.participant.id} class="chip">
                <input type="checkbox" checked={earlier.has(r.participant.id)} onChange={() => toggle(r.participant.id)} />
                {r.participant.name}
              </label>
            ))}
          </fieldset>
          <div class="row">
            <button
              type="button"
              class="primary"
              onClick={async () => {
                const chosen = props.rows.filter((r) => earlier.has(r.participant.id)).map((r) => r.participant);
                if (await guarded(() => markCameBefore(chosen))) props.onDone(true);
              }}
            >
              {t('saveAndGo')}
            </button>
            <button type="button" onClick={() => props.onDone(false)}>
              {t('cancel')}
            </button>
          </div>
        </>
      ) : (
        <div class="row">
          <button type="button" class="primary" onClick={() => props.onDone(true)}>
            {t('allNew')}
          </button>
          <button type="button" onClick={() => setChoosing(true)}>
            {t('someCameBefore')}
          </button>
        </div>
      )}
    </div>
  );
}

function NewcomerForm(props: { round: Round; initialName: string; onDone: (added: boolean) => void }) {
  const t = useT(dict);
  const [name, setName] = useState(props.initialName);
  const [via, setVia] = useState<FoundVia>('onbekend');
  const [cameBefore, setCameBefore] = useState(false);
  const [firstVisit, setFirstVisit] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!name.trim()) {
      setError(t('nameRequired'));
      input.current?.focus();
      return;
    }
    setBusy(true);
    try {
      await addParticipant(props.round, { name, foundVia: via, cameBefore, firstVisit: cameBefore && firstVisit ? firstVisit : null });
      props.onDone(true);
    } catch (err) {
      if (err instanceof ValidationError) {
        setError(err.issues[0]?.message ?? err.message);
        input.current?.focus();
      } else showToast('error', (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card newcomer" onSubmit={submit} noValidate aria-labelledby="nc-title">
      <h2 id="nc-title">{t('newParticipant')}</h2>
      <label for="nc-name">{t('name')}</label>
      <input
        id="nc-name"
        ref={input}
        type="text"
        autocomplete="off"
        maxLength={60}
        value={name}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby="nc-err nc-privacy"
        onInput={(e) => {
          setName(e.currentTarget.value);
          if (error) setError('');
        }}
      />
      <p id="nc-err" class="field-error" role={error ? 'alert' : undefined}>
        {error}
      </p>
      <p id="nc-privacy" class="muted">
        {t('privacy')}
      </p>
      <fieldset class="chips">
        <legend>{t('foundVia')}</legend>
        {FOUND_VIA.map((f) => (
          <label key={f} class="chip">
            <input type="radio" name="foundVia" value={f} checked={via === f} onChange={() => setVia(f)} />
            {t(`fv.${f}`)}
          </label>
        ))}
      </fieldset>
      <p>
        <label class="chip">
          <input type="checkbox" checked={cameBefore} onChange={(e) => setCameBefore(e.currentTarget.checked)} />
          {t('cameBefore')}
        </label>
      </p>
      {cameBefore && (
        <div class="field">
          <label for="nc-first">{t('firstVisitOptional')}</label>
          <input
            id="nc-first"
            type="date"
            max={props.round.date}
            value={firstVisit}
            onInput={(e) => {
              setFirstVisit(e.currentTarget.value);
              if (error) setError('');
            }}
          />
        </div>
      )}
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>
          {t('add')}
        </button>
        <button type="button" onClick={() => props.onDone(false)}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
