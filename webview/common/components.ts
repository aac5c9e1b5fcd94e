// The webview's controls. @vscode/webview-ui-toolkit is archived upstream: it is used here and nowhere else, so a
// swap (e.g. to @vscode-elements/elements) touches this one file.
import {
  provideVSCodeDesignSystem, vsCodeButton, vsCodeDropdown, vsCodeOption, vsCodeProgressRing, vsCodeTextField,
} from '@vscode/webview-ui-toolkit';
import { h } from './dom';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDropdown(), vsCodeOption(), vsCodeProgressRing(), vsCodeTextField());

type ValueElement = HTMLElement & { value: string; disabled: boolean };

/** `name`: what a screen reader announces when the visible label alone is ambiguous (three "PNG" buttons). */
export function button(label: string, onClick: () => void, options: { secondary?: boolean; title?: string; name?: string } = {}): HTMLElement {
  return h('vscode-button' as 'button', {
    attrs: { appearance: options.secondary ? 'secondary' : 'primary', title: options.title, 'aria-label': options.name },
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

export interface Option<T extends string> { value: T; label: string }

/** A labelled dropdown (`hideLabel`: for screen readers only); `onChange` gets the chosen option's value. */
export function select<T extends string>(label: string, options: readonly Option<T>[], value: T, onChange: (value: T) => void, hideLabel = false): HTMLElement {
  const dropdown = h('vscode-dropdown' as 'select', { attrs: { 'aria-label': label }, on: { change: () => onChange((dropdown as unknown as ValueElement).value as T) } },
    ...options.map((o) => h('vscode-option' as 'option', { attrs: { value: o.value, selected: o.value === value } }, o.label)));
  return h('label', { class: 'control' }, h('span', { class: hideLabel ? 'visually-hidden' : 'control-label' }, label), dropdown);
}

export function textField(label: string, options: { value?: string; placeholder?: string; narrow?: boolean; onInput: (value: string) => void }): HTMLElement {
  // the slotted text becomes the field's <label> inside its shadow root: an aria-label on the host alone is not
  // passed to the inner input, which screen readers then announce as just "Text field"
  const field = h('vscode-text-field' as 'input', {
    class: options.narrow ? 'narrow' : undefined,
    attrs: { placeholder: options.placeholder, value: options.value ?? '', 'aria-label': label },
    on: { input: () => options.onInput((field as unknown as ValueElement).value) },
  }, h('span', { class: 'visually-hidden' }, label));
  return field;
}

export const spinner = (label: string) => h('div', { class: 'spinner', attrs: { role: 'status' } }, h('vscode-progress-ring' as 'div', { attrs: { 'aria-hidden': 'true' } }), label);
