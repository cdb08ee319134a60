"""Where a web page's photos go in its article: each image trafilatura met in the text (`![alt](address)`),
tied to the line it is shown with (its caption's line, else the line after it), and the page's lead image
(og:image) when the text has none of its own. The article's text never changes for an image: images are
placed beside its blocks, so every offset (quotes, names, annotations) stays as it was."""

from __future__ import annotations

from dataclasses import dataclass

# The most images kept from one page; the rest are left where they are.
MAX_IMAGES = 12
MAX_ALT_CHARS = 500
MAX_ADDRESS_CHARS = 2000


@dataclass(frozen=True)
class ImageRef:
    """An image of the page, before it is fetched: its address, its alt text, and the line of the article's
    text it is shown with (empty: after the last line)."""

    url: str
    alt: str = ""
    line: str = ""
    lead: bool = False


def image_line(line: str) -> tuple[str, str] | None:
    """(alt, address) of a line trafilatura wrote for an image, `![alt](address)`; None for other lines."""
    if not (line.startswith("![") and "](" in line):
        return None
    middle = line.index("](")
    return " ".join(line[2:middle].split()), line[middle + 2 : -1].strip()


def _usable(url: str) -> bool:
    return url.lower().startswith(("http://", "https://")) and len(url) <= MAX_ADDRESS_CHARS


class ImagePlacer:
    """Fed the page's lines in order (`image()` for an image line, `line()` for each line kept in the text),
    it ties each image to its line."""

    def __init__(self) -> None:
        self.placed: list[ImageRef] = []
        self.waiting: list[tuple[str, str]] = []  # images whose line comes next
        self.seen: set[str] = set()

    def image(self, alt: str, url: str, caption: str = "") -> None:
        if not _usable(url) or url in self.seen or len(self.seen) >= MAX_IMAGES:
            return
        self.seen.add(url)
        if caption:  # shown in its caption's figure
            self.placed.append(ImageRef(url, alt[:MAX_ALT_CHARS], caption))
        else:
            self.waiting.append((alt[:MAX_ALT_CHARS], url))

    def line(self, line: str) -> None:
        self.placed += [ImageRef(url, alt, line) for alt, url in self.waiting]
        self.waiting = []

    def refs(self, *, lead_url: str = "", lead_alt: str = "", first_line: str = "") -> tuple[ImageRef, ...]:
        """Every image placed; the images still waiting go after the last line. The lead image comes first,
        before the first line, only when the text has no image of its own (a page's og:image is most often a
        crop of its first photo)."""
        refs = [*self.placed, *(ImageRef(url, alt, "") for alt, url in self.waiting)]
        if not refs and _usable(lead_url):
            refs = [ImageRef(lead_url, lead_alt[:MAX_ALT_CHARS], first_line, lead=True)]
        return tuple(refs)
