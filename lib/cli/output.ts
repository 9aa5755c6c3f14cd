import cliProgress from "cli-progress";

/** A command failed in a way the user can fix: the message goes to stderr and the exit code is 1. */
export class CliError extends Error {}

/** Every command ends by printing one JSON line, so scripts can read the outcome. */
export function printSummary(summary: object): void {
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(JSON.stringify({ ...summary, peakRssMb }) + "\n");
}

/** A progress bar on stderr when it is a terminal; silent otherwise (CI logs, pipes). */
export function progressBar(label: string, total: number, unit: string) {
  if (!process.stderr.isTTY || total <= 0) return { update: (_value: number) => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {eta_formatted} left`, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (value: number) => bar.update(Math.min(value, total)), stop: () => bar.stop() };
}
