#!/usr/bin/env node
// `npm create escf@latest my-app`: plain JavaScript with no dependencies, so
// it starts at once on Node 20 and 22.
import { main } from '../src/main.mjs';

process.exitCode = await main(process.argv.slice(2));
