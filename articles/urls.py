from django.urls import path

from .views import (
    annotations,
    articles,
    collections,
    feeds,
    home,
    library,
    notebook,
    reading,
    suggest,
    versions,
)

app_name = "articles"

urlpatterns = [
    path("", home.library_home, name="list"),
    path("library/bulk/", collections.library_bulk, name="library_bulk"),
    path("articles/new/", articles.article_create, name="create"),
    path("articles/<int:pk>/", articles.article_detail, name="detail"),
    path("articles/<int:pk>/quotes/<int:quote_pk>/", articles.quote_panel, name="quote"),
    path("articles/<int:pk>/entities/<int:entity_pk>/", articles.entity_panel, name="entity"),
    path("articles/<int:pk>/edit/", articles.article_text_edit, name="article_text_edit"),
    path("articles/<int:pk>/analysis/retry/", articles.analysis_retry, name="analysis_retry"),
    path("articles/<int:pk>/reading/", reading.article_reading, name="reading"),
    path("articles/<int:pk>/sharing/", articles.article_sharing, name="sharing"),
    path("articles/<int:pk>/reading/position/", reading.reading_position, name="reading_position"),
    path("articles/<int:pk>/delete/", reading.article_delete, name="article_delete"),
    path("articles/<int:pk>/update/", versions.article_update, name="article_update"),
    path("articles/<int:pk>/annotations/", annotations.article_annotations, name="annotations"),
    path("articles/<int:pk>/annotations/new/", annotations.annotation_new, name="annotation_new"),
    path("articles/<int:pk>/annotations/import/", annotations.annotations_import, name="annotations_import"),
    path(
        "articles/<int:pk>/annotations/jobs/<int:job_pk>/", annotations.annotation_job, name="annotation_job"
    ),
    path(
        "articles/<int:pk>/annotations.<str:fmt>", annotations.annotations_export, name="annotations_export"
    ),
    path("annotations/<int:annotation_pk>/", annotations.annotation_detail, name="annotation"),
    path("annotations/<int:annotation_pk>/edit/", annotations.annotation_edit, name="annotation_edit"),
    path("annotations/<int:annotation_pk>/delete/", annotations.annotation_delete, name="annotation_delete"),
    path("search/", library.search, name="search"),
    path("search/suggest/<str:kind>/", suggest.actor_suggestions, name="suggest"),
    path("notebook/", notebook.notebook, name="notebook"),
    path("notebook/import/", notebook.notebook_import_view, name="notebook_import"),
    path("notebook/export.<str:fmt>", notebook.notebook_export, name="notebook_export"),
    path("collections/", collections.collection_list, name="collections"),
    path("collections/<int:pk>/", collections.collection_detail, name="collection"),
    path("collections/<int:pk>/edit/", collections.collection_edit, name="collection_edit"),
    path("who-is-quoted/", library.who_is_quoted, name="who_is_quoted"),
    path("library/<int:pk>/", library.actor_detail, name="actor"),
    path("feeds/", feeds.feed_list, name="feeds"),
    path("feeds/import/", feeds.feeds_import, name="feeds_import"),
    path("feeds/newsreader-feeds.opml", feeds.feeds_export, name="feeds_export"),
    path("feeds/<int:pk>/", feeds.feed_detail, name="feed"),
    path("feeds/<int:pk>/check/", feeds.feed_check, name="feed_check"),
    path("feeds/<int:pk>/unsubscribe/", feeds.feed_unsubscribe, name="feed_unsubscribe"),
    path("manifest.webmanifest", articles.web_app_manifest, name="manifest"),
]
