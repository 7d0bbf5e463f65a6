import type { ComponentChildren } from 'preact';
import { TableHead } from './table-head';

/** One row of a data table: its first cell heads the row, the rest are its values. */
export interface DataRow {
  key: string | number;
  id?: string;
  cells: readonly ComponentChildren[];
}

/**
 * A table that scrolls sideways on a narrow screen: its caption, a labelled header row, and
 * either rows given as data or the body's rows as children.
 */
export function DataTable({
  caption,
  captionClass,
  columns,
  id,
  class: className,
  rows,
  children,
}: {
  caption?: ComponentChildren;
  captionClass?: 'muted' | 'visually-hidden';
  columns: readonly string[];
  id?: string;
  class?: string;
  rows?: readonly DataRow[];
  children?: ComponentChildren;
}) {
  return (
    <div class="table-scroll">
      <table id={id} class={className}>
        {caption === undefined ? null : <caption class={captionClass}>{caption}</caption>}
        <TableHead columns={columns} />
        <tbody>
          {rows?.map(({ key, id: rowId, cells: [head, ...values] }) => (
            <tr key={key} id={rowId}>
              <th scope="row">{head}</th>
              {values.map((v, i) => (
                <td key={i}>{v}</td>
              ))}
            </tr>
          ))}
          {children}
        </tbody>
      </table>
    </div>
  );
}
