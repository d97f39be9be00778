"""Thai word segmentation for search, used at index time (SearchField callables)
and at query time (the search backend in common.search_backend).

Thai is written without spaces, so the database full-text engines see a whole
run of Thai as one token. PyThaiNLP's newmm splits it into words; because newmm
may keep compounds together (``ทางอิเล็กทรอนิกส์``), the index side also adds
every dictionary word found inside each token, so a search for a word inside a
compound still matches.
"""

from __future__ import annotations

import re

THAI_RUN = re.compile(r"[\u0E00-\u0E7F]+")
MIN_SUBWORD_CHARS = 3


def _dictionary():
    # The same cached trie newmm uses, so the dictionary is loaded once per process.
    from pythainlp.tokenize import word_dict_trie

    return word_dict_trie()


def _tokenize(text: str) -> list[str]:
    from pythainlp.tokenize import word_tokenize

    return [t.strip() for t in word_tokenize(text, engine="newmm", keep_whitespace=False)]


def _subwords(token: str) -> list[str]:
    """Dictionary words inside one Thai token that start and end on character-cluster
    boundaries (so a word is never cut inside a vowel or tone mark)."""
    from pythainlp.tokenize.tcc import tcc_pos

    trie = _dictionary()
    bounds = tcc_pos(token) | {0}
    found = []
    for start in sorted(bounds):
        for word in trie.prefixes(token, start):
            end = start + len(word)
            if word != token and len(word) >= MIN_SUBWORD_CHARS and end in bounds | {len(token)}:
                found.append(word)
    return found


def segment_query(text: str) -> str:
    """A user's query with Thai words separated by spaces.

    Double quotes become spaces: the backend puts each term in FTS5 quotes, so a stray
    ``"`` in a term is a syntax error there (a 500), and phrase search is not offered."""
    text = (text or "").replace('"', " ").strip()
    if not THAI_RUN.search(text):
        return text
    return " ".join(t for t in _tokenize(text) if t and not t.isspace())


def segment_for_index(*parts: str) -> str:
    """Text for the search index: newmm words plus the words inside Thai compounds."""
    text = " ".join(p for p in parts if p)
    if not THAI_RUN.search(text):
        return text
    tokens = [t for t in _tokenize(text) if t]
    extra: list[str] = []
    seen = set(tokens)
    for token in tokens:
        if THAI_RUN.fullmatch(token) and len(token) > MIN_SUBWORD_CHARS:
            for word in _subwords(token):
                if word not in seen:
                    seen.add(word)
                    extra.append(word)
    return " ".join(tokens + extra)


class ThaiSearchMixin:
    """Pages index one extra field with Thai text segmented by PyThaiNLP."""

    def search_parts(self) -> list[str]:
        return [self.title, self.search_description]

    def search_text(self) -> str:
        return segment_for_index(*self.search_parts())
