// Samples written by hand, none recorded (the tools cannot be installed here: PyPI, crates.io and
// Maven Central are out of reach): cargo-mutants-outcomes.json after the outcomes.json of
// cargo-mutants 24/25 (spans, genres), cargo-mutants-0.x-outcomes.json after the older form (a
// line and a function name); pit-mutations.xml after PIT 1.15's mutations.xml with
// fullMutationMatrix (JUnit 5 and JUnit 4 test names); mutmut/ after the `mutants/*.meta` files of
// mutmut 3, with exit codes as mutmut's `status_by_exit_code` reads them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCargoMutants } from '../../../../electron/engine/gates/parsers/cargo-mutants.ts';
import { mutmutMutants, parseMutmut } from '../../../../electron/engine/gates/parsers/mutmut.ts';
import { parsePit, pitTestName } from '../../../../electron/engine/gates/parsers/pit.ts';
import { reasonOf } from './report-error.ts';

const dir = 'test/fixtures/reports/mutation';
const read = (name: string) => readFileSync(`${dir}/${name}`, 'utf8');

describe('parseCargoMutants', () => {
  const r = parseCargoMutants(read('cargo-mutants-outcomes.json'), 'outcomes.json');

  it('reads one mutant per scenario after the baseline, caught, missed, unviable and timed out', () => {
    expect(r.counts).toMatchObject({ Killed: 2, Survived: 1, CompileError: 1, Timeout: 1 });
    // Caught and timed out over caught, missed and timed out: the unviable mutant is not valid.
    expect(r.score).toBe(75);
  });

  it('keeps the file, the line of the span, the genre and the replacement', () => {
    expect(r.mutants.find((m) => m.status === 'Survived')).toEqual({
      file: 'src/lib.rs',
      line: 9,
      mutator: 'FnValue',
      replacement: 'true',
      status: 'Survived',
    });
  });

  it('says no test names: cargo-mutants runs cargo test whole', () => {
    expect(r.killers).toBe(false);
  });

  it('reads the older form with a line and a function name', () => {
    const old = parseCargoMutants(read('cargo-mutants-0.x-outcomes.json'), 'outcomes.json');
    expect(old.mutants.map((m) => `${m.line} ${m.mutator} ${m.status}`)).toEqual(['4 in word_count Killed', '9 in is_blank Survived']);
  });

  it('refuses a run whose baseline failed: no mutant was tested', () => {
    expect(reasonOf(() => parseCargoMutants(read('cargo-mutants-baseline-failed.json'), 'outcomes.json'))).toBe(
      'the baseline (the tests without a mutation) ended Failure: no mutant was tested',
    );
  });
});

describe('parsePit', () => {
  const r = parsePit(read('pit-mutations.xml'), 'mutations.xml');

  it('maps PIT statuses: a run error is not valid, a timeout is caught', () => {
    expect(r.counts).toEqual({ Killed: 2, Survived: 1, NoCoverage: 1, Timeout: 1, CompileError: 0, RuntimeError: 1, Ignored: 0 });
    expect(r.score).toBe(60);
  });

  it("keeps the source's package path, the line, the mutator's short name and the description", () => {
    expect(r.mutants[1]).toEqual({
      file: 'com/example/shop/Price.java',
      line: 5,
      mutator: 'ConditionalsBoundaryMutator',
      replacement: 'changed conditional boundary',
      status: 'Survived',
    });
  });

  it('names every killing test as the JUnit report names it, class > method', () => {
    expect(r.mutants[0]!.killedBy).toEqual([
      'com.example.shop.PriceTest > req001DiscountTakesAPercentageOff',
      'com.example.shop.PriceTest > rejectsANegativeDiscount',
    ]);
    expect(r.mutants[5]!.killedBy).toEqual(['com.example.shop.ReceiptTest > totalAddsTheLines']);
    expect(r.killers).toBe(true);
  });

  it('leaves a test name it does not recognise as it is', () => {
    expect(pitTestName('SomeRunner:custom')).toBe('SomeRunner:custom');
  });

  it('refuses an unknown status and what is not mutations.xml', () => {
    expect(reasonOf(() => parsePit("<mutations><mutation status='ODD'/></mutations>", 'm.xml'))).toBe('mutation 1: unknown status "ODD"');
    expect(reasonOf(() => parsePit('<report/>', 'm.xml'))).toContain('missing <mutations> root element');
  });
});

describe('mutmut', () => {
  const words = read('mutmut/mutants/src/textkit/words.py.meta');

  it("reads each mutant's exit code as mutmut does, naming the function and the mutant", () => {
    expect(mutmutMutants(words, 'words.py.meta', 'src/textkit/words.py')).toEqual([
      { file: 'src/textkit/words.py', mutator: 'word_count #1', status: 'Killed' },
      { file: 'src/textkit/words.py', mutator: 'word_count #2', status: 'Killed' },
      { file: 'src/textkit/words.py', mutator: 'word_count #3', status: 'Survived' },
      { file: 'src/textkit/words.py', mutator: 'is_blank #1', status: 'NoCoverage' },
      { file: 'src/textkit/words.py', mutator: 'Tokenizer.split #1', status: 'Killed' },
      { file: 'src/textkit/words.py', mutator: 'Tokenizer.split #2', status: 'Timeout' },
      { file: 'src/textkit/words.py', mutator: 'Tokenizer.split #3', status: 'CompileError' },
    ]);
  });

  it('makes one report of every .meta file, without killers: mutmut does not name the tests', () => {
    const r = parseMutmut([
      { text: words, file: 'words.py.meta', source: 'src/textkit/words.py' },
      { text: read('mutmut/mutants/src/textkit/slug.py.meta'), file: 'slug.py.meta', source: 'src/textkit/slug.py' },
    ]);
    expect(r.counts).toMatchObject({ Killed: 4, Survived: 2, NoCoverage: 1, Timeout: 1, CompileError: 1 });
    expect(r.score).toBe(62.5);
    expect(r.killers).toBe(false);
  });

  it('refuses a run that left a mutant unchecked', () => {
    expect(reasonOf(() => mutmutMutants(read('mutmut/interrupted.py.meta'), 'i.meta', 'slug.py'))).toBe(
      'mutant textkit.slug.x_slugify__mutmut_2 was never run: the run did not finish',
    );
  });
});
