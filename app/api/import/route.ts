import { z } from "zod";
import { humanAuthor } from "@/lib/auth/current-user";
import { ConflictError, InvalidRequestError, TooLargeError } from "@/lib/errors";
import { IMPORT_FORMAT_CHOICES } from "@/lib/formats";
import { formatBytes } from "@/lib/format-bytes";
import { jsonResponse, route } from "@/lib/http/route";
import { findUpload, readUpload, receiveUpload, removeUpload, UploadBody, UploadTooLargeError } from "@/lib/http/upload";
import { importSamples } from "@/lib/samples/import";
import { IMPORT_ID, trackImport } from "@/lib/samples/import-progress";
import { UPLOAD_MAX_BYTES } from "@/lib/samples/limits";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * POST /api/import — the raw file is the request body (no multipart; Content-Type application/octet-stream, or the
 * file's own JSON / JSON Lines type), with a byte limit (413 past UPLOAD_MAX_BYTES, from Content-Length before
 * reading, or while reading).
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
const query = z.preprocess(
  (params) => ({ kind: "samples", ...(params as object) }),
  z.discriminatedUnion(
    "kind",
    [
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
        answersToken: z.string().max(100, "answersToken is not a token").optional(),
        importId: z.string().regex(IMPORT_ID, "importId must be 32 hexadecimal digits").optional(),
      }),
    ],
    { error: "kind must be samples (the default) or answers" },
  ),
);

function fileNameSchema() {
  return z.string().trim().max(255, "the file name is longer than 255 characters").default("upload").transform((name) => name || "upload");
}

const UPLOAD_TYPES = ["application/octet-stream", "application/json", "application/x-ndjson", "application/jsonl"] as const;

export const POST = route({ permission: "data.import", query, upload: { contentTypes: UPLOAD_TYPES } }, async ({ request, user, query: input }) => {
  const length = request.headers.get("content-length");
  const declared = length === null ? null : Number(length);
  if (declared !== null && declared > UPLOAD_MAX_BYTES) throw tooLarge();
  if (!request.body) throw new InvalidRequestError("the request has no body: send the file as the request body");
  if (declared === 0) throw new InvalidRequestError("the file is empty");

  if (input.kind === "answers") {
    try {
      const upload = await receiveUpload(request.body, UPLOAD_MAX_BYTES);
      return jsonResponse({ token: upload.token, bytes: upload.bytes }, { status: 201 });
    } catch (error) {
      throw error instanceof UploadTooLargeError ? tooLarge() : error;
    }
  }

  const answersFile = input.answersToken ? await findUpload(input.answersToken) : null;
  if (input.answersToken && !answersFile) throw new InvalidRequestError("the possible_answer upload is unknown or expired: upload it again");
  const progress = input.importId ? trackImport(input.importId, declared) : undefined;
  if (progress === null) throw new ConflictError("an import with this importId is already running");

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
    if (body.tooLarge) throw tooLarge();
    return summary;
  } finally {
    progress?.finish();
    await removeUpload(answersFile);
  }
});

function tooLarge(): TooLargeError {
  return new TooLargeError(new UploadTooLargeError(UPLOAD_MAX_BYTES).message, { maxBytes: UPLOAD_MAX_BYTES, limit: formatBytes(UPLOAD_MAX_BYTES) });
}
