#!/usr/bin/env node
import { main } from '../dist/src/cli/main.js';

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Leaves as soon as nothing is pending; a handle some driver left open cannot keep a finished command alive.
setTimeout(() => process.exit(code), 3000).unref();
