/**
 * Java: Maven (Surefire's JUnit, JaCoCo where pom.xml binds its report, PIT where it names its
 * plugin) or Gradle. Neither Surefire nor Gradle can be told from the command line to write its
 * reports under `{reports}`, so the test commands start with `clean` and Goldloop reads the reports
 * inside the project.
 */
import { exists, readText, type Context, type MutationInput, type Proposal, type TestsInput } from './ecosystem.ts';

/** Where Surefire and Gradle write their JUnit XML, one file per test class: Goldloop reads the folder. */
const SUREFIRE_JUNIT = 'target/surefire-reports';
const GRADLE_JUNIT = 'build/test-results/test';

/**
 * PIT where pom.xml names its Maven plugin: `mutationCoverage` after compiling the tests, its XML
 * report under `{reports}` (PIT, unlike Surefire, takes its folder from the command line), with
 * every killing test of each mutant (`fullMutationMatrix`) for the requirements line.
 */
function pit(pom: string, mvn: string, notes: string[]): MutationInput | undefined {
  if (!/pitest-maven/.test(pom)) {
    notes.push(
      'mutation: no pitest-maven plugin in pom.xml; add org.pitest:pitest-maven (with pitest-junit5-plugin for JUnit 5) and run goldloop init --redetect, so that the "Tests catch faults" line is measured',
    );
    return undefined;
  }
  notes.push(
    `mutation: PIT (pitest-maven in pom.xml): ${mvn} test-compile and mutationCoverage, all the code each run, mutations.xml with every killing test under {reports}`,
  );
  return {
    command: [
      mvn,
      '-B',
      'test-compile',
      'org.pitest:pitest-maven:mutationCoverage',
      '-DoutputFormats=XML',
      '-DfullMutationMatrix=true',
      '-DtimestampedReports=false',
      '-DreportsDirectory={reports}/pit',
    ],
    timeout_minutes: 120,
    report: { format: 'pit', path: '{reports}/pit/mutations.xml' },
  };
}

export async function detectJava(ctx: Context): Promise<Proposal | undefined> {
  const pom = await readText(ctx.dir, 'pom.xml');
  if (pom === undefined) {
    const gradle = (await exists(ctx.dir, 'build.gradle')) || (await exists(ctx.dir, 'build.gradle.kts'));
    if (!gradle) return undefined;
    const wrapper = (await exists(ctx.dir, 'gradlew')) ? (ctx.windows ? 'gradlew.bat' : './gradlew') : 'gradle';
    return {
      ecosystem: 'Java',
      tests: { command: [wrapper, 'clean', 'test', '--console=plain'], timeout_minutes: 30, junit_report: GRADLE_JUNIT },
      notes: [
        `tests: gradle clean test, JUnit from the folder of one file per test class Gradle writes (${GRADLE_JUNIT}, inside the project: Gradle has no command-line setting for it; \`clean\` makes sure its files are this run's); JaCoCo for Gradle is not detected yet: set gates.tests.coverage_report by hand`,
      ],
    };
  }
  const notes: string[] = [];
  const mvn = (await exists(ctx.dir, 'mvnw')) ? (ctx.windows ? 'mvnw.cmd' : './mvnw') : 'mvn';
  // `clean` first: Maven's reports land in target/, and a report left from an earlier run must not be read as this one's.
  const tests: TestsInput = { command: [mvn, '-B', 'clean', 'verify'], timeout_minutes: 30 };
  if (/<modules>/.test(pom)) {
    notes.push(
      `tests: ${mvn} -B clean verify (pom.xml); pass or fail by the exit code: a multi-module build writes one Surefire folder per module (<module>/target/surefire-reports); set gates.tests.junit_report to one of them, or aggregate them`,
    );
  } else {
    tests.junit_report = SUREFIRE_JUNIT;
    notes.push(
      `tests: ${mvn} -B clean verify (pom.xml), JUnit from the folder of one file per test class Surefire writes (${SUREFIRE_JUNIT}/TEST-*.xml, inside the project: Surefire cannot be pointed at Goldloop's report folder from the command line; \`clean\` makes sure its files are this run's)`,
    );
  }
  const jacoco = /jacoco-maven-plugin/.test(pom);
  const report = /<goal>\s*report\s*<\/goal>/.test(pom);
  if (jacoco && report && /<modules>/.test(pom)) {
    notes.push(
      'coverage: a multi-module build writes one JaCoCo report per module; set gates.tests.coverage_report to the report-aggregate XML',
    );
  } else if (jacoco && report) {
    tests.coverage_report = { format: 'jacoco', path: 'target/site/jacoco/jacoco.xml' };
    notes.push(
      "coverage: JaCoCo XML from the same build, at target/site/jacoco/jacoco.xml inside the project (jacoco:report has no command-line setting for its folder; `clean` makes sure the file is this run's)",
    );
  } else if (jacoco) {
    notes.push(
      'coverage: jacoco-maven-plugin runs, but no `report` goal is bound, so no XML is written; add an execution with <goal>report</goal> and run goldloop init --redetect',
    );
  } else {
    notes.push('coverage: no jacoco-maven-plugin in pom.xml; add it (goals prepare-agent and report) and run goldloop init --redetect');
  }
  notes.push(
    'build: covered by the tests gate (verify packages the project), so no separate build gate runs beside it in the same target/',
  );
  const mutation = pit(pom, mvn, notes);
  return { ecosystem: 'Java', tests, ...(mutation ? { mutation } : {}), notes };
}
