import { dtoJsonSchema } from './dto-json-schema.js';
import { type InputDefinition, isDtoClass, isStandardSchema } from './input-definition.js';

/**
 * The JSON Schema of a command's input: from the Standard JSON Schema
 * interface when the schema offers it (zod 4 does), from class-validator
 * metadata for DTO classes, and an open object otherwise.
 */
export function inputJsonSchema(definition: InputDefinition): Record<string, unknown> {
  if (isStandardSchema(definition)) {
    const converter = (
      definition['~standard'] as { jsonSchema?: { input(o: { target: string }): Record<string, unknown> } }
    ).jsonSchema;
    if (converter) {
      try {
        const { $schema: _dialect, ...schema } = converter.input({ target: 'draft-2020-12' });
        return schema;
      } catch {
        // Some schemas (transforms, custom refinements) cannot be described; fall through.
      }
    }
    return { type: 'object', description: `Validated by a ${definition['~standard'].vendor} schema.` };
  }
  if (isDtoClass(definition)) return dtoJsonSchema(definition);
  return { type: 'object' };
}
