// A labelled form field with its error message tied to the input for screen readers.
import type { ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import { LocaleContext } from '../i18n';

export function invalid(id: string, error: string | undefined) {
  return error ? { 'aria-invalid': true, 'aria-describedby': `${id}-err` } : {};
}

export function Field(props: { id: string; label: string; error?: string; children: ComponentChildren }) {
  const locale = useContext(LocaleContext);
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.error && (
        <p class="field-error" id={`${props.id}-err`}>
          {localizeError(props.error, locale)}
        </p>
      )}
    </div>
  );
}

/** Puts the cursor in the first field with a message, once the messages are on screen. */
export function focusFirstError(form: HTMLFormElement | null): void {
  requestAnimationFrame(() => (form?.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus());
}

/** The shared schemas speak Dutch; in English the common length messages are said in English, others stay as they are. */
export function localizeError(message: string, locale: string): string {
  if (locale === 'nl') return message;
  if (/ mag niet leeg zijn$/.test(message)) return 'This field must not be empty';
  const max = / mag hoogstens (\d+) tekens zijn$/.exec(message);
  if (max) return `At most ${max[1]} characters`;
  return message;
}
