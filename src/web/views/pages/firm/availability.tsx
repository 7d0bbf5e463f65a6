import type { Availability } from '../../../../services/calls';
import type { FormFields } from '../../../forms/fields';
import { TimeZoneOptions } from '../../components/call-forms';
import { TextField, value } from '../../components/form-fields';
import { ErrorText } from '../../components/forms';
import { PostForm, Submit } from '../../components/post-form';
import { WorkspaceShell, type WorkspacePageProps } from './shell';

export const WEEKDAY_NAMES = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
];
/** Monday first, as a working week reads. */
export const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];

export const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** The weekly windows a firm takes short calls in, one per day, in its own time zone. */
export function AvailabilityPage({
  availability,
  fields,
  errors,
  ...page
}: WorkspacePageProps & {
  availability: Availability;
  /** The form as sent, when it is shown again with its errors; else the stored times are shown. */
  fields: FormFields | null;
  errors: Record<string, string>;
}) {
  const form = { fields: fields ?? storedTimes(availability), errors };
  const time = (name: string, label: string) => (
    <TextField form={form} name={name} label={label} type="time" step={1800} />
  );
  return (
    <WorkspaceShell
      {...page}
      errors={errors}
      section="calls"
      title="Times for short calls"
      lead="After comparing the quotes, a buyer books one short call (30 minutes) with the firm it picks: a time you publish here, or one of three times it offers. Buyers see your times in their own time zone."
    >
      <PostForm action="/firm/availability" csrf={page.csrf}>
        <div class="field">
          <label for="f-timeZone">Your time zone</label>
          <select id="f-timeZone" name="timeZone">
            <TimeZoneOptions selected={value(form.fields, 'timeZone') ?? ''} />
          </select>
          <ErrorText id="f-timeZone" text={errors.timeZone} />
        </div>
        <fieldset>
          <legend>Weekly times (leave a day blank to take no calls that day)</legend>
          {WEEK_ORDER.map((day) => (
            <div class="field-row" key={day}>
              {time(`from${day}`, `${WEEKDAY_NAMES[day]} from`)}
              {time(`to${day}`, 'until')}
            </div>
          ))}
        </fieldset>
        <Submit>Save the times</Submit>
      </PostForm>
    </WorkspaceShell>
  );
}

/** The stored time zone and windows as the form's fields. */
function storedTimes({ timeZone, windows }: Availability): FormFields {
  const fields: FormFields = { timeZone };
  for (const w of windows) {
    fields[`from${w.weekday}`] = hhmm(w.startMinute);
    fields[`to${w.weekday}`] = hhmm(w.endMinute);
  }
  return fields;
}
