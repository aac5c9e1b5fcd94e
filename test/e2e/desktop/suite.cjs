// Runs inside desktop VS Code's extension host (@vscode/test-electron's extensionTestsPath): plain CommonJS, no
// test framework, a rejected promise fails the run.
const assert = require('node:assert/strict');
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const vscode = require('vscode');

const COMMANDS = [
  'transferLab.newExperiment', 'transferLab.train', 'transferLab.stop', 'transferLab.resume', 'transferLab.evaluate', 'transferLab.predict',
  'transferLab.openDashboard', 'transferLab.showLayers', 'transferLab.compareRuns', 'transferLab.exportModel', 'transferLab.createSample',
];

exports.run = async function run() {
  const extension = vscode.extensions.getExtension('transfer-lab.transfer-lab');
  assert.ok(extension, 'the extension is installed');
  await extension.activate();
  const registered = await vscode.commands.getCommands(true);
  for (const command of COMMANDS) assert.ok(registered.includes(command), `${command} is registered`);
  const folder = vscode.workspace.workspaceFolders[0].uri;
  const experiment = vscode.Uri.joinPath(folder, 'colors.experiment.json');
  const result = await vscode.commands.executeCommand('transferLab.train', experiment);
  assert.equal(result && result.state, 'completed', `training completed (${JSON.stringify(result)})`);
  assert.ok(existsSync(join(result.runDir, 'model', 'model.json')), 'the run exported its model');
  assert.equal(JSON.parse(readFileSync(join(result.runDir, 'state.json'), 'utf8')).state, 'completed');
};
