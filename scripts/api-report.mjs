// The public API of every entry point, recorded by @microsoft/api-extractor
// in packages/<package>/etc/<entry>.api.md (reviewed like code). Reads the
// built declarations, so build first (`npm run build`, or pack: prepack builds).
//
//   node scripts/api-report.mjs           fails when a surface differs from its report
//   node scripts/api-report.mjs --update  rewrites the reports (commit them with the change)
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import apiExtractor from '@microsoft/api-extractor';
import { repoRoot } from './pack-packages.mjs';

const { Extractor, ExtractorConfig } = apiExtractor;

/** Every public package's entry points: `exports` subpaths, without `./package.json`. */
export function entryPoints() {
  const entries = [];
  for (const dir of ['core', 'testing', 'cloudflare', 'hono', 'cli', 'console']) {
    const packageDir = join(repoRoot, 'packages', dir);
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (typeof target !== 'object') continue;
      const name = subpath === '.' ? dir : `${dir}-${subpath.slice(2).replaceAll('/', '-')}`;
      entries.push({
        packageName: manifest.name,
        subpath,
        packageDir,
        types: join(packageDir, target.types),
        reportName: name,
      });
    }
  }
  return entries;
}

/**
 * Runs api-extractor for one entry point. With `update`, writes the report;
 * without, the result says whether the report still matches.
 */
export function extractApi(entry, { update = false } = {}) {
  const messages = [];
  if (update) mkdirSync(join(entry.packageDir, 'etc'), { recursive: true });
  const config = ExtractorConfig.prepare({
    configObjectFullPath: join(entry.packageDir, 'api-extractor.json'), // virtual: the config is built here
    packageJsonFullPath: join(entry.packageDir, 'package.json'),
    configObject: {
      projectFolder: entry.packageDir,
      mainEntryPointFilePath: entry.types,
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: 'ES2022',
            module: 'ESNext',
            moduleResolution: 'Bundler',
            lib: ['ES2023'],
            strict: true,
            skipLibCheck: true,
            // The runtime's globals (Request, D1Database, cloudflare:workers) as a Worker project has them.
            types: ['@cloudflare/workers-types', 'node'],
          },
          files: [entry.types],
        },
      },
      apiReport: {
        enabled: true,
        reportFolder: join(entry.packageDir, 'etc'),
        reportTempFolder: join(repoRoot, 'node_modules', '.cache', 'api-extractor', entry.reportName),
        reportFileName: `${entry.reportName}.api.md`,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        // Release tags (@public/@beta) are not used: the entry point itself says what is public.
        extractorMessageReporting: {
          default: { logLevel: 'warning', addToApiReportFile: true },
          'ae-missing-release-tag': { logLevel: 'none', addToApiReportFile: false },
          // TSDoc coverage is reviewed in code, not in the report.
          'ae-undocumented': { logLevel: 'none', addToApiReportFile: false },
        },
        tsdocMessageReporting: { default: { logLevel: 'none', addToApiReportFile: false } },
        compilerMessageReporting: { default: { logLevel: 'error' } },
      },
    },
  });
  const result = Extractor.invoke(config, {
    localBuild: update,
    showVerboseMessages: false,
    messageCallback: (message) => {
      if (message.logLevel === 'error' || message.category === 'Compiler') messages.push(message.text);
      message.handled = true;
    },
  });
  return {
    entry,
    succeeded: result.succeeded && messages.length === 0,
    reportChanged: result.apiReportChanged,
    errors: messages,
    reportPath: config.reportFilePath,
  };
}

if (process.argv[1]?.endsWith('api-report.mjs')) {
  const update = process.argv.includes('--update');
  let failed = 0;
  for (const entry of entryPoints()) {
    const outcome = extractApi(entry, { update });
    const status = outcome.reportChanged ? (update ? 'updated' : 'CHANGED') : 'unchanged';
    console.log(`${entry.packageName}${entry.subpath === '.' ? '' : entry.subpath.slice(1)}: ${status}`);
    for (const error of outcome.errors) console.log(`  ${error}`);
    if (!outcome.succeeded || (!update && outcome.reportChanged)) failed++;
  }
  if (failed > 0) {
    console.error(
      `\n${failed} entry point(s) differ from their API report. If the change is intended, run \`node scripts/api-report.mjs --update\` and commit packages/*/etc/*.api.md.`,
    );
    process.exitCode = 1;
  }
}
