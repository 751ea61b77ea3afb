// Fetches HLT path rates per run from the CMS Online Monitoring System into a rates file.
// `npm run fetch-rates -- --help` lists the options.
import { InputError } from '../analysis/core/errors.ts';
import { createLogger } from '../analysis/core/log.ts';
import { runFetchRates } from '../analysis/hlt/fetch-command.ts';
import { OmsError } from '../analysis/hlt/oms-client.ts';

const log = createLogger('fetch-rates');
try {
  await runFetchRates(process.argv.slice(2), { log });
} catch (error) {
  if (error instanceof InputError || error instanceof OmsError) {
    process.stderr.write(`fetch-rates: ${error.message.replace(/^fetch-rates: /, '')}\n`);
    process.stderr.write('no rates file written\n');
    process.exit(1);
  }
  throw error;
}
