import { distance } from 'fastest-levenshtein';

/** Formats up to `count` of `candidates` closest to `name` (Levenshtein distance) for a message. */
export function closestNames(name: string, candidates: Iterable<string>, count = 3): string {
  const lower = name.toLowerCase();
  const ranked = [...new Set(candidates)]
    .map((candidate) => ({ candidate, score: distance(lower, candidate.toLowerCase()) }))
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, count)
    .map(({ candidate }) => candidate);
  return ranked.length > 0 ? `closest existing: ${ranked.join(', ')}` : 'none exist';
}
