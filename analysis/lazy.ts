// Lazily computed properties that are indistinguishable from plain ones once read: the property is
// enumerable from the start (so JSON.stringify, structured clone, spreading and deep equality read
// it, in its place in the key order), computed on first read, and then replaced by an ordinary data
// property holding the value. Results stay deterministic because what the computation reads is
// either fixed at the time the property is defined or cached by content (analysis/cache.ts).

/** Defines `key` on `obj` as computed by `compute` on first read (a write before that replaces it). */
export function lazyProperty<T extends object, K extends keyof T>(obj: T, key: K, compute: () => T[K]): T {
  Object.defineProperty(obj, key, {
    enumerable: true,
    configurable: true,
    get() {
      return settle(obj, key, compute());
    },
    set(value: T[K]) {
      settle(obj, key, value);
    },
  });
  return obj;
}

/**
 * Replaces a lazy property by an ordinary data property holding `value`, and returns the value. An
 * object made often can declare the lazy property in its literal instead of with lazyProperty (which
 * redefines a property of a made object: V8's slow path), as `get key() { return settle(obj, 'key',
 * compute()); }` with the matching setter: object literal accessors are enumerable and configurable.
 */
export function settle<T extends object, K extends keyof T>(obj: T, key: K, value: T[K]): T[K] {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  return value;
}
