/**
 * Short chart labels for HLT path names. Paths of one family (same first token after
 * `HLT_`, e.g. `PFHT400`) keep the family and only the tokens that tell them apart, with
 * the prefix the members share cut off each such token:
 *
 *     HLT_PFHT400_FivePFJet_100_100_60_30_30_DoublePFBTagDeepJet_4p5 -> PFHT400 100_100 DeepJet
 *     HLT_PFHT400_FivePFJet_120_120_60_30_30_DoublePFBTagDeepCSV_4p5 -> PFHT400 120_120 DeepCSV
 *     HLT_Photon30EB_TightID_TightIso                                -> Photon30EB_TightID_TightIso
 *
 * A path alone in its family keeps its whole name without `HLT_` and version. Should two
 * labels still coincide, every path gets that whole name instead.
 */
export function shortPathLabels(paths: string[]): Record<string, string> {
  const bare = paths.map((path) => path.replace(/^HLT_/, '').replace(/_v\d+$/, ''));
  const families = new Map<string, number[]>();
  bare.forEach((name, index) => {
    const family = name.split('_')[0];
    families.set(family, [...(families.get(family) ?? []), index]);
  });

  const labels = [...bare];
  for (const [family, members] of families) {
    if (members.length < 2) continue;
    const tokens = members.map((index) => bare[index].split('_'));
    if (tokens.some((list) => list.length !== tokens[0].length)) continue;
    const differing = tokens[0].map((_, position) => position)
      .filter((position) => position > 0 && new Set(tokens.map((list) => list[position])).size > 1);
    members.forEach((index, member) => {
      const parts = groupAdjacent(differing).map((positions) => positions
        .map((position) => trimShared(tokens.map((list) => list[position]))[member]).join('_'));
      labels[index] = [family, ...parts].join(' ');
    });
  }

  const unique = new Set(labels).size === labels.length;
  return Object.fromEntries(paths.map((path, index) => [path, unique ? labels[index] : bare[index]]));
}

/** Splits sorted positions into runs of consecutive ones: [2, 3, 7] -> [[2, 3], [7]]. */
function groupAdjacent(positions: number[]): number[][] {
  const groups: number[][] = [];
  for (const position of positions) {
    const last = groups.at(-1);
    if (last && last.at(-1) === position - 1) last.push(position);
    else groups.push([position]);
  }
  return groups;
}

/**
 * Cuts the prefix all values share, back to the start of the last word of it, so that
 * DoublePFBTagDeepJet and DoublePFBTagDeepCSV read DeepJet and DeepCSV. Values that would
 * keep fewer than three characters stay whole.
 */
function trimShared(values: string[]): string[] {
  let shared = 0;
  const shortest = Math.min(...values.map((value) => value.length));
  while (shared < shortest && values.every((value) => value[shared] === values[0][shared])) shared++;
  const cut = wordStarts(values[0]).filter((start) => start < shared).at(-1) ?? 0;
  return values.map((value) => (value.length - cut >= 3 ? value.slice(cut) : value));
}

/** Positions where a camel-case or letter-digit word starts: `DoublePFBTagDeep4p5` -> 6, 12, 16. */
function wordStarts(text: string): number[] {
  const starts: number[] = [];
  for (let i = 1; i < text.length; i++) {
    const before = text[i - 1];
    const here = text[i];
    const upperAfterLower = /[A-Z]/.test(here) && /[a-z]/.test(before);
    const digitAfterLetter = /[0-9]/.test(here) && /[A-Za-z]/.test(before);
    if (upperAfterLower || digitAfterLetter) starts.push(i);
  }
  return starts;
}
