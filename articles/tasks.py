"""Background work, run by the django-tasks database worker (`manage.py db_worker`, started by `make run`)."""

from __future__ import annotations

from django_tasks import task

from .models import Article


@task()
def analyze_article(article_id: int) -> str:
    """Analyse an article stored by the web form; its page polls until the state is no longer pending."""
    # Imported here because the services import this module to queue the task (the one cycle in the app).
    from .services.articles import article_mark_failed, article_reanalyze

    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return "deleted"
    if article.analysis_state == Article.Analysis.DONE:
        return "already analysed"
    try:
        article_reanalyze(article=article)
    except Exception as error:
        article_mark_failed(article_id=article_id, reason=f"{type(error).__name__}: {error}")
        raise
    return "analysed"
