import { projectionClients } from '@escf/cloudflare';
import { CommandApi } from '@escf/hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { aggregates } from '../../../src/aggregates.js';
import { Expense } from '../../../src/domain/index.js';
import type { ApiEnv } from './api-env.js';
import type { EscfProjections } from './escf-env.generated.js';

/** Largest receipt accepted, in bytes. */
const MAX_RECEIPT_BYTES = 5 * 1024 * 1024;
const RECEIPT_TYPES = /^(image\/(png|jpeg|webp)|application\/pdf|text\/plain)(;.*)?$/;
const userId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

const error = (code: string, message: string) => ({ error: { code, message } });

/**
 * The expenses API (seed 002): upload a receipt (stored in R2, recorded by
 * a Document aggregate; the extract action turns it into an Expense),
 * confirm an expense that needs review, and list a user's expenses per
 * month — all documented at `/openapi.json`.
 */
const app = new Hono<ApiEnv>();
const api = new CommandApi(app);

// Seed 002's UploadDocument action: the file goes to R2, then the Document records it.
app.post('/users/:userId/receipts', async (c) => {
  const owner = userId.safeParse(c.req.param('userId'));
  if (!owner.success) return c.json(error('VALIDATION_FAILED', 'userId: 1–64 letters, digits, _ or -'), 400);
  const contentType = c.req.header('content-type') ?? '';
  if (!RECEIPT_TYPES.test(contentType))
    return c.json(error('UNSUPPORTED_MEDIA_TYPE', 'Send a PNG, JPEG, WebP, PDF or plain-text receipt'), 415);
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > MAX_RECEIPT_BYTES)
    return c.json(error('PAYLOAD_TOO_LARGE', `Receipts are at most ${MAX_RECEIPT_BYTES} bytes`), 413);
  const file = new Uint8Array(await c.req.arrayBuffer());
  if (file.byteLength === 0) return c.json(error('VALIDATION_FAILED', 'The receipt is empty'), 400);
  if (file.byteLength > MAX_RECEIPT_BYTES)
    return c.json(error('PAYLOAD_TOO_LARGE', `Receipts are at most ${MAX_RECEIPT_BYTES} bytes`), 413);
  const documentId = crypto.randomUUID();
  const key = `receipts/${owner.data}/${documentId}`;
  await c.env.RECEIPTS.put(key, file, { httpMetadata: { contentType } });
  const result = await aggregates(c.env)
    .document(documentId)
    .record(
      { userId: owner.data, key, contentType: contentType.split(';')[0]!, size: file.byteLength },
      { idempotencyKey: c.req.header('idempotency-key') ?? documentId },
    );
  c.header('Location', `/documents/${documentId}`);
  return c.json({ id: documentId, version: result.version, expense: `/expenses/${documentId}` }, 201);
});

api
  .command('post', '/expenses/:id/confirm', {
    aggregate: Expense,
    command: 'confirm',
    id: (c) => c.req.param('id') ?? '',
    client: (c, id) => aggregates(c.env, { sync: true }).expense(id),
    summary: 'Confirm (or correct) an expense that needs review',
  })
  .document({
    method: 'post',
    path: '/users/:userId/receipts',
    status: 201,
    summary: 'Upload a receipt (body: the file; PNG, JPEG, WebP, PDF or text)',
  })
  .document({
    method: 'get',
    path: '/documents/:id',
    status: 200,
    summary: 'A document and the text extracted from it',
  })
  .document({ method: 'get', path: '/expenses/:id', status: 200, summary: 'An expense (recorded, or needing review)' })
  .document({
    method: 'get',
    path: '/users/:userId/expenses',
    status: 200,
    summary: "A user's expenses; ?month=YYYY-MM for one month",
  });

app.get('/documents/:id', async (c) => {
  const { version, state } = await aggregates(c.env).document.state(c.req.param('id'));
  return version === 0
    ? c.json(error('NOT_FOUND', 'No such document'), 404)
    : c.json({ id: c.req.param('id'), ...state });
});
app.get('/expenses/:id', async (c) => {
  const { version, state } = await aggregates(c.env).expense.state(c.req.param('id'));
  return version === 0
    ? c.json(error('NOT_FOUND', 'No such expense (yet)'), 404)
    : c.json({ id: c.req.param('id'), ...state });
});
app.get('/users/:userId/expenses', async (c) => {
  const owner = userId.safeParse(c.req.param('userId'));
  const wanted = c.req.query('month');
  if (!owner.success || (wanted !== undefined && !month.safeParse(wanted).success))
    return c.json(error('VALIDATION_FAILED', 'userId as above; month as YYYY-MM'), 400);
  return c.json(await projectionClients<EscfProjections>(c.env).EXPENSES.forUser(owner.data, wanted));
});
api.serveOpenApi('/openapi.json', { title: 'ESCF expenses example', version: '1.0.0' });

export default app;
