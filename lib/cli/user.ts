// `npm run studio -- user add|password|role|list`: people and roles from the terminal. Whoever can run this has
// the database itself (its URL or the embedded data folder), so the CLI acts as the studio's owner.
import { parseArgs } from "node:util";
import { cliActor } from "@/lib/audit/log";
import { addUser, generatePassword, listUsers, setPassword, setRole } from "@/lib/auth/users";
import { ROLES, isRole } from "@/lib/auth/roles";
import { CliError, printSummary } from "./output";

export const usage = `user add --email E --role ${ROLES.join("|")} [--name N] [--password P] | user password E [--password P] | user role E <role> | user list`;

export async function run(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { email: { type: "string" }, role: { type: "string" }, name: { type: "string" }, password: { type: "string" } },
  });
  // A password typed on the command line stays in shell history: prefer STUDIO_USER_PASSWORD, or let us make one.
  const given = values.password ?? process.env.STUDIO_USER_PASSWORD;
  const password = given || generatePassword();
  const shown = given ? undefined : password;
  if (action === "add") {
    if (!values.email) throw new CliError("user add needs --email");
    if (!isRole(values.role)) throw new CliError(`user add needs --role ${ROLES.join("|")}`);
    const user = await addUser({ email: values.email, name: values.name ?? values.email.split("@")[0], role: values.role, password }, cliActor());
    printSummary({ ok: true, user: { email: user.email, name: user.name, role: user.role }, ...(shown ? { password: shown } : {}) });
  } else if (action === "password") {
    const email = positionals[0] ?? values.email;
    if (!email) throw new CliError("user password needs the email");
    await setPassword(email, password, cliActor());
    printSummary({ ok: true, email, ...(shown ? { password: shown } : {}) });
  } else if (action === "role") {
    const [email, role] = positionals;
    if (!email || !isRole(role)) throw new CliError(`usage: user role <email> <${ROLES.join("|")}>`);
    const user = await setRole(email, role, cliActor());
    printSummary({ ok: true, user: { email: user.email, role: user.role } });
  } else if (action === "list") {
    printSummary({ ok: true, users: (await listUsers()).map(({ email, name, role }) => ({ email, name, role })) });
  } else {
    throw new CliError(`usage: npm run studio -- ${usage}`);
  }
  return 0;
}
