// The layers view's controls: phase selector, bulk freeze actions, filter, and the live summary.
import type { LayerView, PhaseView } from '../../src/protocol/webview';
import { button, select, setEnabled, setLabel, textField } from '../common/components';
import { h, replace } from '../common/dom';
import { formatCount, formatPercent } from '../../src/shared/format';
import { describeSpec } from '../../src/shared/freeze';
import type { BulkAction } from './bulkActions';
import { paramSummary, phasePlans } from './summary';

/** Below this width (a sidebar at its default size) the view lays out for names first. */
const NARROW_PX = 560;

export interface ControlsState { phase: number; topCount: string; topUnit: 'blocks' | 'layers'; filter: string }

export interface ControlsCallbacks {
  selectPhase(index: number): void;
  apply(action: BulkAction): void;
  setTop(count: string, unit: 'blocks' | 'layers'): void;
  setFilter(filter: string): void;
}

export class Controls {
  readonly phaseSlot = h('div', { class: 'toolbar' });
  readonly summary = h('div', { class: 'summary', attrs: { 'aria-live': 'polite' } });
  readonly plan = h('ol', { class: 'plan' });
  private readonly topField: HTMLElement;
  private readonly fromButton: HTMLElement;
  private readonly belowButton: HTMLElement;
  private activeLayer: string | undefined;
  private phaseSignature = '';
  readonly element: HTMLElement;

  constructor(private state: ControlsState, private readonly callbacks: ControlsCallbacks) {
    const apply = (action: BulkAction) => () => callbacks.apply(action);
    const withActive = (make: (layer: string) => BulkAction) => () => this.activeLayer && callbacks.apply(make(this.activeLayer));
    this.fromButton = button('Unfreeze from here up', withActive((layer) => ({ kind: 'unfreezeFrom', layer })), { secondary: true });
    this.belowButton = button('Freeze below here', withActive((layer) => ({ kind: 'freezeBelow', layer })), { secondary: true });
    const top = () => ({ kind: this.state.topUnit === 'blocks' ? 'topBlocks' : 'topLayers', count: Number(this.state.topCount) || 1 }) as BulkAction;
    this.topField = textField('How many', { value: state.topCount, narrow: true, onInput: (v) => ((this.state.topCount = v), callbacks.setTop(v, this.state.topUnit)) });
    // the actions fold away in a narrow sidebar, so the layer tree keeps the height (open where there is room)
    const actions = h('details', { class: 'actions', attrs: { open: window.innerWidth > NARROW_PX ? '' : undefined } }, h('summary', {}, 'Freeze and unfreeze'),
      h('div', { class: 'toolbar', attrs: { role: 'group', 'aria-label': 'Bulk actions' } },
        button('Freeze all', apply({ kind: 'freezeAll' }), { secondary: true, title: 'Train the new head only' }),
        button('Unfreeze all', apply({ kind: 'unfreezeAll' }), { secondary: true })),
      h('div', { class: 'toolbar', attrs: { role: 'group', 'aria-label': 'Unfreeze the top of the model' } },
        h('span', { class: 'control-label' }, 'Unfreeze top'),
        this.topField,
        this.unitSlot,
        button('Apply', () => callbacks.apply(top()), { secondary: true })),
      h('div', { class: 'toolbar', attrs: { role: 'group', 'aria-label': 'Actions on the selected layer' } }, this.fromButton, this.belowButton));
    this.element = h('div', { class: 'controls' },
      this.phaseSlot, this.summary, actions,
      h('div', { class: 'toolbar' }, textField('Filter layers by name', { value: state.filter, placeholder: 'Filter by name', onInput: callbacks.setFilter })),
    );
    this.setUnit(state.topUnit);
    this.setActiveLayer(undefined);
  }

  private readonly unitSlot = h('span', {});

  private setUnit(unit: 'blocks' | 'layers'): void {
    replace(this.unitSlot, select('Unit', [{ value: 'blocks', label: 'blocks' }, { value: 'layers', label: 'layers' }] as const, unit, (u) => ((this.state.topUnit = u), this.callbacks.setTop(this.state.topCount, u)), true));
  }

  /** "Unfreeze top" shows what the file says when the phase is written that way (top 4 blocks → 4, blocks). */
  private showFileTop(spec: PhaseView['trainable']): void {
    const top = 'topBlocks' in spec ? { count: spec.topBlocks, unit: 'blocks' as const } : 'topLayers' in spec ? { count: spec.topLayers, unit: 'layers' as const } : undefined;
    if (!top || (String(top.count) === this.state.topCount && top.unit === this.state.topUnit)) return;
    this.state.topCount = String(top.count);
    this.state.topUnit = top.unit;
    (this.topField as HTMLElement & { value: string }).value = String(top.count);
    this.setUnit(top.unit);
  }

  setPhases(phases: readonly PhaseView[], selected: number): void {
    if (phases[selected]) this.showFileTop(phases[selected].trainable);
    const signature = JSON.stringify(phases.map((p) => [p.name, p.epochs, describeSpec(p.trainable)]).concat([[selected]]));
    if (signature === this.phaseSignature) return; // keep the dropdown (and its focus) when nothing it shows changed
    this.phaseSignature = signature;
    const options = phases.map((p, i) => ({ value: String(i), label: `${i + 1} · ${p.name} — ${describeSpec(p.trainable)}` }));
    replace(this.phaseSlot, select('Editing phase', options, String(selected), (v) => this.callbacks.selectPhase(Number(v))));
  }

  /** The layer that "from here" actions use: the tree's current row (a block's first layer). */
  setActiveLayer(layer: string | undefined): void {
    this.activeLayer = layer;
    setEnabled(this.fromButton, layer !== undefined);
    setEnabled(this.belowButton, layer !== undefined);
    setLabel(this.fromButton, layer ? `Unfreeze from ${layer} up` : 'Unfreeze from here up', 'This layer and every layer above it train (Keras fine_tune_at)');
    setLabel(this.belowButton, layer ? `Freeze below ${layer}` : 'Freeze below here', 'Freeze every layer before this one; keep the choice above it');
  }

  setSummary(layers: readonly LayerView[], trainable: ReadonlySet<string>, phase: PhaseView, phases: readonly PhaseView[], problem?: string): void {
    const s = paramSummary(layers, trainable);
    replace(this.summary,
      h('div', {}, h('strong', {}, formatCount(s.trainable)), ` of ${formatCount(s.total)} base parameters trainable (${formatPercent(s.total ? s.trainable / s.total : 0)}), `,
        `${formatCount(s.frozen)} frozen · ${s.layers} of ${layers.length} layers`),
      h('div', { class: 'muted' }, `Phase “${phase.name}”: ${describeSpec(phase.trainable)} `, h('code', {}, specText(phase))),
      s.batchNorm > 0 ? h('div', { class: 'muted' }, `${s.batchNorm} unfrozen BatchNormalization layer${s.batchNorm === 1 ? '' : 's'} run in inference mode (moving statistics stay fixed).`) : null,
      problem ? h('div', { class: 'error', attrs: { role: 'alert' } }, `This phase’s trainable setting does not fit the model: ${problem}`) : null,
    );
    replace(this.plan, ...phasePlans(phases, layers).map((p) => h('li', {}, p.title, h('div', { class: p.problem ? 'error' : 'muted' }, p.problem ?? p.detail))));
  }
}

/** The spec as written in the experiment file, shortened when it lists many names. */
function specText(phase: PhaseView): string {
  const json = JSON.stringify(phase.trainable);
  return json.length <= 60 || !('names' in phase.trainable) ? json : `{"names": [${phase.trainable.names.length} layers]}`;
}
