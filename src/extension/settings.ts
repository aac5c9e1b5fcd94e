// The extension's settings (package.json "contributes.configuration"), read in one place.
import * as vscode from 'vscode';
import type { EngineChoice } from '../protocol/experiment';
import { currentCatalogId } from '../shared/catalogRenames';
import type { HttpSettings } from '../shared/proxyEnv';

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
    defaultBase: currentCatalogId(config.get<string>('defaultBase', 'auto')),
    memoryLimitMb: config.get<number>('memoryLimitMb', 0),
  };
}

/** VS Code's own proxy settings, which the training host's downloads follow. */
export function readHttpSettings(): HttpSettings {
  const config = vscode.workspace.getConfiguration('http');
  return {
    proxy: config.get<string>('proxy'),
    proxyStrictSSL: config.get<boolean>('proxyStrictSSL', true),
    noProxy: config.get<string[]>('noProxy', []),
    proxyAuthorization: config.get<string | null>('proxyAuthorization', null),
  };
}

/** Settings that only take effect when the training host starts. */
export function affectsHost(event: vscode.ConfigurationChangeEvent): boolean {
  return ['transferLab.engine', 'transferLab.cacheFolder', 'transferLab.memoryLimitMb', 'http.proxy', 'http.proxyStrictSSL', 'http.noProxy', 'http.proxyAuthorization'].some((key) => event.affectsConfiguration(key));
}
