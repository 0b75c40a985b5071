import { getMetadataStorage } from 'class-validator';

type JsonSchema = Record<string, unknown>;

/** How class-validator's built-in constraints read as JSON Schema. */
const byValidator: Record<string, (constraints: unknown[]) => JsonSchema> = {
  isString: () => ({ type: 'string' }),
  isEmail: () => ({ type: 'string', format: 'email' }),
  isUrl: () => ({ type: 'string', format: 'uri' }),
  isUuid: () => ({ type: 'string', format: 'uuid' }),
  isDateString: () => ({ type: 'string', format: 'date-time' }),
  isISO8601: () => ({ type: 'string', format: 'date-time' }),
  isInt: () => ({ type: 'integer' }),
  isNumber: () => ({ type: 'number' }),
  isBoolean: () => ({ type: 'boolean' }),
  isArray: () => ({ type: 'array' }),
  isObject: () => ({ type: 'object' }),
  minLength: ([min]) => ({ minLength: min }),
  maxLength: ([max]) => ({ maxLength: max }),
  length: ([min, max]) => ({ minLength: min, ...(max === undefined ? {} : { maxLength: max }) }),
  min: ([min]) => ({ minimum: min }),
  max: ([max]) => ({ maximum: max }),
  isIn: ([values]) => ({ enum: values }),
  isEnum: ([entity]) => ({ enum: Object.values(entity as object) }),
  matches: ([pattern]) => ({ pattern: pattern instanceof RegExp ? pattern.source : String(pattern) }),
  arrayMinSize: ([min]) => ({ minItems: min }),
  arrayMaxSize: ([max]) => ({ maxItems: max }),
};

/**
 * A JSON Schema for a class-validator DTO class, read from class-validator's
 * own metadata (no `emitDecoratorMetadata` needed, so it works in bundles
 * built by esbuild). Unknown custom validators are listed under
 * `x-validators` so the document still says they exist. Every decorated
 * property is required unless marked `@IsOptional()`; other properties are
 * rejected, as ESCF validates with `forbidNonWhitelisted`.
 */
export function classValidatorJsonSchema(dtoClass: new (...args: never[]) => object): JsonSchema {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(dtoClass, '', true, false);
  const properties: Record<string, JsonSchema> = {};
  const optional = new Set<string>();
  for (const entry of metadata) {
    const property = (properties[entry.propertyName] ??= {});
    if (entry.type === 'conditionalValidation' && entry.name === undefined) optional.add(entry.propertyName);
    const name = entry.name ?? entry.type;
    const mapped = byValidator[name];
    if (mapped) Object.assign(property, mapped(entry.constraints ?? []));
    else if (entry.type === 'customValidation' || entry.type === 'nestedValidation') {
      property['x-validators'] = [...((property['x-validators'] as string[] | undefined) ?? []), name];
    }
  }
  return {
    type: 'object',
    properties,
    required: Object.keys(properties).filter((p) => !optional.has(p)),
    additionalProperties: false,
  };
}
