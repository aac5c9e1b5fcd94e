// The evaluation half of the dashboard: split and display options, confusion matrix, per-class table, galleries.
import type { EvaluationSplit, EvaluationView, RunStateView } from '../../src/protocol/webview';
import { button, checkbox, select } from '../common/components';
import { h, replace } from '../common/dom';
import { formatExamples, formatPercent, overlapWarning } from '../../src/shared/format';
import { cellSamples, confidentMistakes, mostConfusedClasses, type MatrixMode } from '../shared/matrix';
import { classTable } from './classTable';
import { gallery } from './gallery';
import type { Heatmaps } from './heatmaps';
import { matrixTable } from './matrixView';

export interface EvaluationUi { split: string; mode: MatrixMode; scope: 'all' | 'confused'; cell: number[]; heatmaps: boolean }

/** Above this many classes the matrix can show only the most confused ones; above ALL_LIMIT it always does. */
const CONFUSED = 30;
const ALL_LIMIT = 150;
const MISTAKES = 12;
const NO_EVALUATION: Record<RunStateView['state'], string> = {
  running: '', completed: 'the run folder has no evaluation.json', cancelled: 'the run was cancelled',
  diverged: 'the run diverged', crashed: 'the run crashed', failed: 'the run failed',
};

export class EvaluationPanel {
  readonly element = h('section', { class: 'evaluation', attrs: { 'aria-label': 'Evaluation' } });
  private readonly cellSection = h('section', { class: 'cell-gallery', attrs: { 'aria-live': 'polite' } });
  private evaluation: EvaluationView | undefined;
  private kind: 'image' | 'text' = 'image';

  constructor(private readonly ui: EvaluationUi, private readonly onUi: () => void, private readonly openImage: (path: string) => void, private readonly heatmaps: Heatmaps) {
    // Escape closes the open cell's gallery and puts focus back on its cell
    this.element.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || this.ui.cell.length === 0) return;
      const [label, predicted] = this.ui.cell;
      this.closeCell();
      this.element.querySelector<HTMLElement>(`td.cell[data-label="${label}"][data-predicted="${predicted}"]`)?.focus();
      e.preventDefault();
    });
  }

  update(evaluation: EvaluationView | undefined, state: RunStateView, kind: 'image' | 'text'): void {
    this.evaluation = evaluation;
    this.kind = kind;
    if (!evaluation) {
      const why = state.state === 'running' ? 'The evaluation appears when the run completes.' : `No evaluation: ${NO_EVALUATION[state.state]}.`;
      replace(this.element, h('h2', {}, 'Evaluation'), h('p', { class: 'muted' }, why));
      return;
    }
    const splits = [evaluation.val, ...(evaluation.test ? [evaluation.test] : []), ...(evaluation.folders ?? [])];
    const split = splits.find((s) => s.split === this.ui.split) ?? splits[0];
    const many = split.classes.length > CONFUSED;
    const scope = split.classes.length > ALL_LIMIT ? 'confused' : many ? this.ui.scope : 'all';
    const shown = scope === 'confused' ? mostConfusedClasses(split.confusionMatrix, CONFUSED) : split.classes.map((_, i) => i);
    const set = (change: Partial<EvaluationUi>) => () => (Object.assign(this.ui, change), this.onUi(), this.update(this.evaluation, state, kind));
    this.heatmaps.on = kind === 'image' && this.ui.heatmaps;
    const controls = h('div', { class: 'toolbar' },
      // validation, test and every folder Evaluate Run was pointed at
      splits.length > 1 ? select('Evaluation', splits.map((s) => ({ value: s.split, label: s.folder ? `folder ${s.split}` : `${s.split} split` })), split.split, (v) => set({ split: v, cell: [] })()) : null,
      select('Cells', [{ value: 'counts', label: 'counts' }, { value: 'normalised', label: 'share of true class' }] as const, this.ui.mode, (v) => set({ mode: v })()),
      // image runs only: a text has no places to point at
      kind === 'image' ? checkbox('Show where the model looks', this.ui.heatmaps, (on) => set({ heatmaps: on })()) : null,
      many ? select('Classes', [{ value: 'confused', label: `${CONFUSED} most confused` }, ...(split.classes.length <= ALL_LIMIT ? [{ value: 'all' as const, label: `all ${split.classes.length}` }] : [])], scope, (v) => set({ scope: v })()) : null);
    replace(this.element,
      h('h2', {}, `Evaluation: ${formatPercent(split.accuracy)} accuracy on ${split.count} ${split.folder ? `${kind}s of folder ${split.split}` : `${split.split} ${kind}s`}`),
      split.folder ? h('p', { class: 'muted', attrs: { title: split.folder } }, `Evaluated on ${split.folder}`) : null,
      split.trainedOn ? h('p', { class: 'warning', attrs: { role: 'alert' } }, overlapWarning(split.trainedOn, split.count, kind)) : null,
      controls,
      shown.length < split.classes.length ? h('p', { class: 'muted' }, `Showing the ${shown.length} classes involved in the most mistakes, of ${split.classes.length}.`) : null,
      h('div', { class: 'evaluation-grid' },
        h('div', { class: 'matrix-scroll' }, matrixTable(split, this.ui.mode, shown, (label, predicted) => this.openCell(split, label, predicted), kind)),
        h('div', { class: 'table-scroll' }, classTable(split, kind))),
      this.heatmaps.on ? this.heatmaps.legend() : null,
      this.cellSection,
      h('h3', {}, 'Most confident mistakes'),
      gallery(confidentMistakes(split.samples, MISTAKES), split.classes, 'No mistakes on this split.', this.openImage, this.heatmaps));
    const [label, predicted] = this.ui.cell;
    if (label !== undefined && predicted !== undefined && label < split.classes.length && predicted < split.classes.length) this.openCell(split, label, predicted);
  }

  private openCell(split: EvaluationSplit, label: number, predicted: number): void {
    this.ui.cell = [label, predicted];
    this.onUi();
    const samples = cellSamples(split.samples, label, predicted);
    const title = label === predicted ? `${split.classes[label]} predicted correctly` : `${split.classes[label]} predicted as ${split.classes[predicted]}`;
    replace(this.cellSection,
      h('div', { class: 'cell-title' }, h('h3', {}, `${title} (${formatExamples(samples.length, this.kind)})`),
        button('Close', () => this.closeCell(), { secondary: true, title: 'Close (Escape)' })),
      gallery(samples, split.classes, `No ${this.kind}s in this cell.`, this.openImage, this.heatmaps));
  }

  private closeCell(): void {
    this.ui.cell = [];
    this.onUi();
    replace(this.cellSection);
  }
}

