/** The calendar day (UTC) that rules such as credential expiry are judged on. */
export function today(now: Date): string {
  return now.toISOString().slice(0, 10);
}
