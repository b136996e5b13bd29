import { requireFromCore } from './package-root.js';

/** What ajv needs of a regular expression: a search. */
interface RegExpLike {
  test(input: string): boolean;
}

interface Re2Module {
  RE2JS: {
    compile(pattern: string, flags?: number): RegExpLike;
    translateRegExp(pattern: string): string;
  };
}

let re2: Re2Module['RE2JS'] | undefined;

/**
 * A JSON Schema `pattern` compiled for a linear-time matcher (RE2, through re2js): matching a
 * value of n characters takes time proportional to n whatever the pattern, so a schema written by
 * another domain (`^(a|a)+$`) cannot hang the consumers that validate against it. Patterns RE2
 * cannot match in linear time (back-references, lookaround) throw a SyntaxError naming the
 * construct: ajv reports the schema as invalid.
 */
export function linearPattern(pattern: string): RegExpLike {
  re2 ??= (requireFromCore('re2js') as Re2Module).RE2JS;
  try {
    return re2.compile(re2.translateRegExp(pattern));
  } catch (err) {
    throw new SyntaxError(`pattern ${JSON.stringify(pattern)} cannot be matched in linear time (${(err as Error).message}); Blue matches export schema patterns with RE2, which has no back-references or lookaround`);
  }
}

/** ajv's `code.regExp` option: every `pattern` and `patternProperties` of an export schema goes through linearPattern. */
export const linearRegExpEngine = Object.assign((pattern: string): RegExpLike => linearPattern(pattern), { code: 'linearPattern' });
