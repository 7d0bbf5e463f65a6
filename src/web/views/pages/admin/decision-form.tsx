import type { FieldErrors } from '../../../forms/parse';
import { RowForm, TextField } from './shell';

export interface Decision {
  value: string;
  label: string;
  cls: string;
}

/**
 * One row's decision in a console queue: a note, and a button per decision (`decision` names
 * the one pressed). A refused form comes back with its message and what was typed.
 */
export function DecisionForm({
  id,
  action,
  csrf,
  hidden = {},
  note,
  decisions,
  errors,
  typed,
}: {
  /** The row's id: the controls' ids are made from it. */
  id: string;
  action: string;
  csrf: string;
  /** Values the page sends back unchanged (the list's filter). */
  hidden?: Record<string, string>;
  note: { label: string; hint: string };
  decisions: readonly Decision[];
  errors: FieldErrors;
  typed: Record<string, string>;
}) {
  return (
    <RowForm
      action={action}
      csrf={csrf}
      hidden={hidden}
      errors={errors}
      fields={['note']}
      problemId={`decide-${id}`}
    >
      <TextField
        id={`note-${id}`}
        name="note"
        label={note.label}
        hint={note.hint}
        multiline
        value={typed.note}
        error={errors.note}
      />
      <div class="form-actions">
        {decisions.map((d) => (
          <button key={d.value} class={d.cls} type="submit" name="decision" value={d.value}>
            {d.label}
          </button>
        ))}
      </div>
    </RowForm>
  );
}
