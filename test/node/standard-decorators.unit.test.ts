import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DefinitionError } from '@escf/core';
import { describeAggregate, describeProcess, describeProjection, engineFor } from '@escf/core/internal';
import { Upcaster } from '@escf/core/upcast';
import { InMemoryAggregates } from '@escf/testing';
import { transform } from 'esbuild';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type * as Domain from '../../packages/core/test/tc39/domain.js';

const fixtures = fileURLToPath(new URL('../../packages/core/test/tc39/', import.meta.url));
const out = `${fixtures}dist/`;

/**
 * A project with TypeScript's default (standard, TC39) decorators, compiled
 * the two ways such projects are: by tsc (whose output reads
 * `context.metadata` only where `Symbol.metadata` exists: core provides it)
 * and by esbuild (wrangler, vite's esbuild mode). Vitest's own transform
 * leaves standard decorators to the runtime, which has none yet.
 */
const compilers = {
  tsc: (source: string) =>
    ts.transpileModule(source, {
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        experimentalDecorators: false,
        useDefineForClassFields: true,
      },
    }).outputText,
  esbuild: async (source: string) =>
    (
      await transform(source, {
        loader: 'ts',
        format: 'esm',
        target: 'es2022',
        tsconfigRaw: { compilerOptions: { experimentalDecorators: false, useDefineForClassFields: true } },
      })
    ).code,
};

async function compile(fixture: string, compiler: keyof typeof compilers): Promise<string> {
  mkdirSync(out, { recursive: true });
  const file = `${out}${fixture}.${compiler}.js`;
  writeFileSync(file, await compilers[compiler](readFileSync(`${fixtures}${fixture}.ts`, 'utf8')));
  return file;
}

describe.each(Object.keys(compilers) as (keyof typeof compilers)[])(
  'standard (TC39) decorators compiled by %s',
  (compiler) => {
    // Loaded inside each test, so that a failure to compile or load counts as a failed test.
    let loaded: Promise<typeof Domain> | undefined;
    const load = () =>
      (loaded ??= compile('domain', compiler).then((file) => {
        expect(readFileSync(file, 'utf8')).not.toMatch(/^\s*@/m); // really lowered: no decorator syntax left
        return import(/* @vite-ignore */ file);
      }));

    it('records commands and reducers of aggregates, inherited ones included', async () => {
      const domain = await load();
      const account = describeAggregate(domain.Account);
      expect([...account.commands.keys()].sort()).toEqual(['deposit', 'open']);
      expect([...account.reducers.keys()].sort()).toEqual(['Deposited', 'Opened']);
      const savings = describeAggregate(domain.SavingsAccount);
      expect([...savings.commands.keys()].sort()).toEqual(['close', 'deposit', 'open']);
    });

    it('runs commands with zod input through the engine, and rejects bad input with field issues', async () => {
      const domain = await load();
      const host = new InMemoryAggregates();
      const Account: typeof Domain.Account = domain.Account;
      const account = host.client(Account, `acc-${compiler}`);
      await account.open({ owner: 'Ada' });
      const result = await account.deposit({ amount: 5 });
      expect(result.version).toBe(2);
      await expect(account.deposit({ amount: -1 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      const engine = engineFor(domain.Account);
      expect(engine).toBeDefined();
    });

    it('records projections and processes with their handlers and triggers', async () => {
      const domain = await load();
      const projection = describeProjection(domain.Balances);
      expect(projection.name).toBe('balances');
      expect([...projection.handlers.keys()]).toEqual(['Deposited']);
      const process = describeProcess(domain.Auditing);
      expect(process.name).toBe('auditing');
      expect([...process.handlers.keys()]).toEqual(['Opened']);
      expect(process.triggers).toEqual([
        expect.objectContaining({ member: 'audit', trigger: { kind: 'http', method: 'POST', path: '/audit' } }),
      ]);
    });

    it('reads old versions of schema events through their upcast chain', async () => {
      const domain = await load();
      const upcaster = new Upcaster([describeAggregate(domain.Account).reducers.get('Opened')!.event]);
      expect(upcaster.read({ type: 'Opened', schemaVersion: 1, payload: { owner: 'Ada' } })).toMatchObject([
        { type: 'Opened', schemaVersion: 2, payload: { owner: 'Ada', currency: 'EUR' } },
      ]);
    });

    it('a class-based event says it needs experimentalDecorators (class-validator)', async () => {
      const file = await compile('class-event', compiler);
      const loading = import(/* @vite-ignore */ file);
      await expect(loading).rejects.toBeInstanceOf(DefinitionError);
      await expect(loading).rejects.toThrow(
        /@Event\('Renamed'\) on Renamed was compiled as a standard \(TC39\) decorator.*class-validator.*"experimentalDecorators": true/,
      );
    });
  },
);
