import type { ComponentChildren } from 'preact';
import type { SessionUser } from '../../../../services/auth';
import { ErrorSummary } from '../../components/forms';
import { Notice } from '../../components/notices';
import { SectionNav } from '../../components/section-nav';

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

/** What every workspace page is given besides its own data. */
export interface WorkspacePageProps {
  user: SessionUser;
  firmName: string;
  csrf: string;
  /** The result of what the member just did, shown once. */
  notice?: string | null;
}

export interface ShellProps extends WorkspacePageProps {
  section: WorkspaceSection;
  title: string;
  lead?: string;
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
        <Notice>
          <p>{notice}</p>
        </Notice>
      ) : null}
      {errors ? <ErrorSummary errors={errors} /> : null}
      {children}
    </>
  );
}
