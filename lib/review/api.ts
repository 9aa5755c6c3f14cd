// What the review page's route handlers (app/api/samples/[id]/**) share: the sample id of the path, the version a
// write carries, and the answers every write gives for an unknown sample or a stale version.
import { z } from "zod";
import type { CurrentUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { ConflictError, ForbiddenError, InvalidRequestError, NotFoundError, UnprocessableError } from "@/lib/errors";
import type { SampleChange } from "@/lib/samples/queries";
import type { SaveEditResult } from "./edit";
import { idText, wholeNumber } from "@/lib/zod/schemas";

/** The path of /api/samples/:id/… */
export const SampleParams = z.object({ id: idText("the sample id") });

export function sampleNotFound(id: number): NotFoundError {
  return new NotFoundError(`sample ${id} does not exist`);
}

/** The version the page loaded, which every write carries. */
export const expectedVersion = wholeNumber("expectedVersion", { min: 1 });

/** 409: the sample changed since the page loaded it; nothing was written. `current` lets the page say by whom. */
export function conflict(current: SampleChange): ConflictError {
  const by = current.by ? current.by.replace(/^human:/, "") : "someone";
  const at = `${current.updatedAt.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return new ConflictError(`Changed by ${by} at ${at} since you opened it: nothing was written. Reload to see it.`, { current });
}

/** Which queue a reviewer works: review (default) or adjudicate (lib/review/queue-sql.ts ClaimOptions.mode). */
export const queueMode = z.enum(["review", "adjudicate"], { error: "mode must be review or adjudicate" }).default("review");

/** The adjudication queue is for those who may adjudicate; 403 for anyone else. */
export function allowQueueMode(user: Pick<CurrentUser, "role">, mode: z.infer<typeof queueMode>): void {
  if (mode === "adjudicate" && !can(user.role, "adjudicate")) throw new ForbiddenError("the adjudication queue needs the adjudicate permission (admins)");
}

/**
 * The new version a revert (or a restore with the original answer) saved, or the error its refusal is: 404, 409 with
 * who changed the sample, 422 naming the rules that fail it, 400 for anything else it cannot do.
 */
export function savedVersion(result: SaveEditResult, sampleId: number): number {
  if (result.ok) return result.version;
  if (result.kind === "not-found") throw sampleNotFound(sampleId);
  if (result.kind === "conflict") throw conflict(result.current);
  if (result.failing.length) throw new UnprocessableError(result.message, { failing: result.failing });
  throw new InvalidRequestError(result.message);
}
