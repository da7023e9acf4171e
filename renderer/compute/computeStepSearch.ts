// Finding a step of a large workflow graph by what the user types: its id or its name, in any case,
// with underscores, dots and dashes read as spaces ("stage 12" finds stage_12). Best matches first.

export interface SearchableStep {
  id: string;
  name: string;
}

export interface StepMatch {
  id: string;
  name: string;
  /** Where the typed text was found, for the option's wording. */
  field: 'id' | 'name';
}

/** Lower case, with the separators ids use read as spaces and runs of spaces collapsed. */
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[_.\-/]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** How well a text matches the query: 0 exact, 1 starts with it, 2 a word starts with it, 3 contains it; null no match. */
function rank(text: string, q: string): number | null {
  if (text === q) return 0;
  if (text.startsWith(q)) return 1;
  if (text.includes(` ${q}`)) return 2;
  if (text.includes(q)) return 3;
  // "callback" finds "call-back", "stage12" finds "stage_12".
  if (text.replace(/ /g, '').includes(q.replace(/ /g, ''))) return 3;
  return null;
}

/**
 * The steps whose id or name matches `query`, best first: exact, then prefix, then word start,
 * then anywhere; an id match ranks before a name match of the same kind, and ties keep the
 * workflow's step order. Every word of a multi-word query must match (in the id or the name), so
 * "proof kbv" narrows as a user expects. At most `limit` matches; none for an empty query.
 */
export function searchSteps(steps: readonly SearchableStep[], query: string, limit = 8): StepMatch[] {
  const q = normalise(query);
  if (!q) return [];
  const words = q.split(' ');
  const scored: { m: StepMatch; score: number; index: number }[] = [];
  steps.forEach((s, index) => {
    const id = normalise(s.id);
    const name = normalise(s.name);
    const idRank = rank(id, q);
    const nameRank = rank(name, q);
    let score: number | null = null;
    let field: 'id' | 'name' = 'id';
    if (idRank !== null && (nameRank === null || idRank <= nameRank)) {
      score = idRank * 2;
    } else if (nameRank !== null) {
      score = nameRank * 2 + 1;
      field = 'name';
    } else if (words.length > 1 && words.every((w) => rank(id, w) !== null || rank(name, w) !== null)) {
      score = 8;
      field = words.every((w) => rank(id, w) !== null) ? 'id' : 'name';
    }
    if (score !== null) scored.push({ m: { id: s.id, name: s.name, field }, score, index });
  });
  return scored
    .sort((a, b) => a.score - b.score || a.index - b.index)
    .slice(0, limit)
    .map((s) => s.m);
}

/** "3 of 12 steps match" / "No step matches" — the status line under the search field. */
export function matchSummary(shown: number, total: number): string {
  if (total === 0) return 'No step matches';
  if (shown < total) return `${shown} of ${total} matching steps shown`;
  return `${total} matching step${total === 1 ? '' : 's'}`;
}
