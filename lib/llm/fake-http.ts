// The fake LLM's HTTP answers, shared by its chat completions and its Files and Batch API.

/** An HTTP answer: status, body, extra headers. */
export interface HttpReply {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** One chat completion request's answer, or no answer at all (`hang`). */
export type ChatReply = HttpReply | { hang: true };

export function reply(status: number, body: string, headers: Record<string, string> = {}): HttpReply {
  return { status, body, headers };
}

/** An error the way OpenAI writes one; `param` names the field at fault. */
export function errorReply(status: number, message: string, headers: Record<string, string> = {}, param: string | null = null): HttpReply {
  const type = status === 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "invalid_request_error";
  return reply(status, JSON.stringify({ error: { message, type, param, code: null } }), headers);
}
