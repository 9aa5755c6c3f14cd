"use client";

import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { Button } from "@/components/ui/Button";
import { AUDIT_TARGET_TYPES } from "@/lib/audit/targets";

const FIELD = "h-8 rounded-md border border-stone-300 bg-white px-2 text-sm focus:border-accent-600 focus:ring-2 focus:ring-accent-600/20 focus:outline-none";

/** Filters in the URL, so a filtered view can be shared and the back button works. */
export function AuditFilters({ filter }: { filter: { actor?: string; action?: string; targetType?: string; targetId?: string; bulkJob?: string } }) {
  const router = useRouter();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(event.currentTarget)) if (typeof value === "string" && value.trim()) params.set(key, value.trim());
    router.push(`/audit${params.size ? `?${params}` : ""}`);
  }
  return (
    <form onSubmit={submit} aria-label="Filter the audit log" className="flex flex-wrap items-end gap-3 border-b border-stone-200 px-5 py-4 text-sm">
      <label className="flex flex-col gap-1 text-xs font-medium text-stone-600">
        Who
        <input name="actor" defaultValue={filter.actor} placeholder="human:ann@example.com" className={FIELD} />
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-stone-600">
        Action
        <input name="action" defaultValue={filter.action} placeholder="decision. or import" className={FIELD} />
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-stone-600">
        On
        <select name="targetType" defaultValue={filter.targetType ?? ""} className={FIELD}>
          <option value="">anything</option>
          {AUDIT_TARGET_TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-stone-600">
        Id
        <input name="targetId" defaultValue={filter.targetId} className={`${FIELD} w-28`} />
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-stone-600">
        Part of bulk action
        <input name="bulkJob" defaultValue={filter.bulkJob} inputMode="numeric" className={`${FIELD} w-28`} />
      </label>
      <Button type="submit" size="sm">
        Filter
      </Button>
    </form>
  );
}
