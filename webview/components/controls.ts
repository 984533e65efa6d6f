/** Labelled controls from @vscode-elements/elements (so they look and behave like VS Code's own), as lit templates. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import { html } from 'lit';

/** A dropdown option: its value and its text. */
export type Option = [value: string, text: string];

/** A dropdown with a visible label; `onChange` gets the value the user chose. */
export function singleSelect(
  id: string,
  label: string,
  options: readonly Option[],
  value: string,
  onChange: (value: string) => void,
) {
  const changed = (e: Event) => onChange((e.currentTarget as VscodeSingleSelect).value);
  // No whitespace between the options: the select reads its slotted children.
  return html`<div class="control">
    <label for=${id}>${label}</label
    ><vscode-single-select id=${id} aria-label=${label} data-testid=${id} .value=${value} @change=${changed}
      >${options.map(([v, text]) => html`<vscode-option value=${v} ?selected=${v === value}>${text}</vscode-option>`)}</vscode-single-select
    >
  </div>`;
}

/** What a button shows and does. */
export interface ButtonSpec {
  testId: string;
  text: string;
  /** The accessible name (text and what it does). */
  label: string;
  /** The tooltip. */
  title: string;
  disabled?: boolean;
  secondary?: boolean;
  onClick(): void;
}

/** A VS Code button with an accessible name and a test id; a click on a disabled one does nothing. */
export function button(spec: ButtonSpec) {
  const clicked = (e: Event) => {
    if (!(e.currentTarget as VscodeButton).disabled) spec.onClick();
  };
  return html`<vscode-button
    data-testid=${spec.testId}
    title=${spec.title}
    aria-label=${spec.label}
    ?secondary=${spec.secondary ?? false}
    .disabled=${spec.disabled ?? false}
    @click=${clicked}
    >${spec.text}</vscode-button
  >`;
}
