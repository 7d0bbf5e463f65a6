import type { TeamMember } from '../../../../services/firm/accounts';
import { RecordTable } from '../../components/record-table';
import { Fields, type FormState } from '../../components/form-fields';
import { ButtonForm, PostForm, Submit } from '../../components/post-form';
import { WorkspaceShell, type WorkspacePageProps } from './shell';

export function TeamPage({
  team,
  fields,
  errors,
  ...page
}: WorkspacePageProps & FormState & { team: TeamMember[] }) {
  const { user, csrf } = page;
  return (
    <WorkspaceShell
      {...page}
      errors={errors}
      section="team"
      title="Team"
      lead="Members answer briefs, send quotes and keep the profile and credentials current. Owners also manage the team and the integrations."
    >
      <RecordTable
        caption="People in your firm's workspace"
        columns={['Person', 'Role']}
        actions
        rows={team}
        row={(m) => (
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
                <ButtonForm
                  action={`/firm/team/${m.id}/role`}
                  csrf={csrf}
                  hidden={{ firmRole: m.firmRole === 'owner' ? 'member' : 'owner' }}
                  kind="small"
                  label={`${m.firmRole === 'owner' ? 'Make a member' : 'Make an owner'}: ${m.email}`}
                >
                  {m.firmRole === 'owner'
                    ? m.id === user.id
                      ? 'Step down to member'
                      : 'Make member'
                    : 'Make owner'}
                </ButtonForm>
              ) : null}
              {m.id !== user.id && !m.pending ? (
                <ButtonForm
                  action={`/firm/team/${m.id}/remove`}
                  csrf={csrf}
                  kind="small-danger"
                  label={`Remove ${m.email}`}
                >
                  Remove
                </ButtonForm>
              ) : m.id === user.id ? (
                <span class="muted">You</span>
              ) : null}
            </td>
          </tr>
        )}
      />

      <h2>Invite a member</h2>
      <p>We email them a sign-in link. Use an address at your firm's website domain.</p>
      <PostForm action="/firm/team/invite" csrf={csrf} novalidate>
        <Fields
          form={{ fields, errors }}
          specs={[
            { name: 'email', label: 'Work email', type: 'email', autocomplete: 'off' },
            { name: 'name', label: 'Name (optional)', autocomplete: 'off' },
          ]}
        />
        <Submit>Send the invitation</Submit>
      </PostForm>
    </WorkspaceShell>
  );
}
