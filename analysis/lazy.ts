// Lazily computed properties that are indistinguishable from plain ones once read: the property is
// enumerable from the start (so JSON.stringify, structured clone, spreading and deep equality read
// it, in its place in the key order), computed on first read, and then replaced by an ordinary data
// property holding the value. Results stay deterministic because what the computation reads is
// either fixed at the time the property is defined or cached by content (analysis/cache.ts).

/** Replaces a lazy property by an ordinary data property holding `value`, and returns the value. */
export function settle<T extends object, K extends keyof T>(obj: T, key: K, value: T[K]): T[K] {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  return value;
}

/** Lazy fields' hidden states are read through this (a symbol-keyed own property). */
type WithHidden<S> = Record<symbol, S | undefined>;

/** A lazy property of one name shared by many objects (lazyField). */
export interface LazyField<T extends object, S> {
  /**
   * Defines the property on `obj` as computed from `state` on first read: enumerable, in the key
   * order of the moment it is defined (define it where a literal would have it, before the fields
   * after it are assigned; an existing field keeps its place).
   */
  define(obj: T, state: S): void;
  /** The state the property was defined with on `obj` (kept once it is settled; undefined if never defined). */
  stateOf(obj: T): S | undefined;
}

/**
 * A lazy property whose getter and setter are the same two functions on every object, reading the
 * object's own state from a hidden, non-enumerable property. An accessor made per object (a getter
 * in a literal) closes over what it computes from — for a class of takeover paths, the scenario's
 * whole state graph and attribution — and V8's young-generation collector kept what such accessors
 * reach alive until a full collection: every what-if's scaffolding was copied and promoted after
 * the analysis had ended (docs/benchmarks.md). Shared accessors also give every object the same
 * shape. Nothing of this shows in JSON, structured clones, spreads or deep equality: the state's
 * key is a symbol and not enumerable.
 */
export function lazyField<T extends object, K extends keyof T & string, S>(key: K, compute: (state: S, obj: T) => T[K]): LazyField<T, S> {
  const hidden = Symbol(`lazy ${key}`);
  const accessor: PropertyDescriptor = {
    enumerable: true,
    configurable: true,
    get(this: T) {
      return settle(this, key, compute((this as WithHidden<S>)[hidden]!, this));
    },
    set(this: T, value: T[K]) {
      settle(this, key, value);
    },
  };
  const state: PropertyDescriptor = { value: undefined, writable: true, enumerable: false, configurable: true };
  return {
    define(obj, s) {
      state.value = s;
      Object.defineProperty(obj, hidden, state);
      state.value = undefined;
      Object.defineProperty(obj, key, accessor);
    },
    stateOf(obj) {
      return Object.prototype.hasOwnProperty.call(obj, hidden) ? (obj as WithHidden<S>)[hidden] : undefined;
    },
  };
}
