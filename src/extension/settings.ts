// The extension's settings (package.json "contributes.configuration"), read in one place.
import * as vscode from 'vscode';
import type { EngineChoice } from '../protocol/experiment';

export interface Settings {
  engine: EngineChoice;
  /** Where downloaded models and cached features go; the engine's default when unset. */
  cacheFolder: string | undefined;
  defaultBase: string;
  /** Heap limit of the training host in MB; 0 leaves Node's default. */
  memoryLimitMb: number;
}

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration('transferLab');
  return {
    engine: config.get<EngineChoice>('engine', 'auto'),
    cacheFolder: config.get<string>('cacheFolder')?.trim() || undefined,
    defaultBase: config.get<string>('defaultBase', 'auto'),
    memoryLimitMb: config.get<number>('memoryLimitMb', 0),
  };
}

/** Settings that only take effect when the training host starts. */
export function affectsHost(event: vscode.ConfigurationChangeEvent): boolean {
  return ['engine', 'cacheFolder', 'memoryLimitMb'].some((key) => event.affectsConfiguration(`transferLab.${key}`));
}
