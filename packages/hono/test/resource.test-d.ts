// Type tests, compiled by `npm run typecheck`: wrong routes must not compile.
import type { AggregateClient } from '@escf/core';
import { Hono } from 'hono';
import { z } from 'zod';
import { User } from '../../../test/fixtures/user.js';
import { resource, routes } from '../src/index.js';

type Env = { Bindings: { readonly NAME: string } };
declare const client: (c: unknown, id: string) => AggregateClient<User>;
const app = new Hono<Env>();
const users = resource(app, User, { client });

// The id comes from `:id`; the options are optional then.
users.command('patch', '/users/:id', 'update');
users.command('delete', '/users/:id', 'delete', { summary: 'Delete' });
users.command('post', '/users', 'create', { status: 201, id: () => crypto.randomUUID() });
users.command('post', '/members/:memberId/verify', 'fulfillEmailVerification', { idParam: 'memberId' });

// @ts-expect-error — User has no command 'explode'
users.command('post', '/users/:id/explode', 'explode');
// @ts-expect-error — no :id in the path: say where the id comes from
users.command('post', '/users', 'create');
// @ts-expect-error — no :id in the path: an empty options object does not say it either
users.command('post', '/users', 'create', { status: 201 });
// @ts-expect-error — idParam must name a parameter of the path
users.command('post', '/members/:memberId/verify', 'fulfillEmailVerification', { idParam: 'userId' });
// @ts-expect-error — commands change state: no GET command routes
users.command('get', '/users/:id', 'update');

const View = z.object({ id: z.string(), name: z.string() });
users.query('/users/:id', {
  response: View,
  handler: (c, { params }) => {
    const name: string = c.env.NAME;
    // @ts-expect-error — the path has no :userId
    void params.userId;
    const id: string = c.req.param('id');
    // @ts-expect-error — nor does the context know one (Hono types an unknown name as possibly undefined)
    const other: string = c.req.param('userId');
    void [id, other];
    return { id: params.id, name };
  },
});
users.query('/users/:id', {
  response: View,
  // @ts-expect-error — the handler must return what the response schema describes
  handler: (_c, { params }) => ({ id: params.id }),
});

routes(app).query('/search', {
  query: z.object({ q: z.string(), limit: z.coerce.number().optional() }),
  handler: (_c, { query }) => {
    const q: string = query.q;
    const limit: number | undefined = query.limit;
    // @ts-expect-error — not a field of the query schema
    void query.page;
    return { q, limit };
  },
});
routes(app).route('post', '/sign-in', {
  body: z.object({ email: z.string() }),
  status: 201,
  handler: (c, { body }) => {
    const email: string = body.email;
    // @ts-expect-error — not a field of the body schema
    void body.password;
    // @ts-expect-error — the client of a resource has only the aggregate's commands
    void users.client(c, 'id').explode;
    return { email };
  },
});
