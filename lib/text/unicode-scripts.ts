// The dominant Unicode script of a model call's input text (tokenizer drift is a matter of
// script: tokenizers trained mostly on Latin text split CJK, Cyrillic, Arabic and Devanagari
// text very differently). One table of code-point ranges serves both the TypeScript classifier
// (tested on planted texts) and the SQL expression the tokenizer view groups by, so the two
// cannot drift apart.
//
// Text of a call: its input payload as stored (chat messages as JSON) with JSON keys and the usual
// role and part-type words removed (`"role":`, `"user"`, `"text"`, ...), so the envelope of a chat
// message does not count as Latin text; at most the first MAX_TEXT_CHARS characters (the payload
// is not parsed: classifying millions of calls must stay cheap). The dominant script is the one
// with most letters; letters of no listed script count as `other`; a text without letters is
// `other`. Ties go to the earlier script in SCRIPTS.

export const SCRIPTS = ['latin', 'cjk', 'cyrillic', 'arabic', 'devanagari', 'other'] as const
export type Script = (typeof SCRIPTS)[number]

/** Inclusive code-point ranges of the letters of each listed script. */
export const SCRIPT_RANGES: Record<Exclude<Script, 'other'>, ReadonlyArray<readonly [number, number]>> = {
  latin: [[0x41, 0x5a], [0x61, 0x7a], [0xc0, 0xd6], [0xd8, 0xf6], [0xf8, 0x24f], [0x1e00, 0x1eff]],
  // Han (with extension A and compatibility ideographs), kana, Hangul syllables and jamo.
  cjk: [[0x1100, 0x11ff], [0x3040, 0x30ff], [0x31f0, 0x31ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xac00, 0xd7af], [0xf900, 0xfaff], [0xff66, 0xff9d]],
  cyrillic: [[0x400, 0x52f]],
  arabic: [[0x600, 0x6ff], [0x750, 0x77f], [0x8a0, 0x8ff]],
  devanagari: [[0x900, 0x97f]],
}

export const MAX_TEXT_CHARS = 2000

/** JSON keys and the envelope words of chat payloads, removed before counting. */
const ENVELOPE_PATTERN = String.raw`"[A-Za-z_.]+"\s*:|"(?:user|assistant|system|developer|tool|text|function|image_url|input_text|output_text)"`
const ENVELOPE = new RegExp(ENVELOPE_PATTERN, 'g')
const LETTER = /\p{L}/u

function scriptOfCodePoint(code: number): Exclude<Script, 'other'> | undefined {
  for (const script of SCRIPTS) {
    if (script === 'other') continue
    for (const [low, high] of SCRIPT_RANGES[script]) if (code >= low && code <= high) return script
  }
  return undefined
}

/** Letters per script in a text, envelope removed. */
export function scriptCounts(text: string): Record<Script, number> {
  const counts = Object.fromEntries(SCRIPTS.map((s) => [s, 0])) as Record<Script, number>
  const stripped = [...text].slice(0, MAX_TEXT_CHARS).join('').replace(ENVELOPE, '')
  let letters = 0
  let listed = 0
  for (const char of stripped) {
    const script = scriptOfCodePoint(char.codePointAt(0)!)
    if (script) {
      counts[script]++
      listed++
    }
    if (LETTER.test(char)) letters++
  }
  // As the SQL counts it: letters beyond those of the listed ranges (a few kana marks in the
  // ranges are not letters, hence the floor at 0).
  counts.other = Math.max(0, letters - listed)
  return counts
}

export function dominantScript(text: string): Script {
  const counts = scriptCounts(text)
  let best: Script = 'other'
  let most = 0
  for (const script of SCRIPTS) {
    if (counts[script] > most) {
      best = script
      most = counts[script]
    }
  }
  return best
}

const hex = (code: number) => `\\\\x{${code.toString(16).toUpperCase()}}`
const sqlString = (text: string) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`

/**
 * SQL select-list items that end in `script`: the dominant script of the text expression `text`
 * (trusted SQL), by the same rule as dominantScript. Aliases make the engine compute each step
 * once per row; the per-script counts are only computed for text with a multi-byte character
 * (text without one has no letters but Latin ones: one cheap test, the same answer).
 */
export function dominantScriptColumnsSql(text: string): string {
  const listed = SCRIPTS.filter((s): s is Exclude<Script, 'other'> => s !== 'other')
  const counts = listed.map((script) => `toInt64(countMatches(script_stripped, '[${SCRIPT_RANGES[script].map(([low, high]) => `${hex(low)}-${hex(high)}`).join('')}]'))`)
  const other = `greatest(0, toInt64(countMatches(script_stripped, '\\\\p{L}')) - (${counts.join(' + ')}))`
  const asciiCounts = `[toInt64(match(script_stripped, '[A-Za-z]')), ${listed.slice(1).map(() => '0').join(', ')}, 0]`
  return [
    `substringUTF8(${text}, 1, ${MAX_TEXT_CHARS}) AS script_text`,
    `replaceRegexpAll(script_text, ${sqlString(ENVELOPE_PATTERN)}, '') AS script_stripped`,
    `if(lengthUTF8(script_text) = length(script_text), ${asciiCounts}, [${[...counts, other].join(', ')}]) AS script_counts`,
    `if(arrayMax(script_counts) = 0, 'other', arrayElement([${SCRIPTS.map(sqlString).join(', ')}], indexOf(script_counts, arrayMax(script_counts)))) AS script`,
  ].join(',\n')
}
