/**
 * `@uid2-operator/cli`: the `uid2` command line. The binary is `bin/uid2.js`; this entry lets tests
 * and tools run commands in-process.
 */
export { CLI_VERSION, buildProgram, runCli } from './program.js';
export { processIo } from './lib/cli-io.js';
export type { CliIo, TextOutput } from './lib/cli-io.js';
