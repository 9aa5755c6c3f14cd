import type { NextRequest } from "next/server";
import { z } from "zod";
import { requireUser } from "@/lib/auth/require-role";
import { humanAuthor } from "@/lib/auth/current-user";
import { IMPORT_FORMAT_CHOICES } from "@/lib/formats";
import { formatBytes } from "@/lib/format-bytes";
import { findUpload, readUpload, receiveUpload, removeUpload, UploadBody, UploadTooLargeError } from "@/lib/http/upload";
import { importSamples } from "@/lib/samples/import";
import { IMPORT_ID, trackImport } from "@/lib/samples/import-progress";
import { UPLOAD_MAX_BYTES } from "@/lib/samples/limits";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * POST /api/import — the raw file is the request body (no multipart), with a byte limit (413 past
 * UPLOAD_MAX_BYTES, from Content-Length before reading, or while reading).
 *
 *   ?kind=answers&fileName=…     a BFCL possible_answer file: stored, answered with 201 {token, bytes}
 *   ?dataset=…&format=auto|<an IMPORT_FORMATS id>&strict=true|false&fileName=…[&answersToken=…][&importId=…]
 *                                the samples file: imported while it arrives (never stored or buffered whole), then
 *                                answered with 200 ImportSummary — ok false when nothing was imported, e.g. a
 *                                body that broke off. With importId, GET /api/import/progress?id=… reports the
 *                                records read so far while the upload is still being sent.
 * proxy.ts must not match this path: a proxy makes Next.js buffer (and cut at 10 MB) the body it passes on.
 * Input errors: 400 {error}; too large: 413 {error, maxBytes, limit}; an id already in use: 409 {error}.
 */
const query = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("answers"),
    fileName: fileNameSchema(),
  }),
  z.object({
    kind: z.literal("samples"),
    dataset: z
      .string({ error: "the dataset name is missing" })
      .trim()
      .min(1, "the dataset name is empty")
      .max(100, "the dataset name is longer than 100 characters"),
    format: z.enum(IMPORT_FORMAT_CHOICES, { error: `format must be one of ${IMPORT_FORMAT_CHOICES.join(", ")}` }).default("auto"),
    strict: z.stringbool({ error: "strict must be true or false" }).default(false),
    fileName: fileNameSchema(),
    answersToken: z.string().optional(),
    importId: z.string().regex(IMPORT_ID, "importId must be 32 hexadecimal digits").optional(),
  }),
], { error: "kind must be samples (the default) or answers" });

function fileNameSchema() {
  return z.string().trim().max(255, "the file name is longer than 255 characters").default("upload").transform((name) => name || "upload");
}

export async function POST(request: NextRequest) {
  const { user, denied } = await requireUser("admin");
  if (denied) return denied;

  const params = Object.fromEntries(request.nextUrl.searchParams);
  const parsed = query.safeParse({ kind: "samples", ...params });
  if (!parsed.success) return refuse(request, 400, parsed.error.issues.map((issue) => issue.message).join("; "));
  const input = parsed.data;

  const length = request.headers.get("content-length");
  const declared = length === null ? null : Number(length);
  if (declared !== null && declared > UPLOAD_MAX_BYTES) return refuse(request, 413, new UploadTooLargeError(UPLOAD_MAX_BYTES).message);
  if (!request.body) return refuse(request, 400, "the request has no body: send the file as the request body");
  if (declared === 0) return refuse(request, 400, "the file is empty");

  if (input.kind === "answers") {
    try {
      const upload = await receiveUpload(request.body, UPLOAD_MAX_BYTES);
      return Response.json({ token: upload.token, bytes: upload.bytes }, { status: 201 });
    } catch (error) {
      if (error instanceof UploadTooLargeError) return refuse(request, 413, error.message);
      throw error;
    }
  }

  const answersFile = input.answersToken ? await findUpload(input.answersToken) : null;
  if (input.answersToken && !answersFile) return refuse(request, 400, "the possible_answer upload is unknown or expired: upload it again");
  const progress = input.importId ? trackImport(input.importId, declared) : undefined;
  if (progress === null) return refuse(request, 409, "an import with this importId is already running");

  const body = new UploadBody(request.body, { declaredBytes: declared, maxBytes: UPLOAD_MAX_BYTES });
  try {
    const summary = await importSamples({
      datasetName: input.dataset,
      fileName: input.fileName,
      input: body,
      answers: answersFile ? readUpload(answersFile) : undefined,
      format: input.format,
      strict: input.strict,
      actor: humanAuthor(user),
      onProgress: progress?.update,
    });
    // Recorded as a failed import like any other; the answer says 413, as it does for a too-large Content-Length.
    if (body.tooLarge) return tooLarge(new UploadTooLargeError(UPLOAD_MAX_BYTES).message);
    return Response.json(summary);
  } catch (error) {
    console.error("import failed", error);
    return Response.json({ error: `the import failed: ${(error as Error).message}` }, { status: 500 });
  } finally {
    progress?.finish();
    await removeUpload(answersFile);
  }
}

/** An error answer sent before the body was read: stop the upload too. */
async function refuse(request: NextRequest, status: 400 | 409 | 413, error: string) {
  await request.body?.cancel().catch(() => undefined);
  return status === 413 ? tooLarge(error) : Response.json({ error }, { status });
}

function tooLarge(error: string) {
  return Response.json({ error, maxBytes: UPLOAD_MAX_BYTES, limit: formatBytes(UPLOAD_MAX_BYTES) }, { status: 413 });
}
