import type { SessionUser } from '../../../../services/auth';
import type { Availability } from '../../../../services/calls';
import type { FormFields } from '../../../forms/fields';
import { TimeZoneOptions } from '../buyer/firm-card';
import { FieldError, WorkspaceShell } from './shell';

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
  user,
  firmName,
  availability,
  fields,
  errors,
  csrf,
  notice,
}: {
  user: SessionUser;
  firmName: string;
  availability: Availability;
  fields: FormFields | null;
  errors: Record<string, string>;
  csrf: string;
  notice: string | null;
}) {
  const value = (name: string, fallback: string) =>
    fields ? String(fields[name] ?? '') : fallback;
  return (
    <WorkspaceShell
      user={user}
      firmName={firmName}
      section="calls"
      title="Times for short calls"
      lead="After comparing the quotes, a buyer books one short call (30 minutes) with the firm it picks: a time you publish here, or one of three times it offers. Buyers see your times in their own time zone."
      csrf={csrf}
      notice={notice}
      errors={errors}
    >
      <form method="post" action="/firm/availability">
        <input type="hidden" name="_csrf" value={csrf} />
        <div class="field">
          <label for="f-timeZone">Your time zone</label>
          <select id="f-timeZone" name="timeZone">
            <TimeZoneOptions selected={value('timeZone', availability.timeZone)} />
          </select>
          <FieldError name="timeZone" errors={errors} />
        </div>
        <fieldset>
          <legend>Weekly times (leave a day blank to take no calls that day)</legend>
          {WEEK_ORDER.map((day) => {
            const window = availability.windows.find((w) => w.weekday === day);
            return (
              <div class="field-row" key={day}>
                <div class="field">
                  <label for={`f-from-${day}`}>{WEEKDAY_NAMES[day]} from</label>
                  <input
                    id={`f-from-${day}`}
                    name={`from${day}`}
                    type="time"
                    step={1800}
                    value={value(`from${day}`, window ? hhmm(window.startMinute) : '')}
                    aria-invalid={errors[`from${day}`] ? 'true' : undefined}
                  />
                  <FieldError name={`from${day}`} errors={errors} />
                </div>
                <div class="field">
                  <label for={`f-to-${day}`}>until</label>
                  <input
                    id={`f-to-${day}`}
                    name={`to${day}`}
                    type="time"
                    step={1800}
                    value={value(`to${day}`, window ? hhmm(window.endMinute) : '')}
                    aria-invalid={errors[`to${day}`] ? 'true' : undefined}
                  />
                  <FieldError name={`to${day}`} errors={errors} />
                </div>
              </div>
            );
          })}
        </fieldset>
        <button class="button" type="submit">
          Save the times
        </button>
      </form>
    </WorkspaceShell>
  );
}
