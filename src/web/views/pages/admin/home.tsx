import type { ConsoleSummary } from '../../../../services/admin/console';
import { AdminShell } from './shell';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function AdminHomePage({
  summary,
  csrf,
  email,
}: {
  summary: ConsoleSummary;
  csrf: string;
  email: string;
}) {
  const items = [
    {
      href: '/admin/credentials?filter=pending',
      title: 'Credentials to verify',
      text: plural(summary.pendingCredentials, 'credential waits', 'credentials wait'),
      urgent: summary.pendingCredentials > 0,
    },
    {
      href: '/admin/credentials?filter=expiring',
      title: 'Credentials ending soon',
      text: `${plural(summary.expiringCredentials, 'verified credential ends', 'verified credentials end')} within 60 days`,
      urgent: false,
    },
    {
      href: '/admin/firms?status=pending',
      title: 'Firms',
      text: `${plural(summary.pendingFirms, 'firm waits', 'firms wait')} for approval; ${plural(summary.suspendedFirms, 'firm is', 'firms are')} suspended`,
      urgent: summary.pendingFirms > 0,
    },
    {
      href: '/admin/website-changes',
      title: 'Website changes',
      text: `${plural(summary.pendingWebsiteChanges, 'website change waits', 'website changes wait')} for review`,
      urgent: summary.pendingWebsiteChanges > 0,
    },
    {
      href: '/admin/requests',
      title: 'Unmatched requests',
      text: `${plural(summary.unmatchedLast30Days, 'confirmed request', 'confirmed requests')} got fewer than three firms in the last 30 days`,
      urgent: summary.unmatchedLast30Days > 0,
    },
    {
      href: '/admin/complaints',
      title: 'Complaints',
      text: `${plural(summary.openComplaints, 'complaint is', 'complaints are')} open`,
      urgent: summary.openComplaints > 0,
    },
    {
      href: '/admin/reviews',
      title: 'Reviews',
      text: `${plural(summary.reviewsLast30Days, 'review', 'reviews')} in the last 30 days; ${plural(summary.hiddenReviews, 'is', 'are')} hidden`,
      urgent: false,
    },
    {
      href: '/admin/outbox',
      title: 'Outbox',
      text: `${plural(summary.deadLetters, 'dead letter', 'dead letters')}; ${plural(summary.failingMessages, 'message is', 'messages are')} retrying`,
      urgent: summary.deadLetters > 0,
    },
    {
      href: '/admin/metrics',
      title: 'Metrics',
      text: 'Requests per week, match and accept rates, response time, demand',
      urgent: false,
    },
    {
      href: '/admin/audit',
      title: 'Audit log',
      text: 'Every change and every view of a buyer’s contact, searchable',
      urgent: false,
    },
  ];
  return (
    <AdminShell
      section="/admin"
      title="Operator console"
      lead={`Signed in as ${email}. What waits for you, and how the marketplace is doing.`}
      csrf={csrf}
    >
      <ul class="grid">
        {items.map((item) => (
          <li class="card" key={item.href}>
            <h2>
              <a href={item.href}>{item.title}</a>
            </h2>
            <p class={item.urgent ? 'badge-warn' : undefined}>{item.text}</p>
          </li>
        ))}
      </ul>
    </AdminShell>
  );
}
