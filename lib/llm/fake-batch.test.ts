// The fake's Files and Batch API, through the real OpenAI SDK (what the studio's batch runs will call).
import OpenAI, { toFile } from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FAKE_TASK_MARKERS, startFakeLlm, type FakeLlm } from "./fake-server";

let llm: FakeLlm;
let openai: OpenAI;
beforeAll(async () => {
  llm = await startFakeLlm();
  openai = new OpenAI({ baseURL: llm.url, apiKey: "not-needed", maxRetries: 0 });
});
afterAll(async () => {
  await llm.close();
});
afterEach(() => {
  llm.reset();
  llm.setOptions({ batchDelayMs: 0, batchFaults: [] });
});

const judgeBody = (user: string) => ({
  model: "fake-judge",
  temperature: 0,
  messages: [
    { role: "system", content: `${FAKE_TASK_MARKERS.judge}\nprompt: judge-cot.v1\nBe strict.` },
    { role: "user", content: user },
  ],
});

const line = (customId: string, body: unknown) => JSON.stringify({ custom_id: customId, method: "POST", url: "/v1/chat/completions", body });

async function submit(lines: string[]) {
  const file = await openai.files.create({ file: await toFile(Buffer.from(lines.join("\n") + "\n"), "requests.jsonl"), purpose: "batch" });
  return openai.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
}

async function waitForEnd(id: string) {
  for (;;) {
    const batch = await openai.batches.retrieve(id);
    if (["completed", "failed", "expired", "cancelled"].includes(batch.status)) return batch;
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function resultLines(fileId: string | null | undefined): Promise<string[]> {
  if (!fileId) return [];
  return (await (await openai.files.content(fileId)).text()).split("\n").filter(Boolean);
}

describe("fake LLM: Files and Batch API", () => {
  it("stores an uploaded file and gives it back", async () => {
    const content = line("a", judgeBody("hi")) + "\n";
    const file = await openai.files.create({ file: await toFile(Buffer.from(content), "in.jsonl"), purpose: "batch" });
    expect(file).toMatchObject({ object: "file", purpose: "batch", filename: "in.jsonl", bytes: Buffer.byteLength(content) });
    expect(await openai.files.retrieve(file.id)).toMatchObject({ id: file.id });
    expect(await (await openai.files.content(file.id)).text()).toBe(content);
  });

  it("gives ids no other fake server gives: another server does not know this one's files", async () => {
    const other = await startFakeLlm();
    try {
      const otherApi = new OpenAI({ baseURL: other.url, apiKey: "not-needed", maxRetries: 0 });
      const mine = await submit([line("a", judgeBody("hi"))]);
      const theirs = await otherApi.files.create({ file: await toFile(Buffer.from(line("a", judgeBody("hi")) + "\n"), "in.jsonl"), purpose: "batch" });
      expect(theirs.id).not.toBe(mine.input_file_id);
      // A run that asks the wrong server about its file is told it is not there; it never deletes another's file.
      await expect(otherApi.files.delete(mine.input_file_id)).rejects.toMatchObject({ status: 404 });
      expect(await openai.files.retrieve(mine.input_file_id)).toMatchObject({ id: mine.input_file_id });
    } finally {
      await other.close();
    }
  });

  it("answers each line exactly as chat completions answers the same body, and splits answers from errors", async () => {
    // Long enough that the batch is still in progress when looked at 50 ms later on a loaded machine (150 ms was not).
    llm.setOptions({ batchDelayMs: 2000 });
    const pass = judgeBody("a sample [[fake:pass]]");
    const fail = judgeBody("a sample [[fake:fail]]");
    const broken = judgeBody("a sample [[fake:503]]");
    const batch = await submit([line("pass", pass), line("fail", fail), line("broken", broken)]);
    expect(batch.status).toBe("validating");
    await new Promise((r) => setTimeout(r, 50));
    expect((await openai.batches.retrieve(batch.id)).status).toBe("in_progress");

    const done = await waitForEnd(batch.id);
    expect(done.status).toBe("completed");
    expect(done.request_counts).toEqual({ total: 3, completed: 2, failed: 1 });
    const output = (await resultLines(done.output_file_id)).map((l) => JSON.parse(l));
    const live = await openai.chat.completions.create(fail as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming);
    expect(output.map((o) => o.custom_id).sort()).toEqual(["fail", "pass"]);
    const failLine = output.find((o) => o.custom_id === "fail");
    expect(failLine.response.status_code).toBe(200);
    expect(failLine.response.body.choices[0].message.content).toBe(live.choices[0].message.content);
    // The same tokens (what is cached depends on what the fake saw before: the batch's line, for the live call).
    expect(failLine.response.body.usage).toMatchObject({ prompt_tokens: live.usage?.prompt_tokens, completion_tokens: live.usage?.completion_tokens });
    const errors = (await resultLines(done.error_file_id)).map((l) => JSON.parse(l));
    expect(errors).toEqual([expect.objectContaining({ custom_id: "broken", response: expect.objectContaining({ status_code: 503 }) })]);
  });

  it("an expired batch keeps the answers it got and lists the rest as batch_expired", async () => {
    llm.setOptions({ batchFaults: [{ expireAfter: 2 }] });
    const batch = await submit(["a", "b", "c", "d"].map((id) => line(id, judgeBody(`sample ${id}`))));
    const done = await waitForEnd(batch.id);
    expect(done.status).toBe("expired");
    expect(done.request_counts).toEqual({ total: 4, completed: 2, failed: 2 });
    expect((await resultLines(done.output_file_id)).map((l) => JSON.parse(l).custom_id)).toEqual(["a", "b"]);
    const errors = (await resultLines(done.error_file_id)).map((l) => JSON.parse(l));
    expect(errors.map((e) => [e.custom_id, e.error.code])).toEqual([["c", "batch_expired"], ["d", "batch_expired"]]);
  });

  it("writes a malformed output line when scripted, and the next batch is whole again", async () => {
    llm.setOptions({ batchFaults: [{ malformedLines: [2] }] });
    const lines = ["a", "b", "c"].map((id) => line(id, judgeBody(`sample ${id}`)));
    const first = await resultLines((await waitForEnd((await submit(lines)).id)).output_file_id);
    expect(first).toHaveLength(3);
    expect(() => JSON.parse(first[1])).toThrow();
    expect(JSON.parse(first[2]).custom_id).toBe("c");
    const second = await resultLines((await waitForEnd((await submit(lines)).id)).output_file_id);
    expect(second.map((l) => JSON.parse(l).custom_id)).toEqual(["a", "b", "c"]);
  });

  it("fails a batch whose input does not validate, naming the line", async () => {
    const batch = await submit([line("a", judgeBody("x")), line("a", judgeBody("y")), "not json"]);
    const done = await waitForEnd(batch.id);
    expect(done.status).toBe("failed");
    expect(done.errors?.data?.map((e) => [e.code, e.line])).toEqual([["duplicate_custom_id", 2], ["invalid_json_line", 3]]);
  });

  it("fails a batch whose input asks more than one model, as OpenAI documents", async () => {
    const done = await waitForEnd((await submit([line("a", judgeBody("x")), line("b", { ...judgeBody("y"), model: "fake-teacher" })])).id);
    expect(done.status).toBe("failed");
    expect(done.errors?.data?.map((e) => [e.code, e.line])).toEqual([["mixed_models", 2]]);
  });

  it("refuses a batch for another endpoint or an unknown file, naming the field", async () => {
    const file = await openai.files.create({ file: await toFile(Buffer.from(line("a", judgeBody("x"))), "in.jsonl"), purpose: "batch" });
    await expect(openai.batches.create({ input_file_id: file.id, endpoint: "/v1/embeddings", completion_window: "24h" })).rejects.toMatchObject({ status: 400, param: "endpoint" });
    await expect(openai.batches.create({ input_file_id: "file-nope", endpoint: "/v1/chat/completions", completion_window: "24h" })).rejects.toMatchObject({ status: 400, param: "input_file_id" });
  });

  it("lists batches newest first a page at a time, with the metadata they were created with; refuses metadata OpenAI would", async () => {
    const file = await openai.files.create({ file: await toFile(Buffer.from(line("a", judgeBody("x"))), "in.jsonl"), purpose: "batch" });
    const create = (metadata: Record<string, string>) => openai.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h", metadata });
    const made = [];
    for (const name of ["one", "two", "three"]) made.push(await create({ name }));
    const firstPage = await openai.batches.list({ limit: 2 });
    expect(firstPage.data.map((b) => b.metadata?.name)).toEqual(["three", "two"]);
    expect(firstPage.has_more).toBe(true);
    const all = [];
    for await (const batch of openai.batches.list({ limit: 2 })) all.push(batch.id);
    expect(all).toEqual(made.map((b) => b.id).reverse());
    await expect(create(Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])))).rejects.toMatchObject({ status: 400, param: "metadata" });
    await expect(create({ name: "x".repeat(513) })).rejects.toMatchObject({ status: 400, param: "metadata" });
    await expect(openai.batches.list({ limit: 101 })).rejects.toMatchObject({ status: 400, param: "limit" });
  });

  it("lists files a page at a time (newest first, or oldest first; of one purpose) and deletes them", async () => {
    const upload = async (name: string) => openai.files.create({ file: await toFile(Buffer.from(line(name, judgeBody(name))), `${name}.jsonl`), purpose: "batch" });
    const made = [];
    for (const name of ["one", "two", "three"]) made.push(await upload(name));
    const done = await waitForEnd((await openai.batches.create({ input_file_id: made[0].id, endpoint: "/v1/chat/completions", completion_window: "24h" })).id);
    const names = async (query: OpenAI.FileListParams) => {
      const all = [];
      for await (const file of openai.files.list(query)) all.push(file.filename);
      return all;
    };
    expect(await names({ limit: 2, purpose: "batch" })).toEqual(["three.jsonl", "two.jsonl", "one.jsonl"]);
    expect(await names({ limit: 2, order: "asc" })).toEqual(["one.jsonl", "two.jsonl", "three.jsonl", `${done.id}_output.jsonl`]);
    expect(await names({ purpose: "batch_output" })).toEqual([`${done.id}_output.jsonl`]);
    await expect(openai.files.list({ limit: 10_001 })).rejects.toMatchObject({ status: 400, param: "limit" });

    expect(await openai.files.delete(made[1].id)).toEqual({ id: made[1].id, object: "file", deleted: true });
    await expect(openai.files.retrieve(made[1].id)).rejects.toMatchObject({ status: 404 });
    await expect(openai.files.delete(made[1].id)).rejects.toMatchObject({ status: 404 });
    expect(await names({})).toEqual([`${done.id}_output.jsonl`, "three.jsonl", "one.jsonl"]);
  });

  it("leaves a delete of a scripted batch's file unanswered, the file kept, until the fault is lifted", async () => {
    llm.setOptions({ batchFaults: [{ deletesUnanswered: true }] });
    const done = await waitForEnd((await submit([line("a", judgeBody("x"))])).id);
    const hanging = new OpenAI({ baseURL: llm.url, apiKey: "not-needed", maxRetries: 0, timeout: 300 });
    await expect(hanging.files.delete(done.input_file_id)).rejects.toThrow(/timed out/i);
    expect((await openai.files.retrieve(done.input_file_id)).id).toBe(done.input_file_id);
    llm.setOptions({ batchFaults: [] });
    expect(await openai.files.delete(done.input_file_id)).toMatchObject({ deleted: true });
  });

  it("cancels a batch in flight", async () => {
    llm.setOptions({ batchDelayMs: 200 });
    const batch = await submit([line("a", judgeBody("x"))]);
    expect((await openai.batches.cancel(batch.id)).status).toBe("cancelling");
    expect((await waitForEnd(batch.id)).status).toBe("cancelled");
  });
});
