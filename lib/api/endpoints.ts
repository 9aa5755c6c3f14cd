// The API as the browser sees it: every route handler by method and URL template. Type-only (each entry is the
// handler's type, imported as a type): lib/api/client.ts reads a route's spec for the request's types and the
// handler's answer for the response's, so a caller and its route cannot drift apart, and no server code reaches the
// bundle. lib/api/endpoints.test.ts checks that every route on disk is listed.
import type { z } from "zod";
import type { RouteHandler } from "@/lib/http/route";

/** better-auth's own endpoints behind /api/auth/[...all] (sign-in/email, sign-out): the bodies the studio sends. */
type AuthEndpoint = RouteHandler<{ permission: "public"; body: z.ZodType<{ email: string; password: string } | Record<string, never>> }, { user?: { id: string } }>;

export interface Endpoints {
  "GET /api/auth/[...all]": AuthEndpoint;
  "POST /api/auth/[...all]": AuthEndpoint;
  "GET /api/bulk-jobs": typeof import("@/app/api/bulk-jobs/route").GET;
  "GET /api/calibrations/[id]": typeof import("@/app/api/calibrations/[id]/route").GET;
  "GET /api/calibrations/compare": typeof import("@/app/api/calibrations/compare/route").GET;
  "GET /api/calibrations": typeof import("@/app/api/calibrations/route").GET;
  "POST /api/calibrations": typeof import("@/app/api/calibrations/route").POST;
  "POST /api/csp-report": typeof import("@/app/api/csp-report/route").POST;
  "GET /api/datasets/[name]/export/check": typeof import("@/app/api/datasets/[name]/export/check/route").GET;
  "GET /api/datasets/[name]/export": typeof import("@/app/api/datasets/[name]/export/route").GET;
  "GET /api/datasets/[name]/guidelines": typeof import("@/app/api/datasets/[name]/guidelines/route").GET;
  "PUT /api/datasets/[name]/guidelines": typeof import("@/app/api/datasets/[name]/guidelines/route").PUT;
  "PATCH /api/datasets/[name]": typeof import("@/app/api/datasets/[name]/route").PATCH;
  "DELETE /api/datasets/[name]": typeof import("@/app/api/datasets/[name]/route").DELETE;
  "GET /api/health": typeof import("@/app/api/health/route").GET;
  "GET /api/import/progress": typeof import("@/app/api/import/progress/route").GET;
  "POST /api/import": typeof import("@/app/api/import/route").POST;
  "POST /api/mentions/read": typeof import("@/app/api/mentions/read/route").POST;
  "POST /api/review/next": typeof import("@/app/api/review/next/route").POST;
  "GET /api/review/progress": typeof import("@/app/api/review/progress/route").GET;
  "POST /api/review/reclaim": typeof import("@/app/api/review/reclaim/route").POST;
  "POST /api/review/release": typeof import("@/app/api/review/release/route").POST;
  "POST /api/review/restore": typeof import("@/app/api/review/restore/route").POST;
  "GET /api/rounds/[id]": typeof import("@/app/api/rounds/[id]/route").GET;
  "GET /api/rounds": typeof import("@/app/api/rounds/route").GET;
  "POST /api/rounds": typeof import("@/app/api/rounds/route").POST;
  "GET /api/runs/estimate": typeof import("@/app/api/runs/estimate/route").GET;
  "GET /api/runs/[id]": typeof import("@/app/api/runs/[id]/route").GET;
  "POST /api/runs/[id]": typeof import("@/app/api/runs/[id]/route").POST;
  "GET /api/runs": typeof import("@/app/api/runs/route").GET;
  "POST /api/runs": typeof import("@/app/api/runs/route").POST;
  "GET /api/samples/[id]/comments": typeof import("@/app/api/samples/[id]/comments/route").GET;
  "POST /api/samples/[id]/comments": typeof import("@/app/api/samples/[id]/comments/route").POST;
  "POST /api/samples/[id]/decision": typeof import("@/app/api/samples/[id]/decision/route").POST;
  "POST /api/samples/[id]/edit": typeof import("@/app/api/samples/[id]/edit/route").POST;
  "POST /api/samples/[id]/edit/validate": typeof import("@/app/api/samples/[id]/edit/validate/route").POST;
  "GET /api/samples/[id]/neighbors": typeof import("@/app/api/samples/[id]/neighbors/route").GET;
  "POST /api/samples/[id]/next": typeof import("@/app/api/samples/[id]/next/route").POST;
  "POST /api/samples/[id]/revert": typeof import("@/app/api/samples/[id]/revert/route").POST;
  "GET /api/samples/[id]": typeof import("@/app/api/samples/[id]/route").GET;
  "POST /api/samples/[id]/tasks": typeof import("@/app/api/samples/[id]/tasks/route").POST;
  "POST /api/samples/[id]/undo": typeof import("@/app/api/samples/[id]/undo/route").POST;
  "POST /api/samples/bulk": typeof import("@/app/api/samples/bulk/route").POST;
  "GET /api/samples/export/check": typeof import("@/app/api/samples/export/check/route").GET;
  "POST /api/samples/export/check": typeof import("@/app/api/samples/export/check/route").POST;
  "GET /api/samples/export": typeof import("@/app/api/samples/export/route").GET;
  "POST /api/samples/export": typeof import("@/app/api/samples/export/route").POST;
  "GET /api/samples": typeof import("@/app/api/samples/route").GET;
  "GET /api/samples/tools": typeof import("@/app/api/samples/tools/route").GET;
  "GET /api/settings": typeof import("@/app/api/settings/route").GET;
  "PATCH /api/settings": typeof import("@/app/api/settings/route").PATCH;
  "DELETE /api/settings": typeof import("@/app/api/settings/route").DELETE;
  "GET /api/settings/panels": typeof import("@/app/api/settings/panels/route").GET;
  "PUT /api/settings/panels": typeof import("@/app/api/settings/panels/route").PUT;
  "GET /api/settings/policy": typeof import("@/app/api/settings/policy/route").GET;
  "PATCH /api/settings/policy": typeof import("@/app/api/settings/policy/route").PATCH;
  "GET /api/settings/prices": typeof import("@/app/api/settings/prices/route").GET;
  "PUT /api/settings/prices": typeof import("@/app/api/settings/prices/route").PUT;
  "POST /api/settings/test": typeof import("@/app/api/settings/test/route").POST;
  "POST /api/users/password": typeof import("@/app/api/users/password/route").POST;
  "GET /api/users": typeof import("@/app/api/users/route").GET;
  "POST /api/users": typeof import("@/app/api/users/route").POST;
  "PATCH /api/users": typeof import("@/app/api/users/route").PATCH;
}
