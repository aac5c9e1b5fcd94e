// Registers Transfer Lab's webviews: the Layers view and panels, run dashboards, compare panels, and their commands.
import * as vscode from 'vscode';
import { experimentArg, runDirArg } from './commandArgs';
import { ComparePanels, COMPARE_PANEL_TYPE } from './compare/comparePanels';
import { DashboardPanels, DASHBOARD_PANEL_TYPE } from './dashboard/dashboardPanels';
import { LAYERS_PANEL_TYPE, LAYERS_VIEW_ID, LayersPanels, LayersViewProvider } from './layers/layersViews';
import { pickRun, pickRunsToCompare } from './runPicker';
import type { WebviewServices } from './services';
import { setContextKey } from '../contextKeys';
import { chooseExperiment } from '../wayForward';

export type { RunEvent, WebviewServices } from './services';

export function registerWebviews(context: vscode.ExtensionContext, services: WebviewServices): void {
  const { extensionUri } = context;
  const layers = new LayersPanels(extensionUri, services);
  const dashboards = new DashboardPanels(extensionUri, services);
  const compares = new ComparePanels(extensionUri, services);
  context.subscriptions.push(
    layers, dashboards, compares,
    vscode.window.registerWebviewViewProvider(LAYERS_VIEW_ID, new LayersViewProvider(extensionUri, services)),
    vscode.window.registerWebviewPanelSerializer(LAYERS_PANEL_TYPE, layers),
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_PANEL_TYPE, dashboards),
    vscode.window.registerWebviewPanelSerializer(COMPARE_PANEL_TYPE, compares),
    vscode.commands.registerCommand('transferLab.showLayers', async (experiment?: unknown) => {
      const uri = experimentArg(experiment) ?? services.activeExperiment() ?? (await chooseExperiment(await services.experiments(), 'Show Layers'));
      if (!uri) return;
      layers.open(uri);
      setContextKey('transferLab.layersShown', true); // the walkthrough's step is done only now
    }),
    vscode.commands.registerCommand('transferLab.openDashboard', async (run?: unknown, split?: unknown) => {
      const runDir = runDirArg(run) ?? (await pickRun(services));
      if (!runDir) return;
      await dashboards.open(runDir, typeof split === 'string' ? split : undefined).then(
        () => setContextKey('transferLab.dashboardOpened', true),
        (error: Error) => vscode.window.showErrorMessage(`Transfer Lab: ${error.message}`),
      );
    }),
    vscode.commands.registerCommand('transferLab.compareRuns', async (experiment?: unknown) => {
      const runDirs = await pickRunsToCompare(services, experimentArg(experiment));
      if (runDirs) compares.open(runDirs);
    }),
  );
}
