import type { InputDefinition } from '@escf/core';
import { inputJsonSchema, isStandardSchema } from '@escf/core/internal';

/**
 * The JSON Schema of what a schema produces (a response body): the Standard
 * JSON Schema `output` view when the schema has one (zod 4), else the same
 * description as for an input.
 */
export function outputJsonSchema(definition: InputDefinition): Record<string, unknown> {
  if (isStandardSchema(definition)) {
    const converter = (
      definition['~standard'] as { jsonSchema?: { output(o: { target: string }): Record<string, unknown> } }
    ).jsonSchema;
    try {
      const described = converter?.output({ target: 'draft-2020-12' });
      if (described) {
        const { $schema: _dialect, ...schema } = described;
        return schema;
      }
    } catch {
      // Some schemas (transforms, custom refinements) cannot be described: fall back to the input view.
    }
  }
  return inputJsonSchema(definition);
}
