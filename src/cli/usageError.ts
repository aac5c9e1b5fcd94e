// A mistake in how the command was called (exit 2, shown with the command's usage), as opposed to a failure doing it.
export class UsageError extends Error {
  constructor(message: string, readonly command?: string) {
    super(message);
  }
}
