import { stringify } from 'yaml';

/**
 * Writer of HEPData data tables (record format 1.1.1): the YAML file that a submission's
 * `submission.yaml` names as `data_file`, with `independent_variables` and
 * `dependent_variables` and nothing else at the top level.
 */

export interface HepdataHeader {
  name: string;
  units?: string;
}

/** A bin `[low, high]`, optionally with its central value, or a single point value. */
export type HepdataIndependentValue = number | string | { low: number; high: number; value?: number };

export interface HepdataIndependent {
  header: HepdataHeader;
  values: HepdataIndependentValue[];
}

export interface HepdataQualifier {
  name: string;
  value: number | string;
  units?: string;
}

export type HepdataError =
  | { symerror: number | string; label?: string }
  | { asymerror: { minus: number | string; plus: number | string }; label?: string };

/** A value, or a value with uncertainties; `symerror` is the common symmetric shorthand. */
export type HepdataDependentValue =
  | number
  | string
  | { value: number | string; symerror?: number; errors?: HepdataError[] };

export interface HepdataDependent {
  header: HepdataHeader;
  qualifiers?: HepdataQualifier[];
  values: HepdataDependentValue[];
}

export interface HepdataTableInput {
  /**
   * Description of the table. The data file has no key for it, so it is written as a
   * comment at the top. A submission repeats it in `submission.yaml`.
   */
  description?: string;
  independent: HepdataIndependent[];
  dependent: HepdataDependent[];
}

/**
 * Writes one HEPData data table as YAML. Throws when a dependent variable has a different
 * number of values than an independent one, which HEPData's validator rejects beyond what
 * its JSON Schema checks.
 */
export function hepdataTable(input: HepdataTableInput): string {
  checkLengths(input);
  const document = {
    independent_variables: input.independent.map((variable) => ({
      header: header(variable.header),
      values: variable.values.map(independentValue),
    })),
    dependent_variables: input.dependent.map((variable) => ({
      header: header(variable.header),
      ...(variable.qualifiers?.length ? { qualifiers: variable.qualifiers.map(qualifier) } : {}),
      values: variable.values.map(dependentValue),
    })),
  };
  const comment = input.description
    ? input.description.split('\n').map((line) => `# ${line}`.trimEnd()).join('\n') + '\n'
    : '';
  // YAML 1.1 rules quote strings such as 2022-08-25 that PyYAML, which HEPData uses, reads as dates.
  return comment + stringify(document, { lineWidth: 0, version: '1.1' });
}

function checkLengths(input: HepdataTableInput): void {
  for (const independent of input.independent) {
    for (const dependent of input.dependent) {
      if (dependent.values.length !== independent.values.length) {
        throw new Error(`HEPData table: dependent variable "${dependent.header.name}" has `
          + `${dependent.values.length} values but independent variable `
          + `"${independent.header.name}" has ${independent.values.length}`);
      }
    }
  }
}

function header(value: HepdataHeader): HepdataHeader {
  return value.units === undefined ? { name: value.name } : { name: value.name, units: value.units };
}

function qualifier(value: HepdataQualifier): HepdataQualifier {
  const out: HepdataQualifier = { name: value.name, value: value.value };
  if (value.units !== undefined) out.units = value.units;
  return out;
}

function independentValue(value: HepdataIndependentValue): object {
  if (typeof value !== 'object') return { value };
  const bin: Record<string, number> = { low: value.low, high: value.high };
  if (value.value !== undefined) bin.value = value.value;
  return bin;
}

function dependentValue(value: HepdataDependentValue): object {
  if (typeof value !== 'object') return { value };
  const errors: HepdataError[] = [...(value.errors ?? [])];
  if (value.symerror !== undefined) errors.unshift({ symerror: value.symerror });
  return errors.length ? { value: value.value, errors } : { value: value.value };
}
