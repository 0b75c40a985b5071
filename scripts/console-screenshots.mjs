// Screenshots of the ESCF console's main pages for docs/console.md: starts
// the users example with its console in workerd, fills it with a few users
// (and one stuck projection stream), and saves PNGs under docs/console/.
// Run: `npm run screenshots:console` (needs Debian's chromium).
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
process.env.WRANGLER_SEND_METRICS ??= 'false';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'docs', 'console');
const { startUsersSystem } = await import('../examples/users/test/e2e/users-system.ts');
const { launchChromium } = await import('../examples/users/test/e2e/chromium.ts');

const secrets = {
  password: 'screenshot-password',
  adminReadToken: 'screenshot-read-token-000',
  adminWriteToken: 'screenshot-write-token-000',
};
const system = await startUsersSystem({ console: secrets });
const browser = await launchChromium();
const base = `http://localhost:${system.consoleUrl.port}/`;
const wait = { timeout: 60_000 };
mkdirSync(out, { recursive: true });

try {
  const page = await browser.context.newPage();
  const shot = async (name) => {
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await page.screenshot({ path: join(out, `${name}.png`), fullPage: false });
    console.log(`docs/console/${name}.png`);
  };
  await page.goto(base);
  await page.waitForURL(/login$/, wait);
  await shot('login');
  await page.fill('#password', secrets.password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=diagram] svg', wait);
  await shot('system-map');

  // A few users through the console's own API (as the command form sends them).
  const send = (aggregateId, command, input) =>
    page.request
      .post(`${base}api/sendCommand`, {
        headers: { 'x-escf-console': '1' },
        data: { aggregateType: 'User', aggregateId, command, input },
      })
      .then((r) => r.json());
  const people = [
    ['ada', 'Ada Lovelace'],
    ['grace', 'Grace Hopper'],
    ['edsger', 'Edsger Dijkstra'],
    ['barbara', 'Barbara Liskov'],
  ];
  for (const [id, name] of people)
    await send(`user-${id}`, 'create', { name, email: `${id}@example.com`, password: 'a long enough password' });
  await send('user-ada', 'update', { name: 'Ada King' });
  await send('user-grace', 'update', { email: 'grace.hopper@example.com' });

  await page.goto(`${base}#/instances`);
  await page.waitForSelector('[data-testid=instances]', wait);
  await shot('instances');

  await page.goto(`${base}#/stream/User/user-ada`);
  await page.waitForSelector('[data-testid=state]', wait);
  await page.locator('#version-slider').fill('3');
  await page.waitForFunction(
    () => document.querySelector('[data-testid=version-label]')?.textContent === 'v3',
    null,
    wait,
  );
  await page.waitForSelector('[data-testid=diff]', wait);
  await shot('stream-time-travel');

  // One stuck stream on the users projection, to show how it looks.
  const usersDb = await system.d1('USERS_DB', 'users-users');
  await usersDb.prepare('ALTER TABLE users RENAME TO users_hidden').run();
  await send('user-alan', 'create', {
    name: 'Alan Turing',
    email: 'alan@example.com',
    password: 'a long enough password',
  });
  await page.goto(`${base}#/projections`);
  await page.waitForSelector('[data-testid=stuck-users]', wait);
  // A few samples for the lag charts.
  await page.waitForFunction(() => document.querySelectorAll('.uplot').length >= 2, null, wait);
  await new Promise((resolve) => setTimeout(resolve, 4_500));
  await shot('projections');
  await usersDb.prepare('ALTER TABLE users_hidden RENAME TO users').run();

  await page.goto(`${base}#/command?aggregate=User&command=create`);
  await page.waitForSelector('#field-email', wait);
  await page.fill('#field-name', 'Margaret Hamilton');
  await page.fill('#field-email', 'margaret@example.com');
  await page.fill('#field-password', 'apollo guidance computer');
  await page.click('[data-testid=command-form] button[type=submit]');
  await page.waitForSelector('[data-testid=command-events]', wait);
  await shot('send-command');

  await page.goto(`${base}#/tail`);
  await page.waitForFunction(() => document.querySelector('.page-head .badge')?.textContent === 'live', null, wait);
  for (const [id, name] of [
    ['katherine', 'Katherine Johnson'],
    ['donald', 'Donald Knuth'],
  ])
    await send(`user-${id}`, 'create', { name, email: `${id}@example.com`, password: 'a long enough password' });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=tail-item]').length >= 4, null, wait);
  await shot('live-tail');

  await page.goto(`${base}#/processes`);
  await page.waitForSelector('table', wait);
  await shot('processes');
} finally {
  await browser.close();
  await system.stop();
}
