from django.contrib import admin

from .models import Annotation, Article, Entity, Quote
from .services import article_delete


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "created"]
    search_fields = ["title"]

    # Deletes go through the service so the search index and quote tallies follow.
    def delete_model(self, request, obj):
        article_delete(article=obj)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            article_delete(article=article)


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["name", "label", "article"]
    list_filter = ["label"]


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ["text", "speaker_name", "cue", "article"]


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ["exact", "user", "article", "visibility", "orphaned", "updated"]
    list_filter = ["visibility", "orphaned", "colour"]
    search_fields = ["exact", "note", "user__username"]
    raw_id_fields = ["article", "user"]
