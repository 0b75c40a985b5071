import type { InferOutput, InputDefinition } from '@escf/core';
import type { ParamKeys } from 'hono/types';

/** The path parameters of a route path: `'/users/:id/orders/:orderId'` → `{ id: string; orderId: string }`. */
export type PathParams<Path extends string> = { readonly [K in ParamKeys<Path>]: string };

/** The names of a path's parameters: `'/users/:id'` → `'id'`. */
export type PathParamName<Path extends string> = ParamKeys<Path> & string;

/** The validated value of an optional schema (`Otherwise` without one). */
export type Validated<D, Otherwise> = D extends InputDefinition ? InferOutput<D> : Otherwise;

/** Methods a command route may use: commands change state, so never GET. */
export type CommandMethod = 'post' | 'put' | 'patch' | 'delete';

/** Methods of any other route. */
export type RouteMethod = 'get' | CommandMethod;
