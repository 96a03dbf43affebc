"""LIX, the Scandinavian readability index (Björnsson, 1968), for the portal's own texts.

LIX = words per sentence + the percentage of long words (more than six letters). Below 25 is
very easy (children's books), 25-34 easy, 35-44 medium (newspapers), 45-54 hard, 55+ very hard.

How text is split, so the numbers can be checked by hand:
- A word is a run of letters (any alphabet, æ, ø and å among them), optionally joined by inner
  apostrophes or hyphens ("e-mail", "Fællesskabsportalen's" are one word each). Digits and
  punctuation are not words; a number like "2026" is not counted.
- A word is long when it has more than six letters (hyphens and apostrophes do not count).
- A sentence ends at ".", "!", "?", ":" or ";" followed by white space or the end of the text,
  and at every line break (headings, list items and buttons are sentences of their own). A stop
  after a digit does not end one (the Danish ordinal in "1. december"), nor does a stop inside
  a number ("1.000"), as no white space follows it; the last stop
  of an abbreviation ("f.eks. ") does, so plain texts avoid abbreviations. Text without any end
  mark is one sentence; pieces without words are not sentences.
"""

import re

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
SENTENCE_END = re.compile(r"(?<!\d)[.!?:;]+(?=\s|$)|\n+")
LONG_WORD_LETTERS = 6


def words(text: str) -> list[str]:
    return WORD.findall(text)


def sentences(text: str) -> list[str]:
    return [piece for piece in SENTENCE_END.split(text) if words(piece)]


def is_long(word: str) -> bool:
    return sum(char.isalpha() for char in word) > LONG_WORD_LETTERS


def lix(text: str) -> float:
    """The LIX of `text`; 0.0 for a text without words."""
    found = words(text)
    if not found:
        return 0.0
    long_words = sum(is_long(word) for word in found)
    return len(found) / len(sentences(text)) + 100 * long_words / len(found)
