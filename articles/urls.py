from django.urls import path

from . import views_library

from . import views, views_annotations

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("search/", views_library.search, name="search"),
    path("who-is-quoted/", views_library.who_is_quoted, name="who_is_quoted"),
    path("library/<int:pk>/", views_library.actor_detail, name="actor"),
    path("articles/new/", views.article_create, name="create"),
    path("articles/<int:pk>/", views.article_detail, name="detail"),
    path("articles/<int:pk>/quotes/<int:quote_pk>/", views.quote_panel, name="quote"),
    path("articles/<int:pk>/entities/<int:entity_pk>/", views.entity_panel, name="entity"),
    path("articles/<int:pk>/annotations/", views_annotations.article_annotations, name="annotations"),
    path("articles/<int:pk>/annotations/new/", views_annotations.annotation_new, name="annotation_new"),
    path(
        "articles/<int:pk>/annotations/import/",
        views_annotations.annotations_import_view,
        name="annotations_import",
    ),
    path(
        "articles/<int:pk>/annotations.<str:fmt>",
        views_annotations.annotations_export,
        name="annotations_export",
    ),
    path("articles/<int:pk>/edit/", views_annotations.article_text_edit, name="article_text_edit"),
    path("annotations/<int:annotation_pk>/", views_annotations.annotation_detail, name="annotation"),
    path("annotations/<int:annotation_pk>/edit/", views_annotations.annotation_edit, name="annotation_edit"),
    path("annotations/<int:annotation_pk>/delete/", views_annotations.annotation_remove, name="annotation_delete"),
]
