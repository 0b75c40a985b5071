import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { issueSession, SESSION_TTL_MS } from '../src/console-session.js';
import worker, { unconfigured } from './worker.js';

const PASSWORD = 'console-test-password';
const call = (path: string, init: RequestInit = {}, handler = worker) =>
  handler.fetch(new Request(`http://console.test${path}`, { redirect: 'manual', ...init }), env as never);
const signIn = (password: string, handler = worker) =>
  call(
    '/login',
    {
      method: 'POST',
      body: new URLSearchParams({ password }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    },
    handler,
  );
const cookieOf = (response: Response) => response.headers.get('set-cookie')!.split(';')[0]!;

describe('console sign-in', () => {
  it('shows an unauthenticated browser only the sign-in page; its API calls are refused', async () => {
    const home = await call('/');
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe('/login');
    const login = await call('/login');
    expect(await login.text()).toContain('Console password');
    expect(login.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect((await call('/api/systemMap', { method: 'POST', headers: { 'x-escf-console': '1' } })).status).toBe(401);
  });

  it('refuses a wrong password and issues an HttpOnly, Secure, SameSite=Strict cookie for the right one', async () => {
    const wrong = await signIn('not the password');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const right = await signIn(PASSWORD);
    expect(right.status).toBe(303);
    const cookie = right.headers.get('set-cookie')!;
    expect(cookie).toMatch(
      /^escf_console=v1\.\d+\.[\w-]+\.[\w-]+; Path=\/; HttpOnly; Secure; SameSite=Strict; Max-Age=43200$/,
    );
    const home = await call('/', { headers: { cookie: cookieOf(right) } });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('assets/console.js');
    // The admin token never reaches the browser.
    expect(await (await call('/assets/console.js', { headers: { cookie: cookieOf(right) } })).text()).not.toContain(
      'unused-admin-token',
    );
  });

  it('rejects a tampered, expired or foreign session cookie', async () => {
    const cookie = cookieOf(await signIn(PASSWORD));
    const [name, value] = cookie.split('=') as [string, string];
    const parts = value.split('.');
    const tampered = `${name}=${[parts[0], String(Number(parts[1]) + 1000), parts[2], parts[3]].join('.')}`;
    expect((await call('/', { headers: { cookie: tampered } })).status).toBe(303);
    const expired = await issueSession(PASSWORD, Date.now() - SESSION_TTL_MS - 1000);
    expect((await call('/', { headers: { cookie: `escf_console=${expired}` } })).status).toBe(303);
    const foreign = await issueSession('another password');
    expect((await call('/', { headers: { cookie: `escf_console=${foreign}` } })).status).toBe(303);
  });

  it('requires the x-escf-console header on API calls (no cross-site form can send it)', async () => {
    const cookie = cookieOf(await signIn(PASSWORD));
    const response = await call('/api/systemMap', { method: 'POST', headers: { cookie }, body: '{}' });
    expect(response.status).toBe(403);
  });

  it('lets nobody in when the password secret is not set', async () => {
    expect(await (await call('/login', {}, unconfigured)).text()).toContain('not configured');
    expect((await signIn(PASSWORD, unconfigured)).status).toBe(503);
    expect((await signIn('', unconfigured)).status).toBe(503);
  });
});
