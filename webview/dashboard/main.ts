// Training dashboard webview: one run's header, live charts, confusion matrix, per-class table and galleries.
import '../common/base.css';
import './dashboard.css';
import { toDashboardWebview, type FromDashboardWebview, type ToDashboardWebview } from '../../src/protocol/webview';
import { spinner } from '../common/components';
import { replace } from '../common/dom';
import { onThemeChange } from '../common/theme';
import { connect, loadState, saveState } from '../common/vscodeApi';
import { ChartsPanel } from './chartsPanel';
import { EvaluationPanel } from './evaluationPanel';
import { Header } from './header';
import { Heatmaps } from './heatmaps';
import { installBenchHook } from './paintLatency';
import { RunStore } from './runStore';

const app = document.getElementById('app')!;
const saved = loadState({ split: 'val', mode: 'counts' as 'counts' | 'normalised', scope: 'all' as 'all' | 'confused', cell: [] as number[], heatmaps: false });
const store = new RunStore();
const persist = () => saveState({ restoreKey: store.run?.restoreKey ?? saved.restoreKey, ui: saved.ui });

const header = new Header(() => post({ type: 'export/csv' }), () => post({ type: 'export/html' }), () => post({ type: 'check/data' }));
const charts = new ChartsPanel(() => store.run, (chart, dataUrl) => post({ type: 'export/png', chart, dataUrl }));
const refresh = () => store.run && evaluation.update(store.run.evaluation, store.run.state, store.run.header.kind);
const heatmaps = new Heatmaps((paths) => post({ type: 'heatmaps/request', paths }), refresh);
const evaluation = new EvaluationPanel(saved.ui, persist, (path) => post({ type: 'open/image', path }), heatmaps);
let mounted = false;
let headerFrame = 0;

/** The header shows the latest numbers; redrawing it once per frame is enough however fast batches come. */
function updateHeader(): void {
  if (!headerFrame) headerFrame = requestAnimationFrame(() => ((headerFrame = 0), store.run && header.update(store.run, Date.now())));
}

function mount(): void {
  mounted = true;
  replace(app, header.element, charts.element, evaluation.element);
  app.setAttribute('aria-busy', 'false');
}

function receive(message: ToDashboardWebview): void {
  if (message.type === 'run/heatmaps') return heatmaps.receive(message);
  if (message.type === 'run/showSplit') {
    Object.assign(saved.ui, { split: message.split, cell: [] });
    persist();
    refresh();
    return;
  }
  if (message.type === 'run/dataHealth') return header.showDataHealth(message);
  const change = store.apply(message);
  const run = store.run;
  if (!run || change === 'none') return;
  if (!mounted) mount();
  if (change === 'all') persist();
  if (change === 'all' || change === 'metrics') charts.schedule();
  if (change === 'all' || change === 'evaluation' || change === 'state') evaluation.update(run.evaluation, run.state, run.header.kind);
  updateHeader();
}

// elapsed time and ETA move while a run trains, even between messages
setInterval(() => store.run?.state.state === 'running' && updateHeader(), 1000);
onThemeChange(() => (charts.applyTheme(), refresh()));
installBenchHook();
replace(app, spinner('Reading the run…'));
const post = connect<ToDashboardWebview, FromDashboardWebview>(toDashboardWebview, receive);
