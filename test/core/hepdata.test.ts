import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { hepdataTable } from '../../analysis/core/hepdata.ts';

const fixtures = fileURLToPath(new URL('../fixtures/hepdata/', import.meta.url));
const schema = JSON.parse(readFileSync(join(fixtures, 'data_schema.json'), 'utf8'));
const ajv = new Ajv.default({ allErrors: true, strict: false });
const checkSchema = ajv.compile(schema);

/** HEPData's rule beyond the schema: every dependent variable has as many values as each independent one. */
function lengthProblems(table: any): string[] {
  const problems: string[] = [];
  for (const independent of table.independent_variables) {
    for (const dependent of table.dependent_variables) {
      if (dependent.values.length !== independent.values.length) {
        problems.push(`${dependent.header.name}: ${dependent.values.length} values, `
          + `${independent.header.name}: ${independent.values.length}`);
      }
    }
  }
  return problems;
}

function assertValidTable(yamlText: string): any {
  const table = parse(yamlText);
  const valid = checkSchema(table);
  assert.ok(valid, `schema errors: ${JSON.stringify(checkSchema.errors)}`);
  assert.deepEqual(lengthProblems(table), []);
  return table;
}

test('schema accepts HEPData valid examples', () => {
  const files = readdirSync(join(fixtures, 'valid')).filter((name) => /^data\d+\.yaml$/.test(name));
  assert.equal(files.length, 3);
  for (const name of files) assertValidTable(readFileSync(join(fixtures, 'valid', name), 'utf8'));
});

test('schema rejects a value without "value"', () => {
  const table = {
    independent_variables: [{ header: { name: 'Run' }, values: [{ value: 1 }] }],
    dependent_variables: [{ header: { name: 'Rate' }, values: [{ errors: [] }] }],
  };
  assert.equal(checkSchema(table), false);
});

test('hepdataTable output validates', () => {
  const text = hepdataTable({
    description: 'HLT rate per run\nsecond line',
    independent: [
      { header: { name: 'Run' }, values: [356323, 356321] },
      { header: { name: 'PT', units: 'GEV' }, values: [{ low: 0, high: 10 }, { low: 10, high: 20, value: 14 }] },
    ],
    dependent: [{
      header: { name: 'Rate', units: 'Hz' },
      qualifiers: [{ name: 'Fill', value: 8059 }, { name: 'SQRT(S)', value: 13600, units: 'GEV' }],
      values: [23.78, { value: 24.07, symerror: 0.5 }],
    }, {
      header: { name: 'Note' },
      values: ['a', { value: 2, errors: [{ asymerror: { minus: -1, plus: 2 }, label: 'sys' }] }],
    }],
  });
  assert.match(text, /^# HLT rate per run\n# second line\n/);
  const table = assertValidTable(text);
  assert.deepEqual(table.independent_variables[0].values, [{ value: 356323 }, { value: 356321 }]);
  assert.deepEqual(table.independent_variables[1].values[1], { low: 10, high: 20, value: 14 });
  assert.deepEqual(table.dependent_variables[0].values[1], { value: 24.07, errors: [{ symerror: 0.5 }] });
  assert.deepEqual(table.dependent_variables[0].qualifiers[1], { name: 'SQRT(S)', value: 13600, units: 'GEV' });
  assert.equal(table.dependent_variables[1].qualifiers, undefined);
});

test('hepdataTable rejects unequal value counts', () => {
  assert.throws(() => hepdataTable({
    independent: [{ header: { name: 'Run' }, values: [1, 2, 3] }],
    dependent: [{ header: { name: 'Rate', units: 'Hz' }, values: [1, 2] }],
  }), /"Rate" has 2 values but independent variable "Run" has 3/);
});

test('hepdataTable allows no independent variable', () => {
  const table = assertValidTable(hepdataTable({
    independent: [],
    dependent: [{ header: { name: 'SIG', units: 'FB' }, values: [25.4] }],
  }));
  assert.deepEqual(table.independent_variables, []);
});
