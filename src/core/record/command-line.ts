/**
 * Splitting a command line typed by a user (an input box, a `"command"` string in tasks.json)
 * into the argv a recording spawns. No shell runs: there are no variables, globs, pipes or
 * redirections, so those characters are refused with a message rather than passed on silently.
 */

/**
 * Splits a command line into words the way a POSIX shell would for plain words: whitespace
 * separates words; `'…'` keeps everything literally; `"…"` keeps everything but `\"`, `\\`, `\$`
 * and `` \` ``, which lose their backslash; outside quotes a backslash keeps the next character.
 * @returns the words (possibly empty for a blank line)
 * @throws Error naming the problem: an unterminated quote, a trailing backslash, or an unquoted
 *   shell operator (`|`, `&`, `;`, `<`, `>`, `$`, `` ` ``, `*`, `?`) that would need a shell —
 *   the message suggests wrapping the command in `sh -c '…'`
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i] as string;
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' quote in: ${line}`);
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      inWord = true;
      for (;;) {
        if (i >= line.length) throw new Error(`unterminated " quote in: ${line}`);
        const d = line[i] as string;
        if (d === '"') break;
        if (d === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1] as string)) {
          word += line[i + 1];
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      i++;
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new Error(`trailing backslash in: ${line}`);
      word += line[i + 1];
      inWord = true;
      i += 2;
    } else if ('|&;<>$`*?'.includes(c)) {
      throw new Error(
        `"${c}" needs a shell, and recordings run the command without one: wrap it as sh -c '…' (in: ${line})`,
      );
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}
