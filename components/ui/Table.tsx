import type { ReactNode } from "react";
import { cx } from "./cx";

// Where a table stands sets the look of its header row and how far in its outer columns start, so that they line up
// with what is around the table.
const LAYOUTS = {
  // Alone in a card: a tinted header row, rows ruled apart, the first column 1rem in.
  "in-card": {
    head: "border-b border-stone-200 bg-stone-50/70 text-xs text-stone-500",
    body: "divide-y divide-stone-100",
    first: "py-2 pr-3 pl-4",
    middle: "px-3 py-2",
    last: "px-3 py-2",
  },
  // Under a card's header: the same, with both outer columns lined up with the header's text (px-5).
  "under-card-header": {
    head: "border-b border-stone-200 bg-stone-50/70 text-xs text-stone-500",
    body: "divide-y divide-stone-100",
    first: "py-2 pr-3 pl-5",
    middle: "px-3 py-2",
    last: "py-2 pr-5 pl-3",
  },
  // In a form: plain column names over rows of fields, the first column flush with the form's other fields.
  "in-form": {
    head: "text-xs text-stone-500",
    body: undefined,
    first: "pb-2",
    middle: "pb-2 pl-3",
    last: "pb-2 pl-3",
  },
} as const;

export interface TableColumn {
  label: ReactNode;
  /** Right-aligned, as numbers are. */
  numeric?: boolean;
  className?: string;
}

/** A table with its header row of column names (`scope="col"`); the rows, and a footer's, are the caller's. */
export function Table({
  layout,
  columns,
  children,
  foot,
  "aria-label": ariaLabel,
}: {
  layout: keyof typeof LAYOUTS;
  columns: TableColumn[];
  children: ReactNode;
  foot?: ReactNode;
  "aria-label"?: string;
}) {
  const { head, body, first, middle, last } = LAYOUTS[layout];
  const padding = (i: number) => (i === 0 ? first : i === columns.length - 1 ? last : middle);
  return (
    <table className="w-full text-left text-sm" aria-label={ariaLabel}>
      <thead className={head}>
        <tr>
          {columns.map((column, i) => (
            <th key={i} scope="col" className={cx(padding(i), column.numeric && "text-right", "font-medium", column.className)}>
              {column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className={body}>{children}</tbody>
      {foot ? <tfoot>{foot}</tfoot> : null}
    </table>
  );
}
