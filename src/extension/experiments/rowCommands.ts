// One argument-free command per run row. VS Code keeps a tree item's command *with arguments* in a cache entry that
// it drops whenever the row is refreshed, so a click that lands during a refresh (every epoch of a running run)
// fails with "Actual command not found". A command without arguments is passed by its id and never goes stale.
// No vscode import: the registration is injected, and the class is unit-tested.

export interface Registration { dispose(): void }
export type Register = (id: string, run: () => unknown) => Registration;

export class RowCommands {
  private readonly commands = new Map<string, { id: string; registration: Registration }>();
  private next = 0;

  /** `open(runDir)` is what a click on the run's row does. */
  constructor(private readonly register: Register, private readonly open: (runDir: string) => unknown, private readonly prefix = 'transferLab.openRunRow.') {}

  /** The row's command id: the same for the same run folder for as long as the run is listed. */
  idFor(runDir: string): string {
    let command = this.commands.get(runDir);
    if (!command) {
      const id = `${this.prefix}${++this.next}`;
      command = { id, registration: this.register(id, () => this.open(runDir)) };
      this.commands.set(runDir, command);
    }
    return command.id;
  }

  /** Drops the commands of runs no longer listed. */
  keepOnly(runDirs: ReadonlySet<string>): void {
    for (const [runDir, command] of this.commands) {
      if (runDirs.has(runDir)) continue;
      command.registration.dispose();
      this.commands.delete(runDir);
    }
  }

  dispose(): void {
    this.keepOnly(new Set());
  }
}
