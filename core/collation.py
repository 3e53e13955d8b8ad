"""Vietnamese alphabetical order, as a sort key that any database orders the same way.

The alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (with f j w z, found in
foreign names, in their Latin places), and the tones come in the conventional order ngang, huyền, hỏi,
ngã, sắc, nặng: a syllable is first compared by its letters, then by its tone (Anh < Ánh < Bình).
People sort by given name, then middle names, then surname (Nguyễn Văn Ánh: "Ánh", "Văn", "Nguyễn");
places by their name without the type in front ("Thành phố Đà Nẵng" as "Đà Nẵng").

A key is made of decimal digits only: every collation, the C collation of SQLite and the locale
collations of PostgreSQL alike, orders strings of digits digit by digit, so ``ORDER BY`` a key column
gives the order of this module on either database. Models keep the key in a ``core.fields.SortKeyField``
computed on save, with an index.
"""

from __future__ import annotations

import functools
import unicodedata

from core.text import to_nfc

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Combining marks that make a letter of the alphabet (ă, â, ê, ô, ơ, ư); đ is a letter of its own.
_LETTER_MARKS = {"\u0306": "\u0306", "\u0302": "\u0302", "\u031b": "\u031b"}
# Tone marks in the conventional order; no mark (ngang) comes first.
TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # huyền, hỏi, ngã, sắc, nặng

_CODE = {ch: f"{i + 11:02d}" for i, ch in enumerate(ALPHABET)}  # letters: 11..43
_CODE.update({str(d): f"{d + 1:02d}" for d in range(10)})  # digits: 01..10, before letters
_OTHER = "98"  # any other letter or symbol, after the alphabet
_END_OF_WORD = "00"

# The type in front of a place's name, longest first ("Thành phố" before a bare "Tỉnh").
PLACE_TYPES = ("thành phố", "đặc khu", "thị trấn", "thị xã", "phường", "tỉnh", "huyện", "quận", "xã")


def _letters_and_tone(word: str) -> tuple[str, int]:
    """The digits of a word's letters, and its tone (the last tone mark found; a syllable has one)."""
    digits, tone = [], 0
    for char in unicodedata.normalize("NFD", word.lower()):
        if char in TONES[1:]:
            tone = TONES.index(char)
        elif char in _LETTER_MARKS and digits:
            base = unicodedata.normalize("NFC", digits[-1][1] + char)
            digits[-1] = (_CODE.get(base, _OTHER), base)
        elif unicodedata.category(char).startswith("M"):
            continue  # a mark that is not Vietnamese (é in a French name is e with sắc, handled above)
        else:
            digits.append((_CODE.get(char, _OTHER), char))
    return "".join(code for code, _char in digits), tone


def words_key(words: list[str]) -> str:
    """The key of words compared in this order: each word by its letters, then its tone."""
    parts = []
    for word in words:
        letters, tone = _letters_and_tone(word)
        parts.append(f"{letters}{_END_OF_WORD}{tone}")
    return "".join(parts)


def _words(text: str) -> list[str]:
    return [w for w in "".join(ch if ch.isalnum() else " " for ch in to_nfc(text or "")).split() if w]


def person_sort_key(full_name: str) -> str:
    """Given name, then middle names in order, then surname: "Nguyễn Thị Hồng" → Hồng, Thị, Nguyễn."""
    words = _words(full_name)
    return words_key(words[-1:] + words[1:-1] + words[:1])


def place_sort_key(name: str) -> str:
    """The name without its type in front: "Thành phố Đà Nẵng" sorts as "Đà Nẵng", before "Giang"."""
    text = to_nfc(name or "")
    lowered = text.lower()
    for kind in PLACE_TYPES:
        if lowered.startswith(kind + " "):
            text = text[len(kind) + 1 :]
            break
    return words_key(_words(text))


@functools.lru_cache(maxsize=4096)
def text_sort_key(text: str) -> str:
    """Words as they are, in Vietnamese order (a craft's name). Remembered: the same few hundred craft
    names are sorted on every list page that offers them."""
    return words_key(_words(text))


KEYS = {"person": person_sort_key, "place": place_sort_key}
