import { describe, expect, it } from 'vitest';
import { failureLines } from './failure-lines.js';

describe('failureLines', () => {
  it('finds what failed in vitest, pytest, tsc and eslint output, colours and all', () => {
    const output = [
      ' \x1b[31mFAIL\x1b[39m  test/terraform/terraform-wrapper.test.ts > generated Terraform files > points at the emulator',
      'AssertionError: expected \'…\' to contain \'max_retries\'',
      ' FAIL  test/report/report-browser.test.ts [ test/report/report-browser.test.ts ]',
      ' FAIL  test/report/report-browser.test.ts [ test/report/report-browser.test.ts ]',
      'FAILED glue/tests/test_reader.py::test_bom - assert 1 == 2',
      'ERROR glue/tests/test_session.py::test_union - py4j.protocol.Py4JError',
      'stage/terraform.ts(12,5): error TS2322: Type \'string\' is not assignable to type \'number\'.',
      '  14:3  error  \'x\' is assigned a value but never used  @typescript-eslint/no-unused-vars',
      ' ✓ test/ok.test.ts (3 tests) 12ms',
      'the word FAIL inside a line does not count',
      '=================== 1 failed, 120 passed in 30.12s ===================',
    ].join('\n');
    expect(failureLines(output)).toEqual([
      'FAIL  test/terraform/terraform-wrapper.test.ts > generated Terraform files > points at the emulator',
      'FAIL  test/report/report-browser.test.ts [ test/report/report-browser.test.ts ]',
      'FAILED glue/tests/test_reader.py::test_bom - assert 1 == 2',
      'ERROR glue/tests/test_session.py::test_union - py4j.protocol.Py4JError',
      'stage/terraform.ts(12,5): error TS2322: Type \'string\' is not assignable to type \'number\'.',
      '14:3  error  \'x\' is assigned a value but never used  @typescript-eslint/no-unused-vars',
    ]);
  });

  it('keeps a long list short, saying how many it left out', () => {
    const output = Array.from({ length: 5 }, (_, index) => `FAILED glue/tests/test_${index}.py::test - boom`).join('\n');
    expect(failureLines(output, 3)).toEqual([
      'FAILED glue/tests/test_0.py::test - boom',
      'FAILED glue/tests/test_1.py::test - boom',
      'FAILED glue/tests/test_2.py::test - boom',
      '… and 2 more',
    ]);
    expect(failureLines('all 12 passed')).toEqual([]);
  });
});
