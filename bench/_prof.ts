import { createReadStream } from "node:fs";
import { readRecords } from "@/lib/formats/records";
import { IMPORT_FORMATS } from "@/lib/formats";
import { timeRuleStages } from "./pipeline";
const samples: any[] = [];
for await (const r of readRecords(createReadStream("bench/out/conversations-16000.jsonl"))) {
  if (r.ok) samples.push(IMPORT_FORMATS.chat.fromRecord(r.value, r, {}));
}
for (let i = 0; i < 3; i++) { const c = process.cpuUsage(); const r = await timeRuleStages(samples); const u = process.cpuUsage(c); console.log(r, (u.user + u.system) / 1e6); }
