import type { SessionUser } from '../../../../services/auth';
import type { TeamMember } from '../../../../services/firm/accounts';
import type { FormFields } from '../../../forms/fields';
import { TextField } from '../../components/scope-fields';
import { WorkspaceShell } from './shell';

export function TeamPage({
  user,
  firmName,
  team,
  fields,
  errors,
  csrf,
  notice,
}: {
  user: SessionUser;
  firmName: string;
  team: TeamMember[];
  fields: FormFields;
  errors: Record<string, string>;
  csrf: string;
  notice: string | null;
}) {
  return (
    <WorkspaceShell
      user={user}
      firmName={firmName}
      section="team"
      title="Team"
      lead="Members answer briefs, send quotes and keep the profile and credentials current. Owners also manage the team and the integrations."
      csrf={csrf}
      notice={notice}
      errors={errors}
    >
      <table>
        <caption class="visually-hidden">People in your firm's workspace</caption>
        <thead>
          <tr>
            <th scope="col">Person</th>
            <th scope="col">Role</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {team.map((m) => (
            <tr key={m.id}>
              <th scope="row">
                {m.name ? `${m.name} · ` : ''}
                {m.email}
              </th>
              <td>
                {m.pending
                  ? 'Application awaiting approval'
                  : m.firmRole === 'owner'
                    ? 'Owner'
                    : 'Member'}
              </td>
              <td>
                {!m.pending ? (
                  <form method="post" action={`/firm/team/${m.id}/role`}>
                    <input type="hidden" name="_csrf" value={csrf} />
                    <input
                      type="hidden"
                      name="firmRole"
                      value={m.firmRole === 'owner' ? 'member' : 'owner'}
                    />
                    <button
                      class="button button-small"
                      type="submit"
                      aria-label={`${m.firmRole === 'owner' ? 'Make a member' : 'Make an owner'}: ${m.email}`}
                    >
                      {m.firmRole === 'owner'
                        ? m.id === user.id
                          ? 'Step down to member'
                          : 'Make member'
                        : 'Make owner'}
                    </button>
                  </form>
                ) : null}
                {m.id !== user.id && !m.pending ? (
                  <form method="post" action={`/firm/team/${m.id}/remove`}>
                    <input type="hidden" name="_csrf" value={csrf} />
                    <button
                      class="button button-small button-danger"
                      type="submit"
                      aria-label={`Remove ${m.email}`}
                    >
                      Remove
                    </button>
                  </form>
                ) : m.id === user.id ? (
                  <span class="muted">You</span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Invite a member</h2>
      <p>We email them a sign-in link. Use an address at your firm's website domain.</p>
      <form method="post" action="/firm/team/invite" novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        <TextField
          name="email"
          label="Work email"
          type="email"
          fields={fields}
          errors={errors}
          autocomplete="off"
        />
        <TextField
          name="name"
          label="Name (optional)"
          fields={fields}
          errors={errors}
          autocomplete="off"
        />
        <button class="button" type="submit">
          Send the invitation
        </button>
      </form>
    </WorkspaceShell>
  );
}
