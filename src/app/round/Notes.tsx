// Notes per step: each note is its own record (never overwritten); a too-long note is refused with its text kept.
import { useState } from 'preact/hooks';
import { addNote } from '../../data/actions';
import type { RoundStep } from '../../shared/method';
import { NOTE_MAX, ValidationError } from '../../shared/records';
import type { Note, Round } from '../../shared/schema';
import { useT } from '../i18n';
import { showToast } from '../toast';
import { dict } from './dict';

/** The counter appears this close to the limit, so it never distracts from short notes. */
const COUNTER_FROM = NOTE_MAX - 200;

export function StepNotes(props: {
  round: Round;
  step: RoundStep;
  notes: Note[];
  draft: string;
  onDraft: (text: string) => void;
}) {
  const t = useT(dict);
  const { round, step, draft } = props;
  const [error, setError] = useState('');
  const [saved, setSaved] = useState(false);
  const mine = props.notes.filter((n) => n.step === step);
  const id = `note-${step}`;
  const len = draft.trim().length;

  const save = async (e: Event) => {
    e.preventDefault();
    setSaved(false);
    if (len === 0) return setError(t('noteEmpty'));
    if (len > NOTE_MAX) return setError(t('noteTooLong', { max: NOTE_MAX, n: len }));
    try {
      await addNote(round, draft, step);
      props.onDraft('');
      setError('');
      setSaved(true);
    } catch (err) {
      if (err instanceof ValidationError) setError(err.issues[0]?.message ?? err.message);
      else showToast('error', (err as Error).message);
    }
  };

  return (
    <section class="card notes" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('notes')}</h2>
      {mine.length === 0 ? (
        <p class="muted">{t('noNotes')}</p>
      ) : (
        <ul class="note-list">
          {mine.map((n) => (
            <li key={n.id}>{n.text}</li>
          ))}
        </ul>
      )}
      <form onSubmit={save} noValidate>
        <label for={id}>{t('note')}</label>
        <textarea
          id={id}
          rows={3}
          autocomplete="off"
          value={draft}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={`${id}-err ${id}-count`}
          onInput={(e) => {
            props.onDraft(e.currentTarget.value);
            setSaved(false);
            if (error) setError('');
          }}
        />
        <p id={`${id}-count`} class={len > NOTE_MAX ? 'counter over' : 'counter'} aria-live="polite">
          {len >= COUNTER_FROM ? t('counter', { n: len, max: NOTE_MAX }) : ''}
        </p>
        <p id={`${id}-err`} class="field-error" role={error ? 'alert' : undefined}>
          {error}
        </p>
        <div class="row">
          <button type="submit">{t('saveNote')}</button>
          <span class="muted" role="status">
            {saved ? t('noteSaved') : ''}
          </span>
        </div>
      </form>
    </section>
  );
}
