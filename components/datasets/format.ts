const DATE_TIME = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});

/** A fixed, locale-independent date for server-rendered tables (UTC, so server and client agree). */
export function formatDateTime(date: Date): string {
  return `${DATE_TIME.format(date)} UTC`;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

export { formatBytes } from "@/lib/format-bytes";
