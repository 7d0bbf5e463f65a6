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
