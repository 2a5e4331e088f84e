/**
 * A failure explained to the user in one line; `main` prints `uid2: <message>` and exits with
 * `exitCode` (1 for failures, 2 for usage mistakes). Messages never contain DII, tokens or secrets.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** A usage mistake (bad flag combination, malformed argument): exit code 2. */
export function usageError(message: string): CliError {
  return new CliError(message, 2);
}

/**
 * One line for any error: coded package errors (`Uid2ClientError`, `DbError`, `DiiError`, …) keep
 * their message and code; unknown errors lose their stack. Error classes of the workspace never put
 * DII or secrets in messages, so the message is safe to show.
 */
export function describeError(error: unknown): string {
  if (error instanceof CliError) return error.message;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const prefix = typeof code === 'string' && code.startsWith('ERR_') ? `${code}: ` : '';
    return `${prefix}${error.message}`;
  }
  return `unexpected failure: ${String(error)}`;
}

/** Exit code of any error: a {@link CliError}'s own, 1 otherwise. */
export function exitCodeOf(error: unknown): number {
  return error instanceof CliError ? error.exitCode : 1;
}
