"""Name matching shared by the corpus scripts: case and diacritics ignored,
as ANNOTATION.md matches gold names (the same folding as src/eval)."""
import unicodedata


def fold(name):
    s = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in s if not unicodedata.combining(c))
