import type { z } from "zod";

/** A value as it reaches the browser through JSON: dates become ISO text. */
export type Jsonified<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Jsonified<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;

/** Reads and validates a JSON request body: the data, or the 400 response that says what is wrong. */
export async function readJsonBody<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
): Promise<{ ok: true; data: z.infer<Schema> } | { ok: false; response: Response }> {
  let json: unknown;
  try {
    json = await request.json();
  } catch {
    return { ok: false, response: Response.json({ error: "the request body must be JSON" }, { status: 400 }) };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const error = parsed.error.issues.map((issue) => issue.message).join("; ");
    return { ok: false, response: Response.json({ error }, { status: 400 }) };
  }
  return { ok: true, data: parsed.data };
}
