"use client";

import { useRouter } from "next/navigation";
import { useId } from "react";
import { FIELD, LABEL } from "./styles";

export interface DatasetOption {
  id: number;
  name: string;
  /** Shown after the name: "· 120 to review". */
  detail: string;
}

/** Chooses the dataset a page is about; the choice lives in the URL (`?dataset=<id>`), so it is shareable. */
export function DatasetPicker({
  basePath,
  datasets,
  selected,
  allDetail,
}: {
  basePath: string;
  datasets: DatasetOption[];
  selected: number | null;
  allDetail: string;
}) {
  const router = useRouter();
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className={LABEL}>
        Dataset
      </label>
      <select
        id={id}
        className={FIELD}
        value={selected === null ? "" : String(selected)}
        onChange={(event) => router.push(event.target.value ? `${basePath}?dataset=${event.target.value}` : basePath)}
      >
        <option value="">All datasets · {allDetail}</option>
        {datasets.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name} · {d.detail}
          </option>
        ))}
      </select>
    </div>
  );
}
