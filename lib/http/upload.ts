// Receives a browser upload (the raw request body) into a temporary file with flat memory and a hard size limit.
// Files are named by a random token so a second request (the BFCL possible_answer file, then the test file) can
// refer to the first.
import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream, type ReadStream } from "node:fs";
import { mkdir, readdir, stat, unlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { formatBytes } from "@/lib/format-bytes";

/** Uploads left behind (an answers file whose test file never came) are removed after this long. */
const STALE_AFTER_MS = 60 * 60 * 1000;
const TOKEN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class UploadTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the file is larger than the upload limit of ${formatBytes(maxBytes)}; import it with the CLI instead`);
  }
}

export interface ReceivedUpload {
  token: string;
  path: string;
  bytes: number;
}

export function uploadDir(): string {
  return path.join(os.tmpdir(), "funreason-studio-uploads");
}

/** The file of an earlier upload, or null when the token is malformed or the file is gone. */
export async function findUpload(token: string): Promise<string | null> {
  if (!TOKEN.test(token)) return null;
  const file = path.join(uploadDir(), `${token}.upload`);
  try {
    await stat(file);
    return file;
  } catch {
    return null;
  }
}

/**
 * Streams `body` to a new temporary file, counting bytes; past `maxBytes` it stops reading, deletes the partial
 * file and throws UploadTooLargeError.
 */
export async function receiveUpload(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<ReceivedUpload> {
  const dir = uploadDir();
  await mkdir(dir, { recursive: true });
  void sweepStaleUploads(dir);
  const token = randomUUID();
  const file = path.join(dir, `${token}.upload`);
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > maxBytes) callback(new UploadTooLargeError(maxBytes));
      else callback(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(body as WebReadableStream<Uint8Array>), limit, createWriteStream(/* turbopackIgnore: true */ file));
  } catch (error) {
    await unlink(/* turbopackIgnore: true */ file).catch(() => undefined);
    throw error;
  }
  return { token, path: file, bytes };
}

/** Reads back a received upload. */
export function readUpload(file: string): ReadStream {
  return createReadStream(/* turbopackIgnore: true */ file);
}

export async function removeUpload(file: string | null | undefined): Promise<void> {
  if (file) await unlink(/* turbopackIgnore: true */ file).catch(() => undefined);
}

async function sweepStaleUploads(dir: string): Promise<void> {
  try {
    const now = Date.now();
    for (const name of await readdir(dir)) {
      if (!name.endsWith(".upload")) continue;
      const file = path.join(dir, name);
      const info = await stat(file).catch(() => null);
      if (info && now - info.mtimeMs > STALE_AFTER_MS) await unlink(/* turbopackIgnore: true */ file).catch(() => undefined);
    }
  } catch {
    // Sweeping is best effort.
  }
}

