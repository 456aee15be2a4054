// What `goldloop init` proposes for a Java project: Maven or Gradle, JaCoCo.
import { describe, expect, it } from 'vitest';
import { detect, note } from './detection.ts';

describe('Java (Maven)', () => {
  const JACOCO = `<project><build><plugins><plugin>
    <groupId>org.jacoco</groupId><artifactId>jacoco-maven-plugin</artifactId>
    <executions>
      <execution><goals><goal>prepare-agent</goal></goals></execution>
      <execution><id>report</id><goals><goal>report</goal></goals></execution>
    </executions>
  </plugin></plugins></build></project>`;

  it('reads JUnit from the Surefire folder and JaCoCo XML from one clean verify', async () => {
    const d = await detect({ 'pom.xml': JACOCO });
    expect(d.gates.tests).toEqual({
      command: ['mvn', '-B', 'clean', 'verify'],
      timeout_minutes: 30,
      junit_report: 'target/surefire-reports',
      coverage_report: { format: 'jacoco', path: 'target/site/jacoco/jacoco.xml' },
    });
    expect(note(d, 'tests:')).toContain('one file per test class');
    expect(note(d, 'coverage:')).toContain('inside the project');
  });

  it('leaves the JUnit folder to the user in a multi-module build, which writes one per module', async () => {
    const d = await detect({ 'pom.xml': JACOCO.replace('<build>', '<modules><module>a</module></modules><build>') });
    expect(d.gates.tests?.junit_report).toBeUndefined();
    expect(note(d, 'tests:')).toContain('<module>/target/surefire-reports');
  });

  it('uses the Maven wrapper when the project has one', async () => {
    const d = await detect({ 'pom.xml': JACOCO, mvnw: '#!/bin/sh\n' });
    expect(d.gates.tests?.command[0]).toBe('./mvnw');
  });

  it('says what to add when JaCoCo writes no report', async () => {
    const none = await detect({ 'pom.xml': '<project></project>' });
    expect(none.gates.tests?.coverage_report).toBeUndefined();
    expect(note(none, 'coverage:')).toContain('no jacoco-maven-plugin');
    const agentOnly = await detect({ 'pom.xml': JACOCO.replace('<goal>report</goal>', '') });
    expect(note(agentOnly, 'coverage:')).toContain('no `report` goal');
  });

  it('leaves the coverage path to the user in a multi-module build', async () => {
    const d = await detect({ 'pom.xml': JACOCO.replace('<build>', '<modules><module>a</module></modules><build>') });
    expect(d.gates.tests?.coverage_report).toBeUndefined();
    expect(note(d, 'coverage:')).toContain('report-aggregate');
  });
});

describe('Java (Gradle)', () => {
  it('cleans, then reads JUnit from the folder of one file per test class Gradle writes', async () => {
    const d = await detect({ 'build.gradle': "plugins { id 'java' }\n" });
    expect(d.gates.tests).toEqual({
      command: ['gradle', 'clean', 'test', '--console=plain'],
      timeout_minutes: 30,
      junit_report: 'build/test-results/test',
    });
    expect(note(d, 'tests:')).toContain('`clean` makes sure');
  });

  it('uses the Gradle wrapper when the project has one', async () => {
    const d = await detect({ 'build.gradle.kts': 'plugins { java }\n', gradlew: '#!/bin/sh\n' });
    expect(d.gates.tests?.command[0]).toBe('./gradlew');
  });
});
