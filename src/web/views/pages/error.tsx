import type { FieldProblem } from '../../plugins/errors';

export function ErrorPage({
  status,
  title,
  detail,
  errors,
}: {
  status: number;
  title: string;
  detail?: string;
  errors?: FieldProblem[];
}) {
  return (
    <section class="narrow">
      <h1>{title}</h1>
      <p class="muted">Error {status}</p>
      {detail ? <p>{detail}</p> : null}
      {errors && errors.length > 0 ? (
        <ul>
          {errors.map((e) => (
            <li key={e.field}>
              <strong>{e.field}</strong>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <a href="/">Back to the home page</a>
      </p>
    </section>
  );
}
