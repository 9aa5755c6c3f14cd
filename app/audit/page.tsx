import type { Metadata } from "next";
import { z } from "zod";
import { AuditFilters } from "@/components/audit/AuditFilters";
import { AuditTable } from "@/components/audit/AuditTable";
import { Card } from "@/components/ui/Card";
import { PageHeader } from "@/components/ui/PageHeader";
import { listAudit } from "@/lib/audit/log";
import { requireSection } from "@/lib/auth/require-page";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

const text = z.string().trim().max(200).optional().catch(undefined);
const Filter = z.object({
  actor: text,
  action: text,
  targetType: z.enum(["sample", "dataset", "run", "user", "settings"]).optional().catch(undefined),
  targetId: text,
  before: z.string().regex(/^\d{1,19}$/).optional().catch(undefined),
});

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireSection("/audit");
  const params = await searchParams;
  const filter = Filter.parse(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v || undefined])));
  const { entries, next } = await listAudit({ ...filter, limit: 50 });
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every sign-in, import, export, run, decision, edit, regeneration, restore, setting and user change: who, when, what. Nothing here can be edited or deleted."
      />
      <Card>
        <AuditFilters filter={filter} />
        <AuditTable
          entries={entries.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() }))}
          nextHref={next ? `/audit?${new URLSearchParams({ ...definedOnly(filter), before: next })}` : null}
          firstHref={filter.before ? `/audit?${new URLSearchParams(definedOnly({ ...filter, before: undefined }))}` : null}
        />
      </Card>
    </>
  );
}

function definedOnly(record: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter((e): e is [string, string] => e[1] !== undefined));
}
