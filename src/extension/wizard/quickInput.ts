// One step of a multi-step QuickPick/InputBox flow with a Back button (after the SAM multi-step-input sample).
import * as vscode from 'vscode';

export type StepResult<T> = { kind: 'value'; value: T } | { kind: 'back' } | { kind: 'cancel' };

export interface StepFrame {
  title: string;
  /** "3/12" */
  position: string;
  canGoBack: boolean;
}

type Input = vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox;

/** Shows the input until it resolves; Back and closing resolve too, and everything is disposed afterwards. */
function run<T>(input: Input, f: StepFrame, wire: (resolve: (result: StepResult<T>) => void) => vscode.Disposable[]): Promise<StepResult<T>> {
  input.title = `${f.title} (${f.position})`;
  input.ignoreFocusOut = true;
  input.buttons = f.canGoBack ? [vscode.QuickInputButtons.Back] : [];
  const subscriptions: vscode.Disposable[] = [];
  return new Promise<StepResult<T>>((resolve) => {
    subscriptions.push(
      input.onDidTriggerButton(() => resolve({ kind: 'back' })),
      input.onDidHide(() => resolve({ kind: 'cancel' })),
      ...wire(resolve),
    );
    input.show();
  }).finally(() => {
    subscriptions.forEach((s) => s.dispose());
    input.dispose();
  });
}

/** Shows items (busy until a promised list arrives); resolves with the accepted item, Back or cancel. */
export function pickStep<T extends vscode.QuickPickItem>(f: StepFrame, placeholder: string, items: T[] | PromiseLike<T[]>, active?: (item: T) => boolean): Promise<StepResult<T>> {
  const pick = vscode.window.createQuickPick<T>();
  pick.placeholder = placeholder;
  pick.matchOnDescription = true;
  const fill = (list: T[]) => {
    pick.items = list;
    const preferred = active && list.find(active);
    if (preferred) pick.activeItems = [preferred];
    pick.busy = false;
  };
  // a list that is ready is shown at once, so an early Enter already has an item to accept
  if (Array.isArray(items)) {
    fill(items);
  } else {
    pick.busy = true;
    void items.then(fill);
  }
  return run<T>(pick as unknown as Input, f, (resolve) => [
    pick.onDidAccept(() => pick.selectedItems[0] && resolve({ kind: 'value', value: pick.selectedItems[0] })),
  ]);
}

/** Asks for a value (prefilled with the default, so Enter accepts it) with inline validation. */
export function inputStep(f: StepFrame, prompt: string, value: string, validate: (text: string) => string | undefined): Promise<StepResult<string>> {
  const box = vscode.window.createInputBox();
  box.prompt = prompt;
  box.value = value;
  return run<string>(box, f, (resolve) => [
    box.onDidChangeValue((text) => (box.validationMessage = validate(text))),
    box.onDidAccept(() => {
      const problem = validate(box.value);
      if (problem) box.validationMessage = problem;
      else resolve({ kind: 'value', value: box.value.trim() });
    }),
  ]);
}
