from django.urls import path

from . import views_library

from . import views

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
]
