// Browser uploads (the raw request body), with flat memory and a hard size limit. The samples file is read straight
// from the request as it arrives (UploadBody); the small BFCL possible_answer file that comes first is kept in a
// temporary file named by a random token, so that the second request (the test file) can refer to it.
import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream, type ReadStream } from "node:fs";
import { mkdir, readdir, stat, unlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { formatBytes } from "@/lib/format-bytes";
import { FileFormatError } from "@/lib/formats/records";

/** Uploads left behind (an answers file whose test file never came) are removed after this long. */
const STALE_AFTER_MS = 60 * 60 * 1000;
const TOKEN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Both are file-level errors (FileFormatError): an import reading the body fails whole, rolls back and says why.
export class UploadTooLargeError extends FileFormatError {
  constructor(readonly maxBytes: number) {
    super(`the file is larger than the upload limit of ${formatBytes(maxBytes)}; import it with the CLI instead`);
  }
}

export class UploadIncompleteError extends FileFormatError {}

/**
 * A request body read as it arrives, counted. Past `maxBytes` it throws UploadTooLargeError; a body that breaks
 * off (the client went away, the connection failed) or ends before its Content-Length throws UploadIncompleteError
 * — so a cut file can never pass for a shorter, complete one.
 */
export class UploadBody implements AsyncIterable<Buffer> {
  bytes = 0;
  tooLarge = false;

  constructor(
    private readonly body: ReadableStream<Uint8Array>,
    private readonly limits: { declaredBytes: number | null; maxBytes: number },
  ) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    const { declaredBytes, maxBytes } = this.limits;
    const chunks = this.body[Symbol.asyncIterator]();
    let ended = false;
    try {
      for (;;) {
        let next: IteratorResult<Uint8Array>;
        try {
          next = await chunks.next();
        } catch (error) {
          ended = true;
          throw new UploadIncompleteError(this.brokeOff((error as Error).message || "the connection was lost"));
        }
        if (next.done) {
          ended = true;
          break;
        }
        this.bytes += next.value.length;
        if (this.bytes > maxBytes) {
          this.tooLarge = true;
          throw new UploadTooLargeError(maxBytes);
        }
        yield Buffer.from(next.value.buffer, next.value.byteOffset, next.value.length);
      }
    } finally {
      // Stopped early (over the limit, or the importer gave up on the file): stop receiving the rest.
      if (!ended) await chunks.return?.().catch(() => undefined);
    }
    if (declaredBytes !== null && this.bytes !== declaredBytes) throw new UploadIncompleteError(this.brokeOff("the body ended before its Content-Length"));
  }

  private brokeOff(why: string): string {
    const of = this.limits.declaredBytes === null ? "" : ` of ${formatCount(this.limits.declaredBytes)}`;
    return `the upload broke off after ${formatCount(this.bytes)}${of} bytes (${why})`;
  }
}

const formatCount = (n: number) => n.toLocaleString("en-US");

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

