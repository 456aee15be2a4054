/**
 * Reading a report's text into plain data, shared by the parsers so that every format fails the
 * same way: a `ReportError` whose reason says what was wrong, never a bare SyntaxError or a
 * zod dump.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { z } from 'zod';
import { ReportError } from './types.ts';

/** An XML element as the parsers see it: attributes as strings, every child element as an array. */
export interface XmlElement {
  [key: string]: string | XmlElement[] | undefined;
}

/**
 * Parses JSON report text. `expected` describes the report for the empty-input message, so the
 * user learns which tool should have written it.
 */
export function readJson(text: string, file: string, expected: string): unknown {
  if (text.trim() === '') throw new ReportError(file, `empty report: expected ${expected}`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ReportError(file, `not valid JSON: ${(error as Error).message}`);
  }
}

// Every element becomes an array so that one <package> and many <package>s read the same way;
// attribute values stay strings because the parsers validate numbers themselves.
const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

/**
 * Parses XML report text and returns its root element, which must be named `root`.
 * Validation runs first because the parser itself accepts broken XML silently.
 */
export function readXmlRoot(text: string, file: string, root: string, expected: string): XmlElement {
  if (text.trim() === '') throw new ReportError(file, `empty report: expected ${expected}`);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    const where = col === undefined ? `line ${line}` : `line ${line}, column ${col}`;
    throw new ReportError(file, `not valid XML: ${msg} (${where})`);
  }
  const document = xmlParser.parse(text) as Record<string, XmlElement[] | undefined>;
  const element = document[root]?.[0];
  if (element === undefined) {
    const found = Object.keys(document).filter((key) => !key.startsWith('#'));
    const actual = found.length > 0 ? `found <${found.join('>, <')}>` : 'found no element';
    throw new ReportError(file, `missing <${root}> root element (${actual}): expected ${expected}`);
  }
  return element;
}

/** The child elements named `name` (none when absent). */
export function children(element: XmlElement, name: string): XmlElement[] {
  const value = element[name];
  return Array.isArray(value) ? value : [];
}

/** An attribute's string value, or undefined when absent. */
export function attribute(element: XmlElement, name: string): string | undefined {
  const value = element[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * A non-negative integer attribute. Absent gives undefined; present but not a count is an error,
 * because a silently-zero counter would pass or fail a gate for the wrong reason.
 */
export function countAttribute(element: XmlElement, name: string, file: string, where: string): number | undefined {
  const raw = attribute(element, name);
  if (raw === undefined) return undefined;
  const value = Number(raw.trim());
  if (raw.trim() === '' || !Number.isInteger(value) || value < 0) {
    throw new ReportError(file, `${where}: attribute ${name}="${raw}" is not a non-negative whole number`);
  }
  return value;
}

/**
 * Validates parsed data with a zod schema and turns the first issue into a reason that names the
 * field, e.g. `field 'totals.num_statements': expected number, received string`.
 */
export function validate<T>(schema: z.ZodType<T>, data: unknown, file: string, expected: string): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue === undefined || issue.path.length === 0) {
    throw new ReportError(file, `unexpected shape: expected ${expected}`);
  }
  const field = issue.path.map(String).join('.');
  throw new ReportError(file, `unexpected shape at field '${field}': ${issue.message} (expected ${expected})`);
}

/** True for a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The error for a coverage report that lists no files. Such a report would read as 100% (an
 * empty total counts as covered), so a gate must not pass on it: usually the coverage include
 * or exclude settings leave out every source file, or the tests never ran.
 */
export function noFilesMeasured(file: string): ReportError {
  return new ReportError(file, 'the report measures no files: check the coverage include/exclude settings and that the tests ran');
}
