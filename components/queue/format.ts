import { formatDateTime } from "@/components/datasets/format";

const TIME = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
const SHORT = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

/** "14:32 UTC": a claim's expiry, always within the hour or so. */
export function formatTime(date: Date): string {
  return `${TIME.format(date)} UTC`;
}

/** "25 Nov, 14:32": compact and locale-independent; put formatDateTime(date) in the title for the full date. */
export function formatShort(date: Date): string {
  return SHORT.format(date);
}

export { formatDateTime };

/** A URL id parameter ("12"): the number, or null when it is missing or not a positive int4. */
export function parseIdParam(raw: string | string[] | undefined): number | null {
  if (typeof raw !== "string" || !/^[1-9]\d{0,9}$/.test(raw)) return null;
  const id = Number(raw);
  return id <= 2_147_483_647 ? id : null;
}

/** Where the review page shows a claimed sample in queue mode (it claims the next one itself after a decision). */
export function queueSampleHref(sampleId: number, datasetId: number | null, adjudicate = false): string {
  return `/samples/${sampleId}?queue=1${adjudicate ? "&adjudicate=1" : ""}${datasetId === null ? "" : `&dataset=${datasetId}`}`;
}

/** A time per sample: "12 s", "1 min 05 s"; a dash when there is none yet. */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return "—";
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, "0")} s`;
}
