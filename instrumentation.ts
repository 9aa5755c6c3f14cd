// Runs once when the Next.js server starts. With the embedded default database (no DATABASE_URL) the web server
// also works on pipeline runs itself, so one command gives a working studio; with a DATABASE_URL, run
// `npm run worker` processes instead (or set STUDIO_WEB_WORKER=1 to keep one in the web server too).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Before anything can log: a server whose output reader is gone stops, rather than loop on its write errors.
  const { stopWhenOutputIsGone } = await import("./lib/process/lost-output");
  stopWhenOutputIsGone();
  // Before any request: the client address better-auth and the audit log use comes from the socket (lib/auth/client-address.ts).
  const { stampClientAddresses } = await import("./lib/auth/client-address");
  stampClientAddresses();
  // A studio nobody can sign in to is useless: the first admin exists before the first page (npm start creates it
  // earlier and prints the login; this covers `next start` on its own).
  const { ensureFirstAdmin, firstAdminMessage } = await import("./lib/auth/bootstrap");
  await ensureFirstAdmin().then(
    (login) => login && console.log(firstAdminMessage(login)),
    (error: Error) => console.error(`could not create the first admin: ${error.message}`),
  );
  // A bulk action this server (or another) was doing when it stopped is marked failed with how far it got.
  const { settleInterruptedBulkJobs } = await import("./lib/review/bulk-jobs");
  await settleInterruptedBulkJobs().then(
    (ids) => ids.length && console.log(`bulk actions interrupted by a stop, marked failed: #${ids.join(", #")}`),
    (error: Error) => console.error(`could not check for interrupted bulk actions: ${error.message}`),
  );
  if (process.env.DATABASE_URL && process.env.STUDIO_WEB_WORKER !== "1") return;
  if (process.env.STUDIO_WEB_WORKER === "0") return;
  const { startWorker } = await import("./lib/jobs/worker");
  const { keepRunningThroughDatabaseOutages } = await import("./lib/db/outage");
  keepRunningThroughDatabaseOutages();
  // Not awaited: the pages must not wait for the queue (and a database problem is reported by the pages).
  startWorker().then(
    () => console.log("pipeline worker started in the web server"),
    (error: Error) => console.error(`pipeline worker did not start: ${error.message}`),
  );
}
