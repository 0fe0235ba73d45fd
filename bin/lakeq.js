#!/usr/bin/env node
// Node 22.18+ and 24 run the TypeScript sources directly (type stripping), so there is no build step.
import { main } from '../src/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
