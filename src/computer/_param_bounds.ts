/**
 * A cheap bound on the size of request params, checked before the schema:
 * zod validates every element of an array (and keeps going after a length
 * check failed), so a 1 MB frame holding an `argv` of a million nils cost
 * seconds of validation. This walk stops at the first array or map that is
 * too long and caps the total number of values it visits, so refusing any
 * params costs at most a few milliseconds. No method needs more: argv,
 * environment variables, clipboard entries and modifier lists are far
 * shorter, and an accessibility element sent back with `ui.action` is
 * identified by its own fields, not by its children.
 *
 * @module
 */

/** Most elements of one array (argv entries, clipboard entries, children…). */
export const MAX_PARAM_ARRAY_LENGTH = 4096;
/** Most entries of one map (environment variables…). */
export const MAX_PARAM_MAP_ENTRIES = 4096;
/** Most values (maps, arrays, scalars) in all of one request's params. */
export const MAX_PARAM_VALUES = 65_536;

/** Why params were refused: a message and the dotted path of the offending value. */
export interface ParamBoundViolation {
  message: string;
  param: string;
}

/**
 * Walks `params` and reports the first bound it exceeds.
 * @returns null when the params are within bounds
 */
export function checkParamBounds(params: unknown): ParamBoundViolation | null {
  let visited = 0;
  const stack: { value: unknown; path: string }[] = [{ value: params, path: "" }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (++visited > MAX_PARAM_VALUES) {
      return {
        message: `params hold more than ${MAX_PARAM_VALUES} values`,
        param: path,
      };
    }
    if (typeof value !== "object" || value === null || value instanceof Uint8Array) continue;
    if (Array.isArray(value)) {
      if (value.length > MAX_PARAM_ARRAY_LENGTH) {
        return {
          message: `'${path}' holds ${value.length} elements, more than the limit of ` +
            `${MAX_PARAM_ARRAY_LENGTH}`,
          param: path,
        };
      }
      for (let i = value.length - 1; i >= 0; i--) {
        stack.push({ value: value[i], path: path === "" ? String(i) : `${path}.${i}` });
      }
      continue;
    }
    const keys = Object.keys(value);
    if (keys.length > MAX_PARAM_MAP_ENTRIES) {
      return {
        message: `'${path}' holds ${keys.length} entries, more than the limit of ` +
          `${MAX_PARAM_MAP_ENTRIES}`,
        param: path,
      };
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      stack.push({
        value: (value as Record<string, unknown>)[key],
        path: path === "" ? key : `${path}.${key}`,
      });
    }
  }
  return null;
}
