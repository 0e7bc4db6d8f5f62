import type { FastifyInstance, FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { ZodType } from 'zod';
import { invalidInput } from '../errors.js';

/**
 * The zod validator of every route, with three refusals zod alone does not make (security.md, "Input"):
 *
 * - unknown fields: a zod object drops keys it does not know; here a body or query string holding one is refused,
 *   naming it, so a misspelt or smuggled field never passes silently;
 * - U+0000 in any string: PostgreSQL cannot store it in text, so it would fail deep in a command as a 500;
 * - a lone UTF-16 surrogate (`"\ud800"` in JSON): it cannot be encoded as UTF-8, and would be stored as U+FFFD,
 *   which is not what the user sent (names round-trip byte-exact or are refused, never altered).
 *
 * Lengths need nothing here: zod counts string lengths in code points, as users and PostgreSQL's length() do.
 */

// The marker fastify-type-provider-zod puts on its issues; the error handler recognises validation errors by it.
const ZOD_ISSUE = Symbol.for('ZodFastifySchemaValidationError');
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type Path = readonly (string | number)[];
interface Refusal {
  path: Path;
  keyword: string;
  message: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The first refusal in a request part, comparing what was sent with what zod kept. Iterative, not recursive: a
 * body nested ten thousand levels deep (within the body limit) must not overflow the stack.
 */
export function findRefusal(input: unknown, output: unknown): Refusal | undefined {
  // `compare` is false below a value zod replaced (a transform) or passed through whole (z.unknown): its keys are
  // then not the schema's to judge, but its strings still reach the database. Paths are kept as links to the
  // parent frame and only spelt out for a refusal, so the walk stays linear in the size of the input.
  interface Frame {
    input: unknown;
    output: unknown;
    compare: boolean;
    parent: Frame | undefined;
    key: string | number | undefined;
  }
  const pathOf = (frame: Frame | undefined, last?: string): Path => {
    const path: (string | number)[] = last === undefined ? [] : [last];
    for (let f = frame; f?.parent; f = f.parent) path.unshift(f.key!);
    return path;
  };
  const stack: Frame[] = [{ input, output, compare: true, parent: undefined, key: undefined }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const value = frame.input;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { path: pathOf(frame), keyword: 'nul_character', message: '不能包含空字符（U+0000）' };
      if (LONE_SURROGATE.test(value)) return { path: pathOf(frame), keyword: 'lone_surrogate', message: '包含无效的 Unicode 字符（孤立的代理项）' };
    } else if (Array.isArray(value)) {
      const out = frame.output;
      const compare = frame.compare && Array.isArray(out) && out !== value && out.length === value.length;
      for (let i = value.length - 1; i >= 0; i--) stack.push({ input: value[i], output: compare ? (out as unknown[])[i] : undefined, compare, parent: frame, key: i });
    } else if (isRecord(value)) {
      const out = frame.output;
      const compare = frame.compare && isRecord(out) && out !== value;
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        if (compare && !Object.hasOwn(out as Record<string, unknown>, key)) {
          return { path: pathOf(frame, key), keyword: 'unrecognized_keys', message: `不接受的字段“${key}”（unknown field）` };
        }
        stack.push({ input: value[key], output: compare ? (out as Record<string, unknown>)[key] : undefined, compare, parent: frame, key });
      }
    }
  }
  return undefined;
}

function issue(refusal: Refusal) {
  const pointer = refusal.path.join('/');
  return {
    [ZOD_ISSUE]: true,
    keyword: refusal.keyword,
    instancePath: `/${pointer}`,
    schemaPath: `#/${pointer}/${refusal.keyword}`,
    message: refusal.message,
    params: {},
  };
}

/** fastify-type-provider-zod's validator, then the refusals above for bodies and query strings. */
export const strictValidatorCompiler: FastifySchemaCompiler<ZodType> = (route) => {
  const validate = validatorCompiler(route);
  if (route.httpPart !== 'body' && route.httpPart !== 'querystring') return validate;
  return (data: unknown) => {
    const result = validate(data) as { value?: unknown; error?: Error | FastifySchemaValidationError[] };
    if (result.error) return result;
    const refusal = findRefusal(data, result.value);
    return refusal ? { error: [issue(refusal) as FastifySchemaValidationError] } : result;
  };
};

/**
 * The deepest nesting of arrays and objects a JSON body may have. The deepest real body (a deliberation with its
 * members' opinions) is four levels; a body ten thousand levels deep within the size limit would overflow a
 * recursive walk further on (an error message that prints the value, a canonical JSON of an audit payload).
 */
export const MAX_JSON_DEPTH = 64;

/** Whether JSON text nests arrays or objects deeper than `max`, scanning the text once without parsing it. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * Fastify's own JSON parser (which refuses `__proto__` and `constructor.prototype`), behind the depth limit. Plain
 * text bodies have no parser at all, so they are refused with 415 rather than reaching a schema as a string.
 */
export function useStrictJsonParsing(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // parseAs 'string': the body is always text here.
    const text = body as string;
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
      done(invalidInput('body', `JSON 嵌套超过 ${MAX_JSON_DEPTH} 层`, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      return;
    }
    parseJson(request, text, done);
  });
}
