/**
 * A failure caused by the user's input (a config, a data file, a command-line option).
 * The report command prints its message alone, without a stack trace, and exits 1.
 * Messages name the file, and where it applies the line, key path, tree or branch.
 */
export class InputError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InputError';
  }
}
