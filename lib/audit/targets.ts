// What an audit entry can be about (no server code: the audit page's filter menu lists them).
export const AUDIT_TARGET_TYPES = ["sample", "dataset", "run", "user", "settings", "bulk", "calibration", "round"] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];
