// A labelled form field with its error message tied to the input for screen readers.
import type { ComponentChildren } from 'preact';

export function invalid(id: string, error: string | undefined) {
  return error ? { 'aria-invalid': true, 'aria-describedby': `${id}-err` } : {};
}

export function Field(props: { id: string; label: string; error?: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.error && (
        <p class="field-error" id={`${props.id}-err`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/** Puts the cursor in the first field with a message, once the messages are on screen. */
export function focusFirstError(form: HTMLFormElement | null): void {
  requestAnimationFrame(() => (form?.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus());
}
