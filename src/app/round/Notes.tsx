// Notes per step: each note is its own record, corrected or removed only by its author; a too-long note is refused
// with its text kept.
import { useEffect, useState } from 'preact/hooks';
import { addNote, deleteNote, editNote } from '../../data/actions';
import { isOwnNote, noteWriter, type NoteWriter } from '../../data/round-queries';
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
  const [me, setMe] = useState<NoteWriter | null>(null);
  useEffect(() => {
    void noteWriter().then(setMe);
  }, []);
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
            <NoteItem key={n.id} note={n} own={!!me && isOwnNote(n, me)} />
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

/** One note; its author gets "Bewerken" (the text in place) and "Verwijderen" (asked once more). */
function NoteItem({ note, own }: { note: Note; own: boolean }) {
  const t = useT(dict);
  const [mode, setMode] = useState<'view' | 'edit' | 'delete'>('view');
  const [text, setText] = useState(note.text);
  const [error, setError] = useState('');
  const id = `edit-${note.id}`;
  const fail = (err: unknown) => {
    if (err instanceof ValidationError) setError(err.issues[0]?.message ?? err.message);
    else showToast('error', (err as Error).message);
  };
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      await editNote(note, text);
      setMode('view');
      setError('');
    } catch (err) {
      fail(err);
    }
  };
  if (mode === 'edit')
    return (
      <li>
        <form onSubmit={save} noValidate>
          <label for={id}>{t('editNoteLabel')}</label>
          <textarea
            id={id}
            rows={3}
            value={text}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={`${id}-err`}
            onInput={(e) => {
              setText(e.currentTarget.value);
              if (error) setError('');
            }}
          />
          <p id={`${id}-err`} class="field-error" role={error ? 'alert' : undefined}>
            {error}
          </p>
          <div class="row">
            <button type="submit">{t('saveEdit')}</button>
            <button type="button" onClick={() => setMode('view')}>
              {t('keepNote')}
            </button>
          </div>
        </form>
      </li>
    );
  return (
    <li>
      <span class="note-text">{note.text}</span>
      {own && mode === 'view' && (
        <span class="row note-actions">
          <button
            type="button"
            onClick={() => {
              setText(note.text);
              setMode('edit');
            }}
          >
            {t('editNote')}
          </button>
          <button type="button" class="danger" onClick={() => setMode('delete')}>
            {t('deleteNote')}
          </button>
        </span>
      )}
      {own && mode === 'delete' && (
        <span class="row note-actions">
          <button type="button" class="danger" onClick={() => deleteNote(note).catch(fail)}>
            {t('deleteConfirm')}
          </button>
          <button type="button" onClick={() => setMode('view')}>
            {t('keepNote')}
          </button>
        </span>
      )}
    </li>
  );
}
