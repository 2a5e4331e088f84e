import { processIo } from './lib/cli-io.js';
import { runCli } from './program.js';

// Entry point of the `uid2` binary. A closed pipe (`uid2 map f.csv | head`) ends the run quietly;
// otherwise run, then let the event loop drain (stdout may still be flushing) with the exit code set.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

runCli(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `uid2: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
