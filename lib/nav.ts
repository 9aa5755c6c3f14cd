import type { Permission } from "@/lib/auth/permissions";
import type { Role } from "@/lib/auth/roles";

/** The app's sections, in nav order, each with the permission its page needs (the page checks it: requirePage). */
export const NAV_ITEMS = [
  { href: "/datasets", label: "Datasets", icon: "database", permission: "samples.read" },
  { href: "/samples", label: "Samples", icon: "list", permission: "samples.read" },
  { href: "/review", label: "Review", icon: "review", permission: "queue.work" },
  { href: "/mentions", label: "Mentions", icon: "mention", permission: "comments.read" },
  { href: "/discarded", label: "Discarded", icon: "archive", permission: "samples.read" },
  { href: "/runs", label: "Runs", icon: "play", permission: "runs.read" },
  { href: "/calibration", label: "Calibration", icon: "gauge", permission: "runs.read" },
  { href: "/rounds", label: "Rounds", icon: "loop", permission: "runs.read" },
  { href: "/dashboard", label: "Dashboard", icon: "chart", permission: "samples.read" },
  { href: "/settings", label: "Settings", icon: "settings", permission: "settings.read" },
  { href: "/users", label: "Users", icon: "users", permission: "users.manage" },
  { href: "/audit", label: "Audit log", icon: "audit", permission: "audit.read" },
] as const satisfies readonly { href: string; label: string; icon: string; permission: Permission }[];

export type NavIcon = (typeof NAV_ITEMS)[number]["icon"];
export type NavHref = (typeof NAV_ITEMS)[number]["href"];

/** The permission of a section's page: pages ask by their own path, so the nav and the guard cannot disagree. */
export function pagePermission(href: NavHref): Permission {
  return NAV_ITEMS.find((item) => item.href === href)!.permission;
}

/** Where a person starts: an annotator in the review queue, a viewer in the samples, an admin with the datasets. */
export function homeFor(role: Role): NavHref {
  return role === "annotator" ? "/review" : role === "viewer" ? "/samples" : "/datasets";
}

/**
 * The section a page belongs to, for the nav's highlight: a sample opened from the review queue (`?queue=1`, see
 * queueSampleHref) is Review's, not Samples'.
 */
export function sectionOf(pathname: string, search: URLSearchParams): NavHref | null {
  if (/^\/samples\/\d+$/.test(pathname) && search.get("queue") === "1") return "/review";
  return NAV_ITEMS.find((item) => pathname === item.href || pathname.startsWith(`${item.href}/`))?.href ?? null;
}
