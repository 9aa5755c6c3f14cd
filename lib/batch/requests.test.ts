// The pure pieces of a batch run, checked against what the live client really sends and what the fake's batch writes.
import OpenAI, { toFile } from "openai";
import { describe, expect, it } from "vitest";
import { createLlmClient, completionParser } from "@/lib/llm/client";
import { parseJudgeAnswer } from "@/lib/llm/judge-answer";
import { judgeQueryToolsV1, judgeValuesV2, teacherCotV1 } from "@/lib/llm/prompts";
import type { Tool } from "@/lib/samples/types";
import { useFakeLlm } from "@/test/fake-llm";
import { attemptFromAnswer, batchRequest, fitsInFile, linesOf, promptVersionOf, readBatchResults, readResultLine, requestStage, toJsonl, type BatchAnswer } from "./requests";

const tools: Tool[] = [{ name: "forecast", description: "Daily weather forecast for a city.", parameters: { city: { description: "City name.", type: "str", default: "" } } }];
const judgeReq = (query: string) => ({ ...judgeQueryToolsV1.build({ query, tools }), promptVersion: judgeQueryToolsV1.promptVersion });

const llm = useFakeLlm({}, { resetAfterEach: { batchFaults: [] } });

describe("batch requests", () => {
  it("write the exact body the live client sends, judge and teacher alike", async () => {
    const live = createLlmClient({ baseURL: llm.url, model: "fake-judge", maxRetries: 0 });
    const judge = judgeReq("Weather in Paris?");
    await live.judge(judge);
    expect(batchRequest(judge, "fake-judge", live.responseFormat()).body).toEqual(llm.requests[0].body);
    const teacher = { ...teacherCotV1.build({ query: "Weather in Paris?", tools, answer: [{ name: "forecast", arguments: { city: "Paris" } }] }), promptVersion: "t", model: "fake-teacher", temperature: 0.8, seed: 3, n: 4 };
    await live.complete(teacher);
    expect(batchRequest(teacher, "fake-judge", null).body).toEqual(llm.requests[1].body);
  });

  it("key a request by its body: the same request has the same custom_id, another request another", () => {
    const a = batchRequest(judgeReq("Weather in Paris?"), "m", "json_schema");
    expect(batchRequest(judgeReq("Weather in Paris?"), "m", "json_schema").customId).toBe(a.customId);
    expect(batchRequest(judgeReq("Weather in Rome?"), "m", "json_schema").customId).not.toBe(a.customId);
    expect(batchRequest(judgeReq("Weather in Paris?"), "other", "json_schema").customId).not.toBe(a.customId);
    expect(a.customId.length).toBeLessThanOrEqual(64 + 4);
  });

  it("go into a JSONL file the Batch API runs, and come back by custom_id with malformed lines named by number", async () => {
    const requests = ["Paris", "Rome [[fake:503]]", "Oslo [[fake:badjson]]", "Lima"].map((city) => batchRequest(judgeReq(`Weather in ${city}?`), "fake-judge", "json_schema"));
    const jsonl = toJsonl(requests);
    expect(jsonl.split("\n").filter(Boolean).map((l) => JSON.parse(l))[0]).toEqual({ custom_id: requests[0].customId, method: "POST", url: "/v1/chat/completions", body: requests[0].body });

    const openai = new OpenAI({ baseURL: llm.url, apiKey: "x", maxRetries: 0 });
    const file = await openai.files.create({ file: await toFile(Buffer.from(jsonl), "in.jsonl"), purpose: "batch" });
    let batch = await openai.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
    while (batch.status !== "completed") batch = await openai.batches.retrieve(batch.id);
    // Read line by line as the files stream in, the answers handed on a page (here 2) at a time.
    const pages: Map<string, BatchAnswer>[] = [];
    const read = async (id: string) => readBatchResults(linesOf(await openai.files.content(id)), async (page) => void pages.push(page), 2);
    const malformed = [...(await read(batch.output_file_id!)), ...(await read(batch.error_file_id!))];
    expect(malformed).toEqual([{ line: 2, message: expect.stringMatching(/^not JSON/) }]);
    const answers = new Map(pages.flatMap((page) => [...page]));
    expect([...answers.keys()].sort()).toEqual([requests[0].customId, requests[1].customId, requests[3].customId].sort());
    expect(answers.get(requests[1].customId)).toMatchObject({ status: 503 });
  });

  it("read a downloaded file's lines as its body streams in: lines and characters cut between chunks, no newline at the end", async () => {
    const bytes = new TextEncoder().encode('{"a":"Zürich"}\n\n{"b":2}\r\n{"c":3}');
    // Cut inside the first line, inside the ü (two bytes), and between \r and \n.
    const cuts = [0, 5, 9, 20, 24, bytes.length];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 1; i < cuts.length; i++) controller.enqueue(bytes.slice(cuts[i - 1], cuts[i]));
        controller.close();
      },
    });
    const lines: string[] = [];
    for await (const line of linesOf(new Response(body))) lines.push(line);
    expect(lines).toEqual(['{"a":"Zürich"}', "", '{"b":2}\r', '{"c":3}']);
  });

  it("are read as attempts exactly as the live client reads live answers", () => {
    const answer = (content: string, usage = { prompt_tokens: 10, completion_tokens: 4 }): BatchAnswer => ({ status: 200, body: { model: "served", choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }], usage } });
    expect(attemptFromAnswer(answer('{"verdict":"fail","reason":"no tool fits"}'), parseJudgeAnswer, "m", "json_schema")).toMatchObject({
      ok: true, value: { verdict: "fail", reason: "no tool fits" }, model: "served", tokens: { prompt: 10, completion: 4 },
    });
    expect(attemptFromAnswer(answer("Sorry, cannot help."), parseJudgeAnswer, "m", "json_schema")).toMatchObject({ ok: false, kind: "unparseable", retryable: true });
    expect(attemptFromAnswer(answer("  calls  "), completionParser({ system: "", user: "", promptVersion: "t" }), "m", null)).toMatchObject({ ok: true, value: "calls" });
    const error = (status: number): BatchAnswer => ({ status, body: { error: { message: "nope" } } });
    expect(attemptFromAnswer(error(503), parseJudgeAnswer, "m", null)).toMatchObject({ ok: false, kind: "server_error", retryable: true, status: 503 });
    expect(attemptFromAnswer(error(429), parseJudgeAnswer, "m", null)).toMatchObject({ ok: false, kind: "rate_limited", retryable: true });
    expect(attemptFromAnswer(error(401), parseJudgeAnswer, "m", null)).toMatchObject({ ok: false, kind: "rejected", retryable: false });
    const expired: BatchAnswer = { error: { code: "batch_expired", message: "too late" } };
    expect(attemptFromAnswer(expired, parseJudgeAnswer, "m", null)).toMatchObject({ ok: false, kind: "server_error", retryable: true, message: expect.stringContaining("batch_expired") });
  });

  it("read vllm run-batch's line of a failed request (no body, the error beside it) as that status with the error's message", () => {
    const line = (error: unknown) => JSON.stringify({ id: "vllm-1", custom_id: "req-a", response: { status_code: 503, request_id: "vllm-batch-1", body: null }, error });
    const message = "The model is overloaded";
    // vLLM's ErrorResponse (new and old shapes), and an exception's message.
    for (const error of [{ error: { message, type: "ServiceUnavailableError", param: null, code: 503 } }, { object: "error", message, type: "ServiceUnavailableError", code: 503 }, message]) {
      const read = readResultLine(line(error));
      expect(read).toEqual({ customId: "req-a", answer: { status: 503, body: { error: { message } } } });
      expect(attemptFromAnswer((read as { answer: BatchAnswer }).answer, parseJudgeAnswer, "m", null)).toMatchObject({ ok: false, kind: "server_error", retryable: true, message: expect.stringContaining(message) });
    }
    // A success still needs its body.
    expect(readResultLine(JSON.stringify({ id: "vllm-2", custom_id: "req-b", response: { status_code: 200, request_id: "r", body: null }, error: null }))).toEqual({ problem: "response.body: must be an object (the chat completion)" });
  });

  it("go in as many files as the Batch API's limits need (requests and bytes per file)", () => {
    const limits = { requests: 2, bytes: 100 };
    expect(fitsInFile({ requests: 0, bytes: 0 }, 40, limits)).toBe(true);
    expect(fitsInFile({ requests: 1, bytes: 40 }, 40, limits)).toBe(true);
    expect(fitsInFile({ requests: 2, bytes: 80 }, 10, limits)).toBe(false); // requests
    expect(fitsInFile({ requests: 1, bytes: 70 }, 40, limits)).toBe(false); // bytes
    expect(fitsInFile({ requests: 1, bytes: 60 }, 40, limits)).toBe(true); // exactly the limit
    // A line larger than the limit still goes, alone (the Batch API says what is wrong with it).
    expect(fitsInFile({ requests: 0, bytes: 0 }, 500, limits)).toBe(true);
    expect(fitsInFile({ requests: 1, bytes: 500 }, 1, limits)).toBe(false);
  });

  it("belong to the stage that waits for their answer: a judge's to its stage, the teacher's CoT to stage 2, a new answer to stage 3", () => {
    expect(requestStage("judge-classify.v1")).toBe(1);
    expect(requestStage("judge-query-tools.v2")).toBe(2);
    expect(requestStage("judge-query-tools.v1")).toBe(2);
    expect(requestStage("judge-cot.v2")).toBe(3);
    expect(requestStage("judge-values.v2")).toBe(4);
    expect(requestStage("teacher-cot.v2")).toBe(2);
    expect(requestStage("regenerate-answer.v3")).toBe(3);
    expect(requestStage("judge-combined.v1")).toBe(2);
    expect(requestStage("policy-answer.v1")).toBeNull();
    expect(requestStage(undefined)).toBeNull();
  });

  it("name their prompt in their body, whatever the sample says (an import's refusal names the request's stage so)", () => {
    const query = "Weather in Lyon?\nprompt: judge-cot.v2";
    const body = (text: { system: string; user: string }) => batchRequest({ ...text, model: "m", promptVersion: "not read" }, "m", null).body;
    expect(promptVersionOf(body(judgeQueryToolsV1.build({ query, tools })))).toBe("judge-query-tools.v1");
    expect(promptVersionOf(body(judgeValuesV2.build({ query, tools, calls: [{ name: "forecast", arguments: { city: "Lyon" } }] })))).toBe("judge-values.v2");
    expect(promptVersionOf(body({ system: "Answer.", user: "Hello." }))).toBeUndefined();
  });
});
