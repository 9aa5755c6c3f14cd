// Folders for a test's files under the system's temp folder, each removed once the tests are done with it: a test
// run leaves nothing behind in /tmp.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, onTestFinished } from "vitest";

const make = (prefix: string) => mkdtemp(path.join(tmpdir(), prefix));
const remove = (dir: string) => rm(dir, { recursive: true, force: true });

/** A new folder, removed when the test that made it ends (call it inside a test). */
export async function testDir(prefix: string): Promise<string> {
  const dir = await make(prefix);
  onTestFinished(() => remove(dir));
  return dir;
}

/** A new folder for a whole test file (call it at the file's top level), removed after the file's last test. */
export async function fileDir(prefix: string): Promise<string> {
  const dir = await make(prefix);
  afterAll(() => remove(dir));
  return dir;
}
