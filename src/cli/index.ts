#!/usr/bin/env -S npx tsx
/**
 * The `labo` command: `npm run labo -- <command> [options]`.
 * Each command has --help; errors are one clear line and a non-zero exit code.
 */
import { runCli } from './main';

runCli(process.argv.slice(2)).then((code) => process.exit(code));
