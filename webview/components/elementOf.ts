/** Widgets that own their root element (a canvas view, a chart) create it from a template with this. */
import { render, type TemplateResult } from 'lit';

/** The element a template of one root element describes, rendered once; its bindings (listeners) stay live. */
export function elementOf<E extends Element>(template: TemplateResult): E {
  const fragment = document.createDocumentFragment();
  render(template, fragment);
  const element = fragment.firstElementChild;
  if (!element) throw new Error('elementOf: the template has no element');
  return element as E;
}
