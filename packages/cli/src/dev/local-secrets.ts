import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConsoleModel, SystemModel } from '../model/system-model.js';

/** The local secrets file wrangler dev reads next to a worker's wrangler.jsonc (git-ignored). */
const DEV_VARS = '.dev.vars';

/**
 * Makes sure the console can work under `escf dev`: random admin tokens in
 * the admin worker's `.dev.vars` (read and write scope) and the write token
 * plus a console password in the console worker's. Keys already present are
 * kept (your own values win, and a second run changes nothing); other lines
 * of those files are never touched. Returns the console password.
 */
export function ensureConsoleSecrets(system: SystemModel, console: ConsoleModel): { password: string; file: string } {
  const admin = system.workers.find((worker) => worker.key === console.adminWorkerKey);
  if (!admin) throw new Error(`The console's admin worker '${console.adminWorkerKey}' is not part of the system.`);
  const adminFile = join(admin.dir, DEV_VARS);
  const consoleFile = join(console.dir, DEV_VARS);
  const adminVars = ensureVars(adminFile, { ESCF_ADMIN_READ_TOKEN: secret(), ESCF_ADMIN_WRITE_TOKEN: secret() });
  const consoleVars = ensureVars(consoleFile, {
    ESCF_ADMIN_TOKEN: adminVars.ESCF_ADMIN_WRITE_TOKEN!,
    ESCF_CONSOLE_PASSWORD: secret(),
  });
  return { password: consoleVars.ESCF_CONSOLE_PASSWORD!, file: consoleFile };
}

function secret(): string {
  return randomBytes(24).toString('base64url');
}

/** Adds the missing keys to a .dev.vars file and returns every key=value it then holds. */
function ensureVars(file: string, wanted: Record<string, string>): Record<string, string> {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const present: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/.exec(line);
    if (match) present[match[1]!] = match[2]!.replace(/^"(.*)"$/, '$1');
  }
  const missing = Object.entries(wanted).filter(([key]) => present[key] === undefined);
  if (missing.length > 0) {
    const prefix = text.length === 0 || text.endsWith('\n') ? text : `${text}\n`;
    writeFileSync(file, `${prefix}${missing.map(([key, value]) => `${key}=${value}`).join('\n')}\n`, { mode: 0o600 });
    for (const [key, value] of missing) present[key] = value;
  }
  return present;
}
