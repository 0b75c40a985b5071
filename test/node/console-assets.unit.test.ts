import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { embeddedAssets } from '../../packages/console/scripts/embed-client.mjs';

it('the console worker embeds the current browser assets (run `npm run embed -w @escf/console` after editing client/)', () => {
  const embedded = readFileSync(
    fileURLToPath(new URL('../../packages/console/src/assets.generated.ts', import.meta.url)),
    'utf8',
  );
  expect(embedded === embeddedAssets()).toBe(true);
});
