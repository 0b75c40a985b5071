import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../e2e/chromium.js';
import { type ConsoleSecrets, startUsersSystem, type UsersSystem } from '../e2e/users-system.js';

// The ESCF console driven in a real browser against the whole users system.
// Every step waits for what it expects to see (never a fixed sleep).
const secrets: ConsoleSecrets = {
  password: 'console-password-for-tests',
  adminReadToken: 'admin-read-token-0123456789',
  adminWriteToken: 'admin-write-token-0123456789',
};
const WAIT = { timeout: 60_000 };

let system: UsersSystem;
let browser: { context: BrowserContext; close(): Promise<void> };
let page: Page;
let base: string;

beforeAll(async () => {
  system = await startUsersSystem({ console: secrets });
  // localhost: a secure context, so the Secure session cookie is kept over plain http.
  base = `http://localhost:${system.consoleUrl!.port}/`;
  browser = await launchChromium();
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

async function signIn(target: Page): Promise<void> {
  await target.goto(base);
  await target.waitForURL(/\/login$/, WAIT);
  await target.fill('#password', secrets.password);
  await target.click('button[type=submit]');
  await target.waitForSelector('.sidebar', WAIT);
}

describe('the ESCF console in a browser', () => {
  it('shows an unauthenticated browser nothing but the sign-in page, and refuses a wrong password', async () => {
    const anonymous = await browser.context.newPage();
    await anonymous.context().clearCookies();
    await anonymous.goto(base);
    await anonymous.waitForURL(/\/login$/, WAIT);
    expect(await anonymous.locator('.sidebar').count()).toBe(0);
    expect(await anonymous.content()).not.toContain('UserCreated');
    const api = await anonymous.request.post(`${base}api/systemMap`, { headers: { 'x-escf-console': '1' }, data: {} });
    expect(api.status()).toBe(401);
    await anonymous.fill('#password', 'wrong password');
    await anonymous.click('button[type=submit]');
    await anonymous.waitForSelector('.login-error', WAIT);
    expect(await anonymous.locator('.sidebar').count()).toBe(0);
    await anonymous.close();
  });

  it('signs in with an HttpOnly, Secure, SameSite=Strict cookie and draws the system map', async () => {
    await signIn(page);
    const cookie = (await browser.context.cookies()).find((c) => c.name === 'escf_console')!;
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' });
    await page.waitForSelector('[data-testid=diagram] svg', WAIT);
    await expect.poll(() => page.locator('[data-testid=diagram]').textContent(), WAIT).toContain('UserCreated');
    expect(await page.locator('[data-testid=diagram]').textContent()).toContain('send-email-verification');
  });

  it('signs a user up through the command form and shows the resulting events, the stream and the users projection catching up', async () => {
    await page.goto(`${base}#/command?aggregate=User&command=create`);
    await page.waitForSelector('#field-email', WAIT);
    const userId = await page.inputValue('#command-id');
    await page.fill('#field-name', 'Ada Lovelace');
    await page.fill('#field-email', 'ada@example.com');
    await page.fill('#field-password', 'correct horse battery');
    await page.click('[data-testid=command-form] button[type=submit]');
    const events = page.locator('[data-testid=command-events]');
    await events.waitFor(WAIT);
    expect(await events.textContent()).toContain('UserCreated');
    // The password hash is sensitive: masked.
    expect(await events.textContent()).toContain('••••••');

    // A bad input shows the error code, nothing stored.
    await page.fill('#command-id', `${userId}-bad`);
    await page.fill('#field-email', 'not an email');
    await page.click('[data-testid=command-form] button[type=submit]');
    await expect.poll(() => page.locator('[data-testid=error]').textContent(), WAIT).toContain('VALIDATION_FAILED');

    await page.goto(`${base}#/stream/User/${userId}`);
    await expect
      .poll(() => page.locator('[data-testid=events]').textContent(), WAIT)
      .toContain('UserEmailVerificationIssued');
    await expect.poll(() => page.locator('[data-testid=state]').textContent(), WAIT).toContain('ada@example.com');

    // Time travel to version 1: the state right after UserCreated, and what changed from v0.
    await page.locator('#version-slider').fill('1');
    await expect.poll(() => page.locator('[data-testid=version-label]').textContent(), WAIT).toBe('v1');
    await expect.poll(() => page.locator('[data-testid=diff]').textContent(), WAIT).toContain('/email');
    await expect.poll(() => page.locator('[data-testid=state]').textContent(), WAIT).not.toContain('verification');

    await page.goto(`${base}#/projections`);
    const users = page.locator('[data-testid=projection-users]');
    await users.waitFor(WAIT);
    await expect
      .poll(async () => Number(await page.locator('[data-testid=position-users]').textContent()), WAIT)
      .toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid=lag-users]').textContent(), WAIT).toBe('0 ev');
    // One D1 log: no per-shard table, and the head is one position.
    expect(await page.locator('[data-testid=shards-users]').count()).toBe(0);
    expect(await page.locator('[data-testid=log-head]').textContent()).toMatch(/^Log head: position \d+ · refreshed/);
  });

  it('shows a poisoned projection stream as stuck, and recovers it after retry', async () => {
    const usersDb = await system.d1('USERS_DB', 'users');
    await page.goto(`${base}#/command?aggregate=User&command=create`);
    await page.waitForSelector('#field-email', WAIT);
    const userId = await page.inputValue('#command-id');
    await page.fill('#field-name', 'Grace Hopper');
    await page.fill('#field-email', 'grace@example.com');
    await page.fill('#field-password', 'another long password');
    // Poison the users read model: its table is gone, so applying the event fails.
    await usersDb.prepare('ALTER TABLE users RENAME TO users_hidden').run();
    try {
      await page.click('[data-testid=command-form] button[type=submit]');
      // Committed, but not delivered to the projection.
      await expect
        .poll(() => page.locator('[data-testid=command-result]').textContent(), WAIT)
        .toMatch(/DELIVERY_PENDING|Committed/);

      await page.goto(`${base}#/projections`);
      const stuck = page.locator('[data-testid=stuck-users]');
      await expect.poll(() => stuck.textContent().catch(() => ''), WAIT).toContain(userId);
      expect(await stuck.textContent()).toContain('UserCreated');
    } finally {
      await usersDb.prepare('ALTER TABLE users_hidden RENAME TO users').run();
    }
    await page.click('[data-testid=retry-users]', WAIT).catch(async (error) => {
      // The outbox retries on its own with backoff; if it got there first, the stream is no longer stuck.
      if ((await page.locator('[data-testid=stuck-users]').count()) > 0) throw error;
    });
    await page.locator('[data-testid=no-stuck-users]').waitFor(WAIT);
  });

  it('starts a rebuild and shows its progress until done', async () => {
    await page.goto(`${base}#/projections`);
    await page.locator('[data-testid=rebuild-users]').waitFor(WAIT);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('[data-testid=rebuild-users]');
    await expect
      .poll(() => page.locator('[data-testid=notice]').first().textContent(), WAIT)
      .toContain('Rebuild started');
    await expect
      .poll(
        () =>
          page
            .locator('[data-testid=rebuild-status-users]')
            .textContent()
            .catch(() => ''),
        WAIT,
      )
      .toMatch(/done.*generation \d+ · [1-9]\d* event\(s\) read/);
  });

  it('shows commands by outcome, their latency and every outbox target on the metrics page', async () => {
    await page.goto(`${base}#/metrics`);
    const commands = page.locator('[data-testid=metrics-commands]');
    await expect.poll(() => commands.textContent().catch(() => ''), WAIT).toMatch(/User\s*create\s*ok/);
    expect(await page.locator('[data-testid=metrics-latency]').textContent()).toMatch(/User\d+≤ \d+ ms/);
    expect(await page.locator('[data-testid=metrics-outbox]').textContent()).toContain('d1');
    expect(await page.locator('[data-testid=metrics-reactors]').textContent()).toContain('users');
  });

  it('streams new events into the live tail', async () => {
    await page.goto(`${base}#/tail`);
    await expect.poll(() => page.locator('.page-head .badge').textContent(), WAIT).toBe('live');
    const response = await page.request.post(`${base}api/sendCommand`, {
      headers: { 'x-escf-console': '1' },
      data: {
        aggregateType: 'User',
        aggregateId: `tail-${Date.now()}`,
        command: 'create',
        input: { name: 'Tail', email: 'tail@example.com', password: 'long enough password' },
      },
    });
    expect(response.status()).toBe(200);
    await expect.poll(() => page.locator('[data-testid=tail]').textContent(), WAIT).toContain('tail@example.com');
    expect(await page.locator('[data-testid=tail]').textContent()).toMatch(/User tail-\d+ v1/);
    // One D1 log: events are marked with their position alone (a sharded log adds `shard N ·`).
    expect(await page.locator('[data-testid=tail-item] .badge').first().textContent()).toMatch(/^#\d+$/);
  });
});
