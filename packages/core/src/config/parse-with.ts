import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { valueAt, type ConfigPath } from './config-path.js';
import type { ConfigLocation } from './config-location.js';
import { closestMatch } from './closest-match.js';
import { describeFound, describeExpected } from './describe-value.js';
import { knownKeysAt } from './schema-keys.js';

type Issue = z.core.$ZodIssue;

/** Validates `raw` against a zod schema; every issue becomes a problem with file:line:col and key path. */
export function parseWith<S extends z.ZodType>(schema: S, raw: unknown, at: ConfigLocation): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issues = withoutMissingTypoTargets(result.error.issues, schema, raw);
  const problems = issues.flatMap((issue) => problemsOf(issue, schema, raw, at));
  throw new ConfigError(problems);
}

const pathKey = (path: ConfigPath): string => JSON.stringify(path.map(String));

/** The issue's path without symbol keys (YAML never produces them). */
const configPathOf = (issue: Issue): ConfigPath => issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');

/**
 * A typo (`epoch: 3` for `epochs`) makes zod report two issues: the unknown key and the missing
 * field. The unknown-key problem already says "did you mean 'epochs'?", so the missing-field issue
 * it explains is dropped: one mistake, one message.
 */
function withoutMissingTypoTargets(issues: readonly Issue[], schema: z.ZodType, raw: unknown): Issue[] {
  const explained = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const path = configPathOf(issue);
    const known = knownKeysAt(schema, path);
    for (const key of issue.keys) {
      const suggestion = closestMatch(key, known);
      if (suggestion !== undefined) explained.add(pathKey([...path, suggestion]));
    }
  }
  if (explained.size === 0) return [...issues];
  return issues.filter((issue) => {
    const path = configPathOf(issue);
    return issue.code !== 'invalid_type' || !explained.has(pathKey(path)) || valueAt(raw, path) !== undefined;
  });
}

function problemsOf(issue: Issue, schema: z.ZodType, raw: unknown, at: ConfigLocation): ConfigProblem[] {
  const path = configPathOf(issue);
  const place = path.reduce<ConfigLocation>((location, segment) => location.child(segment), at);
  const found = valueAt(raw, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeysAt(schema, path);
      return issue.keys.map((key) => {
        const suggestion = closestMatch(key, known);
        const hint = suggestion ? ` (did you mean '${suggestion}'?)` : known.length > 0 ? `; known keys: ${known.join(', ')}` : '';
        return place.child(key).problem(`unknown key '${key}'${hint}`, 'key');
      });
    }
    case 'invalid_type': {
      if (found === undefined && path.length === 0) return [place.problem(`expected ${describeExpected(issue.expected)}, found nothing`)];
      if (found === undefined) {
        const key = path[path.length - 1];
        const parent = path.slice(0, -1).reduce<ConfigLocation>((location, segment) => location.child(segment), at);
        return [parent.problem(`missing required field '${String(key)}' (expected ${describeExpected(issue.expected)})`, 'key')];
      }
      return [place.problem(`expected ${describeExpected(issue.expected)}, found ${describeFound(found)}`)];
    }
    case 'too_small': {
      const bound = `${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}`;
      if (issue.origin === 'array') return [place.problem(`expected at least ${String(issue.minimum)} item(s), found ${Array.isArray(found) ? found.length : 0}`)];
      if (issue.origin === 'string') return [place.problem(`expected a non-empty string of length ${bound}, found ${describeFound(found)}`)];
      return [place.problem(`expected a number ${bound}, found ${describeFound(found)}`)];
    }
    case 'too_big': {
      const bound = `${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}`;
      if (issue.origin === 'array') return [place.problem(`expected at most ${String(issue.maximum)} item(s), found ${Array.isArray(found) ? found.length : 0}`)];
      return [place.problem(`expected a value ${bound}, found ${describeFound(found)}`)];
    }
    case 'invalid_value':
      return [place.problem(`expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}, found ${describeFound(found)}`)];
    default:
      return [place.problem(found === undefined ? issue.message : `${issue.message}, found ${describeFound(found)}`)];
  }
}
