"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ComponentType, SVGProps } from "react";
import { cx } from "@/components/ui/cx";
import { ArchiveIcon, ChartIcon, CheckSquareIcon, DatabaseIcon, ListIcon, PlayIcon, ScrollIcon, SettingsIcon, UsersIcon } from "@/components/ui/icons";
import { can } from "@/lib/auth/permissions";
import type { Role } from "@/lib/auth/roles";
import { NAV_ITEMS, type NavIcon } from "@/lib/nav";

const ICONS: Record<NavIcon, ComponentType<SVGProps<SVGSVGElement>>> = {
  database: DatabaseIcon,
  list: ListIcon,
  review: CheckSquareIcon,
  archive: ArchiveIcon,
  play: PlayIcon,
  chart: ChartIcon,
  settings: SettingsIcon,
  users: UsersIcon,
  audit: ScrollIcon,
};

/** The sections this role may open (the pages check again on the server). */
export function NavLinks({ role }: { role: Role }) {
  const pathname = usePathname();
  return (
    <ul className="flex gap-1 md:flex-col">
      {NAV_ITEMS.filter((item) => can(role, item.permission)).map((item) => {
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        const Icon = ICONS[item.icon];
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={active ? "page" : undefined}
              className={cx(
                "flex items-center gap-2.5 rounded-lg px-2.5 py-2 text-sm font-medium transition-colors",
                active
                  ? "bg-accent-50 text-accent-800 ring-1 ring-inset ring-accent-600/15"
                  : "text-stone-600 hover:bg-stone-100 hover:text-stone-900",
              )}
            >
              <Icon width={18} height={18} className={active ? "text-accent-700" : "text-stone-400"} />
              <span>{item.label}</span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
