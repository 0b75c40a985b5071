import { projectionClients } from '@escf/cloudflare';
import { NotFound } from '@escf/core';
import { escfErrors, escfMiddleware, escfNotFound, openApiHandler, resource, routes } from '@escf/hono';
import { type Context, Hono } from 'hono';
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
app.use(escfMiddleware());
app.onError(escfErrors());
app.notFound(escfNotFound());

// Seed 002's UploadDocument action: the file goes to R2, then the Document records it.
routes(app).route('post', '/users/:userId/receipts', {
  summary: 'Upload a receipt (body: the file; PNG, JPEG, WebP, PDF or text)',
  status: 201,
  errors: ['VALIDATION_FAILED', 'UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE'],
  handler: (c) => uploadReceipt(c),
});

async function uploadReceipt(c: Context<ApiEnv, '/users/:userId/receipts'>): Promise<Response> {
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
}

resource(app, Expense, { client: (c, id) => aggregates(c.env, { sync: true }).expense(id) }).command(
  'post',
  '/expenses/:id/confirm',
  'confirm',
  { summary: 'Confirm (or correct) an expense that needs review' },
);

routes(app)
  .query('/documents/:id', {
    summary: 'A document and the text extracted from it',
    errors: ['NOT_FOUND'],
    handler: async (c, { params }) => {
      const { version, state } = await aggregates(c.env).document.state(params.id);
      if (version === 0) throw new NotFound('No such document');
      return { id: params.id, ...state };
    },
  })
  .query('/expenses/:id', {
    summary: 'An expense (recorded, or needing review)',
    errors: ['NOT_FOUND'],
    handler: async (c, { params }) => {
      const { version, state } = await aggregates(c.env).expense.state(params.id);
      if (version === 0) throw new NotFound('No such expense (yet)');
      return { id: params.id, ...state };
    },
  })
  .query('/users/:userId/expenses', {
    summary: "A user's expenses; ?month=YYYY-MM for one month",
    query: z.object({ month: month.optional() }),
    handler: async (c, { params, query }) => {
      const owner = userId.safeParse(params.userId);
      if (!owner.success) return c.json(error('VALIDATION_FAILED', 'userId: 1–64 letters, digits, _ or -'), 400);
      return (await projectionClients<EscfProjections>(c.env).EXPENSES.forUser(owner.data, query.month)).map((row) => ({
        ...row,
      }));
    },
  });

app.get('/openapi.json', openApiHandler(app, { title: 'ESCF expenses example', version: '1.0.0' }));

export default app;
