"""User-supplied text (a file's name, a model's source) shown as plain text inside Markdown.

st.markdown, st.error, st.caption and friends render Markdown, Streamlit's :colour[...] and
:icon: directives and $ maths: a file named `**x** ![p](http://host/p.png).png` would show
bold text and make the browser fetch the picture. Every mark of punctuation that means
something there is escaped with a backslash, which CommonMark reads as the character itself.
"""

import re

_MEANINGFUL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~:$&=\"'])")


def plain(text: str) -> str:
    """text, shown as it is, on one line."""
    return _MEANINGFUL.sub(r"\\\1", " ".join(str(text).split()))
