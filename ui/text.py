"""User-supplied text (a file's name, a model's source) shown as plain text inside Markdown.

st.markdown, st.error, st.caption and friends render Markdown, Streamlit's :colour[...] and
:icon: directives and $ maths: a file named `**x** ![p](http://host/p.png).png` would show
bold text and make the browser fetch the picture. Every mark of punctuation that means
something there is escaped with a backslash, which CommonMark reads as the character itself.
Streamlit also turns any address in the rendered text into a link, escapes or not; an
invisible word joiner inside `://` and `www.` leaves nothing that reads as an address.
"""

import re

_MEANINGFUL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~:$&=\"'])")
_ADDRESS = re.compile(r"(:|www)(?=\\?[/.])", re.IGNORECASE)
WORD_JOINER = "\u2060"  # zero width, invisible: the text looks and reads the same


def plain(text: str) -> str:
    """text, shown as it is, on one line."""
    escaped = _MEANINGFUL.sub(r"\\\1", " ".join(str(text).split()))
    return _ADDRESS.sub(lambda found: found.group(1) + WORD_JOINER, escaped)
