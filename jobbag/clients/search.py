"""Search keys: names findable by Chinese characters, full pinyin or pinyin initials."""

from pypinyin import Style, lazy_pinyin


def search_key(*texts: str) -> str:
    """Lower-case text plus full pinyin and initials of every text, space-separated.

    "海尔冰箱" gives "海尔冰箱 haierbingxiang hebx", so a search for 海尔, haier or hebx finds it.
    """
    parts = []
    for text in texts:
        text = (text or "").strip()
        if not text:
            continue
        parts.append(text.lower())
        syllables = [s for s in lazy_pinyin(text, errors="ignore") if s.strip()]
        if syllables and "".join(syllables) != text.lower():
            parts.append("".join(syllables).lower())
            initials = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")
            parts.append("".join(initials).lower())
    return " ".join(parts)[:1000]
