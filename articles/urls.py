from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("articles/new/", views.article_create, name="create"),
    path("articles/<int:pk>/", views.article_detail, name="detail"),
    path("articles/<int:pk>/quotes/<int:quote_pk>/", views.quote_panel, name="quote"),
    path("articles/<int:pk>/entities/<int:entity_pk>/", views.entity_panel, name="entity"),
]
