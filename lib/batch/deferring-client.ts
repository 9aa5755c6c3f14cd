// The LlmClient of a batch pass: answers a request from the run's request store when it holds an answer, else
// records the request and throws DeferredRequest, which stops that sample's walk for this pass.
import {
  RESPONSE_FORMATS,
  completionParser,
  judgeParser,
  settle,
  toCompletionResult,
  toJudgeResult,
  type AnswerParser,
  type ChatRequest,
  type LlmClient,
  type ResponseFormatMode,
} from "@/lib/llm/client";
import { attemptFromAnswer, batchRequest, type BatchRequest } from "./requests";
import type { StoredRequest } from "./store";

/** Thrown by a deferring client for a request that has no usable answer yet: the sample waits for the next pass. */
export class DeferredRequest extends Error {
  constructor(readonly customId: string) {
    super(`request ${customId} waits for a batch`);
    this.name = "DeferredRequest";
  }
}

/** What a pass knows (the store's requests) and what it collects (requests to send, by custom_id). */
export interface RequestBook {
  stored: ReadonlyMap<string, StoredRequest>;
  pending: Map<string, BatchRequest>;
  /** The sample being walked: its requests are recorded with it. */
  sampleId?: number;
  /** Per endpoint and model, the first response format a judge is asked in (RESPONSE_FORMATS' index): moved on when one is refused. */
  formats?: Map<string, number>;
}

export interface DeferringClientConfig {
  /** The model when a request names none (the live client's `model`). */
  model: string;
  /** As the live client's: a retryable failure is asked again in the next pass until 1 + maxRetries answers. */
  maxRetries: number;
  /** The base URL of the panel member it asks for; unset: the judge's endpoint. */
  endpoint?: string;
}

export function createDeferringClient(config: DeferringClientConfig, book: RequestBook): LlmClient {
  book.formats ??= new Map();
  const formats = book.formats;
  // Learnt per endpoint and model (the live client learns it per client: one model at one base URL).
  const formatKey = (model: string) => `${config.endpoint ?? ""} ${model}`;
  // No await before the throw: parallel calls (Promise.all: panels, pool candidates) all record their requests.
  function answer<T>(req: ChatRequest, format: ResponseFormatMode | null, parse: AnswerParser<T>) {
    const request = batchRequest(req, config.model, format, config.endpoint);
    const stored = book.stored.get(request.customId);
    const model = req.model ?? config.model;
    const attempt = stored?.state === "answered" && stored.answer ? attemptFromAnswer(stored.answer, parse, model, format) : null;
    if (!stored || !attempt || (!attempt.ok && attempt.retryable && stored.attempts < 1 + Math.max(0, config.maxRetries))) {
      book.pending.set(request.customId, { ...request, sampleId: book.sampleId });
      throw new DeferredRequest(request.customId);
    }
    return { attempt, result: () => settle(req, attempt, { attempts: stored.attempts, tokens: stored.tokens, latencyMs: 0, model }) };
  }
  /**
   * A judge is asked in the best format its server is known to take, as the live client asks: structured outputs
   * first; a format the server refused (a 400 naming it) is asked again in the next one, and later samples start there.
   */
  function judgeAnswer(req: ChatRequest) {
    const model = req.model ?? config.model;
    for (let i = formats.get(formatKey(model)) ?? 0; ; i++) {
      const { attempt, result } = answer(req, RESPONSE_FORMATS[i], judgeParser(req));
      if (attempt.ok || !attempt.formatRefused || i === RESPONSE_FORMATS.length - 1) return result();
      formats.set(formatKey(model), Math.max(formats.get(formatKey(model)) ?? 0, i + 1));
    }
  }
  return {
    async judge(req) {
      return toJudgeResult(judgeAnswer(req));
    },
    async complete(req) {
      return toCompletionResult(answer(req, null, completionParser(req)).result());
    },
    responseFormat(model) {
      return RESPONSE_FORMATS[formats.get(formatKey(model ?? config.model)) ?? 0];
    },
  };
}
