// Bridges a function that writes to a Node writable (with `write()` returning false and a later "drain") to a web
// ReadableStream a Route Handler can return, keeping backpressure: the writer waits while the client is slow.
import { EventEmitter } from "node:events";

export class DownloadCancelledError extends Error {
  constructor() {
    super("the client closed the download");
  }
}

/**
 * Runs `write(out)` and streams what it writes. `write` must wait for "drain" whenever `out.write` returns false.
 * If the client goes away, the next write throws DownloadCancelledError (and a pending drain wait rejects), so
 * the writer stops instead of waiting forever. A writer error ends the stream with that error (the download fails
 * visibly rather than looking complete).
 */
export function streamFromWriter(
  write: (out: NodeJS.WritableStream) => Promise<unknown>,
  { highWaterMark = 1 << 20 }: { highWaterMark?: number } = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const sink = new EventEmitter();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let cancelled = false;

  const out = Object.assign(sink, {
    writable: true,
    write(chunk: string | Uint8Array): boolean {
      if (cancelled) throw new DownloadCancelledError();
      controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
      return (controller.desiredSize ?? 0) > 0;
    },
    end(): void {},
  }) as unknown as NodeJS.WritableStream;

  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        // Start writing after start() returns, so the stream exists before the first chunk.
        queueMicrotask(() => {
          write(out).then(
            () => {
              if (!cancelled) controller.close();
            },
            (error: unknown) => {
              if (!cancelled) controller.error(error);
            },
          );
        });
      },
      pull() {
        sink.emit("drain");
      },
      cancel() {
        cancelled = true;
        if (sink.listenerCount("error") > 0) sink.emit("error", new DownloadCancelledError());
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark }),
  );
}
