// The wizard's first question (Quick or Full setup) and Quick setup's last step: the defaults it writes, then Create.
import * as vscode from 'vscode';
import { quickSummary } from './guidance';
import { pickStep } from './quickInput';
import { outcome, separator, type Item, type StepContext, type StepOutcome } from './stepContext';
import { STEP_DEFAULTS, withDefaults, type SetupPath } from './wizardModel';

export async function pathStep(ctx: StepContext): Promise<StepOutcome> {
  const items: Item<SetupPath>[] = [
    { label: '$(zap) Quick setup', description: 'dataset → base model → Create', detail: 'Every other choice at its recommended default, all shown before Create', value: 'quick' },
    { label: '$(list-ordered) Full setup', description: 'all steps', detail: 'Also asks the image size, strategy, blocks to unfreeze, epochs, learning rates, batch size and name', value: 'full' },
  ];
  const result = await pickStep(ctx.frame, 'How to set up the experiment', items, (i) => i.value === (ctx.answers.path ?? 'quick'));
  return outcome(result, (item) => void (ctx.answers.path = item.value));
}

const exists = (uri: vscode.Uri) => vscode.workspace.fs.stat(uri).then(() => true, () => false);

/** The default name, or with -2, -3, … when an experiment of that name exists: Quick setup never overwrites. */
async function freeName(ctx: StepContext): Promise<string> {
  const name = STEP_DEFAULTS.name(ctx.answers);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? name : `${name}-${n}`;
    if (!(await exists(ctx.experimentPath(candidate)))) return candidate;
  }
}

type CreateChoice = 'create' | 'full' | 'row';

export async function createStep(ctx: StepContext): Promise<StepOutcome> {
  const name = freeName(ctx);
  const items = Promise.all([name, ctx.machineSpeed]).then(([name, speed]): Item<CreateChoice>[] => [
    { label: `$(check) Create ${vscode.workspace.asRelativePath(ctx.experimentPath(name))}`, detail: 'with the settings below; the file stays editable, and the Layers view changes what trains', value: 'create' },
    { label: '$(list-ordered) Full setup', detail: 'Change any of these: continues with the remaining steps', value: 'full' },
    separator('What Quick setup writes'),
    ...quickSummary(withDefaults({ ...ctx.answers, name }), speed).map((row): Item<CreateChoice> => ({ ...row, value: 'row' })),
  ]);
  const result = await pickStep(ctx.frame, 'Quick setup: the defaults it writes', items);
  const chosen = await name;
  return outcome(result, (item) => {
    if (item.value === 'row') return 'again';
    if (item.value === 'full') ctx.answers.path = 'full';
    else ctx.answers.name = chosen;
    return 'next';
  });
}
