// A server process of `steward serve`, forked by its supervisor (bin/steward.js sends cluster workers
// here): straight to serving, without loading the command line, which the supervisor has already
// read, settings and warnings included. Half the CPU a server process spends starting is its own
// code, and two of them start at once on a two-core machine.
import { loadConfig } from './platform/config.ts';
import { usePrivateUmask } from './platform/private-files.ts';
import { serve } from './serve.ts';

usePrivateUmask();
try {
  await serve(loadConfig(process.env));
} catch (error) {
  process.stderr.write(`steward: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
