// The dashboard header: run state, phase, engine, base model, dataset, elapsed and ETA, throughput, exports.
import type { DataHealthLine, RunSnapshot } from '../../src/protocol/webview';
import { isErrorState } from '../../src/shared/runStates';
import { button } from '../common/components';
import { h, replace } from '../common/dom';
import { baseName, formatCount, formatDuration, modelName, phaseEndingText, preprocessingFact, shortEngine } from '../../src/shared/format';
import { runProgress } from './progress';

export class Header {
  readonly element = h('header', { class: 'run-header' });
  private readonly title = h('h1', {});
  private readonly facts = h('dl', { class: 'facts' });
  private readonly message = h('p', { attrs: { role: 'status' } });
  /** What early stopping did: a run asked for 40 epochs that stopped at 5 must say so where the epoch count is read. */
  private readonly endings = h('p', { class: 'endings' });
  /** After an image run: its data's likely label issues and leaks, linking to the Data Health panel. */
  private readonly dataHealth = h('p', { class: 'data-health', attrs: { role: 'status' } });
  private readonly checkButton: HTMLElement;

  constructor(exportCsv: () => void, exportHtml: () => void, private readonly checkData: () => void) {
    this.checkButton = button('Check Dataset', checkData, { secondary: true, title: "Label issues, duplicates and train–test leakage in this run's data (Data Health panel)" });
    this.checkButton.hidden = true;
    replace(this.element, this.title, this.facts, this.endings, this.message, this.dataHealth, h('div', { class: 'toolbar' },
      button('Export metrics (CSV)', exportCsv, { secondary: true, title: 'Every batch and epoch record of this run' }),
      button('Export report (HTML)', exportHtml, { secondary: true, title: 'One self-contained file: charts, matrix, tables and data' }),
      this.checkButton));
  }

  showDataHealth(line: DataHealthLine): void {
    if (line.state !== 'checked') return replace(this.dataHealth, line.state === 'checking' && h('span', { class: 'muted' }, 'checking data…'));
    const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    const link = h('a', { attrs: { href: '#' }, on: { click: (event) => (event.preventDefault(), this.checkData()) } }, 'Check Dataset');
    replace(this.dataHealth, `${plural(line.labelIssues, 'likely label issue', 'likely label issues')}, ${plural(line.leaked, 'leaked duplicate', 'leaked duplicates')} — `, link);
  }

  update(run: RunSnapshot, nowMs: number): void {
    const { header, state } = run;
    this.checkButton.hidden = header.kind !== 'image';
    const p = runProgress(run, nowMs);
    const phase = header.phases[p.phaseIndex];
    replace(this.title, `Run ${header.run} `, h('span', { class: `state state-${state.state}` }, state.state));
    const pixels = preprocessingFact(state.preprocessing);
    const eta = p.phaseEtaSeconds === undefined ? '—' : `${formatDuration(p.phaseEtaSeconds)} for this phase${p.laterPhases ? ` (+${p.laterPhases} later phase${p.laterPhases > 1 ? 's' : ''})` : ''}`;
    const facts: [string, string, string?][] = [
      ['Phase', phase ? `${p.phaseIndex + 1}/${header.phases.length} ${phase.name}` : '—'],
      ['Epoch', p.epoch ? `${p.epoch}/${p.epochs}${p.batch ? ` · batch ${p.batch}/${p.batches}` : ''}` : '—'],
      ['Engine', shortEngine(state.engine) || '—', state.engine],
      ['Base model', header.baseModel ? modelName(header.baseModel) : '—', header.baseModel],
      ...(header.kind === 'image' ? [['Pixels', pixels.value, pixels.title] as [string, string, string?]] : []),
      ['Dataset', header.dataset ? baseName(header.dataset) : '—', header.dataset],
      ['Elapsed', formatDuration(p.elapsedSeconds)],
      ['ETA', state.state === 'running' ? eta : '—'],
      [header.kind === 'text' ? 'Texts/s' : 'Images/s', p.imagesPerSecond ? formatCount(p.imagesPerSecond) : '—'],
    ];
    const endings = (run.endings ?? []).filter((e) => header.phases[e.phaseIndex]);
    replace(this.endings, ...endings.map((e) => h('span', { class: 'ending' }, `${header.phases[e.phaseIndex].name}: ${phaseEndingText(e)}`)));
    replace(this.facts, ...facts.map(([term, value, title]) => h('div', {}, h('dt', {}, term), h('dd', { attrs: { title } }, value))));
    this.message.className = isErrorState(state.state) ? 'error' : 'muted';
    replace(this.message, state.message ?? '');
  }
}
