import { parse } from 'jsonc-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generate } from '../src/commands/generate.js';
import { copyFixture, type FixtureCopy } from './support/fixture-copy.js';

type Json = Record<string, any>;

let shop: FixtureCopy;
beforeEach(() => {
  shop = copyFixture('shop');
});
afterEach(() => shop.remove());

const wrangler = (worker: string): Json => parse(shop.read(`workers/${worker}/wrangler.jsonc`)) as Json;
const withTracing = (tracing: string) =>
  shop.edit(
    'escf.config.ts',
    "      calls: ['sessions'],\n    },\n  },\n",
    `      calls: ['sessions'],\n    },\n  },\n  tracing: ${tracing},\n`,
  );

describe('escf generate: tracing', () => {
  it('writes the endpoint and ratio as vars, the AsyncLocalStorage flag and traceWorker into every worker', async () => {
    withTracing("{ endpoint: 'https://otlp.example.com/v1/traces', headersSecret: 'OTLP_HEADERS', sampleRatio: 0.25 }");
    await generate({ config: shop.config });
    for (const worker of ['api', 'sessions', 'notify']) {
      const config = wrangler(worker);
      expect(config.vars).toMatchObject({
        ESCF_OTLP_ENDPOINT: 'https://otlp.example.com/v1/traces',
        ESCF_TRACE_SAMPLE_RATIO: '0.25',
      });
      expect(config.compatibility_flags).toContain('nodejs_als');
      const entry = shop.read(`workers/${worker}/src/escf.generated.ts`);
      expect(entry).toContain("import { AsyncLocalStorage } from 'node:async_hooks';");
      expect(entry).toContain(
        `traceWorker({ service: 'shop-${worker}', AsyncLocalStorage, env, headersSecret: 'OTLP_HEADERS' });`,
      );
    }
    // The user's own vars stay.
    expect(wrangler('api').vars.GREETING).toBe('hello');
  });

  it('is off without the option: no vars, no flag, no import; removing it removes what it wrote', async () => {
    await generate({ config: shop.config });
    expect(wrangler('sessions').vars).toBeUndefined();
    expect(shop.read('workers/sessions/src/escf.generated.ts')).not.toContain('traceWorker');

    withTracing("{ endpoint: 'https://otlp.example.com/v1/traces' }");
    await generate({ config: shop.config });
    shop.edit('escf.config.ts', "  tracing: { endpoint: 'https://otlp.example.com/v1/traces' },\n", '');
    await generate({ config: shop.config });
    expect(wrangler('api').vars).toEqual({ GREETING: 'hello' });
    expect(shop.read('workers/api/src/escf.generated.ts')).not.toContain('traceWorker');
  });

  it('refuses credentials in the endpoint and a secret value instead of its name', async () => {
    withTracing("{ endpoint: 'https://otlp.example.com/v1/traces?api_key=abc' }");
    await expect(generate({ config: shop.config })).rejects.toThrow(/tracing\.endpoint: must not carry credentials/);
    shop.edit('escf.config.ts', "?api_key=abc' }", "', headersSecret: 'x-api-key=abc' }");
    await expect(generate({ config: shop.config })).rejects.toThrow(
      /tracing\.headersSecret: expected the NAME of a secret/,
    );
  });
});
