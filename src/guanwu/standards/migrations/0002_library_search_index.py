"""The keyword index of the 企业库 / 公共库 (``LibraryEntry.search_text``, see
``guanwu.core.fulltext``): an FTS5 external-content table kept in step by triggers on SQLite,
a GIN index over a stored generated tsvector column on PostgreSQL."""

from django.db import migrations

from guanwu.core.fulltext import index_operation


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]

    operations = [index_operation("standards_libraryentry", "search_text")]
