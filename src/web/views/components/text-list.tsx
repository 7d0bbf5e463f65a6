/** A list of plain sentences, one item each (the facts of a framework, a match's notes). */
export function TextList({
  items,
  ordered,
  class: cls,
}: {
  items: readonly string[];
  /** Steps in order: an `<ol>`. */
  ordered?: boolean;
  class?: string;
}) {
  const rows = items.map((item) => <li key={item}>{item}</li>);
  return ordered ? <ol class={cls}>{rows}</ol> : <ul class={cls}>{rows}</ul>;
}
