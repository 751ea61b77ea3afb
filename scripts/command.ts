import { InputError } from '../analysis/core/errors.ts';

/**
 * Runs a command's main function. An input error or a bad command-line option prints its
 * message alone and exits with status 1; any other error is a bug and keeps its stack.
 */
export async function runCommand(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    const badOption = (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
    if (error instanceof InputError || badOption) {
      console.error(`error: ${(error as Error).message}`);
      process.exit(1);
    }
    throw error;
  }
}
