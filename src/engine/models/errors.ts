// One error type for everything a user can get wrong about a model, so the UI can show where and how to fix it.

export class ModelError extends Error {
  /** The file, URL, layer or field the problem is about. */
  readonly path: string;
  /** What the user should do about it. */
  readonly fix: string;

  constructor(problem: string, path: string, fix: string, options?: { cause?: unknown }) {
    super(`${path}: ${problem}. ${fix}`, options);
    this.name = 'ModelError';
    this.path = path;
    this.fix = fix;
  }
}
