import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../analysis/core/errors.ts';
import { parseExpression } from '../../analysis/core/expression.ts';

const columns = {
  nJet: Float64Array.from([4, 6, 7, 6]),
  nBJet: Float64Array.from([1, 3, 2, 4]),
  HLT_a: Float64Array.from([1, 0, 1, 0]),
  HLT_b: Float64Array.from([0, 0, 1, 1]),
  px: Float64Array.from([3, -3, 0, 1]),
  py: Float64Array.from([4, 4, 0, -1]),
};

const evaluate = (source: string) => [...parseExpression(source, 'test').evaluate(columns, 4)];

test('selection with && and ||', () => {
  assert.deepEqual(evaluate('(HLT_a || HLT_b) && nJet >= 6 && nBJet >= 3'), [0, 0, 0, 1]);
});

test('arithmetic and functions', () => {
  assert.deepEqual(evaluate('sqrt(px**2 + py**2)'), [5, 5, 0, Math.SQRT2]);
  assert.deepEqual(evaluate('hypot(px, py)'), [5, 5, 0, Math.SQRT2]);
  assert.deepEqual(evaluate('abs(px) + min(nJet, 5) - max(nBJet, 2)'), [5, 5, 3, 2]);
  assert.deepEqual(evaluate('pow(2, nBJet) % 5'), [2, 3, 4, 1]);
  assert.deepEqual(evaluate('log(exp(nJet))'), [4, 6, 7, 6]);
});

test('negation, ternary and constants', () => {
  assert.deepEqual(evaluate('!HLT_a'), [0, 1, 0, 1]);
  assert.deepEqual(evaluate('-px'), [-3, 3, -0, -1]);
  assert.deepEqual(evaluate('nJet > 5 ? px : 100'), [100, -3, 0, 1]);
  assert.deepEqual(evaluate('true'), [1, 1, 1, 1]);
  assert.deepEqual(evaluate('2 * 3 + 1'), [7, 7, 7, 7]);
});

test('numexpr-style & and | are logical', () => {
  assert.deepEqual(evaluate('(nJet >= 6) & (nBJet >= 3)'), [0, 1, 0, 1]);
  assert.deepEqual(evaluate('HLT_a | HLT_b'), [1, 0, 1, 1]);
});

test('columns lists each column once', () => {
  assert.deepEqual(parseExpression('px * px + py - pi', 'test').columns, ['px', 'py']);
});

test('bare column is copied', () => {
  const result = parseExpression('px', 'test').evaluate(columns, 4);
  result[0] = 99;
  assert.equal(columns.px[0], 3);
});

test('syntax error names place, expression and column', () => {
  assert.throws(() => parseExpression('nJet >= * 6', 'study cut_importance, preselection'),
    (error: Error) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /^study cut_importance, preselection: /);
      assert.match(error.message, /"nJet >= \* 6"/);
      assert.match(error.message, /at column 9/);
      return true;
    });
});

test('assignment is a syntax error at its column', () => {
  const where = 'study ci (/data/cut.yaml), samples.signal.selection';
  assert.throws(() => parseExpression('label = 1', where), (error: Error) => {
    assert.ok(error instanceof InputError);
    assert.ok(error.message.startsWith(`${where}: invalid expression "label = 1" at column 7: `),
      error.message);
    return true;
  });
});

test('unclosed bracket is a syntax error', () => {
  assert.throws(() => parseExpression('sqrt(px', 'test'), /invalid expression "sqrt\(px" at column/);
});

test('unknown function is rejected', () => {
  assert.throws(() => parseExpression('eval(px)', 'test'), /unknown function eval\(\)/);
});

test('wrong argument count is rejected', () => {
  assert.throws(() => parseExpression('sqrt(px, py)', 'test'), /sqrt\(\) takes 1 arguments, not 2/);
});

test('member access and strings are rejected', () => {
  assert.throws(() => parseExpression('process.exit', 'test'), /unsupported syntax \(MemberExpression\)/);
  assert.throws(() => parseExpression('"a"', 'test'), /only numbers and true\/false/);
  assert.throws(() => parseExpression('px = 1', 'test'), /invalid expression|unsupported/);
});

test('two expressions side by side are rejected', () => {
  assert.throws(() => parseExpression('px py', 'test'), /one expression expected/);
});

test('empty expression is rejected', () => {
  assert.throws(() => parseExpression('  ', 'test'), /test: empty expression/);
});

test('pi is a constant, not a column', () => {
  assert.deepEqual(parseExpression('2 * pi', 'test').columns, []);
  assert.deepEqual(evaluate('2 * pi'), [2 * Math.PI, 2 * Math.PI, 2 * Math.PI, 2 * Math.PI]);
});
