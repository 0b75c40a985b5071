import { CommandApi } from '@escf/hono';
import { Hono } from 'hono';
import { aggregates } from '../../examples/users/src/aggregates.js';
import { User } from '../../examples/users/src/domain/index.js';

const app = new Hono<{ Bindings: object }>();
const api = new CommandApi(app); // installs JSON error handling and a JSON 404
api.command('post', '/users', {
  aggregate: User,
  command: 'create', // typed: a command User does not have does not compile
  status: 201,
  id: () => crypto.randomUUID(), // or from the path: (c) => c.req.param('id')
  client: (c, id) => aggregates(c.env).user(id),
  location: (id) => `/users/${id}`,
});
api.serveOpenApi('/openapi.json', { title: 'Users', version: '1.0.0' });

export default app;
