// Who may do what, in one map: route handlers (lib/http/route.ts), pages (requirePage), the navigation and the
// role-matrix e2e test all read it. Browser-safe (no server imports): client components hide what a role cannot do.
//
// Roles build on each other: an annotator may do what a viewer may, an admin what an annotator may.
import type { Role } from "./roles";

const VIEWER = [
  /** Datasets, samples (table, pages, tools), the discard pile, the dashboard. */
  "samples.read",
  /** Pipeline runs and their progress. */
  "runs.read",
  /** Samples' comment threads, and the Mentions list of comments that @mention oneself. */
  "comments.read",
] as const;

const ANNOTATOR = [
  /** The review queue: claim, look ahead, release. */
  "queue.work",
  /** Approve, discard, restore (one, bulk, a whole filter or discard group). */
  "samples.decide",
  /** Edit an answer or CoT, ask for a regeneration or a re-check of one sample. */
  "samples.edit",
  /** Comment on a sample (and @mention people in it). */
  "comments.write",
] as const;

const ADMIN = [
  /** Start, pause, resume, cancel pipeline runs; re-run stages over many samples. */
  "runs.start",
  /** Decide the samples whose k independent reviews are in (datasets with several reviews per sample). */
  "adjudicate",
  "data.import",
  "data.export",
  /** Rename and delete datasets. */
  "datasets.manage",
  /** Write a dataset's reviewing guidelines (each save a new version). */
  "guidelines.write",
  "settings.read",
  "settings.write",
  "users.manage",
  "audit.read",
] as const;

export type Permission = (typeof VIEWER)[number] | (typeof ANNOTATOR)[number] | (typeof ADMIN)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  viewer: VIEWER,
  annotator: [...VIEWER, ...ANNOTATOR],
  admin: [...VIEWER, ...ANNOTATOR, ...ADMIN],
};

export const PERMISSIONS: readonly Permission[] = ROLE_PERMISSIONS.admin;

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** The least role that has `permission` (what a refusal tells the person to ask for). */
export function leastRoleFor(permission: Permission): Role {
  return (Object.keys(ROLE_PERMISSIONS) as Role[]).find((role) => can(role, permission))!;
}

export function isPermission(value: unknown): value is Permission {
  return typeof value === "string" && (PERMISSIONS as readonly string[]).includes(value);
}
