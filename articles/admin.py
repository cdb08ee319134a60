"""The admin reads everything and writes only through the services: an article's text edit is re-indexed,
re-anchored and re-analysed like the staff edit page; analysed rows are read-only (re-analysis makes them)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .models import Annotation, Article, Correction, Entity, Quote
from .services.articles import article_delete, article_update_text
from .services.reader_library import articles_publish, reader_saves_private


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "created", "analysis_state", "public", "added_by"]
    list_filter = ["analysis_state", "public"]
    search_fields = ["title", "added_by__username"]
    fields = [
        "text",
        "title",
        "source",
        "dateline",
        "byline",
        "published",
        "url",
        "dated",
        "analysis_state",
        "public",
        "shared_by",
    ]
    actions = ["publish", "unpublish"]
    # The title comes from the text's first line; the rest feeds the search index and tallies.
    readonly_fields = [f for f in fields if f != "text"]

    def has_add_permission(self, request):
        return False  # articles come in through "Add article" or the import commands

    def save_model(self, request, obj, form, change):
        stored = Article.objects.get(pk=obj.pk)
        article_update_text(article=stored, text=form.cleaned_data["text"], by=request.user)

    def get_deleted_objects(self, objs, request):
        # An article's analysis and annotations go with it (through article_delete), though none of them
        # may be deleted on their own here.
        deleted, counts, _, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    # Deletes go through the service so the search index and quote tallies follow.
    def delete_model(self, request, obj):
        article_delete(article=obj)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            article_delete(article=article)

    # Publishing goes through the service too: the tallies of who is quoted follow who may read an article.
    @admin.action(description="Publish: put in the public library, which everyone reads")
    def publish(self, request, queryset):
        changed = articles_publish(articles=list(queryset), public=True)
        self.message_user(request, f"Published {changed} article(s).")

    @admin.action(description="Unpublish: only readers whose library holds them (and staff) read them")
    def unpublish(self, request, queryset):
        changed = articles_publish(articles=list(queryset), public=False)
        self.message_user(request, f"Took {changed} article(s) out of the public library.")


class ReaderAdmin(UserAdmin):
    """Django's user admin, with the action that undoes the upgrade's "everything public" for one reader."""

    actions = ["make_saves_private"]

    @admin.action(description="Make their own saves private (what they added, out of the public library)")
    def make_saves_private(self, request, queryset):
        changed = sum(reader_saves_private(reader=reader) for reader in queryset)
        self.message_user(request, f"Took {changed} article(s) out of the public library.")


if admin.site.is_registered(get_user_model()):
    admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), ReaderAdmin)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the analysis writes: shown, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Entity)
class EntityAdmin(ReadOnlyAdmin):
    list_display = ["name", "label", "article"]
    list_filter = ["label"]


@admin.register(Quote)
class QuoteAdmin(ReadOnlyAdmin):
    list_display = ["text", "speaker_name", "cue", "article"]


@admin.register(Annotation)
class AnnotationAdmin(ReadOnlyAdmin):
    list_display = ["exact", "user", "article", "visibility", "orphaned", "updated"]
    list_filter = ["visibility", "orphaned", "colour"]
    search_fields = ["exact", "note", "user__username"]


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    """Readers' corrections, made and undone from the article's panels (where they are applied at once)."""

    list_display = ["kind", "exact", "article", "author", "created", "placed", "undone"]
    list_filter = ["kind", "placed"]
    search_fields = ["exact", "author__username"]
