"""The list levels of a Word 97 document, which antiword's DocBook leaves out, from wvWare's HTML (Debian's wv).

antiword writes a multi-level list ("1." quarter headings with "1.1." items under them) as one flat list: neither
its DocBook nor its text or formatted-text output keeps Word's levels, and catdoc writes no list marks at all.
wvWare keeps them: its HTML (the package's own wvHtml.xml filter) stands each item as deep in <ol>/<ul> elements as
its level. Only the depth is to be trusted: wvWare closes and reopens every level when the list changes, closes a
<ul> with </ol>, and restarts its <li> values after a sub-list. So an item's kind is that of the list opened for
it at its level (or, where none was, the kind its level last had), and its number is counted by doc_reader. Here
the items are read back in document order; doc_reader takes them only where they are antiword's items one for
one, with the same letters.
"""
from __future__ import annotations

from html.parser import HTMLParser
from typing import NamedTuple

KINDS = {"1": "arabic", "a": "loweralpha", "A": "upperalpha", "i": "lowerroman", "I": "upperroman"}


class ListItem(NamedTuple):
    level: int  # 0 for the outermost list
    kind: str  # a doc_reader label kind ("arabic", "loweralpha", …) or "bullet"
    after_text: bool  # text outside any list stands between this item and the one before
    letters: str  # the item's own text without spaces (nested items left out)


class _Items(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # how many lists the parser stands in (whatever tag closes one)
        self.opened: str | None = None  # the kind of the list opened last, until an item takes it
        self.kinds: dict[int, str] = {}  # level -> the kind its items last had
        self.outside = False  # text outside any list since the last item
        self.items: list[ListItem] = []
        self.text: list[str] | None = None  # the current item's text, until a list or another item starts

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = dict(attrs)
        if tag in ("ol", "ul"):
            self._close()
            self.depth += 1
            self.opened = "bullet" if tag == "ul" else KINDS.get(attributes.get("type") or "1", "arabic")
        elif tag == "li" and self.depth:
            self._close()
            level = self.depth - 1
            kind = self.opened or self.kinds.get(level, "arabic")
            self.kinds[level], self.opened = kind, None
            self.items.append(ListItem(level, kind, self.outside or not self.items, ""))
            self.text, self.outside = [], False

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ol", "ul") and self.depth:
            self._close()
            self.depth -= 1
        elif tag == "li":
            self._close()

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)
        elif self.depth == 0 and data.strip():
            self.outside = True

    def _close(self) -> None:
        if self.text is not None:
            self.items[-1] = self.items[-1]._replace(letters="".join("".join(self.text).split()))
            self.text = None


def list_items(html: str) -> list[ListItem]:
    """Every list item of wvWare's HTML, in document order, with its level, kind and letters."""
    parser = _Items()
    parser.feed(html)
    parser.close()
    parser._close()
    return parser.items
