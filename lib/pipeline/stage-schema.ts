// zod for a stage id in a request body or URL, from the registry (browser-safe, like the registry).
import { z } from "@/lib/browser-zod";
import { STAGE_ID_MESSAGE, isStageId } from "./stage-registry";

/** A registry stage's id; the error names `field` ("stage must be a stage: 1, 2, 3, 4 or 5"). */
export function stageIdSchema(field: string) {
  const message = `${field} ${STAGE_ID_MESSAGE}`;
  return z.number({ error: message }).refine((n): boolean => isStageId(n), message);
}

/** The same, from URL text ("4"). */
export const stageIdParam = z.coerce.number().refine((n): boolean => isStageId(n), STAGE_ID_MESSAGE);
