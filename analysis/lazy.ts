// Lazily computed properties that are indistinguishable from plain ones once read: the property is
// enumerable from the start (so JSON.stringify, structured clone, spreading and deep equality read
// it, in its place in the key order), computed on first read, and then replaced by an ordinary data
// property holding the value. Results stay deterministic because what the computation reads is
// either fixed at the time the property is defined or cached by content (analysis/cache.ts).

/** Defines `key` on `obj` as computed by `compute` on first read (a write before that replaces it). */
export function lazyProperty<T extends object, K extends keyof T>(obj: T, key: K, compute: () => T[K]): T {
  const settle = (value: T[K]) => Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  Object.defineProperty(obj, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value = compute();
      settle(value);
      return value;
    },
    set(value: T[K]) {
      settle(value);
    },
  });
  return obj;
}
