// Layers webview: the selected experiment's model as a tree with freeze toggles, editing one phase's `trainable`.
import '../common/base.css';
import './layers.css';
import { toLayersWebview, type FromLayersWebview, type ToLayersWebview } from '../../src/protocol/webview';
import { spinner } from '../common/components';
import { h, replace } from '../common/dom';
import { connect, loadState, saveState } from '../common/vscodeApi';
import { checkTrainable } from '../../src/shared/freeze';
import { specFor, type BulkAction } from './bulkActions';
import { Controls } from './controls';
import { modelCaption } from './summary';
import { treeRows, type TreeRow } from './layerTree';
import { TreeView } from './treeView';

type Show = Extract<ToLayersWebview, { type: 'layers/show' }>;

const app = document.getElementById('app')!;
const saved = loadState({ phase: -1, expanded: [] as string[], filter: '', active: '', topCount: '2', topUnit: 'blocks' as 'blocks' | 'layers' });
const ui = saved.ui;
let show: Show | undefined;

const persist = () => saveState({ restoreKey: show?.restoreKey ?? saved.restoreKey, ui });
const layers = () => show?.model.layers ?? [];

function trainableOf(phase: number): { names: Set<string>; problem?: string } {
  const spec = show?.experiment.phases[phase]?.trainable ?? { none: true as const };
  const resolved = checkTrainable(layers(), spec);
  return 'error' in resolved ? { names: new Set(), problem: resolved.error } : { names: resolved.names };
}

const controls = new Controls(ui, {
  selectPhase: (index) => ((ui.phase = index), render()),
  apply: (action) => edit(action),
  setTop: (count, unit) => ((ui.topCount = count), (ui.topUnit = unit), persist()),
  setFilter: (filter) => ((ui.filter = filter), render(true)),
});

const tree = new TreeView('Model layers', {
  toggle: (row: TreeRow) => edit(row.kind === 'block' ? { kind: 'toggleBlock', block: row.block } : { kind: 'toggleLayer', layer: row.layer.name }),
  setExpanded: (id, open) => {
    ui.expanded = open ? [...new Set([...ui.expanded, id])] : ui.expanded.filter((e) => e !== id);
    render();
  },
  activate: (id) => {
    ui.active = id;
    controls.setActiveLayer(activeLayerName());
    persist();
  },
});

function activeLayerName(): string | undefined {
  const [kind, key] = ui.active.split(/:(.*)/s);
  const layer = kind === 'layer' ? layers().find((l) => String(l.index) === key) : layers().find((l) => l.block === key);
  return layer?.name;
}

/** Applies an edit at once (optimistic) and asks the extension to write it; the file's next state is the truth. */
function edit(action: BulkAction): void {
  const phase = show?.experiment.phases[ui.phase];
  if (!show || !phase) return;
  const spec = specFor(action, layers(), trainableOf(ui.phase).names);
  phase.trainable = spec;
  render();
  post({ type: 'layers/setTrainable', phaseIndex: ui.phase, spec });
}

function render(filterChanged = false): void {
  if (!show) return;
  const { phases } = show.experiment;
  if (ui.phase < 0 || ui.phase >= phases.length) ui.phase = Math.max(0, phases.findIndex((p) => !('none' in p.trainable)));
  const { names, problem } = trainableOf(ui.phase);
  controls.setPhases(phases, ui.phase);
  controls.setSummary(layers(), names, phases[ui.phase], phases, problem);
  ui.active = tree.setRows(treeRows(layers(), names, new Set(ui.expanded), ui.filter), ui.active, filterChanged) ?? '';
  controls.setActiveLayer(activeLayerName());
  persist();
}

function showModel(message: Show): void {
  const first = !show;
  show = message;
  if (first) {
    const { model, experiment } = message;
    replace(app,
      h('header', {}, h('h1', {}, model.displayName), h('div', { class: 'muted' }, `${experiment.label} · ${modelCaption(model)}`)),
      controls.element,
      tree.element,
      h('details', { class: 'next-run' }, h('summary', {}, 'What the next run trains'), controls.plan),
    );
    app.setAttribute('aria-busy', 'false');
  }
  render();
}

function showStatus(status: string, message: string): void {
  show = undefined;
  replace(app, status === 'loading' ? spinner(message) : h('p', { class: status === 'error' ? 'status error' : 'status muted', attrs: { role: 'status' } }, message));
  app.setAttribute('aria-busy', String(status === 'loading'));
}

document.body.classList.add('layers-page');
replace(app, spinner('Waiting for the model…'));
const post = connect<ToLayersWebview, FromLayersWebview>(toLayersWebview, (message) => {
  if (message.type === 'layers/show') showModel(message);
  else showStatus(message.status, message.message);
});
