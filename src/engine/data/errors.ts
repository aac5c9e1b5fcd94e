// A dataset the user must fix before training can start; `path` and `fix` let the UI point at the folder.

export class DatasetError extends Error {
  readonly path: string;
  readonly fix: string;

  constructor(path: string, problem: string, fix: string) {
    super(`${path}: ${problem}. ${fix}`);
    this.name = 'DatasetError';
    this.path = path;
    this.fix = fix;
  }
}
