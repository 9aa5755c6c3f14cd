/** The app's sections, in nav order. */
export const NAV_ITEMS = [
  { href: "/datasets", label: "Datasets", icon: "database" },
  { href: "/samples", label: "Samples", icon: "list" },
  { href: "/review", label: "Review", icon: "review", role: "annotator" },
  { href: "/discarded", label: "Discarded", icon: "archive" },
  { href: "/runs", label: "Runs", icon: "play" },
  { href: "/dashboard", label: "Dashboard", icon: "chart" },
  { href: "/settings", label: "Settings", icon: "settings", role: "admin" },
  { href: "/users", label: "Users", icon: "users", role: "admin" },
  { href: "/audit", label: "Audit log", icon: "audit", role: "admin" },
] as const;

export type NavIcon = (typeof NAV_ITEMS)[number]["icon"];
