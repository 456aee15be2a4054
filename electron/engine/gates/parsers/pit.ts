/**
 * PIT's XML report (`mutations.xml`, `-DoutputFormats=XML`): one `<mutation>` per mutant with its
 * status, source file, line, mutator, description and the killing test — all of them with
 * `-DfullMutationMatrix=true` (`<killingTests>`, separated by `|`), else the first.
 */
import { attribute, children, readXmlRoot, type XmlElement } from './input.ts';
import { mutationReport, ReportError, type Mutant, type MutantStatus, type MutationReport } from './types.ts';

const EXPECTED = "PIT's XML report (mutations.xml)";

const STATUS: Record<string, MutantStatus> = {
  KILLED: 'Killed',
  SURVIVED: 'Survived',
  NO_COVERAGE: 'NoCoverage',
  TIMED_OUT: 'Timeout',
  MEMORY_ERROR: 'RuntimeError',
  RUN_ERROR: 'RuntimeError',
  NON_VIABLE: 'CompileError',
};

/** A child element's text ('' when absent or empty): a bare value, or an element's `#text`. */
function textOf(element: XmlElement, name: string): string {
  const child: unknown = children(element, name)[0];
  const value = typeof child === 'object' && child !== null ? (child as XmlElement)['#text'] : child;
  return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}

/**
 * A test as PIT names it — `pkg.FooTest.testAdd(pkg.FooTest)` (JUnit 4) or
 * `pkg.FooTest.[engine:junit-jupiter]/[class:pkg.FooTest]/[method:testAdd()]` (JUnit 5) — as the
 * JUnit report names it: the class and the method.
 */
export function pitTestName(raw: string): string {
  const jupiter = /^(.*?)\.\[engine:[^\]]*\].*\[(?:method|test-template):([^(\]]+)/.exec(raw);
  if (jupiter) return `${jupiter[1]} > ${jupiter[2]}`;
  const junit4 = /^(.*)\.([^.(]+)\((.*)\)$/.exec(raw);
  return junit4 ? `${junit4[1]} > ${junit4[2]}` : raw;
}

/**
 * Parses mutations.xml into mutants; the file is the source's package path (`com/x/Foo.java`).
 * @param text the report's content
 * @param file the report's path, used in error messages
 * @throws ReportError when the text is empty, not XML, not PIT's report, or a status is unknown
 */
export function parsePit(text: string, file: string): MutationReport {
  const root = readXmlRoot(text, file, 'mutations', EXPECTED);
  const mutants = children(root, 'mutation').map((m, i): Mutant => {
    const raw = attribute(m, 'status') ?? '';
    const status = STATUS[raw];
    if (!status) throw new ReportError(file, `mutation ${i + 1}: unknown status "${raw}"`);
    const cls = textOf(m, 'mutatedClass');
    const pkg = cls.includes('.') ? `${cls.slice(0, cls.lastIndexOf('.')).replaceAll('.', '/')}/` : '';
    const line = Number(textOf(m, 'lineNumber'));
    const killers = (textOf(m, 'killingTests') || textOf(m, 'killingTest')).split('|').filter(Boolean).map(pitTestName);
    const mutator = textOf(m, 'mutator');
    return {
      file: `${pkg}${textOf(m, 'sourceFile')}`,
      ...(Number.isInteger(line) && line > 0 ? { line } : {}),
      mutator: mutator.slice(mutator.lastIndexOf('.') + 1) || 'mutant',
      ...(textOf(m, 'description') ? { replacement: textOf(m, 'description') } : {}),
      status,
      ...(status === 'Killed' && killers.length ? { killedBy: killers } : {}),
    };
  });
  return mutationReport('pit', mutants);
}
