/**
 * The two forms of a config (media/lstm-config.schema.json: `if` it has "python" `then` the python
 * form `else` the trainer's). Each form is validated on its own, so an error is worded against
 * the form the user is writing: "the config is missing the required key `data`" for a trainer
 * config, "`python.script` must be a string" for a python one.
 */
import schema from '../../media/lstm-config.schema.json';
import type { SchemaNode } from './schemaErrors/schemaNode';

const { if: _if, then: pythonForm, else: trainerForm, ...common } = schema;

/** Top-level keys a python config may have. */
export const PYTHON_CONFIG_KEYS: readonly string[] = pythonForm.propertyNames.enum;

/** The trainer's config: every top-level key known, data, model and training required. */
export const trainerSchema = { ...common, required: trainerForm.required } as unknown as SchemaNode;

/** The python config: name, runsDir and python (required), nothing else. */
export const pythonSchema = {
  ...common,
  properties: Object.fromEntries(Object.entries(common.properties).filter(([key]) => PYTHON_CONFIG_KEYS.includes(key))),
  required: ['python'],
} as unknown as SchemaNode;
