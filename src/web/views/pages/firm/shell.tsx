import { SectionNav } from '../../components/section-nav';
import { describedByIds, ErrorText } from '../../components/forms';
import type { ComponentChildren } from 'preact';
import type { SessionUser } from '../../../../services/auth';
import { ErrorSummary } from '../../components/forms';

export type WorkspaceSection =
  | 'home'
  | 'leads'
  | 'calls'
  | 'profile'
  | 'credentials'
  | 'team'
  | 'integrations';

const SECTIONS: { id: WorkspaceSection; href: string; label: string; ownerOnly?: boolean }[] = [
  { id: 'home', href: '/firm', label: 'Overview' },
  { id: 'leads', href: '/firm/leads', label: 'Leads' },
  { id: 'calls', href: '/firm/availability', label: 'Call times' },
  { id: 'profile', href: '/firm/profile', label: 'Profile' },
  { id: 'credentials', href: '/firm/credentials', label: 'Credentials' },
  { id: 'team', href: '/firm/team', label: 'Team', ownerOnly: true },
  { id: 'integrations', href: '/firm/integrations', label: 'Integrations', ownerOnly: true },
];

export interface ShellProps {
  user: SessionUser;
  firmName: string;
  section: WorkspaceSection;
  title: string;
  csrf: string;
  lead?: string;
  notice?: string | null;
  errors?: Record<string, string>;
  children?: ComponentChildren;
}

/** Every workspace page: the firm's name, the workspace menu, sign-out, then the page. */
export function WorkspaceShell({
  user,
  firmName,
  section,
  title,
  csrf,
  lead,
  notice,
  errors,
  children,
}: ShellProps) {
  const owner = user.firmRole === 'owner';
  return (
    <>
      <div class="page-header">
        <p class="muted">
          {firmName} · signed in as {user.email} ({owner ? 'owner' : 'member'})
        </p>
        <h1>{title}</h1>
        {lead ? <p class="lead">{lead}</p> : null}
      </div>
      <SectionNav
        label="Workspace"
        class="filters"
        csrf={csrf}
        signOutEverywhere
        items={SECTIONS.filter((s) => owner || !s.ownerOnly).map((s) => ({
          href: s.href,
          label: s.label,
          current: s.id === section,
        }))}
      />
      {notice ? (
        <div class="card notice" role="status">
          <p>{notice}</p>
        </div>
      ) : null}
      {errors ? <ErrorSummary errors={errors} /> : null}
      {children}
    </>
  );
}

/** The error of the workspace control named `name` (its id is `f-<name>`). */
export function FieldError({ name, errors }: { name: string; errors: Record<string, string> }) {
  return <ErrorText id={`f-${name}`} text={errors[name]} />;
}

export function describedBy(
  name: string,
  errors: Record<string, string>,
  hint = false,
): string | undefined {
  return describedByIds(`f-${name}`, hint, errors[name]);
}

export const when = (iso: string | null) =>
  iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '—';
