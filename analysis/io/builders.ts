import type { Jagged } from './events.ts';

/** Grows a Float64Array one value at a time. */
export class ColumnBuilder {
  #values: Float64Array;
  #length = 0;

  constructor(capacity: number) {
    this.#values = new Float64Array(Math.max(capacity, 16));
  }

  /** Appends a number or boolean (as 0/1); returns false for anything else. */
  push(value: unknown): boolean {
    const number = toNumber(value);
    if (number === undefined) return false;
    if (this.#length === this.#values.length) this.#values = grow(this.#values);
    this.#values[this.#length++] = number;
    return true;
  }

  finish(): Float64Array {
    return this.#values.length === this.#length ? this.#values : this.#values.slice(0, this.#length);
  }
}

/** Builds the offsets and content of a jagged column one event at a time. */
export class JaggedBuilder {
  #offsets: Int32Array;
  #content: Float64Array;
  #events = 0;
  #size = 0;

  constructor(events: number) {
    this.#offsets = new Int32Array(Math.max(events, 16) + 1);
    this.#content = new Float64Array(Math.max(events * 4, 64));
  }

  /** Appends one event's array; returns false when it is not an array of numbers. */
  push(value: unknown): boolean {
    if (!Array.isArray(value) && !ArrayBuffer.isView(value)) return false;
    const items = value as ArrayLike<unknown>;
    while (this.#size + items.length > this.#content.length) this.#content = grow(this.#content);
    const content = this.#content;
    let size = this.#size;
    if (typeof items[0] === 'number') {
      for (let i = 0; i < items.length; i++) content[size++] = items[i] as number;
    } else {
      for (let i = 0; i < items.length; i++) {
        const number = toNumber(items[i]);
        if (number === undefined) return false;
        content[size++] = number;
      }
    }
    this.#size = size;
    if (this.#events + 1 === this.#offsets.length) {
      const offsets = new Int32Array(this.#offsets.length * 2);
      offsets.set(this.#offsets);
      this.#offsets = offsets;
    }
    this.#offsets[++this.#events] = size;
    return true;
  }

  finish(): Jagged {
    return {
      offsets: this.#offsets.slice(0, this.#events + 1),
      content: this.#content.slice(0, this.#size),
    };
  }
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

function grow(values: Float64Array): Float64Array {
  const grown = new Float64Array(values.length * 2);
  grown.set(values);
  return grown;
}

/** Joins arrays end to end into one of `length` values; a single part is returned as it is. */
export function concatFloat64(parts: Float64Array[], length: number): Float64Array {
  if (parts.length === 1) return parts[0];
  const out = new Float64Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
