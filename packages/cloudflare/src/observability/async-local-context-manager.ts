import { type Context, type ContextManager, ROOT_CONTEXT } from '@opentelemetry/api';

/** The part of `node:async_hooks`' AsyncLocalStorage the context manager uses (workerd: `nodejs_als`). */
export interface AsyncLocalStorageLike<T> {
  getStore(): T | undefined;
  run<R>(store: T, fn: () => R): R;
}

/** What `new AsyncLocalStorage()` is: passed in, so that only traced workers import `node:async_hooks`. */
export type AsyncLocalStorageClass = new <T>() => AsyncLocalStorageLike<T>;

/**
 * OpenTelemetry's active context kept in an AsyncLocalStorage, so that it
 * follows `await`: a span started inside a handler nests under ESCF's span
 * without being passed around.
 */
export class AsyncLocalContextManager implements ContextManager {
  private readonly storage: AsyncLocalStorageLike<Context>;

  constructor(AsyncLocalStorage: AsyncLocalStorageClass) {
    this.storage = new AsyncLocalStorage<Context>();
  }

  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(context, () => fn.call(thisArg, ...args));
  }

  bind<T>(context: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const run = (fn: (...args: unknown[]) => unknown, self: unknown, args: unknown[]) =>
      this.with(context, () => fn.apply(self, args));
    const fn = target as unknown as (...args: unknown[]) => unknown;
    return function (this: unknown, ...args: unknown[]) {
      return run(fn, this, args);
    } as unknown as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    return this;
  }
}
