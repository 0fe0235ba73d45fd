#!/usr/bin/env node
// Node 22.18+ and 24 run the TypeScript sources directly (type stripping), so there is no build step.
import module from 'node:module';

// Cache compiled code between runs (measured: --help 2.5x, query list 1.5x faster).
module.enableCompileCache?.();
const { main } = await import('../src/cli/main.ts');

process.exitCode = await main(process.argv.slice(2));
