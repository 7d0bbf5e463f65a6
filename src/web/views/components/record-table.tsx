import type { ComponentChildren, VNode } from 'preact';
import { TableHead } from './table-head';

/**
 * A table of records: a caption for screen readers, the header row (`TableHead`), then a row per
 * record; with no record, the `empty` sentence instead of the table.
 */
export function RecordTable<T>({
  caption,
  columns,
  actions = false,
  scroll = false,
  rows,
  row,
  empty,
}: {
  caption: string;
  columns: readonly string[];
  actions?: boolean;
  /** On a phone the table scrolls sideways in its own box. */
  scroll?: boolean;
  rows: readonly T[];
  row: (record: T) => VNode;
  empty?: ComponentChildren;
}) {
  if (rows.length === 0 && empty) return <p>{empty}</p>;
  const table = (
    <table>
      <caption class="visually-hidden">{caption}</caption>
      <TableHead columns={columns} actions={actions} />
      <tbody>{rows.map(row)}</tbody>
    </table>
  );
  return scroll ? <div class="table-scroll">{table}</div> : table;
}
