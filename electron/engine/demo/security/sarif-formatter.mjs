// An ESLint formatter (`eslint --format <this file>`): ESLint's results as a SARIF 2.1.0 log, the
// report Goldloop's security gate reads. One result per message, with its rule, file and line; a
// file ESLint could not parse is a result too (a file not scanned is no evidence that it is safe).
import { relative, sep } from 'node:path';

const LEVELS = { 1: 'warning', 2: 'error' };
const PARSE_ERROR = 'eslint/parse-error';

const uriOf = (cwd, file) => relative(cwd, file).split(sep).join('/');

function resultOf(message, uri) {
  const region = { startLine: message.line ?? 1, startColumn: message.column ?? 1 };
  if (message.endLine !== undefined) Object.assign(region, { endLine: message.endLine, endColumn: message.endColumn });
  return {
    ruleId: message.ruleId ?? PARSE_ERROR,
    level: message.fatal ? 'error' : (LEVELS[message.severity] ?? 'note'),
    message: { text: message.message },
    locations: [{ physicalLocation: { artifactLocation: { uri, uriBaseId: '%SRCROOT%' }, region } }],
  };
}

function rulesOf(results, rulesMeta) {
  const ids = [...new Set(results.map((r) => r.ruleId))].sort();
  return ids.map((id) => {
    const docs = rulesMeta?.[id]?.docs;
    return {
      id,
      shortDescription: { text: docs?.description ?? (id === PARSE_ERROR ? 'ESLint could not parse the file' : id) },
      ...(docs?.url ? { helpUri: docs.url } : {}),
    };
  });
}

/** @param {import('eslint').ESLint.LintResult[]} lintResults @param {{ cwd: string, rulesMeta?: Record<string, any> }} context */
export default function sarif(lintResults, context) {
  const cwd = context?.cwd ?? process.cwd();
  const results = lintResults.flatMap((file) => file.messages.map((m) => resultOf(m, uriOf(cwd, file.filePath))));
  const driver = { name: 'ESLint', informationUri: 'https://eslint.org', rules: rulesOf(results, context?.rulesMeta) };
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver }, results }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
