import jsep from 'jsep';
import { InputError } from './errors.ts';

/**
 * Expressions over event columns, such as `nJet >= 6 && (HLT_a || HLT_b)` or
 * `sqrt(px**2 + py**2)`. The text is parsed with jsep into a syntax tree, checked, and then
 * evaluated element-wise over whole Float64Array columns. Nothing is passed to `eval` or
 * `Function`.
 *
 * Supported: numbers, `true`/`false`, column names, `+ - * / % **`, unary `-`, `+` and
 * `!`, comparisons (`== != < <= > >=`, with `===` and `!==` as synonyms), `&&`, `||`,
 * `&` and `|` (both logical, as in numexpr and pandas queries), `c ? a : b`, and the
 * functions listed in `FUNCTIONS`. Booleans are 1 and 0; any value other than 0 and NaN is
 * true.
 */
export interface Expression {
  /** The text as written in the config. */
  source: string;
  /** Column names the expression reads, in order of first use. */
  columns: string[];
  /** Evaluates the expression for `length` events; every column used must be present. */
  evaluate(columns: Record<string, Float64Array>, length: number): Float64Array;
}

type Node = jsep.Expression;
type Value = number | Float64Array;

const FUNCTIONS: Record<string, { arity: [number, number]; apply: (...args: number[]) => number }> = {
  abs: { arity: [1, 1], apply: Math.abs },
  sqrt: { arity: [1, 1], apply: Math.sqrt },
  log: { arity: [1, 1], apply: Math.log },
  log10: { arity: [1, 1], apply: Math.log10 },
  exp: { arity: [1, 1], apply: Math.exp },
  sin: { arity: [1, 1], apply: Math.sin },
  cos: { arity: [1, 1], apply: Math.cos },
  tan: { arity: [1, 1], apply: Math.tan },
  tanh: { arity: [1, 1], apply: Math.tanh },
  cosh: { arity: [1, 1], apply: Math.cosh },
  sinh: { arity: [1, 1], apply: Math.sinh },
  atan: { arity: [1, 1], apply: Math.atan },
  atan2: { arity: [2, 2], apply: Math.atan2 },
  floor: { arity: [1, 1], apply: Math.floor },
  ceil: { arity: [1, 1], apply: Math.ceil },
  round: { arity: [1, 1], apply: Math.round },
  pow: { arity: [2, 2], apply: Math.pow },
  hypot: { arity: [2, 8], apply: Math.hypot },
  min: { arity: [2, 8], apply: Math.min },
  max: { arity: [2, 8], apply: Math.max },
};

const truth = (x: number) => (x !== 0 && !Number.isNaN(x) ? 1 : 0);

const BINARY: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
  '**': (a, b) => a ** b,
  '==': (a, b) => (a === b ? 1 : 0),
  '===': (a, b) => (a === b ? 1 : 0),
  '!=': (a, b) => (a !== b ? 1 : 0),
  '!==': (a, b) => (a !== b ? 1 : 0),
  '<': (a, b) => (a < b ? 1 : 0),
  '<=': (a, b) => (a <= b ? 1 : 0),
  '>': (a, b) => (a > b ? 1 : 0),
  '>=': (a, b) => (a >= b ? 1 : 0),
  '&&': (a, b) => truth(a) & truth(b),
  '||': (a, b) => truth(a) | truth(b),
  '&': (a, b) => truth(a) & truth(b),
  '|': (a, b) => truth(a) | truth(b),
};

const UNARY: Record<string, (a: number) => number> = {
  '-': (a) => -a,
  '+': (a) => a,
  '!': (a) => 1 - truth(a),
};

/**
 * Parses and checks an expression. `where` names its place for error messages, e.g.
 * `study ci (/path/cut.yaml), preselection`: the study, its config file and the key. A
 * syntax error adds the expression and the column (1-based character position) where
 * parsing failed.
 */
export function parseExpression(source: string, where: string): Expression {
  if (source.trim() === '') throw new InputError(`${where}: empty expression`);
  let tree: Node;
  try {
    tree = jsep(source);
  } catch (error) {
    const { index, description } = error as { index?: number; description?: string };
    const column = typeof index === 'number' ? index + 1 : undefined;
    const at = column === undefined ? '' : ` at column ${column}`;
    throw new InputError(`${where}: invalid expression "${source}"${at}: ` +
      `${description ?? (error as Error).message}`);
  }
  const columns: string[] = [];
  check(tree, source, where, columns);
  return {
    source,
    columns,
    evaluate: (data, length) => {
      const value = evaluateNode(tree, data, length, source);
      // A bare column name would hand out the caller's own array: copy it.
      return tree.type === 'Identifier' && typeof value !== 'number'
        ? value.slice(0, length) : broadcast(value, length);
    },
  };
}

const CONSTANTS: Record<string, number> = { true: 1, false: 0, pi: Math.PI };

function check(node: Node, source: string, where: string, columns: string[]): void {
  const fail = (reason: string) => {
    throw new InputError(`${where}: invalid expression "${source}": ${reason}`);
  };
  switch (node.type) {
    case 'Literal': {
      const value = (node as jsep.Literal).value;
      if (typeof value !== 'number' && typeof value !== 'boolean') {
        fail(`only numbers and true/false are allowed as literals, not ${(node as jsep.Literal).raw}`);
      }
      return;
    }
    case 'Identifier': {
      const name = (node as jsep.Identifier).name;
      if (!(name in CONSTANTS) && !columns.includes(name)) columns.push(name);
      return;
    }
    case 'UnaryExpression': {
      const unary = node as jsep.UnaryExpression;
      if (!(unary.operator in UNARY)) fail(`unsupported operator ${unary.operator}`);
      check(unary.argument, source, where, columns);
      return;
    }
    case 'BinaryExpression': {
      const binary = node as jsep.BinaryExpression;
      if (!(binary.operator in BINARY)) fail(`unsupported operator ${binary.operator}`);
      check(binary.left, source, where, columns);
      check(binary.right, source, where, columns);
      return;
    }
    case 'ConditionalExpression': {
      const conditional = node as jsep.ConditionalExpression;
      check(conditional.test, source, where, columns);
      check(conditional.consequent, source, where, columns);
      check(conditional.alternate, source, where, columns);
      return;
    }
    case 'CallExpression': {
      const call = node as jsep.CallExpression;
      if (call.callee.type !== 'Identifier') fail('only named functions can be called');
      const name = (call.callee as jsep.Identifier).name;
      const fn = FUNCTIONS[name];
      if (!fn) fail(`unknown function ${name}(); known: ${Object.keys(FUNCTIONS).join(', ')}`);
      const [least, most] = fn.arity;
      if (call.arguments.length < least || call.arguments.length > most) {
        const expected = least === most ? `${least}` : `${least} to ${most}`;
        fail(`${name}() takes ${expected} arguments, not ${call.arguments.length}`);
      }
      for (const argument of call.arguments) check(argument, source, where, columns);
      return;
    }
    case 'Compound':
      fail('one expression expected, found several (a missing operator?)');
      return;
    default:
      fail(`unsupported syntax (${node.type})`);
  }
}

function evaluateNode(node: Node, data: Record<string, Float64Array>, length: number,
  source: string): Value {
  switch (node.type) {
    case 'Literal':
      return Number((node as jsep.Literal).value);
    case 'Identifier': {
      const name = (node as jsep.Identifier).name;
      if (name in CONSTANTS) return CONSTANTS[name];
      const column = data[name];
      if (!column) throw new Error(`expression "${source}": column ${name} was not read`);
      if (column.length < length) {
        throw new Error(`expression "${source}": column ${name} has ${column.length} values, ` +
          `${length} expected`);
      }
      return column;
    }
    case 'UnaryExpression': {
      const unary = node as jsep.UnaryExpression;
      return map1(UNARY[unary.operator], evaluateNode(unary.argument, data, length, source), length);
    }
    case 'BinaryExpression': {
      const binary = node as jsep.BinaryExpression;
      const left = evaluateNode(binary.left, data, length, source);
      const right = evaluateNode(binary.right, data, length, source);
      return map2(BINARY[binary.operator], left, right, length);
    }
    case 'ConditionalExpression': {
      const conditional = node as jsep.ConditionalExpression;
      const test = evaluateNode(conditional.test, data, length, source);
      const yes = evaluateNode(conditional.consequent, data, length, source);
      const no = evaluateNode(conditional.alternate, data, length, source);
      if (typeof test === 'number') return truth(test) ? yes : no;
      const out = new Float64Array(length);
      for (let i = 0; i < length; i++) {
        const pick = truth(test[i]) ? yes : no;
        out[i] = typeof pick === 'number' ? pick : pick[i];
      }
      return out;
    }
    case 'CallExpression': {
      const call = node as jsep.CallExpression;
      const fn = FUNCTIONS[(call.callee as jsep.Identifier).name];
      const args = call.arguments.map((argument) => evaluateNode(argument, data, length, source));
      return mapN(fn.apply, args, length);
    }
    default:
      throw new Error(`expression "${source}": unsupported syntax (${node.type})`);
  }
}

function map1(fn: (a: number) => number, a: Value, length: number): Value {
  if (typeof a === 'number') return fn(a);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = fn(a[i]);
  return out;
}

function map2(fn: (a: number, b: number) => number, a: Value, b: Value, length: number): Value {
  if (typeof a === 'number' && typeof b === 'number') return fn(a, b);
  const out = new Float64Array(length);
  if (typeof a === 'number') for (let i = 0; i < length; i++) out[i] = fn(a, (b as Float64Array)[i]);
  else if (typeof b === 'number') for (let i = 0; i < length; i++) out[i] = fn(a[i], b);
  else for (let i = 0; i < length; i++) out[i] = fn(a[i], b[i]);
  return out;
}

function mapN(fn: (...args: number[]) => number, args: Value[], length: number): Value {
  if (args.every((arg) => typeof arg === 'number')) return fn(...(args as number[]));
  const out = new Float64Array(length);
  const row = new Array<number>(args.length);
  for (let i = 0; i < length; i++) {
    for (let k = 0; k < args.length; k++) {
      const arg = args[k];
      row[k] = typeof arg === 'number' ? arg : arg[i];
    }
    out[i] = fn(...row);
  }
  return out;
}

function broadcast(value: Value, length: number): Float64Array {
  if (typeof value !== 'number') return value.length === length ? value : value.slice(0, length);
  return new Float64Array(length).fill(value);
}
