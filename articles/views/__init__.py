"""Views by what they serve: pages (the shared page and panel machinery), articles, annotations, library,
accounts. Views read rows and render; every write goes through articles.services."""
