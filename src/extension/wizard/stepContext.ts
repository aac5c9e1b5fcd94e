// What every step of the New Experiment wizard gets and returns, shared by the image and the text steps.
import * as vscode from 'vscode';
import type { DefaultBase } from '../../engine/models/defaultBase';
import type { MachineSpeed } from '../../protocol/host';
import type { HostSupervisor } from '../host/supervisor';
import type { StepFrame, StepResult } from './quickInput';
import type { WizardAnswers } from './wizardModel';

export type StepOutcome = 'next' | 'back' | 'cancel' | 'again';

export interface StepContext {
  frame: StepFrame;
  answers: WizardAnswers;
  supervisor: HostSupervisor;
  /** The base offered first and why; settled by a short network check started with the wizard. */
  defaultBase: Promise<DefaultBase>;
  /** How fast the host computes, for time estimates; undefined when it did not answer in time. */
  machineSpeed: Promise<MachineSpeed | undefined>;
  /** Where `<name>.experiment.json` will be written, for the name step's check. */
  experimentPath(name: string): vscode.Uri;
}

export type Item<T> = vscode.QuickPickItem & { value?: T };
export const separator = (label: string): Item<never> => ({ label, kind: vscode.QuickPickItemKind.Separator });

export function outcome<T>(result: StepResult<T>, apply: (value: T) => StepOutcome | void): StepOutcome {
  if (result.kind !== 'value') return result.kind;
  return apply(result.value) ?? 'next';
}
