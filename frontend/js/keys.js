// @ts-check
// The keys of the jobs this browser created (POST /api/jobs and fork answer one): whoever holds
// a job's key controls it, everyone else may only watch. Kept in a Storage (localStorage) as a
// JSON list of [id, key] pairs, newest last, so that a reload or another tab still owns its
// jobs. Pure apart from the storage it is given: no DOM.

/** @typedef {Pick<Storage, "getItem" | "setItem" | "removeItem">} KeyStorage */
/** @typedef {[id: string, key: string]} KeyPair */
/**
 * @typedef {object} Keyring
 * @property {(id: string) => string | null} get  the job's key, or null
 * @property {(id: string) => boolean} has
 * @property {() => string[]} ids  oldest first
 * @property {(id: string, key: string) => void} set
 * @property {(id: string) => void} remove
 */

export const STORAGE_NAME = "playground-job-keys";
export const MAX_KEYS = 500; // the oldest are forgotten past this many

/**
 * A Storage-like object in memory, for when the browser gives none (or refuses to).
 * @returns {KeyStorage}
 */
export function memoryStorage() {
  /** @type {Map<string, string>} */
  const items = new Map();
  return {
    getItem: (name) => items.get(name) ?? null,
    setItem: (name, value) => { items.set(name, String(value)); },
    removeItem: (name) => { items.delete(name); },
  };
}

/**
 * {get(id), set(id, key), remove(id), has(id), ids()} over `storage` (getItem/setItem).
 * @param {KeyStorage} [storage]
 * @param {string} [name]
 * @returns {Keyring}
 */
export function createKeyring(storage = memoryStorage(), name = STORAGE_NAME) {
  // read on every call: another tab may have added a key since
  /** @returns {KeyPair[]} */
  function load() {
    try {
      const pairs = JSON.parse(storage.getItem(name) ?? "[]");
      return Array.isArray(pairs) ? pairs.filter(valid) : [];
    } catch {
      return []; // unreadable: start over rather than fail the page
    }
  }
  /** @param {KeyPair[]} pairs */
  function save(pairs) {
    try {
      storage.setItem(name, JSON.stringify(pairs.slice(-MAX_KEYS)));
    } catch {
      // a full or refused storage: the key is lost, the job can still be forked
    }
  }
  const get = (/** @type {string} */ id) => load().find(([i]) => i === id)?.[1] ?? null;
  return {
    get,
    has: (id) => get(id) !== null,
    ids: () => load().map(([i]) => i),
    set(id, key) {
      if (!id || !key) return;
      save([...load().filter(([i]) => i !== id), [id, key]]);
    },
    remove(id) {
      const pairs = load();
      const kept = pairs.filter(([i]) => i !== id);
      if (kept.length !== pairs.length) save(kept);
    },
  };
}

/**
 * True for a pair of two non-empty strings.
 * @param {unknown} pair
 * @returns {pair is KeyPair}
 */
function valid(pair) {
  return Array.isArray(pair) && pair.length === 2 && typeof pair[0] === "string" &&
    typeof pair[1] === "string" && pair[0] !== "" && pair[1] !== "";
}
