"""Background work, run by the django-tasks database worker (`manage.py db_worker`, started by `make run`)."""

from __future__ import annotations

from django_tasks import task

from .models import ANALYSIS_DONE, Article


@task()
def analyse_article(article_id: int) -> str:
    """Analyse an article stored by the web form; its page polls until the state is no longer pending."""
    from .services import article_mark_failed, article_reanalyse

    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return "deleted"
    if article.analysis_state == ANALYSIS_DONE:
        return "already analysed"
    try:
        article_reanalyse(article=article)
    except Exception as error:
        article_mark_failed(article_id=article_id, reason=f"{type(error).__name__}: {error}")
        raise
    return "analysed"
