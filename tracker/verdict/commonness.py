"""How common a Chinese word is, and the words of a name, from wordfreq's data.

wordfreq ships its Chinese word list with the package (nothing is downloaded)
and segments with jieba over that list. Rarity answers "does this word say
which thing?" better than a hand-kept stop list: 社区 and 城市 are everywhere,
书房 and 冷库 name a kind of facility, 慈恩数智 (in no list) one firm.
"""

from __future__ import annotations

import logging
import warnings
from functools import lru_cache

from wordfreq import tokenize, zipf_frequency

with warnings.catch_warnings():  # jieba imports the deprecated pkg_resources
    warnings.simplefilter("ignore")
    import jieba

jieba.setLogLevel(logging.WARNING)  # wordfreq's tokenizer loads its list through jieba, which would say so


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """wordfreq's Zipf value: 7 for the commonest words, about 3 for words met once in a million,
    0 for a word in no list (a proper name)."""
    return zipf_frequency(word, "zh")


@lru_cache(maxsize=16384)
def name_words(name: str) -> tuple[str, ...]:
    """The words of a name as wordfreq segments it. Characters it leaves single are the part it
    does not know: a run of them is one word (陕西|慈恩数智|科技|有限公司), a lone one belongs to
    the word before (雁塔区|第二|实验|小学, 芙蓉坊)."""
    words: list[str] = []
    run = ""
    for token in [*tokenize(name, "zh"), ""]:
        if len(token) == 1:
            run += token
            continue
        if len(run) == 1 and words and not (words[-1][-1] + run).isdigit():
            words[-1] += run
        elif run:
            words.append(run)
        run = ""
        if token:
            words.append(token)
    return tuple(words) if "".join(words) == name else (name,)


@lru_cache(maxsize=16384)
def tokenize_text(text: str) -> tuple[str, ...]:
    """wordfreq's words of a text, in order (punctuation dropped: only where words meet matters)."""
    return tuple(tokenize(text, "zh"))
