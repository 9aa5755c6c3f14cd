// Who may do what. Roles are ordered: an annotator can do what a viewer can, an admin what an annotator can.
//   viewer    reads everything (samples, runs, dashboard, discarded)
//   annotator + the review queue, decisions, edits, regenerate, re-check
//   admin     + users, settings, import, pipeline runs, export
export const ROLES = ["viewer", "annotator", "admin"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Whether someone with `actual` may do what needs `required`. */
export function hasRole(actual: Role, required: Role): boolean {
  return ROLES.indexOf(actual) >= ROLES.indexOf(required);
}
