/**
 * The operator's domain signal: whether a firm's website stands for a domain the firm controls,
 * and whether a sign-in address is at that domain. Read at application, at invitation and in the
 * website-change queue.
 */

/**
 * Hosts where anyone can get an address or a page: a firm's email or website there says nothing
 * about who controls the firm's domain. Not exhaustive; the operator still reads every application.
 */
const FREE_MAIL_DOMAINS = [
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'yahoo.com',
  'ymail.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'pm.me',
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  'mail.com',
  'yandex.com',
  'yandex.ru',
  'zoho.com',
  'fastmail.com',
  'tutanota.com',
  'hey.com',
  'qq.com',
  '163.com',
];
const SHARED_HOSTS = [
  'sites.google.com',
  'wixsite.com',
  'squarespace.com',
  'github.io',
  'gitlab.io',
  'webflow.io',
  'wordpress.com',
  'blogspot.com',
  'netlify.app',
  'vercel.app',
  'pages.dev',
  'herokuapp.com',
  'linkedin.com',
  'facebook.com',
  'carrd.co',
  'notion.site',
  'weebly.com',
  'godaddysites.com',
];

const onHost = (host: string, domain: string) => host === domain || host.endsWith(`.${domain}`);

/** True for a free-mail provider's domain or a host where anyone can publish a page. */
export function isSharedDomain(host: string): boolean {
  const h = host.toLowerCase();
  return FREE_MAIL_DOMAINS.some((d) => onHost(h, d)) || SHARED_HOSTS.some((d) => onHost(h, d));
}

/**
 * The firm's own domain from its website: the whole host without "www.", lower-cased. Null when
 * there is none, and when the website cannot stand for a domain: a page under a path (a shared
 * host's /firm-name), a free-mail provider or a shared host.
 */
export function websiteDomain(website: string | null): string | null {
  const url = websiteUrl(website);
  if (!url || (url.pathname !== '/' && url.pathname !== '')) return null;
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  return isSharedDomain(host) ? null : host;
}

/** True when the email is at the firm's domain or one of its subdomains (mail.firm.com), never at a free-mail domain. */
export function emailMatchesDomain(email: string, domain: string | null): boolean {
  if (!domain) return false;
  const at = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  if (isSharedDomain(at)) return false;
  return at === domain || at.endsWith(`.${domain}`);
}

/** The host a website address names ("www.acme.example"), or null when it names none. */
export function websiteHost(website: string | null): string | null {
  return websiteUrl(website)?.hostname.toLowerCase() ?? null;
}

function websiteUrl(website: string | null): URL | null {
  if (!website) return null;
  try {
    return new URL(website);
  } catch {
    return null;
  }
}
