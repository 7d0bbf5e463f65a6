import { FRAMEWORK_SHORT_NAMES, type FrameworkId } from '../vocabulary';
import type { RequestedFramework } from './scope';

/** How variant ids read in a sentence; unknown ids are shown as stored rather than hidden. */
export const VARIANT_LABELS: Record<string, string> = {
  type1: 'Type 1',
  type2: 'Type 2',
  roc: 'Report on Compliance',
  saq: 'self-assessment (SAQ)',
  e1: 'e1',
  i1: 'i1',
  r2: 'r2',
  '2019': '(2019 edition)',
  '2025': '(2025 edition)',
};

/** 'SOC 2 Type 2', 'ISO/IEC 42001', 'PCI DSS Report on Compliance'. */
export function auditLabel(framework: FrameworkId, variant?: string): string {
  const name = FRAMEWORK_SHORT_NAMES[framework];
  return variant === undefined ? name : `${name} ${VARIANT_LABELS[variant] ?? variant}`;
}

export function requestLabel(request: RequestedFramework): string {
  return auditLabel(request.framework, request.variant);
}

/** 'A', 'A and B', 'A, B and C'. */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** '1 firm', '3 firms'. */
export function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Names for the languages firms list most; any other code is shown in capitals. */
export const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  de: 'German',
  fr: 'French',
  es: 'Spanish',
  it: 'Italian',
  nl: 'Dutch',
  pt: 'Portuguese',
  sv: 'Swedish',
  da: 'Danish',
  nb: 'Norwegian',
  no: 'Norwegian',
  fi: 'Finnish',
  pl: 'Polish',
  ja: 'Japanese',
  zh: 'Chinese',
  ko: 'Korean',
  hi: 'Hindi',
  ar: 'Arabic',
  he: 'Hebrew',
};

export function languageName(code: string): string {
  return LANGUAGE_NAMES[code] ?? code.toUpperCase();
}

export function usd(amount: number): string {
  return amount >= 1000 ? `$${Math.round(amount / 100) / 10}k` : `$${amount}`;
}
