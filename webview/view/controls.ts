/** Labelled controls built from @vscode-elements/elements, so they look and behave like VS Code's own. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import { h } from './dom';

/** A dropdown with a visible label; `onChange` gets the chosen value. */
export function singleSelect(id: string, label: string, options: Array<[value: string, text: string]>, value: string, onChange: (value: string) => void): { element: HTMLElement; select: VscodeSingleSelect } {
  const select = document.createElement('vscode-single-select');
  select.id = id;
  select.setAttribute('aria-label', label);
  select.setAttribute('data-testid', id);
  setOptions(select, options, value);
  select.addEventListener('change', () => onChange(select.value));
  return { element: h('div', { class: 'control' }, h('label', { for: id }, label), select), select };
}

/** Replaces a dropdown's options. */
export function setOptions(select: VscodeSingleSelect, options: Array<[value: string, text: string]>, value: string): void {
  select.replaceChildren(...options.map(([v, text]) => {
    const option = document.createElement('vscode-option');
    option.setAttribute('value', v);
    if (v === value) option.setAttribute('selected', '');
    option.textContent = text;
    return option;
  }));
  select.value = value;
}

/** A button with an accessible name and a test id. */
export function button(testId: string, text: string, description: string, onClick: () => void, secondary = false): VscodeButton {
  const element = document.createElement('vscode-button');
  element.textContent = text;
  element.title = description;
  element.setAttribute('aria-label', `${text}: ${description}`);
  element.setAttribute('data-testid', testId);
  if (secondary) element.secondary = true;
  element.addEventListener('click', () => {
    if (!element.disabled) onClick();
  });
  return element;
}
