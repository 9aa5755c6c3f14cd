"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useState, type ComponentType, type SVGProps } from "react";
import { MENTIONS_READ_EVENT } from "@/components/comments/useMarkMentionsRead";
import { cx } from "@/components/ui/cx";
import { ArchiveIcon, AtSignIcon, ChartIcon, CheckSquareIcon, DatabaseIcon, GaugeIcon, ListIcon, LoopIcon, PlayIcon, ScrollIcon, SettingsIcon, UsersIcon } from "@/components/ui/icons";
import { can } from "@/lib/auth/permissions";
import { laterUnread, type UnreadMentions } from "@/lib/comments/unread-mentions";
import type { Role } from "@/lib/auth/roles";
import { NAV_ITEMS, sectionOf, type NavIcon } from "@/lib/nav";

const ICONS: Record<NavIcon, ComponentType<SVGProps<SVGSVGElement>>> = {
  database: DatabaseIcon,
  list: ListIcon,
  review: CheckSquareIcon,
  mention: AtSignIcon,
  archive: ArchiveIcon,
  play: PlayIcon,
  chart: ChartIcon,
  gauge: GaugeIcon,
  loop: LoopIcon,
  settings: SettingsIcon,
  users: UsersIcon,
  audit: ScrollIcon,
};

/**
 * The sections this role may open (the pages check again on the server), Mentions with how many are unread.
 */
export function NavLinks({ role, unreadMentions: fromServer }: { role: Role; unreadMentions: UnreadMentions }) {
  const section = sectionOf(usePathname(), useSearchParams());
  const unreadMentions = useUnreadMentions(fromServer);
  return (
    <ul className="flex gap-1 md:flex-col">
      {NAV_ITEMS.filter((item) => can(role, item.permission)).map((item) => {
        const active = item.href === section;
        const Icon = ICONS[item.icon];
        const count = item.href === "/mentions" ? unreadMentions : 0;
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
              {count > 0 ? (
                <span className="ml-auto rounded-full bg-accent-700 px-1.5 text-xs leading-5 font-semibold text-white tabular-nums" data-testid={`unread-${item.href.slice(1)}`}>
                  {count}
                  <span className="sr-only"> unread</span>
                </span>
              ) : null}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

/**
 * The unread mentions as last counted: by the server's render of the page, or after a mention was opened here
 * (MENTIONS_READ_EVENT), whichever was counted later. Both can arrive in either order: a render that had counted the
 * mention read already, then the event, once took it off twice.
 */
function useUnreadMentions(fromServer: UnreadMentions): number {
  const [latest, setLatest] = useState(fromServer);
  const take = (next: UnreadMentions) => setLatest((shown) => laterUnread(shown, next));
  useEffect(() => take(fromServer), [fromServer]);
  useEffect(() => {
    const onRead = (event: Event) => take((event as CustomEvent<UnreadMentions>).detail);
    window.addEventListener(MENTIONS_READ_EVENT, onRead);
    return () => window.removeEventListener(MENTIONS_READ_EVENT, onRead);
  }, []);
  return latest.count;
}
