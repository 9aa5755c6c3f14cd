// Review tasks end to end on the real database and the project's fake LLM (real HTTP): a regeneration writes one
// revision and its verdicts exactly once; a sample changed before or during the task is a conflict and keeps the
// change; a judge or teacher that cannot answer fails the task with the reason and writes nothing; a rules re-check
// refreshes the stage outcomes and keeps a human's status.
import { afterAll, describe, expect, it } from "vitest";
import { useOwnDatabase } from "@/test/own-database";
import { closeDb, getPool } from "@/lib/db/client";
import { stopBoss } from "@/lib/jobs/boss";
import { FAKE_BAD_ARGUMENT } from "@/lib/llm/fake-server";
import { seedDataset } from "@/test/seed";
import { saveEdit } from "./edit";
import { handleSampleTask } from "./task-handler";
import { latestTasks, requestTasks } from "./tasks";
import { useFakeLlm } from "@/test/fake-llm";

// Its own database: another test file's worker processes must not take these tasks off the queue.
const database = await useOwnDatabase("review_tasks");

const teacherPrompts: string[] = [];
const llm = useFakeLlm(
  { latencyMs: 0, script: ({ task, user }) => void (task === "teacher" && teacherPrompts.push(user)) },
  { env: { STUDIO_LLM_TEACHER_MODEL: "fake-teacher" } },
);

afterAll(async () => {
  await stopBoss();
  await closeDb();
  await database.drop();
});

const TOOLS = [
  { name: "get_weather", description: "Current weather.", parameters: { city: { type: "str", description: "City." }, unit: { type: "str, optional" } } },
];
const BAD_CALLS = [{ name: "get_weather", arguments: { city: "Lyon", colour: "blue" } }];
const COT = "The user wants the weather in Lyon, so I call get_weather with city Lyon.";

/** One discarded sample whose stage 4 failed on an unknown argument (as a run would have left it). */
async function discardedSample(query = "Weather in Lyon?"): Promise<number> {
  const { ids } = await seedDataset([{ query, tools: TOOLS, calls: BAD_CALLS, cot: COT, status: "discarded", stageOutcomes: ["1:pass", "2:pass", "3:pass", "4:fail"] }]);
  const pool = await getPool();
  await pool.query(
    `INSERT INTO stage_verdicts (sample_id, stage, outcome, reason, evidence, decided_by, attempt)
     VALUES ($1, 4, 'fail', 'get_weather(colour=…): colour is not a parameter of get_weather', '{}', 'rule:function-params', 1)`,
    [ids[0]],
  );
  await pool.query(`UPDATE samples SET decided_by = 'rule', status_stage = 4, status_code = 'rule:function-params' WHERE id = $1`, [ids[0]]);
  return ids[0];
}

async function state(id: number) {
  const pool = await getPool();
  const { rows } = await pool.query(
    `SELECT s.status, s.version, s.answer, s.cot, s.stage_outcomes, s.decided_by, s.status_code, s.status_reason,
       (SELECT count(*)::int FROM stage_verdicts WHERE sample_id = s.id) AS verdicts,
       (SELECT count(*)::int FROM sample_revisions WHERE sample_id = s.id) AS revisions
     FROM samples s WHERE s.id = $1`,
    [id],
  );
  return rows[0];
}

async function taskFor(id: number, kind: "regenerate" | "recheck", options: object, author = "human:ann"): Promise<number> {
  const { tasks, failures } = await requestTasks([id], kind, options, author);
  expect(failures).toEqual([]);
  return tasks[0].taskId;
}

describe("a regenerate task", () => {
  it("asks the teacher with the failures and the instruction, then writes one revision and the new verdicts, once", async () => {
    const id = await discardedSample();
    const taskId = await taskFor(id, "regenerate", { scope: "cot+answer", instruction: "Use the city the user names." });
    teacherPrompts.length = 0;

    expect(await handleSampleTask(taskId)).toBe("succeeded");

    expect(teacherPrompts).toHaveLength(1);
    expect(teacherPrompts[0]).toContain("- stage 4: get_weather(colour=…): colour is not a parameter of get_weather");
    expect(teacherPrompts[0]).toContain("the reviewer's instruction:\nUse the city the user names.");
    const after = await state(id);
    expect(after).toMatchObject({ status: "passed", version: 2, revisions: 1, status_code: null });
    // The fake teacher repairs the rejected calls: the unknown argument dropped, the city the query names kept.
    expect(after.answer).toEqual([{ name: "get_weather", arguments: { city: "Lyon" } }]);
    expect(after.cot).not.toBe(COT);
    expect(after.stage_outcomes).toEqual(["1:pass", "2:pass", "3:pass", "4:pass", "5:pass"]);

    const pool = await getPool();
    const revision = (await pool.query(`SELECT version, author, reason, answer_before, answer_after FROM sample_revisions WHERE sample_id = $1`, [id])).rows[0];
    expect(revision).toMatchObject({ version: 2, author: "llm:fake-teacher", answer_before: BAD_CALLS });
    expect(revision.reason).toBe(`Regenerated the CoT and answer at human:ann's request: "Use the city the user names."`);
    // The new verdicts come after the old attempt, so the page can tell the rounds apart.
    const attempts = (await pool.query(`SELECT DISTINCT attempt FROM stage_verdicts WHERE sample_id = $1 ORDER BY attempt`, [id])).rows.map((r) => r.attempt);
    expect(attempts).toEqual([1, 2]);
    const [task] = await latestTasks(id);
    expect(task).toMatchObject({ id: taskId, status: "succeeded", message: "Regenerated the CoT and answer: passed. Passed all 5 stages." });
    expect(task.finishedAt).toBeInstanceOf(Date);

    // The same job delivered again (a retry after an expiry) finds the task done and writes nothing.
    const verdicts = after.verdicts;
    expect(await handleSampleTask(taskId)).toBeNull();
    expect(await state(id)).toMatchObject({ version: 2, revisions: 1, verdicts });
  });

  it("of a conversation's first answer, with new calls, ends the conversation there (the repair policy), keeping the cut on the revision", async () => {
    const id = await discardedSample("Weather in Lyon, then Oslo?");
    const followUp = [
      { role: "tool", content: '{"sky": "clear"}' },
      { role: "assistant", cot: null, answer: { kind: "text", text: "Clear in Lyon." } },
    ];
    const pool = await getPool();
    await pool.query(`UPDATE samples SET follow_up = $2, turns = 2 WHERE id = $1`, [id, JSON.stringify(followUp)]);

    expect(await handleSampleTask(await taskFor(id, "regenerate", { scope: "answer" }))).toBe("succeeded");

    const { rows } = await pool.query(`SELECT follow_up, turns FROM samples WHERE id = $1`, [id]);
    expect(rows[0]).toEqual({ follow_up: null, turns: 1 });
    const revision = (await pool.query(`SELECT turn, reason, follow_up_before, follow_up_after FROM sample_revisions WHERE sample_id = $1`, [id])).rows[0];
    expect(revision).toMatchObject({ turn: 1, follow_up_before: followUp, follow_up_after: [] });
    expect(revision.reason).toMatch(/The 2 messages after turn 1 were removed: they followed calls no longer in the conversation\.$/);
  });

  it("of a later turn: the teacher sees that turn's failures, the turn is replaced and what followed its old calls is cut", async () => {
    const { ids } = await seedDataset([{ query: "Weather in Lyon?", tools: TOOLS, calls: [{ name: "get_weather", arguments: { city: "Lyon" } }], cot: COT }]);
    const id = ids[0];
    const followUp = [
      { role: "tool", content: '{"sky": "clear"}' },
      { role: "assistant", cot: "Report it.", answer: { kind: "text", text: "Clear in Lyon." } },
      { role: "user", content: "And in blue?" },
      { role: "assistant", cot: COT, answer: { kind: "calls", calls: BAD_CALLS } },
      { role: "tool", content: '{"sky": "blue"}' },
    ];
    const pool = await getPool();
    await pool.query(`UPDATE samples SET follow_up = $2, turns = 3 WHERE id = $1`, [id, JSON.stringify(followUp)]);
    await pool.query(
      `INSERT INTO stage_verdicts (sample_id, stage, turn, outcome, reason, evidence, decided_by, attempt)
       VALUES ($1, 4, 3, 'fail', 'turn three: colour is not a parameter', '{}', 'rule:function-params', 1),
              ($1, 4, 1, 'fail', 'turn one: an older failure', '{}', 'rule:function-params', 1)`,
      [id],
    );
    teacherPrompts.length = 0;

    expect(await handleSampleTask(await taskFor(id, "regenerate", { scope: "answer", turn: 3 }))).toBe("succeeded");

    expect(teacherPrompts[0]).toContain("turn three: colour is not a parameter");
    expect(teacherPrompts[0]).not.toContain("turn one");
    expect(teacherPrompts[0]).toContain("User: And in blue?");
    const row = (await pool.query(`SELECT answer, follow_up, turns FROM samples WHERE id = $1`, [id])).rows[0];
    expect(row.answer).toEqual([{ name: "get_weather", arguments: { city: "Lyon" } }]);
    expect(row.turns).toBe(3);
    expect(row.follow_up).toHaveLength(4);
    expect(row.follow_up[3]).toMatchObject({ role: "assistant", cot: COT, answer: { kind: "calls", calls: [{ name: "get_weather", arguments: { city: "Lyon" } }] } });
    const revision = (await pool.query(`SELECT turn, reason, follow_up_before FROM sample_revisions WHERE sample_id = $1 ORDER BY id LIMIT 1`, [id])).rows[0];
    expect(revision.turn).toBe(3);
    expect(revision.reason).toMatch(/^Regenerated the answer of turn 3 at human:ann's request\. The 1 message after turn 3 was removed/);
    expect(revision.follow_up_before).toEqual(followUp);
  });

  it("answer only: takes the new calls and keeps the reviewed CoT", async () => {
    const id = await discardedSample();
    expect(await handleSampleTask(await taskFor(id, "regenerate", { scope: "answer" }))).toBe("succeeded");
    const after = await state(id);
    expect(after.cot).toBe(COT);
    expect(after.answer).toEqual([{ name: "get_weather", arguments: { city: "Lyon" } }]);
  });

  it("ends in conflict, writing nothing, when the sample was edited after the task was asked for", async () => {
    const id = await discardedSample();
    const taskId = await taskFor(id, "regenerate", {});
    const edited = await saveEdit({ sampleId: id, expectedVersion: 1 }, { answer: '[get_weather(city="Lyon")]', cot: COT }, "human:bob");
    expect(edited).toEqual({ ok: true, version: 2 });
    const before = await state(id);

    expect(await handleSampleTask(taskId)).toBe("conflict");
    expect(await state(id)).toEqual(before);
    expect((await latestTasks(id))[0]).toMatchObject({ status: "conflict", message: expect.stringMatching(/^The sample changed since the task was asked for/) });
  });

  it("ends in conflict when the sample changes while the teacher is working: the edit stays, nothing of the task is written", async () => {
    const id = await discardedSample("Weather in Lyon? [[fake:slow=400@regenerate-answer]]");
    const taskId = await taskFor(id, "regenerate", {});
    const running = handleSampleTask(taskId);
    await new Promise((r) => setTimeout(r, 150));
    const edited = await saveEdit({ sampleId: id, expectedVersion: 1 }, { answer: '[get_weather(city="Lyon")]', cot: COT }, "human:bob");
    expect(edited).toEqual({ ok: true, version: 2 });
    const before = await state(id);

    expect(await running).toBe("conflict");
    expect(await state(id)).toEqual(before);
    expect(before.answer).toEqual([{ name: "get_weather", arguments: { city: "Lyon" } }]);
  });

  it("fails with the judge's problem, and writes nothing, when a judge cannot answer", async () => {
    const id = await discardedSample("Weather in Lyon? [[fake:500@judge-values]]");
    const before = await state(id);
    const taskId = await taskFor(id, "regenerate", {});

    expect(await handleSampleTask(taskId)).toBe("failed");
    const [task] = await latestTasks(id);
    expect(task.status).toBe("failed");
    expect(task.message).toMatch(/^Stage 4: The judge gave no usable answer \(server_error, 1 attempt\).*: nothing was written\.$/);
    expect(await state(id)).toEqual(before);
  });

  it("fails with the teacher's problem, and writes nothing, when the teacher cannot answer", async () => {
    const id = await discardedSample("Weather in Lyon? [[fake:garbage@regenerate-answer]]");
    const before = await state(id);
    expect(await handleSampleTask(await taskFor(id, "regenerate", {}))).toBe("failed");
    expect((await latestTasks(id))[0].message).toMatch(/^The teacher gave no usable answer \(unparseable after 1 attempt\(s\)/);
    expect(await state(id)).toEqual(before);
  });
});

describe("a re-check task", () => {
  it("rules only: records the rule verdicts and stage outcomes, keeps the status and who decided it", async () => {
    const id = await discardedSample();
    const pool = await getPool();
    await pool.query(`UPDATE samples SET status = 'approved', decided_by = 'human', status_code = 'human', status_reason = 'Approved by ann' WHERE id = $1`, [id]);
    const taskId = await taskFor(id, "recheck", { stages: "rules" });
    expect(await handleSampleTask(taskId)).toBe("succeeded");
    expect(await state(id)).toMatchObject({
      status: "approved",
      version: 2,
      revisions: 0,
      decided_by: "human",
      status_code: "human",
      status_reason: "Approved by ann",
      stage_outcomes: ["1:pass", "2:pass", "3:pass", "4:fail"],
    });
    expect((await latestTasks(id))[0].message).toMatch(/^Re-checked with the rule stages: still approved\. Stage 4: get_weather\(colour=…\)/);
  });

  it("all stages: the judges' verdict sets the status", async () => {
    const { ids } = await seedDataset([{ query: "Weather in Lyon?", tools: TOOLS, calls: [{ name: "get_weather", arguments: { city: "Lyon" } }], cot: COT, status: "flagged" }]);
    expect(await handleSampleTask(await taskFor(ids[0], "recheck", { stages: "all" }))).toBe("succeeded");
    expect(await state(ids[0])).toMatchObject({ status: "passed", stage_outcomes: ["1:pass", "2:pass", "3:pass", "4:pass", "5:pass"], revisions: 0 });
  });

  it("a teacher-bad regeneration is judged like any answer: stage 4's rule fails it", async () => {
    const id = await discardedSample("Weather in Lyon? [[fake:teacher-bad]]");
    expect(await handleSampleTask(await taskFor(id, "regenerate", {}))).toBe("succeeded");
    const after = await state(id);
    expect(after.status).toBe("discarded");
    expect(Object.keys(after.answer[0].arguments)).toContain(FAKE_BAD_ARGUMENT);
  });
});
