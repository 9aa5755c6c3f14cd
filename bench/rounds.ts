// A self-refinement round over 10k samples against the fake LLM at 0 ms (in its own process, playing judge, teacher and
// the policy model, which knows the BFCL answers): its throughput, and its overhead over a plain pipeline run of the
// same samples — the policy model's answers to write, compare and store, then their own run.
import { stopBoss } from "@/lib/jobs/boss";
import { startWorker } from "@/lib/jobs/worker";
import { getRound, startRound } from "@/lib/rounds/rounds";
import { fullRun, passingSet, withFakeLlm } from "./pipeline";
import type { Report } from "./stats";

export async function roundBench(benchFile: string, report: Report) {
  const count = Number(process.env.BENCH_ROUND_SAMPLES) || 10_000;
  const file = await passingSet(benchFile, count);
  await withFakeLlm(
    0,
    async (url) => {
      // The plain run imports the samples: they are the round's source (the source's statuses do not matter to it).
      const plain = await fullRun(file, count, 64, url);
      const worker = await startWorker();
      const started = performance.now();
      const { id } = await startRound({ source: plain.dataset, model: "bench-policy", concurrency: 64, author: "system" });
      let round;
      for (;;) {
        round = await getRound(id);
        if (round.status !== "generating" && round.status !== "refining") break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const seconds = (performance.now() - started) / 1000;
      await worker.stop();
      const generation = (new Date(round.generatedAt!).getTime() - new Date(round.createdAt).getTime()) / 1000;
      report("plain pipeline run (the round's baseline)", `${Math.round(count / plain.seconds)} samples/s (${count} samples in ${plain.seconds.toFixed(1)} s, ${plain.callsPerSample.toFixed(2)} LLM calls/sample)`);
      report(
        "round, policy + judge at 0 ms, concurrency 64",
        `${Math.round(count / seconds)} answers/s (${count} in ${seconds.toFixed(1)} s: the policy's answers ${generation.toFixed(1)} s — ${Math.round(count / generation)}/s —, their run ${(seconds - generation).toFixed(1)} s; agreement ${((round.agreement ?? 0) * 100).toFixed(1)}%, refined ${round.refined}, ${round.status})`,
      );
      const difference = seconds - plain.seconds;
      report("round ÷ plain run", `${(seconds / plain.seconds).toFixed(2)}× (${difference >= 0 ? "+" : "−"}${Math.abs(difference).toFixed(1)} s; the answers come with their CoT, so the round's run asks no teacher)`);
    },
    ["--policy-key", "fixtures/bfcl"],
  );
  await stopBoss();
}
