import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generate } from '../src/commands/generate.js';
import { main } from '../src/main.js';
import { copyFixture, type FixtureCopy } from './support/fixture-copy.js';

let shop: FixtureCopy;
beforeEach(() => {
  shop = copyFixture('shop');
});
afterEach(() => shop.remove());

/** Runs `escf generate` through `main`, as the bin does, capturing what it prints. */
async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    args,
    (line) => out.push(String(line)),
    (line) => err.push(String(line)),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('bad config', () => {
  it.each([
    [
      'a class that is not an aggregate',
      ['aggregates: [Account, Cart],', 'aggregates: [Account, NotAnAggregate],'],
      /workers\.api\.aggregates\[1\]: NotAnAggregate has no stable type name/,
    ],
    [
      'an aggregate the `from` module does not export',
      ["from: './src/domain.ts',", "from: './src/sessions.ts',"],
      /workers\.api\.aggregates\[0\]: Account is not exported by \.\/src\/sessions\.ts/,
    ],
    [
      'an unknown worker kind',
      ["kind: 'projection',", "kind: 'projector',"],
      /workers\.sessions\.kind: expected one of 'api', 'projection', 'process', got "projector"/,
    ],
    [
      'a call to an unknown projection',
      ["calls: ['sessions'],", "calls: ['session'],"],
      /workers\.notify\.calls\[0\]: no projection named 'session' in this system \(projections: sessions\)/,
    ],
    [
      'a class without @Projection',
      ['projection: Sessions,', 'projection: Cart,'],
      /workers\.sessions\.projection: Cart is not exported by \.\/src\/sessions\.ts/,
    ],
    [
      'a rename to a type that is not hosted',
      ['aggregates: [Account, Cart],', "aggregates: [Account, Cart], renamed: [{ from: 'Basket', to: 'Bag' }],"],
      /workers\.api\.renamed\[0\]\.to: 'Bag' is not an aggregate of this worker \(it has Account, Cart\)/,
    ],
    ['a bad system name', ["name: 'shop',", "name: 'Shop Inc',"], /name: the system name must be lower-case/],
    [
      'a missing import',
      ["import { Sessions } from './src/sessions.js';", ''],
      /Loading .*escf\.config\.ts failed: Sessions is not defined/,
    ],
    [
      'a syntax error',
      ["name: 'shop',", "name: 'shop'"],
      /Cannot bundle .*escf\.config\.ts:\n {2}.*escf\.config\.ts:\d+:\d+: Expected "}" but found "workers"/,
    ],
  ])('%s → one message naming the field and class', async (_, [search, replacement], message) => {
    shop.edit('escf.config.ts', search!, replacement!);
    if (search === 'aggregates: [Account, Cart],' && replacement!.includes('NotAnAggregate')) {
      shop.edit('escf.config.ts', 'import { Account, Cart }', 'import { Account, Cart, NotAnAggregate }');
    }
    await expect(generate({ config: shop.config })).rejects.toThrow(message);
    const { code, err } = await run('generate', '--config', shop.config);
    expect(code).toBe(1);
    expect(err).toMatch(message);
    expect(err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('two API workers hosting one aggregate type with different classes', async () => {
    shop.write(
      'src/account-twin.ts',
      [
        "import { Aggregate, Command, EventHandler, defineEvent } from '@escf/core';",
        "import { z } from 'zod';",
        "export const TwinOpened = defineEvent('TwinOpened', z.object({}));",
        'export class AccountTwin extends Aggregate<{ open: boolean }> {',
        "  static readonly type = 'Account';",
        '  protected initialState() { return { open: false }; }',
        '  @Command(z.object({}), { emits: [TwinOpened] }) open() { return new TwinOpened({}); }',
        '  @EventHandler(TwinOpened) protected opened() { return { open: true }; }',
        '}',
      ].join('\n'),
    );
    shop.edit(
      'escf.config.ts',
      "import { Sessions } from './src/sessions.js';",
      "import { Sessions } from './src/sessions.js';\nimport { AccountTwin } from './src/account-twin.js';",
    );
    shop.edit(
      'escf.config.ts',
      '    sessions: {',
      "    twin: { kind: 'api', dir: 'workers/twin', from: './src/account-twin.ts', aggregates: [AccountTwin] },\n    sessions: {",
    );
    const { code, err } = await run('generate', '--config', shop.config);
    expect(code).toBe(1);
    expect(err).toMatch(
      /workers\.twin\.aggregates\[0\]: AccountTwin uses the aggregate type 'Account', which Account in workers\.api already uses/,
    );
  });

  it('a DTO class without DTO support is refused at generate time, naming the class and the import', async () => {
    const signup = (withSupport: boolean) =>
      [
        ...(withSupport ? ["import '@escf/core/class-validator';"] : []),
        "import { Aggregate, Command, EventHandler, defineEvent } from '@escf/core';",
        "import { z } from 'zod';",
        'export class SignUp { name!: string; }',
        "export const SignedUp = defineEvent('SignedUp', z.object({ name: z.string() }));",
        'export class Member extends Aggregate<{ name: string }> {',
        "  static readonly type = 'Member';",
        "  protected initialState() { return { name: '' }; }",
        '  @Command(SignUp, { emits: [SignedUp] }) signUp(input: SignUp) { return new SignedUp({ name: input.name }); }',
        '  @EventHandler(SignedUp) protected signedUp(e: { name: string }) { return { name: e.name }; }',
        '}',
      ].join('\n');
    shop.write('src/members.ts', signup(false));
    shop.edit(
      'escf.config.ts',
      "import { Sessions } from './src/sessions.js';",
      "import { Sessions } from './src/sessions.js';\nimport { Member } from './src/members.js';",
    );
    shop.edit(
      'escf.config.ts',
      '    sessions: {',
      "    members: { kind: 'api', dir: 'workers/members', from: './src/members.ts', aggregates: [Member] },\n    sessions: {",
    );
    const { code, err } = await run('generate', '--config', shop.config);
    expect(code).toBe(1);
    expect(err).toMatch(
      /workers\.members\.aggregates\[0\]: SignUp is a class-validator DTO class, and DTO support is not loaded: .*import '@escf\/core\/class-validator'/,
    );
    expect(err).not.toMatch(/\n\s+at /);

    shop.write('src/members.ts', signup(true));
    expect((await run('generate', '--config', shop.config)).code).toBe(0);
  });

  it('a decorator mistake in a domain class is reported by class and member, without a stack', async () => {
    shop.edit(
      'src/domain.ts',
      '@EventHandler(AccountOpened)\n  protected opened',
      '@EventHandler(AccountOpened)\n  @EventHandler(AccountOpened)\n  protected opened',
    );
    const { code, err } = await run('generate', '--config', shop.config);
    expect(code).toBe(1);
    expect(err).toMatch(/^escf generate: Loading .*escf\.config\.ts failed: .*opened/);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('a missing config file, a broken wrangler.jsonc and an unknown command are one-line errors', async () => {
    expect((await run('generate', '--config', shop.path('nope.ts'))).err).toMatch(
      /^escf generate: No system definition at .*nope\.ts/,
    );
    shop.write('workers/api/wrangler.jsonc', '{ "name": "shop-api", }\n}');
    const broken = await run('check', '--config', shop.config);
    expect(broken).toMatchObject({ code: 1 });
    expect(broken.err).toMatch(/^escf check: workers\/api\/wrangler\.jsonc:2: /);
    expect((await run('generat')).code).toBe(2);
  });

  it('nothing is written when the config is invalid', async () => {
    shop.edit('escf.config.ts', "calls: ['sessions'],", "calls: ['nope'],");
    await expect(generate({ config: shop.config })).rejects.toThrow(/calls\[0\]/);
    expect(() => shop.read('workers/api/src/escf.generated.ts')).toThrow(/ENOENT/);
  });
});
