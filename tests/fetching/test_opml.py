"""articles.feeds.opml: subscriptions in and out, and the files it will not read."""

from __future__ import annotations

import pytest

from articles.feeds.opml import MAX_OPML_BYTES, OpmlFeed, export_opml, parse_opml
from articles.feeds.parsing import FeedError

NESTED_OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>Exported from another reader</title></head>
  <body>
    <outline text="News" title="News">
      <outline type="rss" text="The Daily Planet" xmlUrl="https://planet.example/feed.rss"
               htmlUrl="https://planet.example/"/>
      <outline text="Local">
        <outline type="rss" text="Gotham Gazette" title="Gotham Gazette (all)"
                 xmlUrl="https://gazette.example/atom.xml"/>
      </outline>
    </outline>
    <outline type="rss" text="Star City Star" xmlurl="https://star.example/feed.json" htmlurl="https://star.example/"/>
    <outline type="rss" text="The Daily Planet again" xmlUrl="https://planet.example/feed.rss"/>
    <outline text="A folder with no feeds"/>
  </body>
</opml>
"""


def test_nested_outlines_are_read_in_order_each_feed_once_with_its_folder() -> None:
    assert parse_opml(NESTED_OPML) == [
        OpmlFeed("The Daily Planet", "https://planet.example/feed.rss", "https://planet.example/", "News"),
        OpmlFeed("Gotham Gazette (all)", "https://gazette.example/atom.xml", "", "News / Local"),
        OpmlFeed("Star City Star", "https://star.example/feed.json", "https://star.example/", ""),
    ]


def test_folders_survive_export_and_import_nested_as_they_were() -> None:
    subscriptions = [
        ("The Daily Planet", "https://planet.example/feed.rss", "https://planet.example/", "News"),
        ("Gotham Gazette", "https://gazette.example/atom.xml", "", "News / Local"),
        ("Star City Star", "https://star.example/feed.json", "", ""),
        ("Metropolis Sport", "https://sport.example/rss", "", "Sport"),
    ]

    exported = export_opml(subscriptions)

    assert parse_opml(exported) == [OpmlFeed(*subscription) for subscription in subscriptions]
    # "News / Local" is a folder inside "News", as other readers write and read nested folders.
    assert b'<outline text="Local" title="Local">' in exported
    assert exported.count(b'<outline text="News" title="News">') == 1


def test_export_then_import_gives_back_the_same_subscriptions() -> None:
    subscriptions = [
        ("The Daily Planet", "https://planet.example/feed.rss", "https://planet.example/"),
        ('Ben & Jerry\'s <"Scoop">', "https://scoop.example/feed?format=rss&lang=en", ""),
        ("Le Monde — À la une", "https://lemonde.example/rss/une.xml", "https://lemonde.example/"),
    ]

    exported = export_opml(subscriptions)

    assert exported.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<opml version=\"2.0\">")
    assert b"<title>newsreader subscriptions</title>" in exported
    assert parse_opml(exported) == [OpmlFeed(*subscription) for subscription in subscriptions]


def test_export_drops_characters_xml_cannot_carry() -> None:
    exported = export_opml([("Bell\x07 News\x00", "https://bell.example/rss", "")], title="Mine")

    assert parse_opml(exported) == [OpmlFeed("Bell News", "https://bell.example/rss", "")]
    assert b"<title>Mine</title>" in exported


def test_a_deeply_nested_file_gives_its_feed_a_folder_name_of_bounded_length() -> None:
    depth = 50_000  # as deep as fits in the 2 MB an OPML file may have
    data = (
        b'<?xml version="1.0"?><opml version="2.0"><body>'
        + b'<outline text="Folder">' * depth
        + b'<outline text="Deep" xmlUrl="https://deep.example/rss"/>'
        + b"</outline>" * depth
        + b"</body></opml>"
    )

    (feed,) = parse_opml(data)

    assert feed.xml_url == "https://deep.example/rss" and feed.folder.startswith("Folder / Folder / ")
    assert len(feed.folder) == 200


@pytest.mark.parametrize(
    "data",
    [
        b"""<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>
<opml version="2.0"><body><outline text="&b;" xmlUrl="https://x.test/rss"/></body></opml>""",
        b"""<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<opml version="2.0"><body><outline text="&secret;" xmlUrl="https://x.test/rss"/></body></opml>""",
        b"""<?xml version="1.0"?><!DOCTYPE opml SYSTEM "http://169.254.169.254/opml.dtd">
<opml version="2.0"><body/></opml>""",
    ],
    ids=["entity-expansion", "external-entity", "external-dtd"],
)
def test_document_types_and_entities_are_refused(data: bytes) -> None:
    with pytest.raises(FeedError) as refused:
        parse_opml(data)

    assert (
        str(refused.value)
        == "That file declares a document type or entities, which newsreader does not read."
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"name,url\nPlanet,https://planet.example/rss\n",
            "That file is not OPML: it is not well-formed XML.",
        ),
        (b"<opml><body><outline", "That file is not OPML: it is not well-formed XML."),
        (
            b'<rss version="2.0"><channel/></rss>',
            "That file is not OPML (its top element is <rss>, and OPML has <opml><body>).",
        ),
        (
            b'<opml version="2.0"><head/></opml>',
            "That file is not OPML (its top element is <opml>, and OPML has <opml><body>).",
        ),
    ],
    ids=["csv", "cut-short", "rss", "no-body"],
)
def test_files_that_are_not_opml_are_refused_in_plain_words(data: bytes, message: str) -> None:
    with pytest.raises(FeedError) as refused:
        parse_opml(data)

    assert str(refused.value) == message


def test_an_oversized_file_is_refused_before_parsing() -> None:
    data = b'<opml version="2.0"><body>' + b" " * MAX_OPML_BYTES + b"</body></opml>"

    with pytest.raises(FeedError, match=r"^That OPML file is larger than the 2 MB limit\.$"):
        parse_opml(data)
