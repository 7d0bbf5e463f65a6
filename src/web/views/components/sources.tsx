import { sourceInfo } from '../../../domain/frameworks';
import { sourceDate } from '../../../domain/market';

/** A compact list of the public sources behind a fact, as links where they are URLs, each with its date. */
export function Sources({
  urls,
  label = 'Sources',
}: {
  urls: readonly string[] | undefined;
  label?: string;
}) {
  if (!urls || urls.length === 0) return null;
  const unique = [...new Set(urls)];
  return (
    <p class="sources">
      {label}:{' '}
      {unique.map((u, i) => (
        <span key={u}>
          {i > 0 ? '; ' : ''}
          {/^https?:\/\//.test(u) ? (
            <a href={u} rel="nofollow noopener">
              {u.replace(/^https?:\/\/(www\.)?/, '').replace(/\/$/, '')}
            </a>
          ) : (
            u
          )}
          {sourceInfo(u)
            ? ` (${sourceDate(sourceInfo(u) as NonNullable<ReturnType<typeof sourceInfo>>)})`
            : ''}
        </span>
      ))}
    </p>
  );
}
