import type { NextRequest } from "next/server";
import { z } from "zod";
import { requireUser } from "@/lib/auth/require-role";
import { humanAuthor } from "@/lib/auth/current-user";
import { IMPORT_FORMAT_CHOICES } from "@/lib/formats";
import { formatBytes } from "@/lib/format-bytes";
import { findUpload, readUpload, receiveUpload, removeUpload, UploadTooLargeError } from "@/lib/http/upload";
import { importSamples, type ImportProgress, type ImportSummary } from "@/lib/samples/import";
import { UPLOAD_MAX_BYTES } from "@/lib/samples/limits";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * POST /api/import — the raw file is the request body (no multipart), streamed to a temporary file with a byte
 * limit (413 past UPLOAD_MAX_BYTES), then imported.
 *
 *   ?kind=answers&fileName=…     a BFCL possible_answer file: stored, answered with 201 {token, bytes}
 *   ?dataset=…&format=auto|<an IMPORT_FORMATS id>&strict=true|false&fileName=…[&answersToken=…]
 *                                the samples file: answered with NDJSON lines as the import runs:
 *                                {type:"progress", records, bytes, totalBytes}… then {type:"summary", …ImportSummary}
 *                                (or {type:"error", error} if the import crashed).
 * Input errors: 400 {error}; too large: 413 {error}.
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

  const declared = Number(request.headers.get("content-length"));
  if (declared > UPLOAD_MAX_BYTES) return refuse(request, 413, new UploadTooLargeError(UPLOAD_MAX_BYTES).message);
  if (!request.body) return refuse(request, 400, "the request has no body: send the file as the request body");

  let answersFile: string | null = null;
  if (input.kind === "samples" && input.answersToken) {
    answersFile = await findUpload(input.answersToken);
    if (!answersFile) return refuse(request, 400, "the possible_answer upload is unknown or expired: upload it again");
  }

  let upload;
  try {
    upload = await receiveUpload(request.body, UPLOAD_MAX_BYTES);
  } catch (error) {
    if (error instanceof UploadTooLargeError) return refuse(request, 413, error.message);
    throw error;
  }
  if (upload.bytes === 0) {
    await removeUpload(upload.path);
    return Response.json({ error: "the file is empty" }, { status: 400 });
  }

  if (input.kind === "answers") {
    return Response.json({ token: upload.token, bytes: upload.bytes }, { status: 201 });
  }

  const samplesFile = upload.path;
  const totalBytes = upload.bytes;
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const send = (line: object) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(JSON.stringify(line) + "\n"));
        } catch {
          open = false; // The client went away; the import still finishes and is recorded as a job.
        }
      };
      try {
        const summary: ImportSummary = await importSamples({
          datasetName: input.dataset,
          fileName: input.fileName,
          input: readUpload(samplesFile),
          answers: answersFile ? readUpload(answersFile) : undefined,
          format: input.format,
          strict: input.strict,
          actor: humanAuthor(user),
          onProgress: ({ records, bytes }: ImportProgress) => send({ type: "progress", records, bytes, totalBytes }),
        });
        send({ type: "summary", ...summary });
      } catch (error) {
        console.error("import failed", error);
        send({ type: "error", error: `the import failed: ${(error as Error).message}` });
      } finally {
        await removeUpload(samplesFile);
        await removeUpload(answersFile);
        if (open) controller.close();
      }
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      // no-transform keeps compression from buffering the progress lines.
      "Cache-Control": "no-store, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}

/** An error answer sent before the body was read: stop the upload too. */
async function refuse(request: NextRequest, status: 400 | 413, error: string) {
  await request.body?.cancel().catch(() => undefined);
  const hint = status === 413 ? { maxBytes: UPLOAD_MAX_BYTES, limit: formatBytes(UPLOAD_MAX_BYTES) } : {};
  return Response.json({ error, ...hint }, { status });
}
