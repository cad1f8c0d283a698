import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { isRole } from '../auth/roles.ts';
import type { Role } from '../auth/roles.ts';
import { addUser, listUsers, removeUser, UserError } from '../auth/user-store.ts';
import { isTenantName, tenantNameRule } from '../tenancy/tenant-context.ts';

// `tracehouse user add NAME [--role read|admin] [--tenant T]`, `user remove NAME`, `user list`:
// the local user store in the data directory (auth/users.json). The password is
// read from standard input: typed without echo at a terminal, or piped
// (`printf '%s\n' "$PW" | tracehouse user add ci`), never a flag, which `ps` shows.

export const userUsage = `Usage: tracehouse user add NAME [--role read|admin] [--tenant TENANT] [--data-dir DIR]
       tracehouse user remove NAME [--data-dir DIR]
       tracehouse user list [--data-dir DIR]

The first user turns on login for the web UI and the query API (--api-auth auto).
The password is read from standard input. A user with --tenant sees only that
tenant's data (written with an ingest token of the tenant: --ingest-tenant-tokens).
`;

async function readPassword(): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    const lines = createInterface({ input });
    for await (const line of lines) {
      lines.close();
      return line;
    }
    return '';
  }
  process.stderr.write('Password: ');
  input.setRawMode(true);
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          input.setRawMode(false);
          input.pause();
          input.off('data', onData);
          process.stderr.write('\n');
          resolve(text);
          return;
        }
        if (ch === '\u0003') process.exit(130);
        text = ch === '\u007f' ? text.slice(0, -1) : text + ch;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}

export async function runUserCommand(args: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(userUsage);
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: { role: { type: 'string' }, tenant: { type: 'string' }, 'data-dir': { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`tracehouse user: ${(error as Error).message}\n${userUsage}`);
    return 2;
  }
  const [action, name] = parsed.positionals;
  const dataDir = parsed.values['data-dir'] ?? (env['TRACEHOUSE_DATA_DIR'] || './data');
  if (action === 'list') {
    for (const u of await listUsers(dataDir)) process.stdout.write(`${u.name}\t${u.role}\t${u.createdAt}${u.tenant === undefined ? '' : `\ttenant=${u.tenant}`}\n`);
    return 0;
  }
  if ((action !== 'add' && action !== 'remove') || name === undefined) {
    process.stderr.write(userUsage);
    return 2;
  }
  if (action === 'remove') {
    const removed = await removeUser(dataDir, name);
    process.stderr.write(removed ? `removed user ${name}\n` : `tracehouse user: no user ${name}\n`);
    return removed ? 0 : 1;
  }
  const roleText = parsed.values.role ?? 'read';
  if (!isRole(roleText)) {
    process.stderr.write(`tracehouse user: --role: expected read or admin, got "${roleText}"\n`);
    return 2;
  }
  const role: Role = roleText;
  const tenant = parsed.values.tenant;
  // Before the password prompt: a mistyped tenant should not cost a typed password.
  if (tenant !== undefined && !isTenantName(tenant)) {
    process.stderr.write(`tracehouse user: --tenant "${tenant}": ${tenantNameRule}\n`);
    return 2;
  }
  try {
    const outcome = await addUser(dataDir, name, await readPassword(), role, tenant);
    process.stderr.write(`${outcome} user ${name} (${role}${tenant === undefined ? '' : `, tenant ${tenant}`}) in ${dataDir}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    process.stderr.write(`tracehouse user: ${error.message}\n`);
    return 1;
  }
}
