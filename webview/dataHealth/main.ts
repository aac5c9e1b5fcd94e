// Data Health webview: the data doctor's findings, worst first — train–test leakage, label issues (given → suggested),
// other duplicates, outliers, odd images and imbalance — each row with its thumbnail and actions; rows acted upon say
// what became of them in place.
import '../common/base.css';
import './dataHealth.css';
import { toDataHealthWebview, type FromDataHealthWebview, type HealthReport, type HealthSection, type RowOutcome, type ToDataHealthWebview } from '../../src/protocol/webview';
import { button, setEnabled, spinner } from '../common/components';
import { h, replace } from '../common/dom';
import { connect } from '../common/vscodeApi';

type Report = HealthReport;
type FileRow = { file: string; image?: string };

const app = document.getElementById('app')!;
/** Each shown row, by file and section, so an outcome updates it in place. */
const rows: { file: string; section: HealthSection; element: HTMLElement; status: HTMLElement; actions: HTMLElement; buttons: Element[] }[] = [];
let report: Report | undefined;

const shortName = (file: string) => file.split(/[\\/]/).slice(-2).join('/');

function thumbnail(row: FileRow): HTMLElement {
  // an image the panel may not read (outside the checked folders) keeps its place as an empty box
  return row.image
    ? h('img', { class: 'thumb', attrs: { src: row.image, alt: shortName(row.file), loading: 'lazy' } })
    : h('span', { class: 'thumb missing', attrs: { role: 'img', 'aria-label': `${shortName(row.file)} (no preview)` } });
}

interface RowParts { section: HealthSection; row: FileRow; title: string; facts: (string | HTMLElement)[]; move?: string; members?: HTMLElement[] }

function actionsFor(parts: RowParts): HTMLElement {
  const { file } = parts.row;
  const name = shortName(file);
  const exclude = button('Exclude', () => post({ type: 'health/exclude', file }), { secondary: true, name: `Exclude ${name}`, title: report?.excludeDisabled ?? 'Leave it out of every split (data.exclude of the experiment)' });
  if (report?.excludeDisabled) setEnabled(exclude, false);
  return h('div', { class: 'actions' },
    parts.move && button(`Move to "${parts.move}"`, () => post({ type: 'health/move', file }), { name: `Move ${name} to ${parts.move}`, title: `Rename it into the ${parts.move} folder (Undo Move puts it back)` }),
    exclude,
    button('Keep', () => post({ type: 'health/keep', file, section: parts.section }), { secondary: true, name: `Keep ${name}`, title: 'It is right as it is: do not show it again' }),
    button('Open image', () => post({ type: 'health/open', file }), { secondary: true, name: `Open ${name}` }));
}

function findingRow(parts: RowParts): HTMLElement {
  const status = h('p', { class: 'outcome', attrs: { role: 'status' } });
  const actions = actionsFor(parts);
  const element = h('li', { class: 'finding', attrs: { 'data-file': parts.row.file } },
    parts.members ? h('div', { class: 'members' }, ...parts.members) : thumbnail(parts.row),
    h('div', { class: 'body' }, h('div', { class: 'title', attrs: { title: parts.row.file } }, parts.title), ...parts.facts.map((f) => h('div', { class: 'fact' }, f)), actions, status));
  rows.push({ file: parts.row.file, section: parts.section, element, status, actions, buttons: [...actions.children] });
  return element;
}

function section(id: HealthSection | 'leakage' | 'odd', title: string, empty: string, items: HTMLElement[]): HTMLElement {
  return h('section', { attrs: { 'aria-labelledby': `h-${id}` } },
    h('h2', { attrs: { id: `h-${id}` } }, title, ' ', h('span', { class: 'badge' }, String(items.length))),
    items.length ? h('ul', { class: 'findings' }, ...items) : h('p', { class: 'muted empty' }, empty));
}

function duplicateRow(group: Report['duplicates'][number]): HTMLElement {
  const members = group.members.map((m) => h('figure', { class: 'member' }, thumbnail(m), h('figcaption', { attrs: { title: m.file } }, `${m.split}: ${shortName(m.file)}`)));
  const how = group.kind === 'exact' ? 'identical files' : `near copies (similarity ${group.similarity.toFixed(3)})`;
  // the group's later member (a val/test copy in a leak) is what Exclude leaves out; Keep keeps the whole group
  const last = group.members[group.members.length - 1];
  return findingRow({ section: 'duplicates', row: last, title: `${group.members.length} ${how}`, facts: [group.leakage ? 'in train and in val/test: the evaluation has seen these pictures' : `all in ${group.members[0].split}`], members });
}

function draw(r: Report): void {
  rows.length = 0;
  const leaks = r.duplicates.filter((g) => g.leakage);
  const others = r.duplicates.filter((g) => !g.leakage);
  const oddLines = r.odd.map((o) => findingRow({ section: 'odd', row: o, title: shortName(o.file), facts: [o.reason] }));
  replace(app,
    h('h1', {}, `Data Health: ${r.target.split(/[\\/]/).pop()}`),
    h('p', { class: 'muted' }, `${r.images} images checked with ${r.base} in ${r.seconds.toFixed(1)} s (${r.computed ? `${r.computed} went through the base` : 'all features from the cache'})${r.kept ? `; ${r.kept} finding${r.kept === 1 ? '' : 's'} kept earlier not shown` : ''}.`),
    // a disabled button shows no tooltip: why Exclude is off is said once, in the open
    r.excludeDisabled && h('p', { class: 'muted' }, `Exclude is off: ${r.excludeDisabled}.`),
    section('leakage', 'Train–test leakage', 'No picture is in both train and val/test.', leaks.map(duplicateRow)),
    section('labelIssues', 'Likely label issues', 'No likely label issues: every image looks like its class.',
      r.labelIssues.map((i) => findingRow({ section: 'labelIssues', row: i, title: shortName(i.file), move: i.suggested, facts: [h('span', {}, 'labelled ', h('strong', {}, i.given), ' → looks like ', h('strong', {}, i.suggested)), `score ${i.score.toFixed(2)}`] }))),
    section('duplicates', 'Other duplicates', 'No other duplicates.', others.map(duplicateRow)),
    section('outliers', 'Outliers', 'No outliers: every image is near others.', r.outliers.map((o) => findingRow({ section: 'outliers', row: o, title: shortName(o.file), facts: [`far from every other image (${o.score.toFixed(3)})`] }))),
    section('odd', 'Odd images and balance', r.imbalance ? 'No odd images.' : 'No odd images; the classes are balanced.', [
      ...(r.imbalance ? [h('li', { class: 'note' }, r.imbalance)] : []),
      ...oddLines]),
    r.skipped.length > 0 && h('section', {}, h('h2', {}, 'Not read'), h('ul', {}, ...r.skipped.map((s) => h('li', { attrs: { title: s.file } }, `${shortName(s.file)}: ${s.reason}`)))));
  app.setAttribute('aria-busy', 'false');
}

function applyOutcome(o: RowOutcome): void {
  for (const row of rows.filter((r) => r.file === o.file && (o.outcome !== 'kept' || r.section === o.section))) {
    row.element.dataset.outcome = o.outcome;
    row.status.textContent = o.detail;
    const thumb = row.element.querySelector<HTMLImageElement>(':scope > img.thumb');
    if (o.image && thumb) thumb.src = o.image;
    if (o.outcome === 'moved') {
      // the one action left on a moved file: put it back
      replace(row.actions, button('Undo Move', () => post({ type: 'health/undoMove', file: o.file }), { secondary: true, name: `Undo moving ${shortName(o.file)}` }));
    } else if (o.outcome === 'restored') {
      replace(row.actions, ...row.buttons);
    } else {
      row.actions.querySelectorAll('vscode-button').forEach((b) => setEnabled(b as HTMLElement, false));
    }
  }
}

replace(app, spinner('Reading the findings…'));
const post = connect<ToDataHealthWebview, FromDataHealthWebview>(toDataHealthWebview, (message) => {
  if (message.type === 'health/show') draw((report = message.report));
  else applyOutcome({ file: message.file, outcome: message.outcome, detail: message.detail, section: message.section, image: message.image });
});
