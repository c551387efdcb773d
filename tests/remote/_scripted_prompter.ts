/**
 * A scripted {@linkcode Prompter}: tests read each question as it is asked and answer it.
 *
 * @module
 */

import type { Prompter } from "../../src/remote/policy.ts";

/** A prompter driven by the test. */
export class ScriptedPrompter implements Prompter {
  readonly interactive: boolean;
  /** Every question asked, in order. */
  readonly questions: string[] = [];
  /** Every notice printed. */
  readonly notices: string[] = [];
  #open: ((line: string | null) => void) | undefined;
  #waitingForQuestion: ((q: string) => void)[] = [];
  #auto: (string | null)[];

  /**
   * @param interactive whether a person is "there"
   * @param autoAnswers answers given immediately, in order, before falling back to manual answers
   */
  constructor(interactive = true, autoAnswers: (string | null)[] = []) {
    this.interactive = interactive;
    this.#auto = [...autoAnswers];
  }

  /** True while a question waits for its answer. */
  get open(): boolean {
    return this.#open !== undefined;
  }

  ask(question: string, signal: AbortSignal): Promise<string | null> {
    this.questions.push(question);
    if (this.#open) throw new Error("Two prompts are open at once");
    if (this.#auto.length > 0) return Promise.resolve(this.#auto.shift()!);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        this.#open = undefined;
        resolve(null);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.#open = (line) => {
        signal.removeEventListener("abort", onAbort);
        this.#open = undefined;
        resolve(line);
      };
      for (const waiter of this.#waitingForQuestion.splice(0)) waiter(question);
    });
  }

  notify(line: string): void {
    this.notices.push(line);
  }

  /** Resolves with the next open question (at once if one is open). */
  nextQuestion(): Promise<string> {
    if (this.#open) return Promise.resolve(this.questions.at(-1)!);
    return new Promise((resolve) => this.#waitingForQuestion.push(resolve));
  }

  /** Answers the open question. */
  answer(line: string | null): void {
    if (!this.#open) throw new Error("No prompt is open");
    this.#open(line);
  }
}
