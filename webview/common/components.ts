// The webview's controls, from @vscode-elements/elements (lit web components that read VS Code's theme variables).
// Only the components used here are imported, each from its own entry, so the bundles stay small.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { h } from './dom';

type ValueElement = HTMLElement & { value: string; disabled: boolean };

/** `name`: what a screen reader announces when the visible label alone is ambiguous (three "PNG" buttons). */
export function button(label: string, onClick: () => void, options: { secondary?: boolean; title?: string; name?: string } = {}): HTMLElement {
  // the host itself has role=button, so its aria-label is the accessible name
  return h('vscode-button' as 'button', {
    attrs: { secondary: options.secondary, title: options.title, 'aria-label': options.name },
    on: { click: onClick },
  }, label);
}

export function setEnabled(control: HTMLElement, enabled: boolean): void {
  (control as ValueElement).disabled = !enabled;
}

export function setLabel(control: HTMLElement, label: string, title?: string): void {
  control.textContent = label;
  if (title) control.title = title;
}

/** A labelled checkbox; `onChange` gets whether it is now checked. */
export function checkbox(label: string, checked: boolean, onChange: (checked: boolean) => void): HTMLElement {
  const box = h('vscode-checkbox' as 'input', { attrs: { checked }, on: { change: () => onChange((box as unknown as { checked: boolean }).checked) } }, label);
  return box;
}

export interface Option<T extends string> { value: T; label: string }

/** A labelled dropdown (`hideLabel`: for screen readers only); `onChange` gets the chosen option's value. */
export function select<T extends string>(label: string, options: readonly Option<T>[], value: T, onChange: (value: T) => void, hideLabel = false): HTMLElement {
  // `label` becomes the aria-label of the combobox inside the shadow root
  const dropdown = h('vscode-single-select' as 'select', { attrs: { label }, on: { change: () => onChange((dropdown as unknown as ValueElement).value as T) } },
    ...options.map((o) => h('vscode-option' as 'option', { attrs: { value: o.value, selected: o.value === value } }, o.label)));
  // as wide as its longest option (its list is as wide as it is) instead of the fixed 320px; padding and chevron: 32px
  dropdown.style.width = `calc(${Math.max(...options.map((o) => o.label.length))}ch + 32px)`;
  // the visible text is hidden from screen readers, which already read `label` on the combobox
  return h('span', { class: 'control' }, !hideLabel && h('span', { class: 'control-label', attrs: { 'aria-hidden': 'true' } }, label), dropdown);
}

export function textField(label: string, options: { value?: string; placeholder?: string; narrow?: boolean; onInput: (value: string) => void }): HTMLElement {
  const field = h('vscode-textfield' as 'input', {
    class: options.narrow ? 'narrow' : undefined,
    // the host's aria-label names it for tests and tools; screen readers read the inner <input>, whose aria-label is
    // the `label` property (set below: it has no attribute), else they announce just "edit text"
    attrs: { placeholder: options.placeholder, value: options.value ?? '', 'aria-label': label },
    on: { input: () => options.onInput((field as unknown as ValueElement).value) },
  });
  (field as unknown as { label: string }).label = label;
  return field;
}

// the ring is decoration: the status text beside it is what a screen reader announces (the ring's own role=alert would
// interrupt with "Loading")
export const spinner = (label: string) => h('div', { class: 'spinner', attrs: { role: 'status' } }, h('vscode-progress-ring' as 'div', { attrs: { 'aria-hidden': 'true', 'aria-live': 'off' } }), label);
