// The one rule for a password someone chooses (first administrator, a new user, a change, a reset, the
// CLI): at least 12 characters, and not guessable. "Guessable" is zxcvbn's estimate (its common
// passwords and words, keyboard patterns, sequences, dates) with the user's own email, name and company
// name counted as words an attacker tries first; a score below 3 ("safely unguessable" starts there)
// is refused with zxcvbn's reason in plain words.
//
// zxcvbn's dictionaries are large: they are loaded on the first check, not when Steward starts.
// Levenshtein matching (near-misses of dictionary words) stays off: it makes a check take ~50 ms of
// blocked event loop instead of under 1 ms; the user's details are given in their usual variants instead.
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import type { IssueList } from '../platform/errors.ts';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;
/** zxcvbn's scores run 0 to 4; 3 means about 10^8 guesses or more. */
const MIN_SCORE = 3;

/** Who the password is for: words an attacker who knows the user tries first. */
export interface PasswordOwner {
  email?: string | null;
  name?: string | null;
  company?: string | null;
}

let checker: Promise<ZxcvbnFactory> | null = null;

function loadChecker(): Promise<ZxcvbnFactory> {
  checker ??= (async () => {
    const [{ ZxcvbnFactory }, common] = await Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]);
    return new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });
  })();
  checker.catch(() => {
    checker = null;
  });
  return checker;
}

/**
 * Checks a new password; adds an issue on `field` when it is refused (too short, too long, guessable).
 * Returns the password as typed (never trimmed: spaces are part of it), or '' when it was no text.
 */
export async function checkNewPassword(issues: IssueList, field: string, raw: unknown, owner: PasswordOwner): Promise<string> {
  if (typeof raw !== 'string' || raw === '') {
    issues.add(field, 'required', 'is required');
    return '';
  }
  const password = raw;
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    issues.add(field, 'too_short', `must be at least ${MIN_PASSWORD_LENGTH} characters long (this one has ${[...password].length})`);
    return password;
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    issues.add(field, 'too_long', `must be at most ${MAX_PASSWORD_LENGTH} characters long`);
    return password;
  }
  const words = ownerWords(owner);
  // zxcvbn rates "UweTech2026!!" (name, year, symbols) safe enough; what is left once the user's own
  // words are taken out must be a password by itself.
  if (withoutWords(password, words).length < MIN_OWN_PART) {
    issues.add(field, 'too_guessable', `is too easy to guess: ${WARNINGS.userInputs}. Add more words that are less common.`);
    return password;
  }
  const result = (await loadChecker()).check(password, words);
  if (result.score < MIN_SCORE) {
    const warning = result.feedback.warning ? WARNINGS[result.feedback.warning] : undefined;
    const advice = result.feedback.suggestions.map((s) => SUGGESTIONS[s]).filter((s): s is string => Boolean(s));
    const why = warning ?? 'it follows a pattern that is tried early';
    issues.add(field, 'too_guessable', `is too easy to guess: ${why}. ${[...advice, 'A few unrelated words make a strong password'][0]}.`);
  }
  return password;
}

/** Characters a password must keep once the owner's words and the product's name are removed. */
const MIN_OWN_PART = 8;

function withoutWords(password: string, words: string[]): string {
  let rest = password.toLowerCase();
  for (const word of [...words].filter((w) => w.length >= 4).sort((a, b) => b.length - a.length)) rest = rest.replaceAll(word, '');
  return rest;
}

/** The email, name and company name in the forms a password would contain them, and the product's name. */
function ownerWords(owner: PasswordOwner): string[] {
  const words = new Set<string>(['steward']);
  const add = (value: string | null | undefined) => {
    const v = (value ?? '').trim().toLowerCase();
    if (v.length >= 3) words.add(v);
  };
  const email = (owner.email ?? '').trim().toLowerCase();
  if (email) {
    const [local = '', domain = ''] = email.split('@');
    const labels = domain.split('.');
    add(email);
    add(local);
    add(domain);
    for (const part of local.split(/[._+-]/)) add(part);
    for (const label of labels) add(label);
    if (labels[0]) add(`${local}@${labels[0]}`);
  }
  for (const phrase of [owner.name, owner.company]) {
    const parts = (phrase ?? '').split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    add(phrase);
    // zxcvbn counts each extra piece as much harder to guess: "northwind-traders" would pass as two
    // words and a dash, so the whole phrase is given with the separators people put between its words.
    for (const separator of ['', ' ', '-', '_', '.']) add(parts.join(separator));
    for (const part of parts) add(part);
  }
  return [...words];
}

// zxcvbn's feedback keys, in Steward's words.
const WARNINGS: Record<string, string> = {
  straightRow: 'it has a straight row of keys from the keyboard',
  keyPattern: 'it has a short keyboard pattern',
  simpleRepeat: 'it repeats a character (like "aaa")',
  extendedRepeat: 'it repeats a group of characters (like "abcabc")',
  sequences: 'it has a sequence (like "abc" or "6543")',
  recentYears: 'it has a recent year',
  dates: 'it has a date',
  topTen: 'it is one of the ten most used passwords',
  topHundred: 'it is one of the hundred most used passwords',
  common: 'it is a commonly used password',
  similarToCommon: 'it is close to a commonly used password',
  wordByItself: 'it is a single common word',
  namesByThemselves: 'it is a name',
  commonNames: 'it is a common name',
  userInputs: "it contains the user's name, email address or the company's name",
  pwned: 'it has appeared in a data breach',
};

const SUGGESTIONS: Record<string, string> = {
  l33t: 'Symbols in place of letters (like @ for a) do not make it much harder',
  reverseWords: 'Words spelt backwards do not make it much harder',
  allUppercase: 'Capitals everywhere do not make it much harder',
  capitalization: 'A capital at the start does not make it much harder',
  dates: 'Leave out dates',
  recentYears: 'Leave out recent years',
  associatedYears: 'Leave out years that mean something to you',
  sequences: 'Leave out sequences',
  repeated: 'Leave out repeated characters and words',
  longerKeyboardPattern: 'Keyboard patterns need many turns to help',
  anotherWord: 'Add more words that are less common',
  useWords: 'Use a few unrelated words',
  pwned: 'Choose one you have never used anywhere else',
};
