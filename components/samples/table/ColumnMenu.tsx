"use client";

import { useEffect, useRef } from "react";
import { buttonClasses } from "@/components/ui/Button";
import { TABLE_COLUMNS, type TableColumn } from "@/lib/samples/table-filter";
import { COLUMN_LABEL } from "./labels";

/** Show or hide columns (kept in the URL with the rest of the table's state). At least one stays. */
export function ColumnMenu({ visible, onToggle }: { visible: TableColumn[]; onToggle: (column: TableColumn, show: boolean) => void }) {
  const ref = useRef<HTMLDetailsElement>(null);
  // A popover closes on a click elsewhere or Escape.
  useEffect(() => {
    function close(event: Event) {
      const details = ref.current;
      if (!details?.open) return;
      if (event instanceof KeyboardEvent ? event.key === "Escape" : !details.contains(event.target as Node)) details.open = false;
    }
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, []);

  return (
    <details ref={ref} className="relative">
      <summary className={buttonClasses("ghost", "sm", "cursor-pointer list-none [&::-webkit-details-marker]:hidden")}>Columns</summary>
      <fieldset className="absolute right-0 z-20 mt-1 w-52 rounded-lg border border-stone-200 bg-white p-1.5 shadow-lg">
        <legend className="sr-only">Visible columns</legend>
        {TABLE_COLUMNS.map((column) => {
          const on = visible.includes(column);
          return (
            <label key={column} className="flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 text-sm text-stone-700 hover:bg-stone-50">
              <input
                type="checkbox"
                checked={on}
                disabled={on && visible.length === 1}
                onChange={(e) => onToggle(column, e.target.checked)}
                className="accent-teal-700"
              />
              {COLUMN_LABEL[column]}
            </label>
          );
        })}
      </fieldset>
    </details>
  );
}
