// @ts-check
import { createInterface } from 'node:readline/promises';

/**
 * Questions on the terminal, with node:readline: two questions do not need
 * a prompt library, and `npm create escf` then installs nothing before it starts.
 */
export function terminalPrompts() {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  return {
    /**
     * @param {string} question
     * @param {string} fallback
     */
    async text(question, fallback) {
      const answer = (await rl.question(`${question} (${fallback}) `)).trim();
      return answer === '' ? fallback : answer;
    },
    /**
     * @param {string} question
     * @param {readonly { value: string, hint: string }[]} choices
     */
    async choose(question, choices) {
      choices.forEach((choice, i) => console.log(`  ${i + 1}. ${choice.value} — ${choice.hint}`));
      for (;;) {
        const answer = (await rl.question(`${question} (1) `)).trim();
        const index = answer === '' ? 0 : Number(answer) - 1;
        const byName = choices.find((c) => c.value === answer);
        if (byName) return byName.value;
        if (Number.isInteger(index) && choices[index]) return choices[index].value;
        console.log(`  Answer 1–${choices.length} or a name.`);
      }
    },
    /**
     * @param {string} question
     * @param {boolean} fallback
     */
    async confirm(question, fallback) {
      const answer = (await rl.question(`${question} (${fallback ? 'Y/n' : 'y/N'}) `)).trim().toLowerCase();
      return answer === '' ? fallback : answer.startsWith('y');
    },
    close: () => rl.close(),
  };
}
