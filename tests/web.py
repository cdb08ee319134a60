"""A small news site on 127.0.0.1 for the tests that bring articles in from the web: pages and feeds whose
links point back at the same local server."""

from __future__ import annotations

from xml.sax.saxutils import escape

from tests.local_server import LocalServer, Reply

RSS = "application/rss+xml"


def story_page(headline: str, *paragraphs: str, canonical: str = "", site: str = "The Daily Planet") -> bytes:
    """A news page: navigation and a footer around one article, with Open Graph metadata."""
    head = f'<meta property="og:site_name" content="{site}"><meta name="author" content="Lois Lane">'
    head += '<meta property="article:published_time" content="2025-06-10T09:00:00Z">'
    if canonical:
        head += f'<link rel="canonical" href="{canonical}"><meta property="og:url" content="{canonical}">'
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(headline)} | {site}</title>"
        f"{head}</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{escape(headline)}</h1>{body}</article><footer>© {site}</footer></body></html>"
    ).encode()


HARBOUR = (
    "Harbour reopens after storm",
    "The harbour reopened on Tuesday after a week of repairs, the port authority said in a statement.",
    "“We are open for business again,” said Perry White, the harbour master, as the first ferry docked.",
    "Fishermen said the storm had cost them a week of catches and that the repairs came just in time.",
)
COUNCIL = (
    "Council settles the harbour budget",
    *(
        f"Paragraph {n}: the council met again on Thursday evening to settle the remaining questions about the "
        "harbour budget, and the mayor answered them one by one."
        for n in range(1, 5)
    ),
    "“The money is there, and it will be spent on the quays,” said Mayor Jane Doe after the vote.",
)


def rss(title: str, items: list[dict]) -> bytes:
    """An RSS 2.0 feed; each item has a title, link and guid, and content (full HTML) or a description, and
    may have its publication date (RFC 822, "published")."""
    parts = []
    for item in items:
        body = f"<title>{escape(item['title'])}</title><link>{escape(item['link'])}</link>"
        body += f'<guid isPermaLink="false">{escape(item["guid"])}</guid>'
        body += f"<pubDate>{item.get('published', 'Wed, 11 Jun 2025 08:30:00 +0000')}</pubDate>"
        if "content" in item:
            body += f"<content:encoded><![CDATA[{item['content']}]]></content:encoded>"
        body += (
            f"<description>{escape(item.get('description', 'A short summary. Read more...'))}</description>"
        )
        parts.append(f"<item>{body}</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{escape(title)}</title><link>https://planet.example/</link>"
        f"<description>News</description>{''.join(parts)}</channel></rss>"
    ).encode()


def full_text(paragraphs: tuple[str, ...]) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs[1:]) + "<script>alert('x')</script>"


def news_site(server: LocalServer) -> dict[str, str]:
    """Two article pages and a feed naming them: one entry carries its full text, the other only a summary."""
    urls = {
        "harbour": server.route("/2025/harbour", Reply(story_page(*HARBOUR))),
        "council": server.url("/2025/council"),
    }
    items = [
        {"title": COUNCIL[0], "link": urls["council"], "guid": "council-1", "content": full_text(COUNCIL)},
        {"title": HARBOUR[0], "link": urls["harbour"], "guid": "harbour-1"},
    ]
    urls["feed"] = server.route("/feed.xml", Reply(rss("The Daily Planet", items), content_type=RSS))
    return urls


# The walk's front page (D13): link titles under a site name, and addresses a date can be guessed from.
HERALD_STORIES = (
    "Winter Storm Knocks Out Power to 80,000 Homes Across the Valley",
    "City Council Approves Budget After Late-Night Session",
    "Harbour Reopens as Ferries Return to the Quays",
)


def front_page(site: str = "The Springfield Herald", stories: tuple[str, ...] = HERALD_STORIES) -> bytes:
    """A news site's front page: its name, navigation and a list of links to its stories, nothing else."""
    items = "".join(
        f"<li><h2><a href='/news/2026/12/story-{n}.html'>{escape(title)}</a></h2></li>"
        for n, title in enumerate(stories)
    )
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(site)}</title></head>"
        f"<body><header><p class='brand'>{escape(site)}</p><nav><a href='/'>Home</a> <a href='/news/'>News</a>"
        f"</nav></header><main><ul class='stories'>{items}</ul></main><footer>© {escape(site)}</footer>"
        "</body></html>"
    ).encode()


def photo(
    width: int = 120, height: int = 80, kind: str = "JPEG", *, exif: dict | None = None, mode="RGB"
) -> bytes:
    """An image file made here, in memory: `exif` tags (number → value) written into it as a camera would."""
    import io

    from PIL import Image

    picture = Image.new(mode, (width, height), "steelblue" if mode == "RGB" else 1)
    out = io.BytesIO()
    extra = {}
    if exif:
        tags = Image.Exif()
        for tag, value in exif.items():
            tags[tag] = value
        extra["exif"] = tags.tobytes()
    picture.save(out, kind, **extra)
    return out.getvalue()


def photo_page(*, figures: str, head: str = "") -> bytes:
    """HARBOUR's story with `figures` (HTML) after its first paragraph; images are relative to the site."""
    first, *rest = HARBOUR[1:]
    body = f"<p>{escape(first)}</p>{figures}" + "".join(f"<p>{escape(p)}</p>" for p in rest)
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{HARBOUR[0]} | The Daily Planet</title>"
        f"<meta property='og:site_name' content='The Daily Planet'>{head}</head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>{HARBOUR[0]}</h1>{body}</article></body></html>"
    ).encode()
