import { COMMON_TIME_ZONES } from '../../../domain/calls/zones';
import { PostForm, Submit } from './post-form';

/** Cancels a short call, with an optional reason; the buyer's card and the firm's lead both show it. */
export function CancelCallForm({ action, csrf, id }: { action: string; csrf: string; id: string }) {
  return (
    <PostForm action={action} csrf={csrf}>
      <div class="field">
        <label for={id}>Reason (optional)</label>
        <input id={id} name="reason" type="text" maxLength={300} />
      </div>
      <Submit kind="secondary">Cancel the call</Submit>
    </PostForm>
  );
}

/** Options of a time-zone select: the common ones, and the chosen one first if it is another. */
export function TimeZoneOptions({ selected }: { selected: string }) {
  const zones = (COMMON_TIME_ZONES as readonly string[]).includes(selected)
    ? COMMON_TIME_ZONES
    : [selected, ...COMMON_TIME_ZONES];
  return (
    <>
      {zones.map((z) => (
        <option key={z} value={z} selected={z === selected}>
          {z.replaceAll('_', ' ')}
        </option>
      ))}
    </>
  );
}
